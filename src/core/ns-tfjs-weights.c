/* ns-tfjs-weights.c: TensorFlow.js weightsManifest groups and their .bin
 * shards decoded to float32 and given to the layers they belong to. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-keras-import-private.h"
#include "ns-layer-private.h"
#include "ns-tfjs-weights.h"

/* No real layers model comes near this; a manifest that claims more is
 * refused before anything is read. */
#define MAX_GROUP_BYTES ((gsize) 1 << 34)

/* ---- Decoding ------------------------------------------------------------ */

static guint
dtype_size (const char *dtype)
{
  if (g_strcmp0 (dtype, "float32") == 0 || g_strcmp0 (dtype, "int32") == 0)
    return 4;
  if (g_strcmp0 (dtype, "float16") == 0 || g_strcmp0 (dtype, "uint16") == 0)
    return 2;
  if (g_strcmp0 (dtype, "uint8") == 0)
    return 1;
  return 0;
}

static float
half_to_float (guint16 h)
{
  guint sign = (h >> 15) & 1;
  guint exponent = (h >> 10) & 0x1f;
  guint mantissa = h & 0x3ff;
  double value;

  if (exponent == 0)
    value = ldexp ((double) mantissa, -24);                       /* subnormal */
  else if (exponent == 31)
    value = mantissa != 0 ? NAN : INFINITY;
  else
    value = ldexp ((double) (mantissa | 0x400), (int) exponent - 25);
  return (float) (sign ? -value : value);
}

void
ns_tfjs_decode_values (const guint8 *data,
                       const char   *dtype,
                       gsize         n_values,
                       double        scale,
                       double        min,
                       float        *out)
{
  /* tfjs writes little-endian bytes; read them byte by byte so that the
   * host's order and alignment never matter. */
  for (gsize i = 0; i < n_values; i++)
    {
      if (g_strcmp0 (dtype, "uint8") == 0)
        out[i] = (float) (data[i] * scale + min);
      else if (g_strcmp0 (dtype, "uint16") == 0)
        out[i] = (float) ((data[2 * i] | (data[2 * i + 1] << 8)) * scale + min);
      else if (g_strcmp0 (dtype, "float16") == 0)
        out[i] = half_to_float ((guint16) (data[2 * i] | (data[2 * i + 1] << 8)));
      else
        {
          guint32 bits = (guint32) data[4 * i] | ((guint32) data[4 * i + 1] << 8) |
                         ((guint32) data[4 * i + 2] << 16) | ((guint32) data[4 * i + 3] << 24);

          if (g_strcmp0 (dtype, "int32") == 0)
            out[i] = (float) (gint32) bits;
          else
            memcpy (&out[i], &bits, sizeof (float));
        }
    }
}

/* ---- The manifest -------------------------------------------------------- */

/* One weight as the manifest describes it, decoded. */
typedef struct {
  char     *full_name;     /* "sequential/conv2d/kernel" */
  NsWeight *weight;
  gsize     offset;        /* in the manifest, for errors */
  NsLayer  *layer;
} Decoded;

static void
decoded_clear (Decoded *decoded)
{
  g_free (decoded->full_name);
  g_clear_pointer (&decoded->weight, ns_weight_free);
}

typedef struct {
  NsJsonSource *source;
  GFile        *base_dir;
} Reader;

/* Fails with "NAME:LINE:COL: PATH: message" at @at; evaluates to FALSE. */
#define fail_at(reader, error, at, path, ...) \
  ({ ns_json_source_fail_at ((reader)->source, (error), NS_ERROR_PARSE, \
                             ns_json_source_lookup_offset ((reader)->source, (at)), (path), __VA_ARGS__); \
     FALSE; })

