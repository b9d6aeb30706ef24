/* test-run-fixtures.c: the forward pass against TensorFlow.js: every fixture
 * case with a tfjs/ model runs on its input.npy and must give its output.npy
 * within 1e-4 × max(1, max|expected|). In-process through the executor for
 * all 501 cases, and through `netsketch-cli run` for a few. The seed case
 * (the article's network) keeps a strided slice and per-channel statistics of
 * its 5.5 MB output instead of the whole. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ns-executor.h"
#include "ns-model-io.h"
#include "ns-npy.h"

#define N_CASES 501
#define REL_TOLERANCE 1e-4

/* The seed reference: rows and columns ⌊k·127/15⌋, k = 0…15, of the
 * 1×128×128×85 output (output-strided.npy), and per channel the mean, min
 * and max over all 128×128 pixels (output-stats.npy, 3×85). */
#define SEED_SIDE 128
#define SEED_CHANNELS 85
#define SEED_STRIDED 16

static char *
case_path (const char *name,
           const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "keras", name, file, NULL);
}

static NsTensor *
load_npy (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NsTensor *tensor = ns_npy_load (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return tensor;
}

static float
max_abs (const NsTensor *tensor)
{
  gint64 n = ns_tensor_get_n_values (tensor);
  float m = 0;

  for (gint64 i = 0; i < n; i++)
    m = MAX (m, fabsf (tensor->data[i]));
  return m;
}

/* Asserts @made equals @expected within the tolerance, naming the first
 * value that is off. @bound is max|expected| over the whole output. */
static void
assert_close (const char     *what,
              const NsTensor *made,
              const NsTensor *expected,
              float           bound)
{
  double tolerance = REL_TOLERANCE * MAX (1.0, bound);
  gint64 n = ns_tensor_get_n_values (expected);
  double worst = 0;
  gint64 worst_at = 0;

  g_assert_cmpuint (made->rank, ==, expected->rank);
  for (guint d = 0; d < expected->rank; d++)
    g_assert_cmpint (made->dims[d], ==, expected->dims[d]);
  for (gint64 i = 0; i < n; i++)
    {
      double diff = fabs ((double) made->data[i] - expected->data[i]);

      /* NaN compares false: count it as off. */
      if (!(diff <= worst))
        {
          worst = isnan (diff) ? INFINITY : diff;
          worst_at = i;
        }
    }
  /* Failing without aborting: the other cases still run and report. */
  if (worst > tolerance)
    g_test_fail_printf ("%s: value %" G_GINT64_FORMAT " is %g, expected %g (off by %g, tolerance %g)", what,
                        worst_at, made->data[worst_at], expected->data[worst_at], worst, tolerance);
}

static NsTensor *
run_in_process (const char     *name,
                const NsTensor *input)
{
  g_autofree char *model_path = case_path (name, "tfjs/model.json");
  g_autoptr(GFile) model = g_file_new_for_path (model_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_model_load (model, NULL, NULL, &error);
  g_autoptr(NsExecutor) executor = NULL;
  NsExecutorOptions options = { 0, input->dims[0], 0, NULL };
  NsTensor *output;

  g_assert_no_error (error);
  executor = ns_executor_new (graph, &options, &error);
  g_assert_no_error (error);
  output = ns_executor_run (executor, input, NULL, &error);
  g_assert_no_error (error);
  return output;
}

/* The seed case's output against its slice and statistics. */
static void
check_seed (const NsTensor *output)
{
  g_autofree char *strided_path = case_path ("seed", "output-strided.npy");
  g_autofree char *stats_path = case_path ("seed", "output-stats.npy");
  g_autoptr(NsTensor) strided = load_npy (strided_path);
  g_autoptr(NsTensor) stats = load_npy (stats_path);
  g_autoptr(NsTensor) made_strided = ns_tensor_new (strided->rank, strided->dims);
  g_autoptr(NsTensor) made_stats = ns_tensor_new (stats->rank, stats->dims);
  const gint64 dims[] = { 1, SEED_SIDE, SEED_SIDE, SEED_CHANNELS };
  /* The full output's max|value|, 4.808985, is not kept: the slice's and the
   * statistics' bound it from below, so the tolerance is if anything tighter. */
  float bound = MAX (max_abs (strided), max_abs (stats));

  g_assert_cmpuint (output->rank, ==, 4);
  for (guint d = 0; d < 4; d++)
    g_assert_cmpint (output->dims[d], ==, dims[d]);

  for (guint i = 0; i < SEED_STRIDED; i++)
    for (guint j = 0; j < SEED_STRIDED; j++)
      {
        guint row = i * (SEED_SIDE - 1) / (SEED_STRIDED - 1);
        guint col = j * (SEED_SIDE - 1) / (SEED_STRIDED - 1);

        memcpy (&made_strided->data[(i * SEED_STRIDED + j) * SEED_CHANNELS],
                &output->data[(row * SEED_SIDE + col) * SEED_CHANNELS], SEED_CHANNELS * sizeof (float));
      }
  assert_close ("seed: strided slice", made_strided, strided, bound);

  for (guint c = 0; c < SEED_CHANNELS; c++)
    {
      double sum = 0;
      float lo = INFINITY, hi = -INFINITY;

      for (guint p = 0; p < SEED_SIDE * SEED_SIDE; p++)
        {
          float v = output->data[p * SEED_CHANNELS + c];

          sum += v;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
      made_stats->data[c] = sum / (SEED_SIDE * SEED_SIDE);
      made_stats->data[SEED_CHANNELS + c] = lo;
      made_stats->data[2 * SEED_CHANNELS + c] = hi;
    }
  assert_close ("seed: per-channel mean, min, max", made_stats, stats, bound);
}

static void
test_case_in_process (gconstpointer data)
{
  const char *name = data;
  g_autofree char *input_path = case_path (name, "input.npy");
  g_autofree char *output_path = case_path (name, "output.npy");
  g_autoptr(NsTensor) input = load_npy (input_path);
  g_autoptr(NsTensor) output = run_in_process (name, input);
  g_autoptr(NsTensor) expected = NULL;

  if (g_str_equal (name, "seed"))
    {
      check_seed (output);
      return;
    }
  expected = load_npy (output_path);
  assert_close (name, output, expected, max_abs (expected));
}

/* ---- Through the CLI ----------------------------------------------------- */

static void
run_cli (const char *const *args,
         int                expected_status,
         char             **out_stderr)
{
  const char *cli = g_getenv ("NETSKETCH_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (expected_status == 0 && !g_spawn_check_wait_status (wait_status, NULL))
    g_error ("netsketch-cli failed: %s", err);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, expected_status);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
}

static void
test_cli_cases (void)
{
  static const char *const names[] = { "seed", "unet", "random_00", "random_07", "grid_convT_k3_s2_same_i7" };
  g_autofree char *dir = g_dir_make_tmp ("netsketch-run-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.npy", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *model = case_path (names[i], "tfjs/model.json");
      g_autofree char *input_path = case_path (names[i], "input.npy");
      g_autofree char *expected_path = case_path (names[i], "output.npy");
      const char *const args[] = { "run", "--input", input_path, "--output", out_path, model, NULL };
      g_autoptr(NsTensor) made = NULL;
      g_autoptr(NsTensor) expected = NULL;

      run_cli (args, 0, NULL);
      made = load_npy (out_path);
      if (g_str_equal (names[i], "seed"))
        check_seed (made);
      else
        {
          expected = load_npy (expected_path);
          assert_close (names[i], made, expected, max_abs (expected));
        }
    }
  g_assert_cmpint (g_unlink (out_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --layer writes an intermediate activation: the article's con1 after its
 * input, 1×128×128×64, the same as a model cut there would give. */
static void
test_cli_layer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("netsketch-run-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "con1.npy", NULL);
  g_autofree char *model = case_path ("seed", "tfjs/model.json");
  g_autofree char *input_path = case_path ("seed", "input.npy");
  const char *const args[] = { "run", "-i", input_path, "--layer", "con1", "-o", out_path, model, NULL };
  g_autoptr(NsTensor) con1 = NULL;
  g_autofree char *shape = NULL;
  gint64 n, positive = 0;

  run_cli (args, 0, NULL);
  con1 = load_npy (out_path);
  shape = ns_npy_format_shape (con1->rank, con1->dims);
  g_assert_cmpstr (shape, ==, "(1, 128, 128, 64)");
  /* con1 has no activation: its outputs take both signs. */
  n = ns_tensor_get_n_values (con1);
  for (gint64 i = 0; i < n; i++)
    positive += con1->data[i] > 0;
  g_assert_cmpint (positive, >, n / 10);
  g_assert_cmpint (positive, <, n - n / 10);
  g_assert_cmpint (g_unlink (out_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Every case folder with a TensorFlow.js model, sorted. */
static GPtrArray *
list_cases (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "fixtures", "keras", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *model = g_build_filename (root, name, "tfjs", "model.json", NULL);
      g_autofree char *input = g_build_filename (root, name, "input.npy", NULL);

      if (g_file_test (model, G_FILE_TEST_EXISTS) && g_file_test (input, G_FILE_TEST_EXISTS))
        g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
test_case_count (gconstpointer data)
{
  const GPtrArray *names = data;

  /* Every fixture case with a tfjs/ folder has its input and output here. */
  g_assert_cmpuint (names->len, ==, N_CASES);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) names = NULL;

  g_test_init (&argc, &argv, NULL);
  names = list_cases ();
  g_ptr_array_sort (names, compare_names);
  g_test_add_data_func ("/run-fixtures/count", names, test_case_count);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/run-fixtures/in-process/%s",
                                               (const char *) g_ptr_array_index (names, i));

      g_test_add_data_func (path, g_ptr_array_index (names, i), test_case_in_process);
    }
  g_test_add_func ("/run-fixtures/cli", test_cli_cases);
  g_test_add_func ("/run-fixtures/cli-layer", test_cli_layer);
  return g_test_run ();
}
