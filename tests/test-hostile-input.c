/* test-hostile-input.c: loaders facing broken and malicious files: truncation, wrong types, cycles, absurd sizes, depth, scale. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ns-document.h"
#include "ns-model-io.h"
#include "ns-summary.h"
#include "test-helpers.h"

/* A bound on loading 100,000 layers that only a hang or quadratic work
 * can break, on a busy 2-core CI machine too; the sanitizer build runs
 * several times slower. BENCHMARKS.md has the measured figures. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_BOUND_S 60
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_BOUND_S 60
#endif
#endif
#ifndef TIME_BOUND_S
#define TIME_BOUND_S 20
#endif

/* A small tf.keras 2 Functional model with a branch: the sweeps below break
 * it at every byte and every value. Totals: 2,714 parameters, 8 of them
 * (BatchNormalization's moving statistics) non-trainable. */
static const char small_keras[] =
  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"small\", \"layers\": [\n"
  "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8, 8, 3], \"dtype\": \"float32\", \"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []},\n"
  "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\", \"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}, \"name\": \"conv\", \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]},\n"
  "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": [3], \"momentum\": 0.99, \"epsilon\": 0.001}, \"name\": \"bn\", \"inbound_nodes\": [[[\"conv\", 0, 0, {}]]]},\n"
  "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"proj\", \"filters\": 4, \"kernel_size\": [1, 1]}, \"name\": \"proj\", \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]},\n"
  "{\"class_name\": \"Add\", \"config\": {\"name\": \"add\"}, \"name\": \"add\", \"inbound_nodes\": [[[\"bn\", 0, 0, {}], [\"proj\", 0, 0, {}]]]},\n"
  "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}, \"name\": \"flat\", \"inbound_nodes\": [[[\"add\", 0, 0, {}]]]},\n"
  "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 10, \"activation\": \"softmax\"}, \"name\": \"out\", \"inbound_nodes\": [[[\"flat\", 0, 0, {}]]]}\n"
  "], \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0]]}, \"keras_version\": \"2.13.1\", \"backend\": \"tensorflow\"}\n";

/* The same kind of network in the native format. */
static const char small_document[] =
  "{\n"
  "  \"format\": \"netsketch\",\n"
  "  \"version\": 1,\n"
  "  \"name\": \"t\",\n"
  "  \"layers\": [\n"
  "    {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"in\", \"position\": [0, 0], \"config\": {\"shape\": [8, 8, 3]}},\n"
  "    {\"id\": \"b\", \"type\": \"Conv2D\", \"name\": \"conv\", \"position\": [200, 0], \"config\": {\"filters\": 4, \"kernel_size\": [3, 3]}},\n"
  "    {\"id\": \"c\", \"type\": \"Concatenate\", \"name\": \"cat\", \"position\": [400, 0], \"config\": {\"axis\": -1}}\n"
  "  ],\n"
  "  \"connections\": [\n"
  "    {\"from\": \"a\", \"to\": \"b\", \"port\": 0},\n"
  "    {\"from\": \"a\", \"to\": \"c\", \"port\": 0},\n"
  "    {\"from\": \"b\", \"to\": \"c\", \"port\": 1}\n"
  "  ]\n"
  "}\n";

typedef NsGraph *(*LoadFunc) (const char  *data,
                              gssize       length,
                              const char  *display_name,
                              GError     **error);

/* Replaces the first occurrence of @from in @text by @to. */
static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);
  GString *out;

  g_assert_nonnull (at);
  out = g_string_new_len (text, at - text);
  g_string_append (out, to);
  g_string_append (out, at + strlen (from));
  return g_string_free (out, FALSE);
}

