/* test-document.c: the .netsketch format: examples, round trips, saving, and malformed input. */
#include "config.h"

#include <glib/gstdio.h>

#include "ns-document.h"

/* A small valid document that the malformed cases below change one thing in. */
static const char base_document[] =
  "{\n"
  "  \"format\": \"netsketch\",\n"
  "  \"version\": 1,\n"
  "  \"name\": \"t\",\n"
  "  \"layers\": [\n"
  "    {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"in\", \"position\": [0, 0], \"config\": {\"shape\": [8, 8, 3]}},\n"
  "    {\"id\": \"b\", \"type\": \"Conv2D\", \"name\": \"conv\", \"position\": [200, 0], \"config\": {\"filters\": 4}},\n"
  "    {\"id\": \"c\", \"type\": \"Conv2D\", \"name\": \"conv2\", \"position\": [400, 0], \"config\": {\"filters\": 4}}\n"
  "  ],\n"
  "  \"connections\": [\n"
  "    {\"from\": \"a\", \"to\": \"b\", \"port\": 0},\n"
  "    {\"from\": \"b\", \"to\": \"c\", \"port\": 0}\n"
  "  ]\n"
  "}\n";

static char *
example_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
}

static NsGraph *
load_example (const char *name)
{
  g_autofree char *path = example_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NsGraph *graph = ns_document_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

static void
assert_layer (NsGraph    *graph,
              const char *name,
              const char *shape,
              gint64      params)
{
  NsLayer *layer = ns_graph_find_by_name (graph, name);
  const NsLayerInfo *info;
  g_autofree char *text = NULL;

  g_assert_nonnull (layer);
  info = ns_layer_get_info (layer);
  g_assert_cmpint (info->state, ==, NS_LAYER_OK);
  text = ns_shape_to_keras (&info->output);
  g_assert_cmpstr (text, ==, shape);
  g_assert_cmpint (info->params, ==, params);
}

static void
assert_totals (NsGraph *graph,
               gint64   total,
               gint64   trainable,
               gint64   non_trainable)
{
  NsGraphTotals totals;

  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, total);
  g_assert_cmpint (totals.trainable_params, ==, trainable);
  g_assert_cmpint (totals.non_trainable_params, ==, non_trainable);
  g_assert_cmpuint (totals.n_errors, ==, 0);
}

static void
test_article (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  NsLayer *mer1 = ns_graph_find_by_name (graph, "mer1");
  double x, y;

  g_assert_cmpstr (ns_graph_get_name (graph), ==, "model");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 10);
  assert_totals (graph, 87957, 87829, 128);
  assert_layer (graph, "input_1", "(None, 128, 128, 3)", 0);
  assert_layer (graph, "con1", "(None, 128, 128, 64)", 1792);
  assert_layer (graph, "batch_normalization", "(None, 128, 128, 64)", 256);
  assert_layer (graph, "pool1", "(None, 64, 64, 64)", 0);
  assert_layer (graph, "up1", "(None, 128, 128, 64)", 0);
  assert_layer (graph, "mer1", "(None, 128, 128, 128)", 0);
  assert_layer (graph, "deconv1", "(None, 128, 128, 64)", 73792);
  assert_layer (graph, "score1", "(None, 128, 128, 21)", 12117);
  assert_layer (graph, "mer2", "(None, 128, 128, 85)", 0);
  g_assert_cmpint (ns_layer_get_info (ns_graph_find_by_name (graph, "batch_normalization"))
                   ->non_trainable_params, ==, 128);

  /* The merge inputs in Keras' order, and the skip wire drawn apart. */
  g_assert_cmpstr (ns_layer_get_name (ns_layer_get_input (mer1, 0)), ==, "activation");
  g_assert_cmpstr (ns_layer_get_name (ns_layer_get_input (mer1, 1)), ==, "up1");
  ns_layer_get_position (ns_graph_find_by_name (graph, "input_1"), &x, &y);
  g_assert_cmpfloat (x, ==, 40);
  g_assert_cmpfloat (y, ==, 80);
  ns_layer_get_position (ns_graph_find_by_name (graph, "up1"), &x, &y);
  g_assert_cmpfloat (y, ==, 200);
}

static void
test_vgg16 (void)
{
  g_autoptr(NsGraph) graph = load_example ("vgg16.netsketch");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 23);
  assert_totals (graph, 138357544, 138357544, 0);
  assert_layer (graph, "block1_conv1", "(None, 224, 224, 64)", 1792);
  assert_layer (graph, "block5_pool", "(None, 7, 7, 512)", 0);
  assert_layer (graph, "flatten", "(None, 25088)", 0);
  assert_layer (graph, "fc1", "(None, 4096)", 102764544);
  assert_layer (graph, "predictions", "(None, 1000)", 4097000);
}

