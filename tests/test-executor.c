/* test-executor.c: the executor as a whole: the article network's memory
 * plan, seeded initializers, nested models, capture, batches, the memory
 * limit, cancellation and layers that cannot run. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "test-executor-helpers.h"
#include "test-helpers.h"

#define DIMS(...) (const gint64[]) { __VA_ARGS__ }

static NsTensor *
run_with (NsGraph                 *graph,
          const NsExecutorOptions *options,
          const float             *input,
          NsExecutor             **out_executor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, options, &error);
  g_autoptr(NsTensor) tensor = NULL;
  gint64 dims[NS_MAX_RANK + 1];
  NsTensor *output;
  guint rank;

  g_assert_no_error (error);
  ns_executor_get_input_shape (executor, &rank, dims);
  tensor = ns_tensor_new (rank, dims);
  for (gint64 i = 0; i < ns_tensor_get_n_values (tensor); i++)
    tensor->data[i] = input != NULL ? input[i] : (float) sin ((double) i);
  output = ns_executor_run (executor, tensor, NULL, &error);
  g_assert_no_error (error);
  if (out_executor != NULL)
    *out_executor = g_steal_pointer (&executor);
  return output;
}

static gboolean
tensors_equal (const NsTensor *a,
               const NsTensor *b)
{
  return a->rank == b->rank && memcmp (a->dims, b->dims, a->rank * sizeof (gint64)) == 0 &&
         memcmp (a->data, b->data, ns_tensor_get_n_values (a) * sizeof (float)) == 0;
}

/* ---- The article network ------------------------------------------------- */

/* Concatenations take their inputs as channel slices, so the most alive at
 * once is mer1 (128×128×128) while deconv1 writes into mer2, the output
 * (128×128×85): 8,388,608 + 5,570,560 bytes. The weights: 87,957 parameters,
 * plus the transposed 3×3 kernels transformed for Winograd (16 × 128 × 64 and
 * 16 × 64 × 21 floats) and the folded batch normalization (128 floats). */
static void
test_article_memory_plan (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) output = NULL;
  NsExecutorOptions options = { .seed = 1, .batch = 1 };
  guint64 planned, weights, peak;
  GArray *timings;

  output = run_with (graph, &options, NULL, &executor);
  g_assert_cmpuint (output->rank, ==, 4);
  g_assert_cmpint (output->dims[1] * output->dims[2] * output->dims[3], ==, 128 * 128 * 85);
  planned = ns_executor_get_planned_activation_bytes (executor);
  weights = ns_executor_get_weight_bytes (executor);
  peak = ns_executor_get_peak_bytes (executor);
  g_assert_cmpuint (planned, ==, 8388608 + 5570560);
  g_assert_cmpuint (weights, ==, 87957 * 4 + (16 * 128 * 64 + 16 * 64 * 21 + 128) * 4);
  g_assert_cmpuint (peak, >=, planned + weights);
  g_assert_cmpfloat ((double) peak, <=, 1.25 * (double) (planned + weights));

  /* One timing per layer but the input, in order; the concatenations cost nothing. */
  timings = ns_executor_get_timings (executor);
  g_assert_cmpuint (timings->len, ==, 9);
  g_assert_cmpstr (ns_layer_get_name (g_array_index (timings, NsLayerTiming, 0).layer), ==, "con1");
  g_assert_cmpstr (ns_layer_get_name (g_array_index (timings, NsLayerTiming, 5).layer), ==, "mer1");
  g_assert_cmpfloat (g_array_index (timings, NsLayerTiming, 5).seconds, ==, 0.0);
  g_assert_cmpstr (ns_layer_get_name (g_array_index (timings, NsLayerTiming, 8).layer), ==, "mer2");
}