/* Loads @text and returns the error message, failing the test if it loads. */
static char *
load_error (const char *text,
            gssize      length,
            const char *display_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_model_load_from_data (text, length, display_name, &error);

  g_assert_null (graph);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

/* Whether a refusal says where: "NAME:LINE:COLUMN: …" or, for a file that
 * is not a model at all, "NAME: …". */
static gboolean
names_file (const char *message,
            const char *display_name)
{
  return g_str_has_prefix (message, display_name) &&
         message[strlen (display_name)] == ':';
}

/* Failures of the messages' wording are marked without aborting, so that
 * one bad message does not hide what the other cases would show. */
static void
assert_names_file (const char *message,
                   const char *display_name)
{
  if (!names_file (message, display_name))
    g_test_fail_printf ("refusal does not start with “%s:”: %s", display_name, message);
}

static void
check_message (const char *message,
               const char *expected)
{
  if (g_strcmp0 (message, expected) != 0)
    g_test_fail_printf ("expected the message\n  %s\ngot\n  %s", expected, message);
}

/* A loaded graph must be usable: print its summary the way the CLI would. */
static void
exercise (NsGraph *graph)
{
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_TEXT);
  g_autofree char *json = ns_summary_format (graph, NS_SUMMARY_JSON);

  g_assert_nonnull (text);
  g_assert_nonnull (json);
}

static void
test_small_model_loads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_model_load_from_data (small_keras, -1, "small.json", &error);
  NsGraphTotals totals;

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 2714);
  g_assert_cmpint (totals.trainable_params, ==, 2706);
  g_assert_cmpint (totals.non_trainable_params, ==, 8);
  g_assert_cmpuint (totals.n_errors, ==, 0);
}

/* Every proper prefix is refused with the file's name; none crashes. */
static void
sweep_truncated (LoadFunc    load,
                 const char *text,
                 const char *display_name)
{
  g_autofree char *first_bad = NULL;
  gsize length = strlen (text);
  guint n_bad = 0;

  for (gsize i = 0; i < length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NsGraph) graph = load (text, i, display_name, &error);

      /* Cutting only the final newline leaves a whole document. */
      if (i == length - 1)
        {
          g_assert_no_error (error);
          g_assert_nonnull (graph);
          continue;
        }
      if (graph != NULL)
        g_error ("%s cut after %" G_GSIZE_FORMAT " bytes loaded", display_name, i);
      g_assert_nonnull (error);
      if (!names_file (error->message, display_name) && n_bad++ == 0)
        first_bad = g_strdup (error->message);
    }
  if (n_bad > 0)
    g_test_fail_printf ("%u refusals do not start with “%s:”, the first: %s", n_bad, display_name, first_bad);
}

static void
test_truncated_keras (void)
{
  g_autofree char *half = NULL;
  g_autofree char *inside_key = NULL;
  g_autofree char *empty = NULL;

  sweep_truncated (ns_model_load_from_data, small_keras, "small.json");

  /* Representative: cut in the middle of the Conv2D's config, after a
   * whole value and inside a key. */
  half = load_error (small_keras, strstr (small_keras, "\"strides\": [1, 1]") - small_keras + 17, "small.json");
  check_message (half, "small.json:3:107: the document ends early: expected “}”; it may have been cut short");
  inside_key = load_error (small_keras, strstr (small_keras, "\"strides\"") - small_keras + 4, "small.json");
  check_message (inside_key, "small.json:3:90: unexpected “\"str”, expected a key in double quotes");
  empty = load_error (small_keras, 0, "small.json");
  check_message (empty, "small.json: not a Netsketch, Keras or TensorFlow.js model");
}

static void
test_truncated_document (void)
{
  sweep_truncated (ns_document_load_from_data, small_document, "t.netsketch");
  sweep_truncated (ns_model_load_from_data, small_document, "t.netsketch");
}

/* Wrong types at every level: each value of the file, in turn, replaced by
 * each kind of JSON value. */

typedef struct {
  const char *json;
  JsonNode   *node;
} Replacement;

/* A copy of @node with its @target'th value in pre-order (0 is the root)
 * replaced by @replacement; @counter counts the values visited. Built anew
 * rather than edited in place: json-glib 1.6 cannot re-initialise a node
 * that holds a container. */