static const char *
string_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
number_member (JsonObject *object,
               const char *key,
               double     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

/* Reads the group's shards in manifest order into one buffer; @ends gets
 * the byte where each shard ends, so errors can name the file. */
static GByteArray *
read_shards (Reader     *reader,
             JsonArray  *paths,
             const char *path,
             GArray     *ends,
             GError    **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      JsonNode *node = json_array_get_element (paths, i);
      g_autofree char *item_path = g_strdup_printf ("%s.paths[%u]", path, i);
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *contents = NULL;
      const char *relative;
      gsize length;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          *json_node_get_string (node) == '\0')
        {
          fail_at (reader, error, ns_keras_at (node), item_path, _("expected the name of a .bin file"));
          return NULL;
        }
      relative = json_node_get_string (node);
      /* Shards sit beside model.json (tfjs writes them so); a model file must
       * not make Netsketch read files elsewhere on the machine. */
      file = g_file_resolve_relative_path (reader->base_dir, relative);
      if (!g_file_has_prefix (file, reader->base_dir))
        {
          fail_at (reader, error, ns_keras_at (node), item_path,
                   _("weight file %s is outside the model’s folder"), relative);
          return NULL;
        }
      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                G_FILE_QUERY_INFO_NONE, NULL, NULL);
      /* A FIFO or a device (/dev/zero) would be read forever. */
      if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        {
          fail_at (reader, error, ns_keras_at (node), item_path, _("weight file %s is not a regular file"), relative);
          return NULL;
        }
      if (info != NULL && bytes->len + (guint64) g_file_info_get_size (info) > MAX_GROUP_BYTES)
        {
          fail_at (reader, error, ns_keras_at (node), item_path, _("weight file %s makes the group too large"), relative);
          return NULL;
        }
      if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            fail_at (reader, error, ns_keras_at (node), item_path, _("weight file %s is missing"), relative);
          else
            fail_at (reader, error, ns_keras_at (node), item_path, _("cannot read weight file %s: %s"),
                     relative, local_error->message);
          return NULL;
        }
      if (bytes->len + (guint64) length > MAX_GROUP_BYTES)
        {
          fail_at (reader, error, ns_keras_at (node), item_path, _("weight file %s makes the group too large"), relative);
          return NULL;
        }
      g_byte_array_append (bytes, (const guint8 *) contents, length);
      {
        gsize end = bytes->len;
        g_array_append_val (ends, end);
      }
    }
  return g_steal_pointer (&bytes);
}

/* The shard holding byte @offset of the group (the last one past the end). */
static const char *
shard_at (JsonArray *paths,
          GArray    *ends,
          gsize      offset)
{
  guint i;

  for (i = 0; i < ends->len && g_array_index (ends, gsize, i) <= offset; i++)
    ;
  i = MIN (i, json_array_get_length (paths) - 1);
  return json_array_get_string_element (paths, i);
}

