/* ns-code-export-keras.c: Python code rebuilding a graph with Keras' functional
 * API, written from the Keras 3 export so that configs stay the declared ones. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ns-code-export.h"
#include "ns-keras-export.h"

char *
ns_code_class_name (const char *model_name)
{
  GString *name = g_string_new (NULL);
  gboolean upper = TRUE;

  for (const char *p = model_name != NULL ? model_name : ""; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          upper = TRUE;
          continue;
        }
      g_string_append_c (name, upper ? g_ascii_toupper (*p) : *p);
      upper = FALSE;
    }
  if (name->len == 0 || g_ascii_isdigit (name->str[0]))
    g_string_prepend (name, "Model");
  return g_string_free (name, FALSE);
}

char *
ns_code_identifier (const char *layer_name)
{
  static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield", "x", "self", "torch", "nn", "F", "keras", "layers", "model",
  };
  GString *name = g_string_new (NULL);

  for (const char *p = layer_name; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '_' ? *p : '_');
  if (name->len == 0 || g_ascii_isdigit (name->str[0]))
    g_string_prepend (name, "l_");
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (g_str_equal (name->str, keywords[i]))
      {
        g_string_append_c (name, '_');
        break;
      }
  return g_string_free (name, FALSE);
}

/* A JSON value as a Python literal: null → None, true → True. */
static void
append_python (GString  *out,
               JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "None");
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "True" : "False");
      else if (type == G_TYPE_DOUBLE)
        {
          double value = json_node_get_double (node);
          gsize start = out->len;

          /* Shortest text that reads back the same, as Python's repr. */
          ns_append_shortest_double (out, value);
          if (isfinite (value) && strpbrk (out->str + start, ".e") == NULL)
            g_string_append (out, ".0");
        }
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_string_append (out, i > 0 ? ", " : "");
          append_python (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
          g_autofree char *key_text = json_to_string (key, FALSE);

          g_string_append_printf (out, "%s%s: ", l == members ? "" : ", ", key_text);
          append_python (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
    }
}

/* The tensors a Keras 3 entry reads, as Python variable names. */
static void
append_call_args (GString    *out,
                  JsonObject *entry)
{
  JsonArray *nodes = json_object_get_array_member (entry, "inbound_nodes");
  JsonArray *args = json_object_get_array_member (json_array_get_object_element (nodes, 0), "args");
  JsonNode *first = json_array_get_element (args, 0);
  JsonArray *tensors;
  gboolean list = JSON_NODE_HOLDS_ARRAY (first);

  tensors = list ? json_node_get_array (first) : args;
  g_string_append (out, list ? "([" : "(");
  for (guint i = 0; i < json_array_get_length (tensors); i++)
    {
      JsonObject *tensor = json_array_get_object_element (tensors, i);
      JsonArray *history = json_object_get_array_member (json_object_get_object_member (tensor, "config"),
                                                         "keras_history");
      g_autofree char *var = ns_code_identifier (json_array_get_string_element (history, 0));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", var);
    }
  g_string_append (out, list ? "])" : ")");
}

static void
append_endpoints (GString    *out,
                  JsonObject *config,
                  const char *key)
{
  JsonArray *refs = json_object_get_array_member (config, key);

  g_string_append_c (out, '[');
  for (guint i = 0; i < json_array_get_length (refs); i++)
    {
      JsonArray *ref = json_array_get_array_element (refs, i);
      g_autofree char *var = ns_code_identifier (json_array_get_string_element (ref, 0));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", var);
    }
  g_string_append_c (out, ']');
}

char *
ns_code_export_keras_py (NsGraph  *graph,
                         GError  **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *config;
  JsonArray *entries;
  GString *out;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  /* The functional layout even for a Sequential: one way of writing calls. */
  root = ns_keras_export_functional (graph, NS_KERAS_LAYOUT_KERAS_3, error);
  if (root == NULL)
    return NULL;
  config = json_object_get_object_member (json_node_get_object (root), "config");
  entries = json_object_get_array_member (config, "layers");

  out = g_string_new (NULL);
  g_string_append_printf (out, "# Generated by Netsketch %s: the model “%s” in Keras’ functional API.\n",
                          PACKAGE_VERSION, json_object_get_string_member (config, "name"));
  g_string_append (out, "# Tensors are channels-last (NHWC), as in Keras.\n"
                        "import keras\n"
                        "from keras import layers\n\n");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *class_name = json_object_get_string_member (entry, "class_name");
      JsonObject *layer_config = json_object_get_object_member (entry, "config");
      g_autofree char *var = ns_code_identifier (json_object_get_string_member (entry, "name"));

      if (g_str_equal (class_name, "InputLayer"))
        {
          JsonArray *shape = json_object_get_array_member (layer_config, "batch_shape");
          g_autoptr(JsonArray) dims = json_array_new ();
          g_autoptr(JsonNode) dims_node = json_node_new (JSON_NODE_ARRAY);

          for (guint d = 1; d < json_array_get_length (shape); d++)
            json_array_add_element (dims, json_node_copy (json_array_get_element (shape, d)));
          json_node_set_array (dims_node, dims);
          g_string_append_printf (out, "%s = keras.Input(shape=", var);
          append_python (out, dims_node);
          g_string_append_printf (out, ", name=\"%s\")\n", json_object_get_string_member (entry, "name"));
          continue;
        }

      json_object_remove_member (layer_config, "dtype");
      if (g_str_equal (json_object_get_string_member (entry, "module"), "keras.layers") &&
          ns_layer_types_lookup (class_name) != NULL)
        {
          GList *members = json_object_get_members (layer_config);
          g_string_append_printf (out, "%s = layers.%s(", var, class_name);
          for (GList *l = members; l != NULL; l = l->next)
            {
              g_string_append_printf (out, "%s%s=", l == members ? "" : ", ", (char *) l->data);
              append_python (out, json_object_get_member (layer_config, l->data));
            }
          g_list_free (members);
          g_string_append_c (out, ')');
        }
      else
        {
          /* Nested models and classes only Keras knows: rebuilt from their config. */
          g_autoptr(JsonNode) entry_node = json_node_init_object (json_node_alloc (), entry);

          JsonNode *inbound = json_node_ref (json_object_get_member (entry, "inbound_nodes"));

          json_object_remove_member (entry, "inbound_nodes");
          g_string_append_printf (out, "%s = keras.saving.deserialize_keras_object(", var);
          append_python (out, entry_node);
          g_string_append_c (out, ')');
          json_object_set_member (entry, "inbound_nodes", inbound);
        }
      append_call_args (out, entry);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "\nmodel = keras.Model(inputs=");
  append_endpoints (out, config, "input_layers");
  g_string_append (out, ", outputs=");
  append_endpoints (out, config, "output_layers");
  g_string_append_printf (out, ", name=\"%s\")\n", json_object_get_string_member (config, "name"));
  return g_string_free (out, FALSE);
}