/* A batch of two gives each sample what a batch of one gives it. */
static void
test_batch_matches_single (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  NsExecutorOptions one = { .seed = 3, .batch = 1 }, two = { .seed = 3, .batch = 2 };
  gint64 sample = 128 * 128 * 3, out_sample = 128 * 128 * 85;
  g_autofree float *input = g_new (float, 2 * sample);
  g_autoptr(NsTensor) pair = NULL;
  g_autoptr(NsTensor) first = NULL;
  g_autoptr(NsTensor) second = NULL;

  for (gint64 i = 0; i < 2 * sample; i++)
    input[i] = (float) cos (0.01 * (double) i);
  pair = run_with (graph, &two, input, NULL);
  first = run_with (graph, &one, input, NULL);
  second = run_with (graph, &one, input + sample, NULL);
  g_assert_cmpint (pair->dims[0], ==, 2);
  for (gint64 i = 0; i < out_sample; i++)
    {
      g_assert_cmpfloat_with_epsilon (pair->data[i], first->data[i], 1e-5 * MAX (1.0, fabs (first->data[i])));
      g_assert_cmpfloat_with_epsilon (pair->data[out_sample + i], second->data[i],
                                      1e-5 * MAX (1.0, fabs (second->data[i])));
    }
}

/* ---- Initializers ---------------------------------------------------------- */

static NsGraph *
two_convs (const char *second_filters)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[6, 6, 2]", NULL);
  NsLayer *a = exec_add (graph, "Conv2D", in, "filters", "4", "padding", "\"same\"", NULL);

  ns_graph_rename_layer (graph, a, "a", NULL);
  exec_add (graph, "Conv2D", a, "filters", second_filters, "bias_initializer", "\"random_normal\"", NULL);
  return graph;
}

/* The same seed gives the same weights; each layer's stream depends on its
 * name only, so editing another layer leaves its weights as they were. */
static void
test_seed_reproducible (void)
{
  g_autoptr(NsGraph) graph = two_convs ("3");
  g_autoptr(NsGraph) edited = two_convs ("5");
  NsExecutorOptions seed7 = { .seed = 7, .batch = 1, .capture_layer = "a" };
  NsExecutorOptions seed8 = { .seed = 8, .batch = 1, .capture_layer = "a" };
  g_autoptr(NsExecutor) e1 = NULL;
  g_autoptr(NsExecutor) e2 = NULL;
  g_autoptr(NsExecutor) e3 = NULL;
  g_autoptr(NsExecutor) e4 = NULL;
  g_autoptr(NsTensor) out1 = run_with (graph, &seed7, NULL, &e1);
  g_autoptr(NsTensor) out2 = run_with (graph, &seed7, NULL, &e2);
  g_autoptr(NsTensor) out3 = run_with (graph, &seed8, NULL, &e3);
  g_autoptr(NsTensor) out4 = run_with (edited, &seed7, NULL, &e4);

  g_assert_true (tensors_equal (out1, out2));
  g_assert_false (tensors_equal (out1, out3));
  g_assert_true (tensors_equal (ns_executor_get_captured (e1), ns_executor_get_captured (e4)));
  g_assert_false (tensors_equal (ns_executor_get_captured (e1), ns_executor_get_captured (e3)));
  g_assert_cmpint (ns_executor_get_captured (e1)->dims[3], ==, 4);
  g_assert_cmpint (out4->dims[3], ==, 5);
}

/* A Dense layer fed the identity matrix as a batch outputs its kernel. */
static NsTensor *
drawn_kernel (const char *initializer,
              gint64      fan_in,
              gint64      units,
              guint64     seed)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autofree char *shape = g_strdup_printf ("[%" G_GINT64_FORMAT "]", fan_in);
  g_autofree char *n_units = g_strdup_printf ("%" G_GINT64_FORMAT, units);
  g_autofree char *init = g_strdup_printf ("\"%s\"", initializer);
  NsExecutorOptions options = { .seed = seed, .batch = fan_in };
  g_autofree float *identity = g_new0 (float, fan_in * fan_in);

  exec_add (graph, "Dense", exec_add (graph, "InputLayer", NULL, "shape", shape, NULL),
            "units", n_units, "kernel_initializer", init, NULL);
  for (gint64 i = 0; i < fan_in; i++)
    identity[i * fan_in + i] = 1.0f;
  return run_with (graph, &options, identity, NULL);
}

