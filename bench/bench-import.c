/* bench-import.c: how long opening a model file takes, from its bytes to a
 * printed summary: VGG16 in each Keras dialect, and a generated 100,000-layer
 * chain. Prints medians; see BENCHMARKS.md. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns-model-io.h"
#include "ns-summary.h"
#include "test-helpers.h"

#define RUNS 21
#define RUNS_LARGE 5

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[n / 2];
}

/* Milliseconds to load @data and format its text summary, the work of
 * `netsketch-cli summary` minus process start-up and reading the file. */
static double
time_once (const char *data,
           gsize       length,
           const char *display_name,
           gboolean    with_summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autofree char *summary = NULL;
  gint64 start = g_get_monotonic_time ();

  graph = ns_model_load_from_data (data, length, display_name, &error);
  if (graph == NULL)
    g_error ("%s", error->message);
  if (with_summary)
    summary = ns_summary_format (graph, NS_SUMMARY_TEXT);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GError) error = NULL;
  double with_summary[RUNS], load_only[RUNS];
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }

  /* One untimed run: first use registers the layer types and interns names. */
  time_once (data, length, name, TRUE);
  for (guint i = 0; i < RUNS; i++)
    {
      with_summary[i] = time_once (data, length, name, TRUE);
      load_only[i] = time_once (data, length, name, FALSE);
    }
  /* median() sorts, so the extremes are read after it. */
  {
    double mid = median (with_summary, RUNS);

    g_print ("%-60s load + summary: median %.2f ms (min %.2f, max %.2f); load only: median %.2f ms\n",
             path, mid, with_summary[0], with_summary[RUNS - 1], median (load_only, RUNS));
  }
}

static void
bench_long_chain (guint n_layers)
{
  g_autofree char *data = test_keras_chain (n_layers);
  gsize length = strlen (data);
  double load_only[RUNS_LARGE], with_summary[RUNS_LARGE];

  for (guint i = 0; i < RUNS_LARGE; i++)
    {
      load_only[i] = time_once (data, length, "long.json", FALSE);
      with_summary[i] = time_once (data, length, "long.json", TRUE);
    }
  {
    double mid = median (load_only, RUNS_LARGE);

    g_print ("%u-layer Functional chain (%.1f MB of JSON): load: median %.1f ms (min %.1f, max %.1f); "
             "load + summary: median %.1f ms\n",
             n_layers, length / 1e6, mid, load_only[0], load_only[RUNS_LARGE - 1],
             median (with_summary, RUNS_LARGE));
  }
}

int
main (int   argc,
      char *argv[])
{
  static const char *defaults[] = {
    "tests/fixtures/keras/vgg16/keras.json",
    "tests/fixtures/keras/vgg16/keras3.json",
    "tests/fixtures/keras/vgg16/tfjs_topology.json",
  };

  /* --chain N: only the generated chain, N layers long. */
  if (argc == 3 && g_strcmp0 (argv[1], "--chain") == 0)
    {
      bench_long_chain ((guint) g_ascii_strtoull (argv[2], NULL, 10));
      return 0;
    }
  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        bench_file (argv[i]);
      return 0;
    }

  /* Without arguments: the committed fixtures, from the source tree. */
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      g_autofree char *path = g_build_filename (NS_SOURCE_ROOT, defaults[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        bench_file (path);
    }
  bench_long_chain (100000);
  return 0;
}
