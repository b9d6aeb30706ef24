/* ns-document-weights.c: a layer's learned tensors in a .netsketch document:
 * little-endian float32 as base64, read with checked sizes, written straight
 * into the output without a JSON tree. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-document-private.h"

static void
append_shape (GString       *out,
              const NsShape *shape)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < shape->rank; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", shape->dims[i]);
  g_string_append_c (out, ']');
}

static char *
shape_to_text (const NsShape *shape)
{
  GString *out = g_string_new (NULL);

  append_shape (out, shape);
  return g_string_free (out, FALSE);
}

/* Messages name the weight: a person knows "kernel", not "weights[0]". */
static gboolean
read_shape (NsJsonSource *source,
            JsonObject   *object,
            const char   *parent_path,
            const char   *weight_name,
            NsShape      *shape,
            GError      **error)
{
  g_autofree char *path = g_strdup_printf ("%s.shape", parent_path);
  g_autofree char *got = NULL;
  JsonNode *node = json_object_get_member (object, "shape");
  JsonArray *array;

  if (node == NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, object), path,
                              _("missing, expected the shape of weight “%s”"), weight_name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      (shape->rank = json_array_get_length (array = json_node_get_array (node))) > NS_MAX_RANK)
    goto fail;
  for (guint i = 0; i < shape->rank; i++)
    {
      JsonNode *dim = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (dim) || json_node_get_value_type (dim) != G_TYPE_INT64 ||
          json_node_get_int (dim) < 0)
        goto fail;
      shape->dims[i] = json_node_get_int (dim);
    }
  return TRUE;

fail:
  got = ns_json_describe_node (node);
  ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                          _("the shape of weight “%s” must be a list of at most %d sizes "
                            "(integers from 0 up), got %s"),
                          weight_name, NS_MAX_RANK, got);
  return FALSE;
}

/* The byte count @text decodes to, or -1 with the offset of the first
 * character that is not base64 in @bad (@length when the text is cut short). */
static gssize
base64_decoded_size (const char *text,
                     gsize       length,
                     gsize      *bad)
{
  gsize padding = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      /* "=" only pads the end, one or two of them. */
      if ((g_ascii_isalnum (c) || c == '+' || c == '/') && padding == 0)
        continue;
      if (c == '=' && i + 2 >= length)
        {
          padding++;
          continue;
        }
      *bad = i;
      return -1;
    }
  if (length % 4 != 0)
    {
      *bad = length;
      return -1;
    }
  return (gssize) (length / 4 * 3 - padding);
}

static NsWeight *
load_weight (NsJsonSource *source,
             JsonNode     *node,
             const char   *path,
             GError      **error)
{
  JsonObject *object;
  JsonNode *dtype, *data;
  g_autofree char *data_path = NULL;
  g_autofree guchar *decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *name, *text;
  NsShape shape;
  gint64 n_values;
  gssize size;
  gsize length, bad = 0, decoded_length = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a weight {\"name\", \"shape\", \"dtype\", \"data\"}, got %s"), got);
      return NULL;
    }
  object = json_node_get_object (node);
  if ((name = ns_document_require_string (source, object, "name", path, error)) == NULL)
    return NULL;

  if (!read_shape (source, object, path, name, &shape, error))
    return NULL;

  /* Only float32 is stored: importers dequantise as TensorFlow.js does. */
  dtype = json_object_get_member (object, "dtype");
  if (dtype != NULL && (!ns_document_is_string (dtype) || !g_str_equal (json_node_get_string (dtype), "float32")))
    {
      g_autofree char *got = ns_json_describe_node (dtype);
      g_autofree char *dtype_path = g_strdup_printf ("%s.dtype", path);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, dtype), dtype_path,
                              _("weight “%s” must be \"float32\", got %s"), name, got);
      return NULL;
    }

  data_path = g_strdup_printf ("%s.data", path);
  data = json_object_get_member (object, "data");
  if (data == NULL || !ns_document_is_string (data))
    {
      g_autofree char *got = data ? ns_json_describe_node (data) : NULL;

      if (data == NULL)
        ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, object), data_path,
                                _("missing, expected the values of weight “%s” in base64"), name);
      else
        ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, data), data_path,
                                _("expected the values of weight “%s” in base64 (a string), got %s"), name, got);
      return NULL;
    }
  text = json_node_get_string (data);
  length = strlen (text);

  /* g_base64_decode() skips what it does not understand: check first, so
   * that damaged data is an error rather than different numbers. */
  size = base64_decoded_size (text, length, &bad);
  if (size < 0 && bad == length)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, data), data_path,
                              _("the data of weight “%s” is not base64: its length, %zu, is not a multiple of 4"),
                              name, length);
      return NULL;
    }
  if (size < 0)
    {
      char bad_char[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char_validated (text + bad, -1), bad_char);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, data), data_path,
                              _("the data of weight “%s” is not base64: “%s” at character %zu"),
                              name, bad_char, bad + 1);
      return NULL;
    }

  if (!ns_shape_elements (&shape, &n_values) || (guint64) n_values > G_MAXSSIZE / sizeof (float))
    {
      g_autofree char *shape_text = shape_to_text (&shape);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, data), data_path,
                              _("weight “%s” of shape %s has more values than this computer can hold"),
                              name, shape_text);
      return NULL;
    }
  if ((gsize) size != (gsize) n_values * sizeof (float))
    {
      g_autofree char *shape_text = shape_to_text (&shape);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, data), data_path,
                              _("weight “%s” of shape %s needs %" PRId64 " bytes (4 per float32 value); "
                                "the data holds %zd"),
                              name, shape_text, n_values * (gint64) sizeof (float), size);
      return NULL;
    }

  decoded = size > 0 ? g_base64_decode (text, &decoded_length) : NULL;
  g_assert (decoded_length == (gsize) size);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < decoded_length; i += 4)
    {
      guint32 value;

      memcpy (&value, decoded + i, 4);
      value = GUINT32_FROM_LE (value);
      memcpy (decoded + i, &value, 4);
    }
