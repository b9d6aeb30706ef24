/* ns-document-write.c: saving the .netsketch format: canonical, stable JSON,
 * written atomically. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-atomic-write.h"
#include "ns-document-private.h"

void
ns_document_append_indent (GString *out,
                           guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

void
ns_document_append_string (GString    *out,
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

/* `"key": ` at @depth, for a member whose value follows. */
void
ns_document_append_key (GString    *out,
                        guint       depth,
                        const char *key)
{
  ns_document_append_indent (out, depth);
  ns_document_append_string (out, key);
  g_string_append (out, ": ");
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
  ns_append_shortest_double (out, value);
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
  ns_document_append_key (out, depth, key);
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
        ns_document_append_string (out, json_node_get_string (node));
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
              ns_document_append_indent (out, depth + 1);
            }
          write_node (out, json_array_get_element (array, i), depth + 1);
        }
      if (!flat && n > 0)
        {
          g_string_append_c (out, '\n');
          ns_document_append_indent (out, depth);
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
          ns_document_append_indent (out, depth);
        }
      g_string_append_c (out, '}');
    }
}

/* The unknown members kept in @extra, after the members already written;
 * keys Netsketch writes itself are skipped, so that an importer's extra can
 * never make a key appear twice. */
static void
write_extra (GString           *out,
             JsonObject        *extra,
             const char *const *skip,
             guint              depth)
{
  g_autoptr(GList) members = extra ? json_object_get_members (extra) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (skip, l->data))
      write_member (out, l->data, json_object_get_member (extra, l->data), depth, FALSE);
}

static void write_graph_members (GString  *out,
                                 NsGraph  *graph,
                                 guint     depth,
                                 gboolean  first);

/* A ["n1", "n2"] list of layer ids. */
static void
write_id_list (GString    *out,
               const char *key,
               GPtrArray  *layers,
               guint       depth)
{
  g_string_append (out, ",\n");
  ns_document_append_key (out, depth, key);
  g_string_append_c (out, '[');
  for (guint i = 0; i < layers->len; i++)
    {
      g_string_append (out, i > 0 ? ", " : "");
      ns_document_append_string (out, ns_layer_get_id (g_ptr_array_index (layers, i)));
    }
  g_string_append_c (out, ']');
}

/* The layer object itself sits at @depth, its members one deeper. */
static void
write_layer (GString *out,
             NsLayer *layer,
             guint    depth)
{
  static const char *const written[] = { "id", "type", "name", "position", "config", "trainable",
                                         "shares_weights_of", "model", "weights", NULL };
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsValue *values = ns_layer_get_values (layer);
  JsonObject *extra = ns_layer_get_extra (layer);
  JsonObject *extra_config = NULL;
  NsGraph *subgraph = ns_layer_get_subgraph (layer);
  GPtrArray *weights = ns_layer_get_weights (layer);
  double x, y;

  if (extra != NULL && json_object_has_member (extra, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (extra, "config")))
    extra_config = json_object_get_object_member (extra, "config");

  ns_layer_get_position (layer, &x, &y);
  ns_document_append_indent (out, depth);
  g_string_append (out, "{\n");
  ns_document_append_key (out, depth + 1, "id");
  ns_document_append_string (out, ns_layer_get_id (layer));
  g_string_append (out, ",\n");
  ns_document_append_key (out, depth + 1, "type");
  ns_document_append_string (out, type->keras_class);
  g_string_append (out, ",\n");
  ns_document_append_key (out, depth + 1, "name");
  ns_document_append_string (out, ns_layer_get_name (layer));
  g_string_append (out, ",\n");
  ns_document_append_key (out, depth + 1, "position");
  g_string_append_c (out, '[');
  write_double (out, x, TRUE);
  g_string_append (out, ", ");
  write_double (out, y, TRUE);
  g_string_append (out, "],\n");
  ns_document_append_key (out, depth + 1, "config");
  g_string_append_c (out, '{');

  for (guint i = 0; i < type->n_props; i++)
    {
      g_autoptr(JsonNode) node = ns_value_to_json (&type->props[i], &values[i]);
      write_member (out, type->props[i].key, node, depth + 2, i == 0);
    }
  if (extra_config != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra_config);

      for (GList *l = members; l != NULL; l = l->next)
        if (ns_layer_type_find_prop (type, l->data) < 0)  /* written above; a key twice would not load */
          write_member (out, l->data, json_object_get_member (extra_config, l->data), depth + 2,
                        type->n_props == 0 && l == members);
    }
  if (type->n_props > 0 || (extra_config != NULL && json_object_get_size (extra_config) > 0))
    {
      g_string_append_c (out, '\n');
      ns_document_append_indent (out, depth + 1);
    }
  g_string_append_c (out, '}');

  /* Written only when they differ from a plain layer's, so documents stay as they were. */
  if (!ns_layer_get_trainable (layer))
    {
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 1, "trainable");
      g_string_append (out, "false");
    }
  if (ns_layer_get_weights_owner (layer) != NULL)
    {
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 1, "shares_weights_of");
      ns_document_append_string (out, ns_layer_get_id (ns_layer_get_weights_owner (layer)));
    }
  if (subgraph != NULL)
    {
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 1, "model");
      g_string_append_c (out, '{');
      write_graph_members (out, subgraph, depth + 2, TRUE);
      g_string_append_c (out, '\n');
      ns_document_append_indent (out, depth + 1);
      g_string_append_c (out, '}');
    }
  if (weights != NULL)
    {
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth + 1, "weights");
      ns_document_write_weights (out, weights, depth + 1);
    }

  write_extra (out, extra, written, depth + 1);
  g_string_append_c (out, '\n');
  ns_document_append_indent (out, depth);
  g_string_append_c (out, '}');
}

