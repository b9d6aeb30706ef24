/* fuzz-tfjs-weights.c: libFuzzer harness for TensorFlow.js weights: a
 * model.json's weightsManifest and the .bin shards it names.
 *
 * An input is model.json, then each shard after a NUL byte, in manifest
 * order (make-seeds writes the fixtures that way). The importer reads shards
 * through GIO relative to the model's folder, so each input is written to a
 * private temporary folder first: the shards under the names the manifest
 * gives, as long as those stay inside the folder. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-keras-import.h"

#include "fuzz-common.h"

static char *work_dir;

/* The manifest's shard names, in order; only plain file names, so that a
 * fuzzed "../x" never makes the harness write outside its folder. */
static GPtrArray *
shard_names (const char *json,
             gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root, *manifest;

  if (!json_parser_load_from_data (parser, json, length, NULL))
    return names;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return names;
  manifest = json_object_get_member (json_node_get_object (root), "weightsManifest");
  if (manifest == NULL || !JSON_NODE_HOLDS_ARRAY (manifest))
    return names;

  for (guint g = 0; g < json_array_get_length (json_node_get_array (manifest)); g++)
    {
      JsonNode *group = json_array_get_element (json_node_get_array (manifest), g);
      JsonNode *paths;

      if (!JSON_NODE_HOLDS_OBJECT (group))
        continue;
      paths = json_object_get_member (json_node_get_object (group), "paths");
      if (paths == NULL || !JSON_NODE_HOLDS_ARRAY (paths))
        continue;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (paths)); i++)
        {
          JsonNode *item = json_array_get_element (json_node_get_array (paths), i);
          const char *name;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            continue;
          name = json_node_get_string (item);
          if (*name == '\0' || strchr (name, '/') != NULL || strcmp (name, ".") == 0 ||
              strcmp (name, "..") == 0)
            continue;
          g_ptr_array_add (names, g_strdup (name));
        }
    }
  return names;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *json_end = memchr (text, '\0', size);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) base_dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  gsize json_length;

  if (work_dir == NULL)
    {
      work_dir = g_dir_make_tmp ("netsketch-fuzz-XXXXXX", NULL);
      if (work_dir == NULL)
        g_error ("cannot make a temporary folder");
    }
  json_length = json_end != NULL ? (gsize) (json_end - text) : size;
  base_dir = g_file_new_for_path (work_dir);
  names = shard_names (text, json_length);

  /* Chunk i after the JSON becomes shard i; missing chunks leave their
   * files missing, which the importer must report, not trip over. */
  for (const char *chunk = json_end, *next; chunk != NULL && chunk < end; chunk = next)
    {
      guint index = written->len;
      gsize chunk_length;

      chunk++;
      next = memchr (chunk, '\0', (gsize) (end - chunk));
      chunk_length = (gsize) ((next != NULL ? next : end) - chunk);
      if (index >= names->len)
        break;
      {
        g_autofree char *path = g_build_filename (work_dir, g_ptr_array_index (names, index), NULL);

        if (!g_file_set_contents (path, chunk, chunk_length, NULL))
          g_error ("cannot write %s", path);
        g_ptr_array_add (written, g_steal_pointer (&path));
      }
    }

  graph = ns_keras_import_from_data (text, json_length, "fuzz.json", base_dir, &error);
  fuzz_check_result (graph, error, "fuzz.json");

  for (guint i = 0; i < written->len; i++)
    g_unlink (g_ptr_array_index (written, i));
  return 0;
}
