/* ns-model-io.c: one entry point for loading models, dispatching on the file's content. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-document.h"
#include "ns-model-io.h"

/* A format Netsketch can recognise. @load is NULL while it can only be
 * recognised, not read: the Keras and TensorFlow.js importers plug in here. */
typedef struct {
  NsModelFormat format;
  NsGraph    *(*load) (const char  *data,
                       gssize       length,
                       JsonNode    *root,
                       const char  *display_name,
                       GError     **error);
} NsModelImporter;

static NsGraph *
load_netsketch (const char  *data,
                gssize       length,
                JsonNode    *root,
                const char  *display_name,
                GError     **error)
{
  return ns_document_load_from_data (data, length, display_name, error);
}

static const NsModelImporter importers[] = {
  { NS_MODEL_FORMAT_NETSKETCH, load_netsketch },
  { NS_MODEL_FORMAT_KERAS,     NULL },
  { NS_MODEL_FORMAT_TFJS,      NULL },
};

NsModelFormat
ns_model_detect_format (JsonNode *root)
{
  JsonObject *object;
  JsonNode *format;

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

static void
set_not_supported (GError        **error,
                   const char     *display_name,
                   NsModelFormat   format)
{
  if (format == NS_MODEL_FORMAT_KERAS)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("%s: this build of Netsketch cannot read Keras model files yet"),
                 display_name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("%s: this build of Netsketch cannot read TensorFlow.js models yet"),
                 display_name);
}

NsGraph *
ns_model_load_from_data (const char  *data,
                         gssize       length,
                         const char  *display_name,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  NsModelFormat format;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  if (!json_parser_load_from_data (parser, data, length, NULL))
    {
      /* The native loader words syntax errors with the file's line and
       * column; anything not even shaped like JSON is simply not a model. */
      if (looks_like_json (data, length))
        return ns_document_load_from_data (data, length, display_name, error);
      root = NULL;
    }
  else
    root = json_parser_get_root (parser);

  format = ns_model_detect_format (root);
  for (guint i = 0; i < G_N_ELEMENTS (importers); i++)
    {
      if (importers[i].format != format)
        continue;
      if (importers[i].load == NULL)
        {
          set_not_supported (error, display_name, format);
          return NULL;
        }
      return importers[i].load (data, length, root, display_name, error);
    }

  g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
               _("%s: not a Netsketch, Keras or TensorFlow.js model"), display_name);
  return NULL;
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

  return ns_model_load_from_data (data, length, display_name, error);
}