static void
test_unet (void)
{
  g_autoptr(NsGraph) graph = load_example ("unet.netsketch");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 54);
  assert_totals (graph, 122089, 121385, 704);
  assert_layer (graph, "activation_7", "(None, 8, 8, 64)", 0);
  assert_layer (graph, "conv2d_transpose", "(None, 16, 16, 32)", 8224);
  assert_layer (graph, "concatenate", "(None, 16, 16, 64)", 0);
  assert_layer (graph, "concatenate_2", "(None, 64, 64, 16)", 0);
  assert_layer (graph, "conv2d_14", "(None, 64, 64, 1)", 9);
}

static char *
round_trip (const char *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_document_load_from_data (data, length, "rt.netsketch", &error);

  g_assert_no_error (error);
  return ns_document_to_data (graph, NULL);
}

/* Every example is stored exactly as Netsketch saves it, and stays so. */
static void
test_examples_canonical (void)
{
  const char *names[] = { "article.netsketch", "vgg16.netsketch", "unet.netsketch" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = example_path (names[i]);
      g_autofree char *contents = NULL;
      g_autofree char *first = NULL, *second = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      first = round_trip (contents, length);
      second = round_trip (first, strlen (first));
      g_assert_cmpstr (first, ==, contents);
      g_assert_cmpstr (second, ==, first);
    }
}

static const char extras_document[] =
  "{\"format\": \"netsketch\", \"version\": 1, \"name\": \"Réseau \\\"q\\\"\\n\",\n"
  " \"zeta\": {\"b\": [1, {\"c\": null}], \"a\": 2.5}, \"comment\": \"kept\",\n"
  " \"layers\": [\n"
  "  {\"id\": \"x\", \"type\": \"InputLayer\", \"name\": \"in\", \"position\": [10.25, -3],\n"
  "   \"config\": {\"shape\": [null, 16, 2]}, \"color\": \"#ff0000\", \"locked\": true},\n"
  "  {\"id\": \"y\", \"type\": \"Deconvolution2D\", \"name\": \"up\", \"position\": [1e3, 0.1],\n"
  "   \"config\": {\"filters\": 3, \"strides\": 2, \"kernel_constraint\": \"max_norm\",\n"
  "              \"future\": [1.0, 2]}},\n"
  "  {\"id\": \"z\", \"type\": \"Flatten\", \"name\": \"flat\", \"config\": {}},\n"
  "  {\"id\": \"w\", \"type\": \"Concatenate\", \"name\": \"cat\"}\n"
  " ],\n"
  " \"connections\": [{\"to\": \"w\", \"from\": \"y\", \"port\": 1, \"note\": 1},\n"
  "                 {\"from\": \"x\", \"to\": \"y\", \"port\": 0},\n"
  "                 {\"from\": \"x\", \"to\": \"w\", \"port\": 0}]\n"
  "}";

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_document_load_from_data (extras_document, -1, "x.netsketch", &error);
  g_autofree char *first = NULL, *second = NULL;
  NsLayer *in, *up, *cat;
  JsonObject *extra;
  double x, y;

  g_assert_no_error (error);
  g_assert_cmpstr (ns_graph_get_name (graph), ==, "Réseau \"q\"\n");
  in = ns_graph_find_by_id (graph, "x");
  up = ns_graph_find_by_id (graph, "y");
  cat = ns_graph_find_by_name (graph, "cat");

  /* Unknown layer keys and settings are kept, not lost. */
  extra = ns_layer_get_extra (in);
  g_assert_nonnull (extra);
  g_assert_cmpstr (json_object_get_string_member (extra, "color"), ==, "#ff0000");
  g_assert_true (json_object_get_boolean_member (extra, "locked"));
  extra = ns_layer_get_extra (up);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (extra, "config"),
                                                  "kernel_constraint"), ==, "max_norm");
  g_assert_null (ns_layer_get_extra (cat));

  /* The alias becomes the class; a single int fills a pair; ports fill in order. */
  g_assert_cmpstr (ns_layer_get_layer_type (up)->keras_class, ==, "Conv2DTranspose");
  g_assert_cmpint (ns_layer_get_value (up, "strides")->pair[1], ==, 2);
  g_assert_true (ns_layer_get_input (cat, 0) == in);
  g_assert_true (ns_layer_get_input (cat, 1) == up);
  ns_layer_get_position (in, &x, &y);
  g_assert_cmpfloat (x, ==, 10.25);
  g_assert_cmpfloat (y, ==, -3);
  ns_layer_get_position (ns_graph_find_by_id (graph, "z"), &x, &y);
  g_assert_cmpfloat (x, ==, 0);

  first = ns_document_to_data (graph, NULL);
  second = round_trip (first, strlen (first));
  g_assert_cmpstr (second, ==, first);

  g_assert_true (g_str_has_prefix (first,
    "{\n"
    "  \"format\": \"netsketch\",\n"
    "  \"version\": 1,\n"
    "  \"name\": \"Réseau \\\"q\\\"\\n\",\n"
    "  \"layers\": [\n"
    "    {\n"
    "      \"id\": \"x\",\n"
    "      \"type\": \"InputLayer\",\n"
    "      \"name\": \"in\",\n"
    "      \"position\": [10.25, -3],\n"
    "      \"config\": {\n"
    "        \"shape\": [null, 16, 2]\n"
    "      },\n"
    "      \"color\": \"#ff0000\",\n"
    "      \"locked\": true\n"
    "    },\n"));
  g_assert_nonnull (strstr (first, "      \"position\": [1000, 0.1],\n"));
  g_assert_nonnull (strstr (first, "        \"kernel_constraint\": \"max_norm\",\n"
                                   "        \"future\": [1.0, 2]\n"
                                   "      }\n"));
  g_assert_true (g_str_has_suffix (first,
    "  \"connections\": [\n"
    "    {\"from\": \"x\", \"to\": \"y\", \"port\": 0},\n"
    "    {\"from\": \"x\", \"to\": \"w\", \"port\": 0},\n"
    "    {\"from\": \"y\", \"to\": \"w\", \"port\": 1}\n"
    "  ],\n"
    "  \"zeta\": {\n"
    "    \"b\": [\n"
    "      1,\n"
    "      {\n"
    "        \"c\": null\n"
    "      }\n"
    "    ],\n"
    "    \"a\": 2.5\n"
    "  },\n"
    "  \"comment\": \"kept\"\n"
    "}\n"));
}