static gboolean
read_group (Reader     *reader,
            JsonNode   *group_node,
            const char *path,
            GArray     *out,
            GError    **error)
{
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GByteArray) bytes = NULL;
  JsonObject *group;
  JsonArray *paths, *weights;
  JsonNode *node;
  gsize offset = 0;
  const char *last_name = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (group_node))
    return fail_at (reader, error, ns_keras_at (group_node), path, _("expected a group with \"paths\" and \"weights\""));
  group = json_node_get_object (group_node);
  node = json_object_get_member (group, "paths");
  paths = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  node = json_object_get_member (group, "weights");
  weights = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (paths == NULL || json_array_get_length (paths) == 0 || weights == NULL)
    return fail_at (reader, error, group, path, _("expected a group with \"paths\" and \"weights\""));

  bytes = read_shards (reader, paths, path, ends, error);
  if (bytes == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (weights); i++)
    {
      JsonNode *spec_node = json_array_get_element (weights, i);
      g_autofree char *spec_path = g_strdup_printf ("%s.weights[%u]", path, i);
      JsonObject *spec = JSON_NODE_HOLDS_OBJECT (spec_node) ? json_node_get_object (spec_node) : NULL;
      const char *name = string_member (spec, "name");
      const char *dtype = string_member (spec, "dtype");
      const char *stored = dtype;
      JsonNode *quant_node = spec != NULL ? json_object_get_member (spec, "quantization") : NULL;
      JsonNode *shape_node = spec != NULL ? json_object_get_member (spec, "shape") : NULL;
      JsonArray *shape_array;
      double scale = 1.0, min = 0.0;
      Decoded decoded = { 0 };
      gint64 n_values = 1;
      gsize n_bytes;
      NsShape shape = { 0 };
      g_autoptr(GBytes) data = NULL;
      float *values;

      if (name == NULL || dtype == NULL || shape_node == NULL || !JSON_NODE_HOLDS_ARRAY (shape_node))
        return fail_at (reader, error, ns_keras_at (spec_node), spec_path,
                        _("expected a weight with \"name\", \"shape\" and \"dtype\""));
      if (g_strcmp0 (dtype, "float32") != 0 && g_strcmp0 (dtype, "int32") != 0)
        return fail_at (reader, error, ns_keras_at (spec_node), spec_path,
                        _("weight %s: dtype %s is not supported (float32 or int32)"), name, dtype);
      if (quant_node != NULL && !JSON_NODE_HOLDS_NULL (quant_node))
        {
          JsonObject *quant = JSON_NODE_HOLDS_OBJECT (quant_node) ? json_node_get_object (quant_node) : NULL;

          stored = string_member (quant, "dtype");
          if (g_strcmp0 (stored, "uint8") == 0 || g_strcmp0 (stored, "uint16") == 0)
            {
              if (!number_member (quant, "scale", &scale) || !number_member (quant, "min", &min))
                return fail_at (reader, error, ns_keras_at (quant_node), spec_path,
                                _("weight %s: %s quantisation needs numbers \"scale\" and \"min\""),
                                name, stored);
            }
          else if (g_strcmp0 (stored, "float16") != 0 || g_strcmp0 (dtype, "float32") != 0)
            return fail_at (reader, error, ns_keras_at (quant_node), spec_path,
                            _("weight %s: quantisation must be uint8, uint16 or float16 (of float32)"), name);
        }

      shape_array = json_node_get_array (shape_node);
      if (json_array_get_length (shape_array) > NS_MAX_RANK)
        return fail_at (reader, error, ns_keras_at (shape_node), spec_path, _("weight %s: more than %d dimensions"),
                        name, NS_MAX_RANK);
      shape.rank = json_array_get_length (shape_array);
      for (guint d = 0; d < shape.rank; d++)
        {
          JsonNode *dim = json_array_get_element (shape_array, d);

          if (!JSON_NODE_HOLDS_VALUE (dim) || json_node_get_value_type (dim) != G_TYPE_INT64 ||
              json_node_get_int (dim) < 0 || !ns_checked_mul (n_values, json_node_get_int (dim), &n_values) ||
              n_values > (gint64) (MAX_GROUP_BYTES / 4))
            return fail_at (reader, error, ns_keras_at (dim), spec_path, _("weight %s: absurd shape"), name);
          shape.dims[d] = json_node_get_int (dim);
        }

      n_bytes = (gsize) n_values * dtype_size (stored);
      if (offset + n_bytes > bytes->len)
        {
          const char *file = shard_at (paths, ends, bytes->len);
          return fail_at (reader, error, ns_keras_at (spec_node), spec_path,
                          _("weight file %s is too short: weight %s needs bytes %zu"
                            "–%zu of the group, which has %u"),
                          file, name, offset, offset + n_bytes, bytes->len);
        }

      values = g_new (float, MAX (n_values, 1));
      ns_tfjs_decode_values (bytes->data + offset, stored, n_values, scale, min, values);
      if (g_strcmp0 (dtype, "int32") == 0 && stored != dtype)
        for (gint64 v = 0; v < n_values; v++)
          values[v] = roundf (values[v]);
      data = g_bytes_new_take (values, n_values * sizeof (float));
      offset += n_bytes;
      last_name = name;

      decoded.full_name = g_strdup (name);
      decoded.offset = ns_json_source_node_offset (reader->source, spec_node);
      decoded.weight = ns_weight_new (name, &shape, data);
      g_array_append_val (out, decoded);
    }

  if (offset != bytes->len)
    {
      const char *file = json_array_get_string_element (paths, json_array_get_length (paths) - 1);

      return fail_at (reader, error, weights, path,
                      _("weight file %s is too long: %u bytes, but the weights end at %zu"
                        " (after %s)"),
                      file, bytes->len, offset, last_name != NULL ? last_name : _("nothing"));
    }
  return TRUE;
}

/* ---- Matching weights to layers ------------------------------------------ */

/* Finds the layer @parts[k..n-2] names, descending into nested models when
 * a part names one and skipping parts that name none (model prefixes). */
