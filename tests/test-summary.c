/* test-summary.c: the article's network summarised as text, JSON and Markdown. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "ns-summary.h"
#include "test-helpers.h"

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "summary", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* ---- Text ---------------------------------------------------------------- */

static void
test_text_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_TEXT);
  g_autofree char *expected = read_fixture ("article.txt");

  g_assert_cmpstr (text, ==, expected);
}

/* Where @needle starts in the first line of @text that contains it, in bytes. */
static gssize
column_of (const char *text,
           const char *needle)
{
  const char *found = strstr (text, needle);
  const char *line_start;

  if (found == NULL)
    return -1;
  for (line_start = found; line_start > text && line_start[-1] != '\n'; line_start--)
    ;
  return found - line_start;
}

static void
test_text_long_name (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  const char *long_name = "a_convolution_with_a_name_longer_than_the_column";
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *long_cell = g_strdup_printf ("%s (Conv2D)", long_name);
  g_autofree char *bn_connection = g_strdup_printf ("['%s[0][0]']", long_name);
  g_auto(GStrv) lines = NULL;
  gssize shape_col, params_col, connected_col;

  g_assert_true (ns_graph_rename_layer (graph, con1, long_name, &error));
  g_assert_no_error (error);
  text = ns_summary_format (graph, NS_SUMMARY_TEXT);

  /* The columns move right so that every row still lines up. */
  shape_col = column_of (text, "Output Shape");
  params_col = column_of (text, "Param #");
  connected_col = column_of (text, "Connected to");
  g_assert_cmpint (shape_col, ==, 1 + strlen (long_cell) + 2);
  g_assert_cmpint (column_of (text, long_cell), ==, 1);
  g_assert_cmpint (column_of (text, "(None, 128, 128, 64)"), ==, shape_col);
  g_assert_cmpint (column_of (text, "1,792"), ==, params_col);
  g_assert_cmpint (column_of (text, "['input_1[0][0]']"), ==, connected_col);
  g_assert_cmpint (params_col - shape_col, ==, 26);
  g_assert_cmpint (connected_col - params_col, ==, 10);

  /* Every line of the table is padded to the same length, as Keras pads it. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Total") || g_str_has_prefix (lines[i], "Trainable") ||
          g_str_has_prefix (lines[i], "Non-trainable"))
        continue;
      g_assert_cmpuint (strlen (lines[i]), ==, strlen (lines[1]));
    }

  /* The BN row names the renamed layer as its input. */
  g_assert_nonnull (strstr (text, bn_connection));
}

/* A Concatenate of 128×128 and 64×64 inputs: an error, and the layers
 * downstream wait on it; the totals still print what is known. */
static NsGraph *
build_broken_graph (void)
{
  NsGraph *graph = test_build_article ();
  NsLayer *mer1 = ns_graph_find_by_name (graph, "mer1");
  NsLayer *pool1 = ns_graph_find_by_name (graph, "pool1");

  g_assert_true (ns_graph_disconnect (graph, mer1, 1));
  test_connect (graph, pool1, mer1, 1);
  g_assert_cmpint (ns_layer_get_info (mer1)->state, ==, NS_LAYER_ERROR);
  return graph;
}

static void
test_text_errors (void)
{
  g_autoptr(NsGraph) graph = build_broken_graph ();
  NsLayer *mer1 = ns_graph_find_by_name (graph, "mer1");
  NsLayer *mer2 = ns_graph_find_by_name (graph, "mer2");
  const NsLayerInfo *info = ns_layer_get_info (mer1);
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_TEXT);
  g_autofree char *error_start = NULL;

  g_assert_cmpint (ns_layer_get_info (mer2)->state, ==, NS_LAYER_WAITING);

  /* The message's first words sit in the shape column of mer1's row. */
  error_start = g_strdup_printf ("error: %.*s", 10, info->message);
  g_assert_cmpint (column_of (text, error_start), ==, column_of (text, "Output Shape"));
  g_assert_cmpint (column_of (text, ns_layer_get_info (mer2)->message), ==,
                   column_of (text, "Output Shape"));

  /* What is known still counts: everything up to pool1 and up1. */
  g_assert_nonnull (strstr (text, "\nTotal params: 2,048\n"));
  g_assert_nonnull (strstr (text, "\nTrainable params: 1,920\n"));
  g_assert_nonnull (strstr (text, "\nNon-trainable params: 128\n"));
  g_assert_nonnull (strstr (text, "\nLayers with errors: 1\n"));
  g_assert_nonnull (strstr (text, "\nLayers waiting on them: 3\n"));
  g_assert_true (g_str_has_suffix (text, "_\n"));
}

/* ---- JSON ---------------------------------------------------------------- */

/* The seed fixture's figures (fixtures/keras/seed/expected.json, read from
 * TensorFlow.js): name, class, output shape, params split, inbound layers. */