static void
moments (const NsTensor *tensor,
         double         *mean,
         double         *deviation,
         double         *largest)
{
  gint64 n = ns_tensor_get_n_values (tensor);
  double sum = 0.0, squares = 0.0;

  *largest = 0.0;
  for (gint64 i = 0; i < n; i++)
    {
      sum += tensor->data[i];
      *largest = MAX (*largest, fabs (tensor->data[i]));
    }
  *mean = sum / n;
  for (gint64 i = 0; i < n; i++)
    squares += (tensor->data[i] - *mean) * (tensor->data[i] - *mean);
  *deviation = sqrt (squares / n);
}

/* Keras' distributions: glorot_uniform within ±√(6 / (in + out)), he_normal
 * truncated at two deviations of √(2 / in) / 0.8796 (so that its deviation
 * is √(2 / in)), orthogonal with orthonormal rows. */
static void
test_initializers (void)
{
  g_autoptr(NsTensor) glorot = drawn_kernel ("glorot_uniform", 200, 100, 1);
  g_autoptr(NsTensor) he = drawn_kernel ("he_normal", 200, 100, 1);
  g_autoptr(NsTensor) uniform = drawn_kernel ("random_uniform", 200, 100, 1);
  g_autoptr(NsTensor) ones = drawn_kernel ("ones", 3, 2, 1);
  g_autoptr(NsTensor) orthogonal = drawn_kernel ("orthogonal", 16, 16, 1);
  double mean, deviation, largest, limit = sqrt (6.0 / 300.0);

  moments (glorot, &mean, &deviation, &largest);
  g_assert_cmpfloat (largest, <=, limit);
  g_assert_cmpfloat (fabs (mean), <, 0.01 * limit);
  g_assert_cmpfloat (fabs (deviation - limit / sqrt (3.0)), <, 0.02 * limit);

  moments (he, &mean, &deviation, &largest);
  g_assert_cmpfloat (largest, <=, 2.0 * sqrt (2.0 / 200.0) / 0.87962566103423978);
  g_assert_cmpfloat (fabs (deviation - sqrt (2.0 / 200.0)), <, 0.02 * sqrt (2.0 / 200.0));

  moments (uniform, &mean, &deviation, &largest);
  g_assert_cmpfloat (largest, <=, 0.05);
  exec_assert_tensor (ones, 2, DIMS (3, 2), (const float[]) { 1, 1, 1, 1, 1, 1 });

  for (guint i = 0; i < 16; i++)
    for (guint j = 0; j < 16; j++)
      {
        double dot = 0.0;

        for (guint k = 0; k < 16; k++)
          dot += orthogonal->data[i * 16 + k] * orthogonal->data[j * 16 + k];
        g_assert_cmpfloat_with_epsilon (dot, i == j ? 1.0 : 0.0, 1e-5);
      }
}

/* ---- Nested models, capture -------------------------------------------------- */