#endif
  bytes = g_bytes_new_take (g_steal_pointer (&decoded), decoded_length);
  return ns_weight_new (name, &shape, bytes);
}

gboolean
ns_document_load_weights (NsJsonSource *source,
                          NsLayer      *layer,
                          JsonNode     *node,
                          const char   *layer_path,
                          GError      **error)
{
  g_autofree char *path = g_strdup_printf ("%s.weights", layer_path);
  g_autoptr(GPtrArray) weights = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a list of weights, got %s"), got);
      return FALSE;
    }
  array = json_node_get_array (node);
  weights = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify) ns_weight_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *weight_path = g_strdup_printf ("%s[%u]", path, i);
      NsWeight *weight = load_weight (source, json_array_get_element (array, i), weight_path, error);

      if (weight == NULL)
        return FALSE;
      g_ptr_array_add (weights, weight);
    }
  ns_layer_set_weights (layer, weights);
  return TRUE;
}

/* Base64 of little-endian float32, encoded into @out's own buffer. */
static void
append_base64 (GString *out,
               GBytes  *data)
{
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  gsize start = out->len, written = 0;
  int state = 0, save = 0;

  /* g_base64_encode_step() needs (len / 3 + 1) * 4 + 4 bytes, and _close() 5 more. */
  g_string_set_size (out, start + (size / 3 + 1) * 4 + 4 + 5);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  written = g_base64_encode_step (bytes, size, FALSE, out->str + start, &state, &save);
#else
  {
    guint32 chunk[1024];

    for (gsize offset = 0; offset < size; offset += sizeof chunk)
      {
        gsize n = MIN (sizeof chunk, size - offset);

        memcpy (chunk, bytes + offset, n);
        for (gsize i = 0; i < n / 4; i++)
          chunk[i] = GUINT32_TO_LE (chunk[i]);
        written += g_base64_encode_step ((const guchar *) chunk, n, FALSE,
                                         out->str + start + written, &state, &save);
      }
  }
#endif
  written += g_base64_encode_close (FALSE, out->str + start + written, &state, &save);
  g_string_truncate (out, start + written);
}

void
ns_document_write_weights (GString   *out,
                           GPtrArray *weights,
                           guint      depth)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < weights->len; i++)
    {
      NsWeight *weight = g_ptr_array_index (weights, i);

      g_string_append (out, i > 0 ? ",\n" : "\n");
      ns_document_append_indent (out, depth + 1);
      g_string_append (out, "{\n");
      ns_document_append_key (out, depth + 2, "name");
      ns_document_append_string (out, weight->name);
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 2, "shape");
      append_shape (out, &weight->shape);
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 2, "dtype");
      g_string_append (out, "\"float32\",\n");
      ns_document_append_key (out, depth + 2, "data");
      g_string_append_c (out, '"');
      append_base64 (out, weight->data);
      g_string_append (out, "\"\n");
      ns_document_append_indent (out, depth + 1);
      g_string_append_c (out, '}');
    }
  if (weights->len > 0)
    {
      g_string_append_c (out, '\n');
      ns_document_append_indent (out, depth);
    }
  g_string_append_c (out, ']');
}

gsize
ns_document_weights_text_size (NsGraph *graph)
{
  GListModel *model = G_LIST_MODEL (graph);
  gsize total = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      GPtrArray *weights = ns_layer_get_weights (layer);

      for (guint w = 0; weights != NULL && w < weights->len; w++)
        {
          NsWeight *weight = g_ptr_array_index (weights, w);

          total += (g_bytes_get_size (weight->data) + 2) / 3 * 4 + strlen (weight->name) + 256;
        }
      if (ns_layer_get_subgraph (layer) != NULL)
        total += ns_document_weights_text_size (ns_layer_get_subgraph (layer));
    }
  return total;
}
