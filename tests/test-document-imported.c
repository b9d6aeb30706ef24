/* test-document-imported.c: what a Keras import puts in a .netsketch document
 * (nested models, weights, unknown classes, Keras' output order) survives a
 * save and a load byte for byte. */
#include "config.h"

#include "ns-document.h"
#include "test-helpers.h"

/* A weight of @shape_json whose values are @first, @first + @step, … */
static NsWeight *
make_weight (const char *name,
             const char *shape_json,
             float       first,
             float       step)
{
  g_autoptr(JsonNode) node = json_from_string (shape_json, NULL);
  JsonArray *dims = json_node_get_array (node);
  g_autoptr(GBytes) bytes = NULL;
  NsShape shape = { .rank = json_array_get_length (dims) };
  gint64 n = 1;
  float *values;

  for (guint i = 0; i < shape.rank; i++)
    n *= shape.dims[i] = json_array_get_int_element (dims, i);
  values = g_new (float, MAX (n, 1));
  for (gint64 i = 0; i < n; i++)
    values[i] = first + step * (float) i;
  bytes = g_bytes_new_take (values, n * sizeof (float));
  return ns_weight_new (name, &shape, bytes);
}

static void
set_weights (NsLayer  *layer,
             NsWeight *first,
             ...)
{
  g_autoptr(GPtrArray) weights = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_weight_free);
  va_list args;

  va_start (args, first);
  for (NsWeight *w = first; w != NULL; w = va_arg (args, NsWeight *))
    g_ptr_array_add (weights, w);
  va_end (args);
  ns_layer_set_weights (layer, weights);
}

/* What a Keras import makes: a Sequential backbone nested in a Functional
 * model, learned weights of every rank, a class Netsketch does not know with
 * its Keras config, and Keras' own output order. */
static NsGraph *
build_imported (void)
{
  NsGraph *outer = ns_graph_new ();
  g_autoptr(NsGraph) inner = ns_graph_new ();
  g_autoptr(NsLayer) backbone = ns_layer_new (ns_layer_types_lookup ("Functional"), "n2", "backbone");
  g_autoptr(GPtrArray) outputs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *inner_in, *conv, *bn, *in, *custom, *head;
  JsonObject *extra = json_object_new ();
  /* The Keras importer keeps the original entry under "keras_layer" (NS_KERAS_EXTRA_ORIGINAL). */
  g_autoptr(JsonNode) keras_config = json_from_string ("{\"class_name\": \"MyAttention\", \"config\": "
                                                       "{\"heads\": 2, \"name\": \"custom\", \"trainable\": true}}",
                                                       NULL);

  ns_graph_set_name (inner, "backbone");
  ns_graph_set_model_class (inner, "Sequential");
  inner_in = test_add_input (inner, "inner_in", "[8, 8, 3]");
  conv = test_add_layer (inner, "Conv2D", "conv");
  bn = test_add_layer (inner, "BatchNormalization", "bn");
  test_set (inner, conv, "filters", "4");
  test_connect (inner, inner_in, conv, 0);
  test_connect (inner, conv, bn, 0);
  set_weights (conv, make_weight ("kernel", "[3, 3, 3, 4]", -1.0f, 0.0078125f),
               make_weight ("bias", "[4]", 0.0f, 0.5f), NULL);
  set_weights (bn, make_weight ("gamma", "[4]", 1.0f, 0.0f), make_weight ("beta", "[4]", 0.0f, 0.0f),
               make_weight ("moving_mean", "[4]", 1e-30f, 3.5f),
               make_weight ("moving_variance", "[4]", 1e30f, -1e29f), NULL);

  ns_graph_set_name (outer, "transfer");
  in = test_add_input (outer, "image", "[8, 8, 3]");
  ns_layer_set_subgraph (backbone, inner);
  g_assert_true (ns_graph_add_layer (outer, backbone, &error));
  custom = test_add_layer (outer, "OpaqueLayer", "custom");
  head = test_add_layer (outer, "Dense", "head");
  test_set (outer, custom, "class_name", "\"MyAttention\"");
  test_set (outer, custom, "output_shape", "[null, 16]");
  test_set (outer, custom, "trainable_params", "1");
  test_set (outer, head, "units", "3");
  test_connect (outer, in, backbone, 0);
  test_connect (outer, backbone, custom, 0);
  test_connect (outer, custom, head, 0);
  set_weights (custom, make_weight ("scale", "[]", 0.25f, 0.0f), NULL);
  set_weights (head, make_weight ("kernel", "[16, 3]", 3.0f, -0.125f),
               make_weight ("bias", "[3]", 0.0f, 0.0f), NULL);
  json_object_set_member (extra, "keras_layer", g_steal_pointer (&keras_config));
  ns_layer_set_extra (custom, extra);
  json_object_unref (extra);

  /* Keras' order, not the collected one: the opaque layer is an output too. */
  g_ptr_array_add (outputs, head);
  g_ptr_array_add (outputs, custom);
  ns_graph_set_outputs (outer, outputs);
  return outer;
}