/* Input (3) → encoder [Input → Dense 2] → head Dense 1. */
static void
test_nested_model (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(NsGraph) inner = ns_graph_new ();
  g_autoptr(NsLayer) encoder = ns_layer_new (ns_layer_types_lookup ("Functional"), "encoder-id", "encoder");
  g_autoptr(GError) error = NULL;
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[3]", NULL);
  NsLayer *inner_dense = exec_add (inner, "Dense", exec_add (inner, "InputLayer", NULL, "shape", "[3]", NULL),
                                   "units", "2", "activation", "\"relu\"", NULL);
  NsExecutorOptions options = { .batch = 1, .capture_layer = "encoder" };
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) out = NULL;
  NsLayer *head;

  exec_set_weights (inner_dense, (ExecWeight[]) { { "kernel", 2, { 3, 2 }, (const float[]) { 1, -1, 2, 0, 0, 1 } },
                                                  { "bias", 1, { 2 }, (const float[]) { 0.5f, 0 } } }, 2);
  ns_layer_set_subgraph (encoder, inner);
  ns_graph_add_layer (graph, encoder, &error);
  g_assert_no_error (error);
  ns_graph_connect (graph, in, encoder, 0, &error);
  g_assert_no_error (error);
  head = exec_add (graph, "Dense", encoder, "units", "1", NULL);
  exec_set_weights (head, (ExecWeight[]) { { "kernel", 2, { 2, 1 }, (const float[]) { 2, 3 } },
                                           { "bias", 1, { 1 }, (const float[]) { 1 } } }, 2);

  /* (1, 2, 3) → relu(1 + 4 + 0.5, −1 + 3) = (5.5, 2) → 2·5.5 + 3·2 + 1. */
  out = run_with (graph, &options, (const float[]) { 1, 2, 3 }, &executor);
  exec_assert_tensor (out, 2, DIMS (1, 1), (const float[]) { 18 });
  exec_assert_tensor (ns_executor_get_captured (executor), 2, DIMS (1, 2), (const float[]) { 5.5f, 2 });
}

/* A captured layer that the output only reads through an in-place step
 * keeps its own values. */
static void
test_capture_before_in_place (void)
{
  static const float signs[] = { 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[4]", NULL);
  NsLayer *dense = exec_add (graph, "Dense", in, "units", "4", NULL);
  NsExecutorOptions options = { .batch = 1 };
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) out = NULL;

  ns_graph_rename_layer (graph, dense, "scores", NULL);
  exec_add (graph, "ReLU", dense, NULL);
  exec_set_weights (dense, (ExecWeight[]) { { "kernel", 2, { 4, 4 }, signs },
                                            { "bias", 1, { 4 }, (const float[]) { 0, 0, 0, 0 } } }, 2);
  options.capture_layer = "scores";
  out = run_with (graph, &options, (const float[]) { 1, 2, 3, 4 }, &executor);
  exec_assert_tensor (out, 2, DIMS (1, 4), (const float[]) { 1, 0, 3, 0 });
  exec_assert_tensor (ns_executor_get_captured (executor), 2, DIMS (1, 4), (const float[]) { 1, -2, 3, -4 });
}

/* ---- Refusals ----------------------------------------------------------------- */

/* 100,000 × 100,000 × 3 in, 64 channels out: terabytes, refused before
 * anything is allocated, with the figures in the message. */
static void
test_memory_limit (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsExecutorOptions options = { .batch = 1, .memory_limit = (guint64) 1 << 30 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) default_error = NULL;
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsExecutor) default_executor = NULL;
  g_autofree char *activations = ns_format_bytes ((gint64) 100000 * 100000 * (3 + 64) * 4);
  g_autofree char *weights = ns_format_bytes ((3 * 3 * 3 * 64 + 64) * 4);
  g_autofree char *limit = ns_format_bytes ((gint64) 1 << 30);
  g_autofree char *expected = NULL;

  exec_add (graph, "Conv2D", exec_add (graph, "InputLayer", NULL, "shape", "[100000, 100000, 3]", NULL),
            "filters", "64", "padding", "\"same\"", NULL);
  executor = ns_executor_new (graph, &options, &error);
  g_assert_null (executor);
  g_assert_error (error, NS_ERROR, NS_ERROR_TOO_LARGE);
  /* The kernels' scratch (under a megabyte) does not show at this scale. */
  expected = g_strdup_printf ("running the model with a batch of 1 needs %s (%s of activations, "
                              "%s of weights), more than the %s allowed",
                              activations, activations, weights, limit);
  g_assert_cmpstr (activations, ==, "2.4\u00a0TiB");
  g_assert_cmpstr (error->message, ==, expected);

  /* The default limit comes from the available memory. */
  options.memory_limit = 0;
  default_executor = ns_executor_new (graph, &options, &default_error);
  g_assert_null (default_executor);
  g_assert_error (default_error, NS_ERROR, NS_ERROR_TOO_LARGE);
  g_assert_cmpuint (ns_executor_default_memory_limit (), >, 0);
}