static const struct {
  const char *name;
  const char *type;
  gint64      shape[3];
  gint64      params, trainable, non_trainable;
  gint64      macs;
  const char *inputs;
} seed_layers[] = {
  { "input_1", "InputLayer", { 128, 128, 3 }, 0, 0, 0, 0, "" },
  { "con1", "Conv2D", { 128, 128, 64 }, 1792, 1792, 0, 28311552, "input_1" },
  { "batch_normalization", "BatchNormalization", { 128, 128, 64 }, 256, 128, 128, 0, "con1" },
  { "activation", "Activation", { 128, 128, 64 }, 0, 0, 0, 0, "batch_normalization" },
  { "pool1", "MaxPooling2D", { 64, 64, 64 }, 0, 0, 0, 0, "activation" },
  { "up1", "UpSampling2D", { 128, 128, 64 }, 0, 0, 0, 0, "pool1" },
  { "mer1", "Concatenate", { 128, 128, 128 }, 0, 0, 0, 0, "activation,up1" },
  { "deconv1", "Conv2DTranspose", { 128, 128, 64 }, 73792, 73792, 0, 1207959552, "mer1" },
  { "score1", "Conv2DTranspose", { 128, 128, 21 }, 12117, 12117, 0, 198180864, "deconv1" },
  { "mer2", "Concatenate", { 128, 128, 85 }, 0, 0, 0, 0, "deconv1,score1" },
};

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
member_names (JsonObject *object)
{
  g_autoptr(GList) names = json_object_get_members (object);
  GString *s = g_string_new (NULL);

  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", (const char *) l->data);
  return g_string_free (s, FALSE);
}

static char *
join_strings (JsonArray *array)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "," : "", json_array_get_string_element (array, i));
  return g_string_free (s, FALSE);
}

static void
test_json_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_JSON);
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *object = json_node_get_object (root);
  JsonArray *layers = json_object_get_array_member (object, "layers");
  g_autofree char *top_keys = member_names (object);

  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_assert_cmpstr (top_keys, ==,
                   "model_name,layers,total_params,trainable_params,non_trainable_params,total_macs");
  g_assert_cmpstr (json_object_get_string_member (object, "model_name"), ==, "model");
  g_assert_cmpint (json_object_get_int_member (object, "total_params"), ==, 87957);
  g_assert_cmpint (json_object_get_int_member (object, "trainable_params"), ==, 87829);
  g_assert_cmpint (json_object_get_int_member (object, "non_trainable_params"), ==, 128);
  g_assert_cmpint (json_object_get_int_member (object, "total_macs"), ==, 1434451968);

  g_assert_cmpuint (json_array_get_length (layers), ==, G_N_ELEMENTS (seed_layers));
  for (guint i = 0; i < G_N_ELEMENTS (seed_layers); i++)
    {
      JsonObject *layer = json_array_get_object_element (layers, i);
      JsonArray *shape = json_object_get_array_member (layer, "output_shape");
      g_autofree char *keys = member_names (layer);
      g_autofree char *inputs = join_strings (json_object_get_array_member (layer, "inputs"));

      g_test_message ("layer %s", seed_layers[i].name);
      g_assert_cmpstr (keys, ==,
                       "name,type,output_shape,params,trainable_params,non_trainable_params,macs,inputs");
      g_assert_cmpstr (json_object_get_string_member (layer, "name"), ==, seed_layers[i].name);
      g_assert_cmpstr (json_object_get_string_member (layer, "type"), ==, seed_layers[i].type);
      g_assert_cmpuint (json_array_get_length (shape), ==, 4);
      g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (shape, 0)));
      for (guint d = 0; d < 3; d++)
        g_assert_cmpint (json_array_get_int_element (shape, d + 1), ==, seed_layers[i].shape[d]);
      g_assert_cmpint (json_object_get_int_member (layer, "params"), ==, seed_layers[i].params);
      g_assert_cmpint (json_object_get_int_member (layer, "trainable_params"), ==, seed_layers[i].trainable);
      g_assert_cmpint (json_object_get_int_member (layer, "non_trainable_params"), ==,
                       seed_layers[i].non_trainable);
      g_assert_cmpint (json_object_get_int_member (layer, "macs"), ==, seed_layers[i].macs);
      g_assert_cmpstr (inputs, ==, seed_layers[i].inputs);
    }
}

static void
test_json_errors (void)
{
  g_autoptr(NsGraph) graph = build_broken_graph ();
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_JSON);
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *object = json_node_get_object (root);
  JsonArray *layers = json_object_get_array_member (object, "layers");

  g_assert_cmpint (json_object_get_int_member (object, "total_params"), ==, 2048);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *layer = json_array_get_object_element (layers, i);
      const char *name = json_object_get_string_member (layer, "name");
      NsLayer *ns_layer = ns_graph_find_by_name (graph, name);
      const NsLayerInfo *info = ns_layer_get_info (ns_layer);

      if (info->state == NS_LAYER_OK)
        {
          g_assert_false (json_object_has_member (layer, "error"));
          g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (layer, "output_shape")));
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (layer, "error"), ==, info->message);
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (layer, "output_shape")));
        }
    }
}

/* ---- Markdown ------------------------------------------------------------ */

static void
test_markdown_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_MARKDOWN);
  g_autofree char *expected = read_fixture ("article.md");

  g_assert_cmpstr (text, ==, expected);
}

static void
test_markdown_escapes (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autofree char *text = NULL;

  ns_graph_set_name (graph, "a|b");
  text = ns_summary_format (graph, NS_SUMMARY_MARKDOWN);
  g_assert_true (g_str_has_prefix (text, "**Model:** a\\|b\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/summary/text/article", test_text_article);
  g_test_add_func ("/summary/text/long-name", test_text_long_name);
  g_test_add_func ("/summary/text/errors", test_text_errors);
  g_test_add_func ("/summary/json/article", test_json_article);
  g_test_add_func ("/summary/json/errors", test_json_errors);
  g_test_add_func ("/summary/markdown/article", test_markdown_article);
  g_test_add_func ("/summary/markdown/escapes", test_markdown_escapes);

  return g_test_run ();
}