static JsonNode *
copy_replacing (JsonNode *node,
                guint    *counter,
                guint     target,
                JsonNode *replacement)
{
  JsonNode *copy;

  if ((*counter)++ == target)
    return json_node_copy (replacement);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (out, l->data,
                                copy_replacing (json_object_get_member (object, l->data),
                                                counter, target, replacement));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (copy, out);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (out, copy_replacing (json_array_get_element (array, i),
                                                     counter, target, replacement));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (copy, out);
    }
  else
    copy = json_node_copy (node);
  return copy;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
sweep_wrong_types (LoadFunc    load,
                   const char *text,
                   const char *display_name,
                   guint      *n_loaded,
                   guint      *n_refused)
{
  static const char *kinds[] = {
    "null", "true", "0", "-1", "1.5", "4611686018427387904", "\"x\"", "[]", "{}",
  };
  g_autoptr(JsonNode) original = parse_json (text);
  g_autofree char *first_bad = NULL;
  guint n_values = 0;
  guint n_bad = 0;

  /* Counting pass: a target past the end replaces nothing. */
  {
    g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);
    g_autoptr(JsonNode) unused = copy_replacing (original, &n_values, G_MAXUINT, null_node);
  }
  g_assert_cmpuint (n_values, >, 20);

  for (guint target = 0; target < n_values; target++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(JsonNode) replacement = parse_json (kinds[k]);
        g_autoptr(JsonNode) copy = NULL;
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(GError) error = NULL;
        g_autoptr(NsGraph) graph = NULL;
        g_autofree char *broken = NULL;
        guint counter = 0;

        copy = copy_replacing (original, &counter, target, replacement);
        json_generator_set_root (generator, copy);
        broken = json_generator_to_data (generator, NULL);

        graph = load (broken, -1, display_name, &error);
        if (graph != NULL)
          {
            g_assert_no_error (error);
            exercise (graph);
            (*n_loaded)++;
          }
        else
          {
            g_assert_nonnull (error);
            if (!names_file (error->message, display_name) && n_bad++ == 0)
              first_bad = g_strdup (error->message);
            (*n_refused)++;
          }
      }
  if (n_bad > 0)
    g_test_fail_printf ("%u refusals do not start with “%s:”, the first: %s", n_bad, display_name, first_bad);
}

static void
test_wrong_types_keras (void)
{
  guint n_loaded = 0, n_refused = 0;
  g_autofree char *filters = replace_once (small_keras, "\"filters\": 4, \"kernel_size\": [3, 3]",
                                           "\"filters\": \"4\", \"kernel_size\": [3, 3]");
  g_autofree char *kernel = replace_once (small_keras, "\"kernel_size\": [1, 1]", "\"kernel_size\": true");
  g_autofree char *opened = replace_once (small_keras, "\"layers\": [\n{", "\"layers\": {\"x\": [{");
  g_autofree char *layers = replace_once (opened, "], \"input_layers\"", "]}, \"input_layers\"");
  g_autofree char *message_filters = NULL;
  g_autofree char *message_kernel = NULL;
  g_autofree char *message_layers = NULL;

  sweep_wrong_types (ns_model_load_from_data, small_keras, "small.json", &n_loaded, &n_refused);
  g_test_message ("wrong types: %u variants loaded, %u refused", n_loaded, n_refused);
  g_assert_cmpuint (n_refused, >, n_loaded);

  /* Representative: a string for an integer, a boolean for a list, an
   * object for the layer list; each names the file, the layer and the key. */
  message_filters = load_error (filters, -1, "small.json");
  check_message (message_filters,
                   "small.json:3:64: config.layers[1] (conv).config.filters: expected an integer from 1 to 16777216, got \"4\"");
  message_kernel = load_error (kernel, -1, "small.json");
  check_message (message_kernel,
                   "small.json:5:82: config.layers[3] (proj).config.kernel_size: expected an integer from 1 to 65536 or a pair of them, got true");
  message_layers = load_error (layers, -1, "small.json");
  g_assert_true (g_str_has_prefix (message_layers, "small.json:"));
}

static void
test_wrong_types_document (void)
{
  guint n_loaded = 0, n_refused = 0;

  sweep_wrong_types (ns_document_load_from_data, small_document, "t.netsketch", &n_loaded, &n_refused);
  g_test_message ("wrong types: %u variants loaded, %u refused", n_loaded, n_refused);
  g_assert_cmpuint (n_refused, >, n_loaded);
}

