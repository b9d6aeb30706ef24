/* ns-tfjs-export.c: a graph as a TensorFlow.js layers model: model.json
 * (topology + weightsManifest) and one float32 .bin shard. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-atomic-write.h"
#include "ns-keras-export.h"
#include "ns-tfjs-export.h"

typedef struct {
  JsonArray  *entries;   /* the manifest's "weights" */
  GByteArray *shard;
  NsLayer    *missing;   /* a layer with parameters but no weights */
  guint       n_with;    /* layers that have weights */
} WeightsWriter;

static void
append_values (GByteArray  *shard,
               const float *values,
               gint64       n_values)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (shard, (const guint8 *) values, (guint) (n_values * sizeof (float)));
#else
  for (gint64 i = 0; i < n_values; i++)
    {
      guint32 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bits = GUINT32_TO_LE (bits);
      g_byte_array_append (shard, (const guint8 *) &bits, sizeof bits);
    }
#endif
}

/* tfjs finds a weight by "<layer>/<weight>"; layers of nested models go by
 * their own names, as tfjs' nested models name them. */
static void
collect_weights (WeightsWriter *writer,
                 NsGraph       *graph)
{
  GPtrArray *layers = ns_graph_get_sorted_layers (graph);

  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      GPtrArray *weights = ns_layer_get_weights (layer);

      if (ns_layer_get_subgraph (layer) != NULL)
        {
          collect_weights (writer, ns_layer_get_subgraph (layer));
          continue;
        }
      if (weights == NULL || weights->len == 0)
        {
          if (ns_layer_get_info (layer)->params > 0 && writer->missing == NULL)
            writer->missing = layer;
          continue;
        }
      writer->n_with++;
      for (guint w = 0; w < weights->len; w++)
        {
          NsWeight *weight = g_ptr_array_index (weights, w);
          JsonObject *entry = json_object_new ();
          JsonArray *shape = json_array_sized_new (weight->shape.rank);
          g_autofree char *name = g_strdup_printf ("%s/%s", ns_layer_get_name (layer), weight->name);

          for (guint d = 0; d < weight->shape.rank; d++)
            json_array_add_int_element (shape, weight->shape.dims[d]);
          json_object_set_string_member (entry, "name", name);
          json_object_set_array_member (entry, "shape", shape);
          json_object_set_string_member (entry, "dtype", "float32");
          json_array_add_object_element (writer->entries, entry);
          append_values (writer->shard, ns_weight_get_values (weight), ns_weight_get_n_values (weight));
        }
    }
}

char *
ns_tfjs_export_to_data (NsGraph     *graph,
                        const char  *weights_path,
                        GBytes     **weights,
                        GError     **error)
{
  WeightsWriter writer = { NULL, NULL, NULL, 0 };
  g_autoptr(JsonNode) topology = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  g_autofree char *generated_by = NULL;
  JsonObject *object;
  JsonArray *manifest;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (weights_path != NULL, NULL);
  g_return_val_if_fail (weights != NULL, NULL);

  *weights = NULL;
  topology = ns_keras_export_model (graph, NS_KERAS_LAYOUT_TF_KERAS_2, error);
  if (topology == NULL)
    return NULL;

  writer.entries = json_array_new ();
  writer.shard = g_byte_array_new ();
  collect_weights (&writer, graph);
  if (writer.n_with > 0 && writer.missing != NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("cannot export the weights: layer %s has parameters but no weights"),
                   ns_layer_get_name (writer.missing));
      json_array_unref (writer.entries);
      g_byte_array_unref (writer.shard);
      return NULL;
    }

  manifest = json_array_new ();
  if (writer.n_with > 0)
    {
      JsonObject *group = json_object_new ();
      JsonArray *paths = json_array_new ();

      json_array_add_string_element (paths, weights_path);
      json_object_set_array_member (group, "paths", paths);
      json_object_set_array_member (group, "weights", g_steal_pointer (&writer.entries));
      json_array_add_object_element (manifest, group);
      *weights = g_byte_array_free_to_bytes (g_steal_pointer (&writer.shard));
    }
  else
    {
      json_array_unref (writer.entries);
      g_byte_array_unref (writer.shard);
    }

  generated_by = g_strdup_printf ("Netsketch %s", PACKAGE_VERSION);
  object = json_object_new ();
  json_object_set_string_member (object, "format", "layers-model");
  json_object_set_string_member (object, "generatedBy", generated_by);
  json_object_set_null_member (object, "convertedBy");
  json_object_set_member (object, "modelTopology", g_steal_pointer (&topology));
  json_object_set_array_member (object, "weightsManifest", manifest);
  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

gboolean
ns_tfjs_export (NsGraph  *graph,
                GFile    *model_file,
                GFile    *weights_file,
                GError  **error)
{
  g_autoptr(GBytes) weights = NULL;
  g_autofree char *weights_name = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (G_IS_FILE (model_file), FALSE);
  g_return_val_if_fail (G_IS_FILE (weights_file), FALSE);

  weights_name = g_file_get_basename (weights_file);
  text = ns_tfjs_export_to_data (graph, weights_name, &weights, error);
  if (text == NULL)
    return FALSE;
  /* The shard first: a model.json is never left pointing at a missing one. */
  if (weights != NULL &&
      !ns_atomic_write (weights_file, g_bytes_get_data (weights, NULL),
                        g_bytes_get_size (weights), NULL, error))
    return FALSE;
  return ns_atomic_write (model_file, text, strlen (text), NULL, error);
}