static void
test_byte_order_mark (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_strconcat ("\xef\xbb\xbf", base_document, NULL);
  g_autoptr(NsGraph) graph = ns_document_load_from_data (data, -1, "bom.netsketch", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 3);
}

static void
test_empty_graph (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autofree char *data = NULL;
  g_autofree char *again = NULL;

  ns_graph_set_name (graph, "empty");
  data = ns_document_to_data (graph, NULL);
  g_assert_cmpstr (data, ==,
                   "{\n  \"format\": \"netsketch\",\n  \"version\": 1,\n  \"name\": \"empty\",\n"
                   "  \"layers\": [],\n  \"connections\": []\n}\n");
  again = round_trip (data, strlen (data));
  g_assert_cmpstr (again, ==, data);
}

/* A size past int64 loads: it is the layer's own error, shown on the canvas. */
static void
test_overflow_is_layer_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) data = g_string_new (base_document);
  g_autoptr(NsGraph) graph = NULL;
  const NsLayerInfo *info;

  g_string_replace (data, "[8, 8, 3]", "[4294967296, 4294967296, 4294967296]", 1);
  graph = ns_document_load_from_data (data->str, data->len, "big.netsketch", &error);
  g_assert_no_error (error);
  info = ns_layer_get_info (ns_graph_find_by_name (graph, "in"));
  g_assert_cmpint (info->state, ==, NS_LAYER_ERROR);
  g_assert_nonnull (info->message);
  g_assert_cmpint (ns_layer_get_info (ns_graph_find_by_name (graph, "conv2"))->state,
                   ==, NS_LAYER_WAITING);
}

