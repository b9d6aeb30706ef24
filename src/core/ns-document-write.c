/* ns-document-write.c: saving the .netsketch format: canonical, stable JSON,
 * written atomically. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-document-private.h"

static void
write_indent (GString *out,
              guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double; integral values keep
 * a ".0" unless @integral_as_int, so a real stays a real across a round trip. */
static void
write_double (GString  *out,
              double    value,
              gboolean  integral_as_int)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_ascii_formatd (buffer, sizeof buffer, integral_as_int ? "%.0f" : "%.1f", value);
      g_string_append (out, strcmp (buffer, "-0") == 0 ? "0" : buffer);
      return;
    }
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static gboolean
is_scalar (JsonNode *node)
{
  return !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node);
}

static void write_node (GString  *out,
                        JsonNode *node,
                        guint     depth);

/* Members are written with the separator before them, so that the last one
 * needs no look-ahead: ",\n" after the first, "\n" before it. */
static void
write_member (GString    *out,
              const char *key,
              JsonNode   *node,
              guint       depth,
              gboolean    first)
{
  g_string_append (out, first ? "\n" : ",\n");
  write_indent (out, depth);
  write_string (out, key);
  g_string_append (out, ": ");
  write_node (out, node, depth);
}

/* Lists of scalars stay on one line ([128, 128, 3]); everything else is one
 * member or element per line. */
static void
write_node (GString  *out,
            JsonNode *node,
            guint     depth)
{
  if (JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null");
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        write_double (out, json_node_get_double (node), FALSE);
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        write_string (out, json_node_get_string (node));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      gboolean flat = TRUE;

      for (guint i = 0; i < n; i++)
        flat = flat && is_scalar (json_array_get_element (array, i));
      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (flat)
            g_string_append (out, i > 0 ? ", " : "");
          else
            {
              g_string_append (out, i > 0 ? ",\n" : "\n");
              write_indent (out, depth + 1);
            }
          write_node (out, json_array_get_element (array, i), depth + 1);
        }
      if (!flat && n > 0)
        {
          g_string_append_c (out, '\n');
          write_indent (out, depth);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        write_member (out, l->data, json_object_get_member (object, l->data),
                      depth + 1, l == members);
      if (members != NULL)
        {
          g_string_append_c (out, '\n');
          write_indent (out, depth);
        }
      g_string_append_c (out, '}');
    }
}

/* The unknown members kept in @extra (but @skip), after members already written. */
static void
write_extra (GString    *out,
             JsonObject *extra,
             const char *skip,
             guint       depth)
{
  g_autoptr(GList) members = extra ? json_object_get_members (extra) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (skip == NULL || !g_str_equal (l->data, skip))
      write_member (out, l->data, json_object_get_member (extra, l->data), depth, FALSE);
}

static void
write_layer (GString *out,
             NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsValue *values = ns_layer_get_values (layer);
  JsonObject *extra = ns_layer_get_extra (layer);
  JsonObject *extra_config = NULL;
  double x, y;

  if (extra != NULL && json_object_has_member (extra, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (extra, "config")))
    extra_config = json_object_get_object_member (extra, "config");

  ns_layer_get_position (layer, &x, &y);
  g_string_append (out, "    {\n      \"id\": ");
  write_string (out, ns_layer_get_id (layer));
  g_string_append (out, ",\n      \"type\": ");
  write_string (out, type->keras_class);
  g_string_append (out, ",\n      \"name\": ");
  write_string (out, ns_layer_get_name (layer));
  g_string_append (out, ",\n      \"position\": [");
  write_double (out, x, TRUE);
  g_string_append (out, ", ");
  write_double (out, y, TRUE);
  g_string_append (out, "],\n      \"config\": {");

  for (guint i = 0; i < type->n_props; i++)
    {
      g_autoptr(JsonNode) node = ns_value_to_json (&type->props[i], &values[i]);
      write_member (out, type->props[i].key, node, 4, i == 0);
    }
  if (extra_config != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra_config);

      for (GList *l = members; l != NULL; l = l->next)
        write_member (out, l->data, json_object_get_member (extra_config, l->data), 4,
                      type->n_props == 0 && l == members);
    }
  if (type->n_props > 0 || (extra_config != NULL && json_object_get_size (extra_config) > 0))
    g_string_append (out, "\n      }");
  else
    g_string_append_c (out, '}');

  write_extra (out, extra, "config", 3);
  g_string_append (out, "\n    }");
}

char *
ns_document_to_data (NsGraph *graph,
                     gsize   *length)
{
  GListModel *model = G_LIST_MODEL (graph);
  JsonObject *extra = g_object_get_data (G_OBJECT (graph), NS_DOCUMENT_GRAPH_EXTRA_KEY);
  guint n_layers = g_list_model_get_n_items (model);
  gboolean any_connection = FALSE;
  GString *out;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  out = g_string_new ("{\n  \"format\": ");
  write_string (out, NS_DOCUMENT_FORMAT);
  g_string_append_printf (out, ",\n  \"version\": %d,\n  \"name\": ", NS_DOCUMENT_VERSION);
  write_string (out, ns_graph_get_name (graph) ? ns_graph_get_name (graph) : "");

  g_string_append (out, ",\n  \"layers\": [");
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      g_string_append (out, i > 0 ? ",\n" : "\n");
      write_layer (out, layer);
    }
  g_string_append (out, n_layers > 0 ? "\n  ],\n" : "],\n");

  /* By target in layer order, then by port: the order a reader expects. */
  g_string_append (out, "  \"connections\": [");
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *source = ns_layer_get_input (layer, port);

          if (source == NULL)
            continue;
          g_string_append (out, any_connection ? ",\n    {\"from\": " : "\n    {\"from\": ");
          write_string (out, ns_layer_get_id (source));
          g_string_append (out, ", \"to\": ");
          write_string (out, ns_layer_get_id (layer));
          g_string_append_printf (out, ", \"port\": %u}", port);
          any_connection = TRUE;
        }
    }
  g_string_append (out, any_connection ? "\n  ]" : "]");

  write_extra (out, extra, NULL, 1);
  g_string_append (out, "\n}\n");

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
ns_document_save (NsGraph       *graph,
                  GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = ns_document_to_data (graph, &length);
  /* GIO writes a temporary file beside the old one and renames it over it
   * once complete, so a crash or a full disk never leaves half a document. */
  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, cancellable, error);
}