static NsLayer *
find_layer (NsGraph     *graph,
            char       **parts,
            guint        k,
            guint        n)
{
  NsLayer *layer;

  if (k + 1 >= n)
    return NULL;
  layer = ns_graph_find_by_name (graph, parts[k]);
  if (k + 2 == n)
    {
      if (layer == NULL || ns_layer_get_subgraph (layer) != NULL)
        {
          /* The innermost layer of a nested model, named without its model. */
          guint n_items = g_list_model_get_n_items (G_LIST_MODEL (graph));

          if (layer != NULL && ns_layer_get_subgraph (layer) == NULL)
            return layer;
          for (guint i = 0; i < n_items; i++)
            {
              g_autoptr(NsLayer) item = g_list_model_get_item (G_LIST_MODEL (graph), i);
              NsLayer *found;

              if (ns_layer_get_subgraph (item) != NULL &&
                  (found = find_layer (ns_layer_get_subgraph (item), parts, k, n)) != NULL)
                return found;
            }
          return NULL;
        }
      return layer;
    }
  if (layer != NULL && ns_layer_get_subgraph (layer) != NULL)
    {
      NsLayer *found = find_layer (ns_layer_get_subgraph (layer), parts, k + 1, n);

      if (found != NULL)
        return found;
    }
  return find_layer (graph, parts, k + 1, n);
}

/* Keras' weights of @layer, names and shapes, in Keras' order, as its type
 * declares them; FALSE when Netsketch does not know them for this layer. */
static gboolean
expected_weights (NsLayer     *layer,
                  GPtrArray   *names,
                  GArray      *shapes)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  g_autoptr(GArray) specs = g_array_new (FALSE, FALSE, sizeof (NsWeightSpec));
  const NsShape **inputs;
  NsInferInput in;

  if (type->weights == NULL || ns_layer_get_n_inputs (layer) == 0)
    return FALSE;
  for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
    {
      NsLayer *input = ns_layer_get_input (layer, port);
      const NsLayerInfo *info = input != NULL ? ns_layer_get_info (input) : NULL;

      if (info == NULL || info->state != NS_LAYER_OK || info->output.rank == 0)
        return FALSE;
    }
  inputs = g_newa (const NsShape *, ns_layer_get_n_inputs (layer));
  ns_layer_get_infer_input (layer, inputs, &in);
  if (!type->weights (&in, specs))
    return FALSE;
  for (guint i = 0; i < specs->len; i++)
    {
      const NsWeightSpec *spec = &g_array_index (specs, NsWeightSpec, i);

      g_ptr_array_add (names, (gpointer) spec->name);
      g_array_append_val (shapes, spec->shape);
    }
  return TRUE;
}

static int
find_expected (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return i;
  return -1;
}