static void
assert_same_weights (NsLayer *a,
                     NsLayer *b)
{
  GPtrArray *wa = ns_layer_get_weights (a), *wb = ns_layer_get_weights (b);

  g_assert_nonnull (wa);
  g_assert_nonnull (wb);
  g_assert_cmpuint (wa->len, ==, wb->len);
  for (guint i = 0; i < wa->len; i++)
    {
      NsWeight *x = g_ptr_array_index (wa, i), *y = g_ptr_array_index (wb, i);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_true (ns_shape_equal (&x->shape, &y->shape));
      g_assert_true (g_bytes_equal (x->data, y->data));
    }
}

static void
test_imported_round_trip (void)
{
  g_autoptr(NsGraph) graph = build_imported ();
  g_autoptr(NsGraph) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ns_document_to_data (graph, NULL);
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  NsGraph *inner, *loaded_inner;
  NsLayer *custom;
  JsonObject *keras_config;
  NsGraphTotals totals;

  loaded = ns_document_load_from_data (first, -1, "imported.netsketch", &error);
  g_assert_no_error (error);
  second = ns_document_to_data (loaded, NULL);
  g_assert_cmpstr (second, ==, first);

  /* The figures, the nested model and the ends are those built. */
  ns_graph_get_totals (loaded, &totals);
  g_assert_cmpint (totals.params, ==, 112 + 16 + 1 + 51);
  g_assert_cmpint (totals.trainable_params, ==, 112 + 8 + 1 + 51);
  g_assert_cmpint (totals.non_trainable_params, ==, 8);
  g_assert_cmpuint (totals.n_errors, ==, 0);
  test_assert_shape (ns_graph_find_by_name (loaded, "backbone"), "(None, 6, 6, 4)");
  test_assert_shape (ns_graph_find_by_name (loaded, "head"), "(None, None, 3)");
  g_assert_cmpstr (ns_graph_get_model_class (loaded), ==, "Functional");
  inner = ns_layer_get_subgraph (ns_graph_find_by_name (graph, "backbone"));
  loaded_inner = ns_layer_get_subgraph (ns_graph_find_by_name (loaded, "backbone"));
  g_assert_nonnull (loaded_inner);
  g_assert_cmpstr (ns_graph_get_name (loaded_inner), ==, "backbone");
  g_assert_cmpstr (ns_graph_get_model_class (loaded_inner), ==, "Sequential");
  g_assert_false (ns_graph_has_explicit_io (loaded_inner));
  /* Ids are per graph: the inner layers reuse the outer ones' ids. */
  g_assert_cmpstr (ns_layer_get_id (ns_graph_find_by_name (loaded_inner, "conv")), ==, "n2");
  g_assert_cmpstr (ns_layer_get_id (ns_graph_find_by_name (loaded, "backbone")), ==, "n2");
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "conv", "bn", "custom", "head" };
      NsGraph *where = i < 2 ? inner : graph;
      NsGraph *where_loaded = i < 2 ? loaded_inner : loaded;

      assert_same_weights (ns_graph_find_by_name (where, names[i]),
                           ns_graph_find_by_name (where_loaded, names[i]));
    }
  g_assert_null (ns_layer_get_weights (ns_graph_find_by_name (loaded_inner, "inner_in")));

  custom = ns_graph_find_by_name (loaded, "custom");
  g_assert_true (ns_layer_get_value (custom, "class_name")->string == g_intern_string ("MyAttention"));
  g_assert_cmpint (ns_layer_get_value (custom, "output_shape")->ints.items[0], ==, NS_DIM_NONE);
  keras_config = json_object_get_object_member (ns_layer_get_extra (custom), "keras_layer");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (keras_config, "config"),
                                               "heads"), ==, 2);
  outputs = ns_graph_get_outputs (loaded);
  inputs = ns_graph_get_inputs (loaded);
  g_assert_cmpuint (outputs->len, ==, 2);
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (outputs, 0)), ==, "head");
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (outputs, 1)), ==, "custom");
  g_assert_cmpuint (inputs->len, ==, 1);

  /* Little-endian float32 whatever the host; keys in the documented order. */
  g_assert_nonnull (strstr (first,
    "            \"weights\": [\n"
    "              {\n"
    "                \"name\": \"kernel\",\n"
    "                \"shape\": [3, 3, 3, 4],\n"
    "                \"dtype\": \"float32\",\n"
    "                \"data\": \"AACAvwAAfr8AAHy/"));
  g_assert_nonnull (strstr (first, "\"data\": \"AAAAAAAAAD8AAIA/AADAPw==\"\n"));
  g_assert_nonnull (strstr (first,
    "      \"weights\": [\n"
    "        {\n"
    "          \"name\": \"scale\",\n"
    "          \"shape\": [],\n"
    "          \"dtype\": \"float32\",\n"
    "          \"data\": \"AACAPg==\"\n"
    "        }\n"
    "      ],\n"
    "      \"keras_layer\": {\n"));
  g_assert_nonnull (strstr (first,
    "      \"model\": {\n"
    "        \"name\": \"backbone\",\n"
    "        \"model_class\": \"Sequential\",\n"
    "        \"layers\": [\n"));
  g_assert_nonnull (strstr (first,
    "        \"connections\": [\n"
    "          {\"from\": \"n1\", \"to\": \"n2\", \"port\": 0},\n"
    "          {\"from\": \"n2\", \"to\": \"n3\", \"port\": 0}\n"
    "        ]\n"
    "      }\n"));
  g_assert_true (g_str_has_suffix (first,
    "  \"inputs\": [\"n1\"],\n"
    "  \"outputs\": [\"n4\", \"n3\"]\n"
    "}\n"));
}