static void
test_cycle (void)
{
  g_autofree char *cycle = NULL;
  g_autofree char *self_loop = NULL;
  g_autofree char *message = NULL;
  g_autofree char *message_self = NULL;

  /* conv reads bn, bn reads conv: neither call can ever happen. */
  cycle = replace_once (small_keras, "[[[\"in\", 0, 0, {}]]]}", "[[[\"bn\", 0, 0, {}]]]}");
  message = load_error (cycle, -1, "small.json");
  assert_names_file (message, "small.json");
  g_assert_true (g_str_has_suffix (message, ": config.layers[1] (conv).inbound_nodes[0]: this call’s inputs never exist: "
                                            "the model has a cycle or refers to a call that is not there"));

  self_loop = replace_once (small_keras, "[[[\"flat\", 0, 0, {}]]]", "[[[\"out\", 0, 0, {}]]]");
  message_self = load_error (self_loop, -1, "small.json");
  assert_names_file (message_self, "small.json");
  g_assert_nonnull (strstr (message_self, ": config.layers[6] (out).inbound_nodes[0]: "));
}

static void
test_missing_layer (void)
{
  g_autofree char *ghost = replace_once (small_keras, "[[[\"flat\", 0, 0, {}]]]", "[[[\"ghost\", 0, 0, {}]]]");
  g_autofree char *node = replace_once (small_keras, "[[[\"flat\", 0, 0, {}]]]", "[[[\"flat\", 3, 0, {}]]]");
  g_autofree char *output = replace_once (small_keras, "[[\"out\", 0, 0]]", "[[\"nowhere\", 0, 0]]");
  g_autofree char *message = load_error (ghost, -1, "small.json");
  g_autofree char *message_node = load_error (node, -1, "small.json");
  g_autofree char *message_output = load_error (output, -1, "small.json");

  check_message (message,
                   "small.json:8:124: config.layers[6] (out).inbound_nodes[0]: no layer is named “ghost”");
  check_message (message_node,
                   "small.json:8:124: config.layers[6] (out).inbound_nodes[0]: layer “flat” is called 1 times; there is no node 3");
  g_assert_true (g_str_has_prefix (message_output, "small.json:9:"));
  g_assert_nonnull (strstr (message_output, "nowhere"));
}