static char *
list_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_save_and_load (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  g_autoptr(NsGraph) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-doc-XXXXXX", &error);
  g_autofree char *path = NULL, *contents = NULL, *expected = NULL, *listing = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_assert_no_error (error);
  path = g_build_filename (dir, "net.netsketch", NULL);
  file = g_file_new_for_path (path);

  /* Replacing a file leaves the new document and nothing else behind. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (ns_document_save (graph, file, NULL, &error));
  g_assert_no_error (error);
  listing = list_directory (dir);
  g_assert_cmpstr (listing, ==, "net.netsketch");
  expected = ns_document_to_data (graph, NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);

  loaded = ns_document_load (file, NULL, &error);
  g_assert_no_error (error);
  assert_totals (loaded, 87957, 87829, 128);

  /* A save that does not complete keeps the old file whole. */
  g_cancellable_cancel (cancellable);
  ns_graph_set_name (graph, "changed");
  g_assert_false (ns_document_save (graph, file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
  g_clear_pointer (&listing, g_free);
  listing = list_directory (dir);
  g_assert_cmpstr (listing, ==, "net.netsketch");

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_save_fails (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-doc-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "net.netsketch", NULL);
  g_autofree char *readonly = g_build_filename (dir, "readonly", NULL);
  g_autofree char *in_readonly = g_build_filename (readonly, "net.netsketch", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(NsGraph) none = NULL;

  g_assert_no_error (error);
  g_assert_false (ns_document_save (graph, file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  listing = list_directory (dir);
  g_assert_cmpstr (listing, ==, "");

  /* Loading a file that is not there is a GIO error, not a crash. */
  none = ns_document_load (file, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (readonly, 0500), ==, 0);
  if (g_access (readonly, W_OK) == 0)
    g_test_message ("running as root: a read-only directory is writable, skipping that case");
  else
    {
      g_autoptr(GFile) ro_file = g_file_new_for_path (in_readonly);

      g_assert_false (ns_document_save (graph, ro_file, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
      g_clear_pointer (&listing, g_free);
      listing = list_directory (readonly);
      g_assert_cmpstr (listing, ==, "");
    }

  /* Even root cannot write into procfs: the file there stays as it was. */
  if (g_file_test ("/proc/version", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) proc_file = g_file_new_for_path ("/proc/version");
      g_autofree char *before = NULL, *after = NULL;

      g_assert_true (g_file_get_contents ("/proc/version", &before, NULL, NULL));
      g_assert_false (ns_document_save (graph, proc_file, NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents ("/proc/version", &after, NULL, NULL));
      g_assert_cmpstr (after, ==, before);
    }

  g_assert_cmpint (g_rmdir (readonly), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A Sequential document with the inputs and outputs given: kept as given. */
static void
test_model_class_and_io (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) data = g_string_new (base_document);
  g_autoptr(NsGraph) graph = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autofree char *saved = NULL, *again = NULL;
  NsLayer *bias_layer;
  GPtrArray *weights;

  g_string_replace (data, "\"name\": \"t\",", "\"name\": \"t\", \"model_class\": \"Sequential\",", 1);
  g_string_replace (data, "  ]\n}", "  ],\n  \"outputs\": [\"c\", \"b\"], \"inputs\": []\n}", 1);
  g_string_replace (data, "{\"filters\": 4}}\n",
                    "{\"filters\": 4}, \"weights\": [{\"name\": \"bias\", \"shape\": [4], "
                    "\"data\": \"AACAPwAAAEAAAAC/AAAAAA==\"}]}\n", 1);
  graph = ns_document_load_from_data (data->str, data->len, "seq.netsketch", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ns_graph_get_model_class (graph), ==, "Sequential");
  outputs = ns_graph_get_outputs (graph);
  g_assert_cmpuint (outputs->len, ==, 2);
  g_assert_cmpstr (ns_layer_get_id (g_ptr_array_index (outputs, 0)), ==, "c");
  bias_layer = ns_graph_find_by_id (graph, "c");
  weights = ns_layer_get_weights (bias_layer);
  g_assert_cmpuint (weights->len, ==, 1);
  g_assert_cmpfloat (ns_weight_get_values (g_ptr_array_index (weights, 0))[2], ==, -0.5);

  saved = ns_document_to_data (graph, NULL);
  g_assert_nonnull (strstr (saved, "  \"name\": \"t\",\n  \"model_class\": \"Sequential\",\n  \"layers\": [\n"));
  g_assert_nonnull (strstr (saved, "          \"data\": \"AACAPwAAAEAAAAC/AAAAAA==\"\n"));
  g_assert_true (g_str_has_suffix (saved, "  ],\n  \"inputs\": [],\n  \"outputs\": [\"c\", \"b\"]\n}\n"));
  again = round_trip (saved, strlen (saved));
  g_assert_cmpstr (again, ==, saved);
}

/* Models in models in models…: refused past the limit, with the full path. */
static void
test_model_depth (void)
{
  for (guint levels = 16; levels <= 17; levels++)
    {
      g_autoptr(GString) data = g_string_new ("{\"format\": \"netsketch\", \"version\": 1, \"layers\": [");
      g_autoptr(GString) path = g_string_new ("");
      g_autoptr(GError) error = NULL;
      g_autoptr(NsGraph) graph = NULL;

      for (guint i = 0; i < levels; i++)
        {
          g_string_append (data, "{\"id\": \"m\", \"type\": \"Functional\", \"name\": \"m\", \"model\": {\"layers\": [");
          g_string_append (path, i > 0 ? ".layers[0].model" : "layers[0].model");
        }
      g_string_append (data, "{\"id\": \"i\", \"type\": \"InputLayer\", \"name\": \"i\"}");
      for (guint i = 0; i < levels; i++)
        g_string_append (data, "]}}");
      g_string_append (data, "]}");

      graph = ns_document_load_from_data (data->str, data->len, "deep.netsketch", &error);
      if (levels == 16)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_null (graph);
      g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
      /* Column 1194: the opening brace of the 17th model. */
      g_string_prepend (path, "deep.netsketch:1:1194: ");
      g_string_append (path, ": models are nested more than 16 deep; Netsketch opens up to 16 levels");
      g_assert_cmpstr (error->message, ==, path->str);
    }
}

/* The last layer's config in base_document, and a weights list put after it. */
#define CONV2_CONFIG "{\"filters\": 4}}\n"
#define CONV2_WEIGHT(weight) "{\"filters\": 4}, \"weights\": [" weight "]}\n"

typedef struct {
  const char *name;
  const char *find;        /* replaced in base_document, or NULL: data is the document */
  const char *replace;
  int         code;
  const char *message;
} Malformed;

static const Malformed malformed[] = {
  { "syntax error", "\"version\": 1,", "\"version\": 1,,", NS_ERROR_PARSE,
    "t.netsketch:3:16: unexpected “,”, expected a key in double quotes" },
  { "unquoted word", "\"name\": \"t\"", "\"name\": t", NS_ERROR_PARSE,
    "t.netsketch:4:11: “t” is not a JSON value; text needs double quotes" },
  { "missing colon", "\"name\": \"t\"", "\"name\" \"t\"", NS_ERROR_PARSE,
    "t.netsketch:4:10: unexpected “\"t\"”, expected “:”" },
  { "missing comma", "[200, 0]", "[200 0]", NS_ERROR_PARSE,
    "t.netsketch:7:68: unexpected “0”, expected “,”" },
  { "truncated", NULL,
    "{\n  \"format\": \"netsketch\",\n  \"version\": 1,\n  \"name\": \"t\",\n  \"layers\": [\n"
    "    {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"in\", \"position\": [0, 0], \"config\": {\"shape\": [8, 8, 3]}},\n"
    "    {\"id\": \"b\", \"type\": \"Conv2D\", \"name\": \"conv\", \"position\": [200, 0], \"config\": {\"filters\": 4",
    NS_ERROR_PARSE, "t.netsketch:7:96: the document ends early: expected “}”; it may have been cut short" },
  { "truncated string", NULL, "{\"format\": \"nets", NS_ERROR_PARSE,
    "t.netsketch:1:17: the document ends inside a string; it may have been cut short" },
  { "empty", NULL, "", NS_ERROR_PARSE, "t.netsketch:1:1: the document is empty" },
  { "blank", NULL, " \n\t\n", NS_ERROR_PARSE, "t.netsketch:1:1: the document is empty" },
  { "not an object", NULL, "\n  [1, 2]\n", NS_ERROR_PARSE,
    "t.netsketch:2:3: expected a Netsketch document (a JSON object), got [1,2]" },
  { "trailing text", "  ]\n}\n", "  ]\n}\n}", NS_ERROR_PARSE,
    "t.netsketch:15:1: unexpected text after the end of the document" },
  { "not UTF-8", "\"name\": \"t\"", "\"name\": \"\xe9t\"", NS_ERROR_PARSE,
    "t.netsketch:4:12: the text is not valid UTF-8" },
  { "missing format", "  \"format\": \"netsketch\",\n", "", NS_ERROR_PARSE,
    "t.netsketch:1:1: format: missing, expected \"netsketch\"" },
  { "wrong format", "\"netsketch\"", "\"keras\"", NS_ERROR_PARSE,
    "t.netsketch:2:13: format: expected \"netsketch\", got \"keras\"" },
  { "version string", "\"version\": 1", "\"version\": \"1\"", NS_ERROR_PARSE,
    "t.netsketch:3:14: version: expected the integer 1, got \"1\"" },
  { "version newer", "\"version\": 1", "\"version\": 99", NS_ERROR_VERSION,
    "t.netsketch:3:14: version: this document was written by a newer Netsketch "
    "(format version 99); this one reads version 1" },
  { "version zero", "\"version\": 1", "\"version\": 0", NS_ERROR_VERSION,
    "t.netsketch:3:14: version: there is no format version 0; this Netsketch reads version 1" },
  { "layers not a list", NULL, "{\"format\": \"netsketch\", \"version\": 1, \"layers\": {}}",
    NS_ERROR_PARSE, "t.netsketch:1:49: layers: expected a list of layers, got an object" },
  { "layers missing", NULL, "{\"format\": \"netsketch\", \"version\": 1}",
    NS_ERROR_PARSE, "t.netsketch:1:1: layers: missing, expected a list of layers" },
  { "layer not an object", NULL, "{\"format\": \"netsketch\", \"version\": 1, \"layers\": [\n  \"conv\"]}",
    NS_ERROR_PARSE, "t.netsketch:2:3: layers[0]: expected a layer (an object), got \"conv\"" },
  { "missing type", "\"type\": \"Conv2D\", ", "", NS_ERROR_PARSE,
    "t.netsketch:7:5: layers[1].type: missing, expected a string" },
  { "unknown type", "\"Conv2D\"", "\"Conv3D\"", NS_ERROR_UNKNOWN_TYPE,
    "t.netsketch:7:25: layers[1].type: unknown layer type “Conv3D”; "
    "this version of Netsketch cannot use it" },
  { "misspelt type", "\"Conv2D\"", "\"conv_2d\"", NS_ERROR_UNKNOWN_TYPE,
    "t.netsketch:7:25: layers[1].type: unknown layer type “conv_2d”; did you mean “Conv2D”?" },
  { "filters a string", "\"filters\": 4", "\"filters\": \"4\"", NS_ERROR_INVALID_VALUE,
    "t.netsketch:7:95: layers[1].config.filters: expected an integer from 1 to 16777216, got \"4\"" },
  { "zero filters", "\"filters\": 4", "\"filters\": 0", NS_ERROR_INVALID_VALUE,
    "t.netsketch:7:95: layers[1].config.filters: expected an integer from 1 to 16777216, got 0" },
  { "negative kernel", "\"filters\": 4", "\"filters\": 4, \"kernel_size\": -3", NS_ERROR_INVALID_VALUE,
    "t.netsketch:7:113: layers[1].config.kernel_size: expected an integer from 1 to 65536 "
    "or a pair of them, got -3" },
  { "bad padding", "\"filters\": 4", "\"filters\": 4, \"padding\": \"full\"", NS_ERROR_INVALID_VALUE,
    "t.netsketch:7:109: layers[1].config.padding: expected \"valid\", \"same\" or a pair of "
    "integers from 0 to 65536, got \"full\"" },
  { "integer past int64", "\"filters\": 4", "\"filters\": 99999999999999999999", NS_ERROR_PARSE,
    "t.netsketch:7:95: the integer 99999999999999999999 is too large: integers must fit in 64 bits" },
  { "duplicate key", "\"filters\": 4", "\"filters\": 4, \"filters\": 8", NS_ERROR_PARSE,
    "t.netsketch:7:109: the key “filters” appears twice in the same object" },
  { "config a list", "\"config\": {\"filters\": 4}}", "\"config\": [4]}", NS_ERROR_PARSE,
    "t.netsketch:7:83: layers[1].config: expected an object of settings, got [4]" },
  { "position one number", "[200, 0]", "[200]", NS_ERROR_PARSE,
    "t.netsketch:7:63: layers[1].position: expected two numbers [x, y], got [200]" },
  { "position a string", "[200, 0]", "[200, \"0\"]", NS_ERROR_PARSE,
    "t.netsketch:7:63: layers[1].position: expected two numbers [x, y], got [200,\"0\"]" },
  { "duplicate id", "{\"id\": \"c\"", "{\"id\": \"b\"", NS_ERROR_GRAPH,
    "t.netsketch:8:12: layers[2].id: two layers have the id “b”" },
  { "duplicate name", "\"name\": \"conv2\"", "\"name\": \"conv\"", NS_ERROR_GRAPH,
    "t.netsketch:8:43: layers[2].name: two layers are named “conv”" },
  { "connection to missing id", "\"to\": \"c\"", "\"to\": \"z\"", NS_ERROR_GRAPH,
    "t.netsketch:12:25: connections[1].to: no layer has id “z”" },
  { "connection from missing id", "{\"from\": \"a\"", "{\"from\": \"q\"", NS_ERROR_GRAPH,
    "t.netsketch:11:14: connections[0].from: no layer has id “q”" },
  { "port occupied twice", "{\"from\": \"b\", \"to\": \"c\", \"port\": 0}",
    "{\"from\": \"b\", \"to\": \"c\", \"port\": 0},\n    {\"from\": \"a\", \"to\": \"c\", \"port\": 0}",
    NS_ERROR_GRAPH, "t.netsketch:13:5: connections[2]: input 0 of conv2 is already connected to conv" },
  { "cycle", "{\"from\": \"a\", \"to\": \"b\", \"port\": 0}", "{\"from\": \"c\", \"to\": \"b\", \"port\": 0}",
    NS_ERROR_GRAPH, "t.netsketch:12:5: connections[1]: connecting conv to conv2 would make a cycle" },
  { "port a string", "\"port\": 0}\n  ]", "\"port\": \"0\"}\n  ]", NS_ERROR_PARSE,
    "t.netsketch:12:38: connections[1].port: expected an input port number from 0 up, got \"0\"" },
  { "port negative", "\"port\": 0}\n  ]", "\"port\": -1}\n  ]", NS_ERROR_PARSE,
    "t.netsketch:12:38: connections[1].port: expected an input port number from 0 up, got -1" },
  { "port missing", ", \"port\": 0}\n  ]", "}\n  ]", NS_ERROR_PARSE,
    "t.netsketch:12:5: connections[1].port: missing, expected an input port number from 0 up" },
  { "connections not a list", "\"connections\": [", "\"connections\": 7, \"x\": [", NS_ERROR_PARSE,
    "t.netsketch:10:18: connections: expected a list of connections, got 7" },
  /* Imported models: weights, nested models, model class, inputs and outputs. */
  { "weights not a list", CONV2_CONFIG, "{\"filters\": 4}, \"weights\": {}}\n", NS_ERROR_PARSE,
    "t.netsketch:8:111: layers[2].weights: expected a list of weights, got an object" },
  { "weight not an object", CONV2_CONFIG, "{\"filters\": 4}, \"weights\": [7]}\n", NS_ERROR_PARSE,
    "t.netsketch:8:112: layers[2].weights[0]: expected a weight {\"name\", \"shape\", \"dtype\", \"data\"}, got 7" },
  { "weight data not base64", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"bias\", \"shape\": [4], \"data\": \"AACAPwAAAE!AAAAC/AAAAAA==\"}"), NS_ERROR_PARSE,
    "t.netsketch:8:151: layers[2].weights[0].data: the data of weight “bias” is not base64: “!” at character 11" },
  { "weight data cut short", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"bias\", \"shape\": [4], \"data\": \"AACAPwAAAEAAAAC/AAAAAA=\"}"), NS_ERROR_PARSE,
    "t.netsketch:8:151: layers[2].weights[0].data: the data of weight “bias” is not base64: "
    "its length, 23, is not a multiple of 4" },
  { "weight wrong byte count", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"bias\", \"shape\": [4], \"data\": \"AACAPwAAAEAAAAC/\"}"), NS_ERROR_PARSE,
    "t.netsketch:8:151: layers[2].weights[0].data: weight “bias” of shape [4] needs 16 bytes "
    "(4 per float32 value); the data holds 12" },
  { "weight shape not a list", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"kernel\", \"shape\": 4, \"data\": \"\"}"), NS_ERROR_PARSE,
    "t.netsketch:8:140: layers[2].weights[0].shape: the shape of weight “kernel” must be a list of "
    "at most 8 sizes (integers from 0 up), got 4" },
  { "weight shape negative", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"kernel\", \"shape\": [3, -3], \"data\": \"\"}"), NS_ERROR_PARSE,
    "t.netsketch:8:140: layers[2].weights[0].shape: the shape of weight “kernel” must be a list of "
    "at most 8 sizes (integers from 0 up), got [3,-3]" },
  { "weight dtype", CONV2_CONFIG,
    CONV2_WEIGHT ("{\"name\": \"kernel\", \"shape\": [1], \"dtype\": \"uint8\", \"data\": \"AAAAAA==\"}"),
    NS_ERROR_PARSE,
    "t.netsketch:8:154: layers[2].weights[0].dtype: weight “kernel” must be \"float32\", got \"uint8\"" },
  { "weight without data", CONV2_CONFIG, CONV2_WEIGHT ("{\"name\": \"kernel\", \"shape\": [1]}"), NS_ERROR_PARSE,
    "t.netsketch:8:112: layers[2].weights[0].data: missing, expected the values of weight “kernel” in base64" },
  { "model not an object", "\"type\": \"Conv2D\", \"name\": \"conv2\"",
    "\"type\": \"Functional\", \"name\": \"conv2\", \"model\": [1]", NS_ERROR_PARSE,
    "t.netsketch:8:65: layers[2].model: expected a model (an object with \"layers\"), got [1]" },
  { "model on a plain layer", "\"name\": \"conv2\"", "\"name\": \"conv2\", \"model\": {\"layers\": []}",
    NS_ERROR_PARSE,
    "t.netsketch:8:61: layers[2].model: only a nested model (type “Functional”) holds a model, not a Conv2D" },
  { "model error has its path", "\"type\": \"Conv2D\", \"name\": \"conv2\"",
    "\"type\": \"Functional\", \"name\": \"conv2\", \"model\": {\"layers\": [\n"
    "      {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"i\"},\n"
    "      {\"id\": \"b\", \"type\": \"Dense\", \"name\": \"d\", \"config\": {\"units\": 0}}]}",
    NS_ERROR_INVALID_VALUE,
    "t.netsketch:10:69: layers[2].model.layers[1].config.units: expected an integer from 1 to 16777216, got 0" },
  { "model connection to missing id", "\"type\": \"Conv2D\", \"name\": \"conv2\"",
    "\"type\": \"Functional\", \"name\": \"conv2\", \"model\": {\"layers\": [], "
    "\"connections\": [{\"from\": \"a\", \"to\": \"b\", \"port\": 0}]}", NS_ERROR_GRAPH,
    "t.netsketch:8:105: layers[2].model.connections[0].from: no layer has id “a”" },
  { "model class unknown", "\"name\": \"t\",", "\"name\": \"t\", \"model_class\": \"Subclassed\",",
    NS_ERROR_PARSE,
    "t.netsketch:4:31: model_class: expected \"Functional\" or \"Sequential\", got \"Subclassed\"" },
  { "outputs missing id", "  ]\n}", "  ],\n  \"outputs\": [\"c\", \"q\"]\n}", NS_ERROR_GRAPH,
    "t.netsketch:14:20: outputs[1]: no layer has id “q”" },
  { "outputs not a list", "  ]\n}", "  ],\n  \"outputs\": \"c\"\n}", NS_ERROR_PARSE,
    "t.netsketch:14:14: outputs: expected a list of layer ids, got \"c\"" },
  { "inputs not ids", "  ]\n}", "  ],\n  \"inputs\": [1]\n}", NS_ERROR_PARSE,
    "t.netsketch:14:14: inputs[0]: expected a layer id (a string), got 1" },
};

static void
test_malformed (gconstpointer user_data)
{
  const Malformed *m = user_data;
  g_autoptr(GString) data = g_string_new (m->find ? base_document : m->replace);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;

  if (m->find != NULL)
    g_assert_cmpuint (g_string_replace (data, m->find, m->replace, 1), ==, 1);
  graph = ns_document_load_from_data (data->str, data->len, "t.netsketch", &error);
  g_assert_null (graph);
  g_assert_error (error, NS_ERROR, m->code);
  g_assert_cmpstr (error->message, ==, m->message);
}

/* A million opening brackets: refused before json-glib recurses into them. */
static void
test_deep_nesting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  gsize n = 1000000;
  g_autofree char *data = g_malloc (n);

  memset (data, '[', n);
  graph = ns_document_load_from_data (data, n, "deep.netsketch", &error);
  g_assert_null (graph);
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "deep.netsketch:1:101: the document nests deeper than 100 levels");
}

/* Every cut of a real document fails cleanly and says where; the cut that
 * drops only the final newline is still a whole document. */
static void
test_every_prefix (void)
{
  g_autofree char *path = example_path ("article.netsketch");
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^cut\\.netsketch:[0-9]+:[0-9]+: ", 0, 0, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (contents[length - 1], ==, '\n');
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NsGraph) graph = ns_document_load_from_data (contents, cut, "cut.netsketch", &error);

      if (cut == length - 1)
        {
          g_assert_no_error (error);
          g_assert_nonnull (graph);
          continue;
        }
      g_assert_null (graph);
      g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
      g_assert_true (g_regex_match (regex, error->message, 0, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/example/article", test_article);
  g_test_add_func ("/document/example/vgg16", test_vgg16);
  g_test_add_func ("/document/example/unet", test_unet);
  g_test_add_func ("/document/example/canonical", test_examples_canonical);
  g_test_add_func ("/document/round-trip", test_round_trip);
  g_test_add_func ("/document/empty-graph", test_empty_graph);
  g_test_add_func ("/document/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/document/overflow-is-layer-error", test_overflow_is_layer_error);
  g_test_add_func ("/document/save-and-load", test_save_and_load);
  g_test_add_func ("/document/save-fails", test_save_fails);
  g_test_add_func ("/document/deep-nesting", test_deep_nesting);
  g_test_add_func ("/document/every-prefix", test_every_prefix);
  g_test_add_func ("/document/model-class-and-io", test_model_class_and_io);
  g_test_add_func ("/document/model-depth", test_model_depth);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/document/malformed/%s", malformed[i].name);
      g_test_add_data_func (path, &malformed[i], test_malformed);
    }

  return g_test_run ();
}