static char *
shape_text (const NsShape *shape)
{
  GString *out = g_string_new ("[");

  for (guint d = 0; d < shape->rank; d++)
    g_string_append_printf (out, d > 0 ? ", %" PRId64 : "%" PRId64, shape->dims[d]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* Orders and checks one layer's weights (indexes into @decoded). */
static gboolean
assign_layer (Reader   *reader,
              NsLayer  *layer,
              GArray   *decoded,
              GArray   *indexes,
              GError  **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) shapes = g_array_new (FALSE, FALSE, sizeof (NsShape));
  g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_weight_free);
  const NsLayerInfo *info = ns_layer_get_info (layer);
  gboolean known = expected_weights (layer, names, shapes);
  gint64 total = 0;

  if (known)
    g_ptr_array_set_size (weights, names->len);
  for (guint i = 0; i < indexes->len; i++)
    {
      Decoded *d = &g_array_index (decoded, Decoded, g_array_index (indexes, guint, i));
      int slot;

      total += ns_weight_get_n_values (d->weight);
      if (!known)
        {
          g_ptr_array_add (weights, g_steal_pointer (&d->weight));
          continue;
        }
      slot = find_expected (names, d->weight->name);
      if (slot < 0 || g_ptr_array_index (weights, slot) != NULL)
        {
          ns_json_source_fail_at (reader->source, error, NS_ERROR_PARSE, d->offset, NULL,
                                  _("weight %s: layer %s (%s) has no weight “%s”"), d->full_name,
                                  ns_layer_get_name (layer), ns_layer_get_layer_type (layer)->keras_class,
                                  d->weight->name);
          return FALSE;
        }
      if (!ns_shape_equal (&d->weight->shape, &g_array_index (shapes, NsShape, slot)))
        {
          g_autofree char *got = shape_text (&d->weight->shape);
          g_autofree char *want = shape_text (&g_array_index (shapes, NsShape, slot));

          ns_json_source_fail_at (reader->source, error, NS_ERROR_SHAPE, d->offset, NULL,
                                  _("weight %s has shape %s, but layer %s expects %s"),
                                  d->full_name, got, ns_layer_get_name (layer), want);
          return FALSE;
        }
      weights->pdata[slot] = g_steal_pointer (&d->weight);
    }
  for (guint i = 0; known && i < names->len; i++)
    if (g_ptr_array_index (weights, i) == NULL)
      {
        Decoded *d = &g_array_index (decoded, Decoded, g_array_index (indexes, guint, 0));

        ns_json_source_fail_at (reader->source, error, NS_ERROR_PARSE, d->offset, NULL,
                                _("weightsManifest has no weight %s/%s"),
                                ns_layer_get_name (layer), (const char *) g_ptr_array_index (names, i));
        return FALSE;
      }
  if (info->state == NS_LAYER_OK && total != info->params)
    {
      Decoded *d = &g_array_index (decoded, Decoded, g_array_index (indexes, guint, 0));

      ns_json_source_fail_at (reader->source, error, NS_ERROR_SHAPE, d->offset, NULL,
                              _("the weights of layer %s hold %" PRId64 " values, but it has %" PRId64 " parameters"),
                              ns_layer_get_name (layer), total, info->params);
      return FALSE;
    }
  ns_layer_set_weights (layer, weights);
  return TRUE;
}

gboolean
ns_tfjs_weights_load (NsGraph       *graph,
                      NsJsonSource  *source,
                      JsonNode      *manifest,
                      GFile         *base_dir,
                      GError       **error)
{
  Reader reader = { source, base_dir };
  g_autoptr(GArray) decoded = g_array_new (FALSE, TRUE, sizeof (Decoded));
  g_autoptr(GHashTable) per_layer = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  JsonArray *groups;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (source != NULL && manifest != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (base_dir), FALSE);

  g_array_set_clear_func (decoded, (GDestroyNotify) decoded_clear);
  if (!JSON_NODE_HOLDS_ARRAY (manifest))
    return fail_at (&reader, error, ns_keras_at (manifest), "weightsManifest", _("expected a list of weight groups"));
  groups = json_node_get_array (manifest);
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      g_autofree char *path = g_strdup_printf ("weightsManifest[%u]", g);

      if (!read_group (&reader, json_array_get_element (groups, g), path, decoded, error))
        return FALSE;
    }

  for (guint i = 0; i < decoded->len; i++)
    {
      Decoded *d = &g_array_index (decoded, Decoded, i);
      g_autofree char *clean = g_strdup (d->full_name);
      g_auto(GStrv) parts = NULL;
      char *colon = strrchr (clean, ':');
      guint n_parts;
      GArray *indexes;

      if (colon != NULL)
        *colon = '\0';                 /* "kernel:0" */
      parts = g_strsplit (clean, "/", -1);
      n_parts = g_strv_length (parts);
      d->layer = find_layer (graph, parts, 0, n_parts);
      if (d->layer == NULL)
        {
          ns_json_source_fail_at (source, error, NS_ERROR_PARSE, d->offset, NULL,
                                  _("weight %s: no layer of the model is named so"), d->full_name);
          return FALSE;
        }
      g_free (d->weight->name);
      d->weight->name = g_strdup (parts[n_parts - 1]);
      indexes = g_hash_table_lookup (per_layer, d->layer);
      if (indexes == NULL)
        {
          indexes = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (per_layer, d->layer, indexes);
          g_ptr_array_add (order, d->layer);
        }
      g_array_append_val (indexes, i);
    }

  for (guint i = 0; i < order->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (order, i);

      if (!assign_layer (&reader, layer, decoded, g_hash_table_lookup (per_layer, layer), error))
        return FALSE;
    }
  return TRUE;
}