static void
test_absurd_shapes (void)
{
  static const struct {
    const char *shape;
    const char *message;
  } cases[] = {
    { "[null, 4611686018427387904, 8, 3]",
      "small.json:2:69: config.layers[0] (in).config.batch_input_shape[1]: expected a size from 1 to 2^40 or null, got 4611686018427387904" },
    { "[null, -8, 8, 3]",
      "small.json:2:69: config.layers[0] (in).config.batch_input_shape[1]: expected a size from 1 to 2^40 or null, got -8" },
    { "[null, 0, 8, 3]",
      "small.json:2:69: config.layers[0] (in).config.batch_input_shape[1]: expected a size from 1 to 2^40 or null, got 0" },
    { "[null, 8.5, 8, 3]",
      "small.json:2:69: config.layers[0] (in).config.batch_input_shape[1]: expected a size from 1 to 2^40 or null, got 8.5" },
    { "[null, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
      NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (small_keras, "[null, 8, 8, 3]", cases[i].shape);
      g_autofree char *message = load_error (text, -1, "small.json");

      if (cases[i].message != NULL)
        check_message (message, cases[i].message);
      else
        assert_names_file (message, "small.json");
    }

  /* Sizes that are each allowed but whose product overflows: the file
   * loads, the layers that overflow say so, nothing else breaks. */
  {
    g_autofree char *text = replace_once (small_keras, "[null, 8, 8, 3]",
                                          "[null, 1099511627776, 1099511627776, 3]");
    g_autoptr(GError) error = NULL;
    g_autoptr(NsGraph) graph = ns_model_load_from_data (text, -1, "small.json", &error);
    NsLayer *flat;
    const NsLayerInfo *info;
    NsGraphTotals totals;

    g_assert_no_error (error);
    g_assert_nonnull (graph);
    exercise (graph);
    flat = ns_graph_find_by_name (graph, "flat");
    g_assert_nonnull (flat);
    info = ns_layer_get_info (flat);
    g_assert_cmpint (info->state, !=, NS_LAYER_OK);
    g_assert_nonnull (info->message);
    ns_graph_get_totals (graph, &totals);
    g_assert_cmpuint (totals.n_errors, >, 0);
  }

  /* Layer sizes past their declared range. */
  {
    g_autofree char *units = replace_once (small_keras, "\"units\": 10", "\"units\": 4611686018427387904");
    g_autofree char *message = load_error (units, -1, "small.json");

    g_assert_true (g_str_has_prefix (message, "small.json:8:"));
    g_assert_nonnull (strstr (message, "layers[6] (out).config.units: "));
  }
}

/* "[[[…]]]" @depth deep. */
static char *
nested_arrays (guint depth)
{
  GString *text = g_string_sized_new (depth * 2 + 64);

  g_string_append (text, "{\"class_name\": \"Functional\", \"config\": {\"layers\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}");
  return g_string_free (text, FALSE);
}

/* A Sequential holding a Sequential holding … @depth deep, a Dense inside;
 * each starts with its InputLayer, as tf.keras 2 writes them. */
static char *
nested_models (guint depth)
{
  static const char input[] =
    "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4], \"name\": \"in%u\"}}, ";
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    {
      g_string_append_printf (text,
                              "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"m%u\", \"layers\": [",
                              i);
      g_string_append_printf (text, input, i);
    }
  g_string_append (text, "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}");
  for (guint i = 0; i < depth; i++)
    g_string_append (text, "]}}");
  return g_string_free (text, FALSE);
}

static void
test_deep_nesting (void)
{
  g_autofree char *arrays = nested_arrays (10000);
  g_autofree char *models = nested_models (10000);
  g_autofree char *message_arrays = load_error (arrays, -1, "deep.json");
  g_autofree char *message_models = load_error (models, -1, "deep.json");
  g_autofree char *objects = NULL;

  check_message (message_arrays, "deep.json:1:149: the document nests deeper than 100 levels");
  g_assert_true (g_str_has_prefix (message_models, "deep.json:1:"));
  g_assert_nonnull (strstr (message_models, "nests deeper than 100 levels"));

  /* The same depth of objects, in a .netsketch document. */
  {
    GString *text = g_string_new ("{\"format\": \"netsketch\", \"version\": 1, \"layers\": ");

    for (guint i = 0; i < 10000; i++)
      g_string_append (text, "{\"a\": ");
    g_string_append (text, "1");
    for (guint i = 0; i < 10000; i++)
      g_string_append_c (text, '}');
    g_string_append_c (text, '}');
    objects = g_string_free (text, FALSE);
  }
  {
    g_autofree char *message = load_error (objects, -1, "deep.netsketch");

    g_assert_true (g_str_has_prefix (message, "deep.netsketch:1:"));
    g_assert_nonnull (strstr (message, "nests deeper than 100 levels"));
  }
}

/* Nesting within the limits still loads: models four deep give the inner
 * Dense's parameters to the outer totals. */
static void
test_nested_models_within_limits (void)
{
  g_autofree char *models = nested_models (4);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_model_load_from_data (models, -1, "nested.json", &error);
  NsGraphTotals totals;

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 4 * 2 + 2);
}

static void
test_many_layers (void)
{
  const guint n_layers = 100000;
  g_autofree char *text = test_keras_chain (n_layers);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  NsGraphTotals totals;
  gint64 start, elapsed;

  start = g_get_monotonic_time ();
  graph = ns_model_load_from_data (text, -1, "long.json", &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (graph);
  g_test_message ("%u layers loaded in %.1f ms", n_layers, elapsed / 1000.0);

  /* Only a hang or something quadratic should fail this; the measured
   * figure is in BENCHMARKS.md (bench/bench-import). */
  g_assert_cmpint (elapsed, <, TIME_BOUND_S * G_USEC_PER_SEC);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, n_layers);
  ns_graph_get_totals (graph, &totals);
  /* 50,000 Dense(4) on 4 features: 20 parameters each. */
  g_assert_cmpint (totals.params, ==, (gint64) (n_layers / 2) * 20);
  g_assert_cmpuint (totals.n_errors, ==, 0);
}