static void
test_cancelled (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  NsExecutorOptions options = { .batch = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, &options, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(NsTensor) input = NULL;
  g_autoptr(NsTensor) output = NULL;
  gint64 dims[NS_MAX_RANK + 1];
  guint rank;

  g_assert_no_error (error);
  ns_executor_get_input_shape (executor, &rank, dims);
  g_assert_cmpuint (rank, ==, 4);
  input = ns_tensor_new (rank, dims);
  g_cancellable_cancel (cancellable);
  output = ns_executor_run (executor, input, cancellable, &error);
  g_assert_null (output);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_wrong_input_shape (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, NULL, &error);
  g_autoptr(NsTensor) input = ns_tensor_new (4, DIMS (1, 64, 64, 3));
  g_autoptr(NsTensor) output = NULL;

  g_assert_no_error (error);
  output = ns_executor_run (executor, input, NULL, &error);
  g_assert_null (output);
  g_assert_error (error, NS_ERROR, NS_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==,
                   "the input is 1×64×64×3, but the model takes 1×128×128×3 (batch first)");
}

static void
test_cannot_run (void)
{
  g_autoptr(NsGraph) opaque_graph = ns_graph_new ();
  g_autoptr(NsGraph) unknown_graph = ns_graph_new ();
  g_autoptr(NsGraph) no_capture_graph = test_build_article ();
  NsExecutorOptions capture = { .batch = 1, .capture_layer = "nonesuch" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown_error = NULL;
  g_autoptr(GError) capture_error = NULL;
  NsLayer *opaque;

  opaque = exec_single (opaque_graph, "[4]", "OpaqueLayer",
                        "class_name", "\"Lambda\"", "output_shape", "[4]", NULL);
  ns_graph_rename_layer (opaque_graph, opaque, "custom", NULL);
  g_assert_null (ns_executor_new (opaque_graph, NULL, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNKNOWN_TYPE);
  g_assert_cmpstr (error->message, ==,
                   "layer custom cannot run: Netsketch does not know what a Lambda layer computes");

  /* Sizes known only at run time cannot be run. */
  exec_single (unknown_graph, "[null, null, 3]", "Conv2D", "filters", "2", NULL);
  g_assert_null (ns_executor_new (unknown_graph, NULL, &unknown_error));
  g_assert_error (unknown_error, NS_ERROR, NS_ERROR_SHAPE);

  g_assert_null (ns_executor_new (no_capture_graph, &capture, &capture_error));
  g_assert_error (capture_error, NS_ERROR, NS_ERROR_INVALID_VALUE);
  g_assert_cmpstr (capture_error->message, ==, "the model has no layer named nonesuch");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/executor/article/memory-plan", test_article_memory_plan);
  g_test_add_func ("/executor/article/batch-matches-single", test_batch_matches_single);
  g_test_add_func ("/executor/seed/reproducible", test_seed_reproducible);
  g_test_add_func ("/executor/seed/initializers", test_initializers);
  g_test_add_func ("/executor/nested-model", test_nested_model);
  g_test_add_func ("/executor/capture-before-in-place", test_capture_before_in_place);
  g_test_add_func ("/executor/refuse/memory-limit", test_memory_limit);
  g_test_add_func ("/executor/refuse/cancelled", test_cancelled);
  g_test_add_func ("/executor/refuse/wrong-input-shape", test_wrong_input_shape);
  g_test_add_func ("/executor/refuse/cannot-run", test_cannot_run);
  return g_test_run ();
}