/* What a graph and a nested model share: name, model class, layers,
 * connections, inputs and outputs, and the keys kept from the file; the
 * members sit at @depth. */
static void
write_graph_members (GString  *out,
                     NsGraph  *graph,
                     guint     depth,
                     gboolean  first)
{
  static const char *const written[] = { "format", "version", "name", "model_class", "layers",
                                         "connections", "inputs", "outputs", NULL };
  GListModel *model = G_LIST_MODEL (graph);
  JsonObject *extra = g_object_get_data (G_OBJECT (graph), NS_DOCUMENT_GRAPH_EXTRA_KEY);
  const char *model_class = ns_graph_get_model_class (graph);
  guint n_layers = g_list_model_get_n_items (model);
  gboolean any_connection = FALSE;

  g_string_append (out, first ? "\n" : ",\n");
  ns_document_append_key (out, depth, "name");
  ns_document_append_string (out, ns_graph_get_name (graph) ? ns_graph_get_name (graph) : "");

  /* Only what differs from the default, so designed networks' files stay as they were. */
  if (model_class != NULL && !g_str_equal (model_class, "Functional"))
    {
      g_string_append (out, ",\n");
      ns_document_append_key (out, depth, "model_class");
      ns_document_append_string (out, model_class);
    }

  g_string_append (out, ",\n");
  ns_document_append_key (out, depth, "layers");
  g_string_append_c (out, '[');
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      g_string_append (out, i > 0 ? ",\n" : "\n");
      write_layer (out, layer, depth + 1);
    }
  if (n_layers > 0)
    {
      g_string_append_c (out, '\n');
      ns_document_append_indent (out, depth);
    }
  g_string_append (out, "],\n");

  /* By target in layer order, then by port: the order a reader expects. */
  ns_document_append_key (out, depth, "connections");
  g_string_append_c (out, '[');
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *source = ns_layer_get_input (layer, port);

          if (source == NULL)
            continue;
          g_string_append (out, any_connection ? ",\n" : "\n");
          ns_document_append_indent (out, depth + 1);
          g_string_append (out, "{\"from\": ");
          ns_document_append_string (out, ns_layer_get_id (source));
          g_string_append (out, ", \"to\": ");
          ns_document_append_string (out, ns_layer_get_id (layer));
          g_string_append_printf (out, ", \"port\": %u}", port);
          any_connection = TRUE;
        }
    }
  if (any_connection)
    {
      g_string_append_c (out, '\n');
      ns_document_append_indent (out, depth);
    }
  g_string_append_c (out, ']');

  if (ns_graph_has_explicit_io (graph))
    {
      g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
      g_autoptr(GPtrArray) outputs = ns_graph_get_outputs (graph);

      write_id_list (out, "inputs", inputs, depth);
      write_id_list (out, "outputs", outputs, depth);
    }

  write_extra (out, extra, written, depth);
}

char *
ns_document_to_data (NsGraph *graph,
                     gsize   *length)
{
  GString *out;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  /* Sized up front: weights make documents of hundreds of megabytes, which
   * doubling the buffer would copy again and again. */
  out = g_string_sized_new (4096 + 512 * g_list_model_get_n_items (G_LIST_MODEL (graph)) +
                            ns_document_weights_text_size (graph));
  g_string_append (out, "{\n  \"format\": ");
  ns_document_append_string (out, NS_DOCUMENT_FORMAT);
  g_string_append_printf (out, ",\n  \"version\": %d", NS_DOCUMENT_VERSION);
  write_graph_members (out, graph, 1, FALSE);
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
  /* A temporary file renamed over the old one once complete, so a crash or
   * a full disk never leaves half a document. */
  return ns_atomic_write (file, data, length, cancellable, error);
}