/* An initializer Netsketch has no name for stays in the layer's extra
 * config; saving must not write its key twice (found by fuzz-model: the
 * saved document did not load again). */
static void
test_imported_resave (void)
{
  g_autofree char *text = replace_once (small_keras, "\"kernel_size\": [1, 1]",
                                        "\"kernel_size\": [1, 1], \"kernel_initializer\": "
                                        "{\"class_name\": \"VarianceScaling\", \"config\": "
                                        "{\"scale\": 0.5, \"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_model_load_from_data (text, -1, "small.json", &error);
  g_autoptr(NsGraph) again = NULL;
  g_autofree char *document = NULL;
  NsGraphTotals totals;
  gsize length;

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  document = ns_document_to_data (graph, &length);
  again = ns_document_load_from_data (document, length, "small.netsketch", &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  ns_graph_get_totals (again, &totals);
  g_assert_cmpint (totals.params, ==, 2714);
}

/* A weightsManifest naming something that is not a regular file (a FIFO
 * here; /dev/zero in a hostile file) must be refused, not read until it
 * ends: reading blocks forever, or, for /dev/zero, until memory runs out. */
static void
test_weights_not_a_file (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("NS_TEST_WEIGHTS_DIR");
      g_autofree char *path = g_build_filename (dir, "model.json", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(NsGraph) graph = ns_model_load (file, NULL, NULL, &error);

      g_assert_null (graph);
      g_assert_nonnull (error);
      g_print ("%s\n", error->message);
      return;
    }

  {
    g_autofree char *dir = g_dir_make_tmp ("netsketch-hostile-XXXXXX", NULL);
    g_autofree char *model = g_build_filename (dir, "model.json", NULL);
    g_autofree char *fifo = g_build_filename (dir, "group1-shard1of1.bin", NULL);
    g_autofree char *topology = g_strstrip (g_strdup (small_keras));
    g_autofree char *text = g_strconcat ("{\"modelTopology\": ", topology, ", \"weightsManifest\": "
                                         "[{\"paths\": [\"group1-shard1of1.bin\"], \"weights\": "
                                         "[{\"name\": \"out/bias\", \"shape\": [10], \"dtype\": \"float32\"}]}]}\n",
                                         NULL);

    g_assert_nonnull (dir);
    g_assert_true (g_file_set_contents (model, text, -1, NULL));
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

    /* The child finds the folder in its environment; it is killed if it
     * is still reading after 5 s. */
    g_setenv ("NS_TEST_WEIGHTS_DIR", dir, TRUE);
    g_test_trap_subprocess (NULL, 5 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);

    g_unlink (fifo);
    g_unlink (model);
    g_rmdir (dir);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("model.json:*paths[0]*");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/small-model-loads", test_small_model_loads);
  g_test_add_func ("/hostile/truncated/keras", test_truncated_keras);
  g_test_add_func ("/hostile/truncated/document", test_truncated_document);
  g_test_add_func ("/hostile/wrong-types/keras", test_wrong_types_keras);
  g_test_add_func ("/hostile/wrong-types/document", test_wrong_types_document);
  g_test_add_func ("/hostile/cycle", test_cycle);
  g_test_add_func ("/hostile/missing-layer", test_missing_layer);
  g_test_add_func ("/hostile/absurd-shapes", test_absurd_shapes);
  g_test_add_func ("/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/hostile/nested-models", test_nested_models_within_limits);
  g_test_add_func ("/hostile/imported-resave", test_imported_resave);
  g_test_add_func ("/hostile/many-layers", test_many_layers);
  g_test_add_func ("/hostile/weights-not-a-file", test_weights_not_a_file);

  return g_test_run ();
}
