/* ns-model-io.c: one entry point for loading models, dispatching on the file's content. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "ns-document.h"
#include "ns-keras-import.h"
#include "ns-model-io.h"

/* A format Netsketch can recognise and the function that reads it. */
/* Every loader reads the document parsed once, with positions for its errors. */
typedef struct {
  NsModelFormat format;
  NsGraph    *(*load) (NsJsonSource *source,
                       const char   *display_name,
                       GFile        *base_dir,
                       GError      **error);
} NsModelImporter;

static NsGraph *
load_netsketch (NsJsonSource *source,
                const char   *display_name,
                GFile        *base_dir,
                GError      **error)
{
  return ns_document_load_from_source (source, error);
}

static const NsModelImporter importers[] = {
  { NS_MODEL_FORMAT_NETSKETCH, load_netsketch },
  /* Keras JSON and TensorFlow.js model.json: one importer reads both. */
  { NS_MODEL_FORMAT_KERAS,     ns_keras_import_from_source },
  { NS_MODEL_FORMAT_TFJS,      ns_keras_import_from_source },
};

NsModelFormat
ns_model_detect_format (JsonNode *root)
{
  JsonObject *object;
  JsonNode *format;

  if (root != NULL && JSON_NODE_HOLDS_VALUE (root) &&
      json_node_get_value_type (root) == G_TYPE_STRING)
    {
      /* model.to_json()'s result saved with json.dump: a JSON string that
       * holds the model's JSON. Only one level of that is looked into. */
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonNode *inner;

      if (!json_parser_load_from_data (parser, json_node_get_string (root), -1, NULL))
        return NS_MODEL_FORMAT_UNKNOWN;
      inner = json_parser_get_root (parser);
      if (inner == NULL || !JSON_NODE_HOLDS_OBJECT (inner))
        return NS_MODEL_FORMAT_UNKNOWN;
      return ns_model_detect_format (inner);
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NS_MODEL_FORMAT_UNKNOWN;

  object = json_node_get_object (root);
  format = json_object_get_member (object, "format");
  if (format != NULL && JSON_NODE_HOLDS_VALUE (format) &&
      json_node_get_value_type (format) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (format), NS_DOCUMENT_FORMAT) == 0)
    return NS_MODEL_FORMAT_NETSKETCH;
  if (json_object_has_member (object, "modelTopology"))
    return NS_MODEL_FORMAT_TFJS;
  if (json_object_has_member (object, "class_name") &&
      json_object_has_member (object, "config"))
    return NS_MODEL_FORMAT_KERAS;
  /* An HDF5 file's model_config attribute, saved as JSON. */
  if (json_object_has_member (object, "model_config") &&
      json_object_has_member (object, "keras_version"))
    return NS_MODEL_FORMAT_KERAS;
  return NS_MODEL_FORMAT_UNKNOWN;
}

/* Whether the data starts like a JSON document at all, so that a syntax
 * error in it deserves a line and column rather than "not a model". */
static gboolean
looks_like_json (const char *data,
                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[';
    }
  return FALSE;
}

NsGraph *
ns_model_load_from_data (const char  *data,
                         gssize       length,
                         const char  *display_name,
                         GError     **error)
{
  return ns_model_load_from_data_in (data, length, display_name, NULL, error);
}

NsGraph *
ns_model_load_from_data_in (const char  *data,
                            gssize       length,
                            const char  *display_name,
                            GFile       *base_dir,
                            GError     **error)
{
  g_autoptr(NsJsonSource) source = NULL;
  g_autoptr(GError) parse_error = NULL;
  NsModelFormat format;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  source = ns_json_source_parse (data, length, display_name, &parse_error);
  if (source == NULL)
    {
      /* A syntax error deserves its line and column; anything not even
       * shaped like JSON is simply not a model. */
      if (looks_like_json (data, length))
        g_propagate_error (error, g_steal_pointer (&parse_error));
      else
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     _("%s: not a Netsketch, Keras or TensorFlow.js model"), display_name);
      return NULL;
    }

  format = ns_model_detect_format (ns_json_source_get_root (source));
  for (guint i = 0; i < G_N_ELEMENTS (importers); i++)
    if (importers[i].format == format)
      return importers[i].load (source, display_name, base_dir, error);

  g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
               _("%s: not a Netsketch, Keras or TensorFlow.js model"), display_name);
  return NULL;
}

/* A .keras archive (Keras 3's model.save()): a zip whose config.json is
 * the model's JSON. Its weights are HDF5, which Netsketch does not read. */
static NsGraph *
load_keras_archive (const char  *data,
                    gsize        length,
                    const char  *display_name,
                    GError     **error)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  g_autoptr(GByteArray) config = NULL;
  g_autofree char *inner_name = NULL;
  NsGraph *graph = NULL;
  int status;

  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, data, length) != ARCHIVE_OK)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE, _("%s: not a readable .keras archive: %s"),
                   display_name, archive_error_string (archive));
      archive_read_free (archive);
      return NULL;
    }
  while ((status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      if (g_strcmp0 (archive_entry_pathname (entry), "config.json") != 0)
        continue;
      /* A config bigger than this is not a model's. */
      if (archive_entry_size_is_set (entry) && archive_entry_size (entry) > (1 << 28))
        break;
      config = g_byte_array_new ();
      for (;;)
        {
          guint8 buffer[16384];
          la_ssize_t n = archive_read_data (archive, buffer, sizeof buffer);

          if (n < 0)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_PARSE, _("%s: config.json cannot be read: %s"),
                           display_name, archive_error_string (archive));
              archive_read_free (archive);
              return NULL;
            }
          if (n == 0)
            break;
          if (config->len + (gsize) n > (1 << 28))
            {
              g_set_error (error, NS_ERROR, NS_ERROR_PARSE, _("%s: config.json is too large"), display_name);
              archive_read_free (archive);
              return NULL;
            }
          g_byte_array_append (config, buffer, n);
        }
      break;
    }
  if (config == NULL)
    {
      if (status != ARCHIVE_OK && status != ARCHIVE_EOF)
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE, _("%s: not a readable .keras archive: %s"),
                     display_name, archive_error_string (archive));
      else
        g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                     _("%s: a zip archive without config.json is not a .keras model"), display_name);
      archive_read_free (archive);
      return NULL;
    }
  archive_read_free (archive);
  inner_name = g_strdup_printf ("%s/config.json", display_name);
  graph = ns_keras_import_from_data ((const char *) config->data, config->len, inner_name, NULL, error);
  return graph;
}

NsGraph *
ns_model_load (GFile         *file,
               const char    *display_name,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = basename = g_file_get_basename (file);

  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    {
      /* GIO's own wording repeats the full path; say it once, our way. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("%s: no such file"), display_name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     _("%s: is a folder, not a model file"), display_name);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (length >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return load_keras_archive (data, length, display_name, error);
  {
    g_autoptr(GFile) base_dir = g_file_get_parent (file);

    return ns_model_load_from_data_in (data, length, display_name, base_dir, error);
  }
}