/* A frozen layer and a shared layer's second call survive save and load. */
static void
test_imported_frozen_and_shared (void)
{
  static const char document[] =
    "{\n"
    "  \"format\": \"netsketch\",\n"
    "  \"version\": 1,\n"
    "  \"layers\": [\n"
    "    {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"in\", \"config\": {\"shape\": [6]}},\n"
    "    {\"id\": \"b\", \"type\": \"Dense\", \"name\": \"d\", \"config\": {\"units\": 6}, \"trainable\": false},\n"
    "    {\"id\": \"c\", \"type\": \"Dense\", \"name\": \"d_call2\", \"config\": {\"units\": 6},\n"
    "     \"shares_weights_of\": \"b\"}\n"
    "  ],\n"
    "  \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"port\": 0}, {\"from\": \"b\", \"to\": \"c\", \"port\": 0}]\n"
    "}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_document_load_from_data (document, -1, "s.netsketch", &error);
  g_autoptr(NsGraph) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  NsGraphTotals totals;

  g_assert_no_error (error);
  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 42);
  g_assert_cmpint (totals.non_trainable_params, ==, 42);
  g_assert_true (ns_layer_get_weights_owner (ns_graph_find_by_id (graph, "c")) == ns_graph_find_by_id (graph, "b"));

  first = ns_document_to_data (graph, NULL);
  g_assert_nonnull (strstr (first, "      \"trainable\": false\n"));
  g_assert_nonnull (strstr (first, "      \"shares_weights_of\": \"b\"\n"));
  again = ns_document_load_from_data (first, -1, "s.netsketch", &error);
  g_assert_no_error (error);
  second = ns_document_to_data (again, NULL);
  g_assert_cmpstr (first, ==, second);

  g_clear_object (&again);
  again = ns_document_load_from_data ("{\"format\": \"netsketch\", \"version\": 1, \"layers\": ["
                                      "{\"id\": \"a\", \"type\": \"Dense\", \"name\": \"d\", "
                                      "\"shares_weights_of\": \"zz\"}]}", -1, "t.netsketch", &error);
  g_assert_null (again);
  g_assert_cmpstr (error->message, ==,
                   "t.netsketch:1:113: layers[0].shares_weights_of: expected the id of a layer, got \"zz\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/imported/round-trip", test_imported_round_trip);
  g_test_add_func ("/document/imported/frozen-and-shared", test_imported_frozen_and_shared);

  return g_test_run ();
}
