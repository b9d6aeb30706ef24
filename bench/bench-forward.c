/* bench-forward.c: the forward pass of a model file: one warm-up pass, then
 * timed passes on seeded noise; prints the median, the slowest layers and
 * the memory figures (the executor's plan and the process' peak RSS). See
 * BENCHMARKS.md.
 *
 *   bench-forward [--runs N] [--batch B] MODEL */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns-executor.h"
#include "ns-model-io.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* VmHWM of /proc/self/status, in bytes; 0 when unknown. */
static guint64
peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) * 1024;
}

static double
mib (guint64 bytes)
{
  return bytes / (1024.0 * 1024.0);
}

int
main (int    argc,
      char **argv)
{
  gint runs = 21, batch = 1;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Timed passes (21)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Batch size (1)", "B" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("MODEL");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) input = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *layer_seconds = NULL;
  NsExecutorOptions options = { .seed = 1 };
  GArray *timings;
  guint64 rss_before, planned, weights;
  gint64 dims[NS_MAX_RANK + 1];
  guint rank;
  GRand *rand;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || runs < 1 || batch < 1)
    {
      g_printerr ("usage: bench-forward [--runs N] [--batch B] MODEL\n");
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  graph = ns_model_load (file, NULL, NULL, &error);
  if (graph == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  rss_before = peak_rss ();
  options.batch = batch;
  executor = ns_executor_new (graph, &options, &error);
  if (executor == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  ns_executor_get_input_shape (executor, &rank, dims);
  input = ns_tensor_new (rank, dims);
  rand = g_rand_new_with_seed (1);
  for (gint64 i = 0; i < ns_tensor_get_n_values (input); i++)
    input->data[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  g_rand_free (rand);

  for (gint i = 0; i <= runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(NsTensor) output = ns_executor_run (executor, input, NULL, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (output == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      timings = ns_executor_get_timings (executor);
      if (layer_seconds == NULL)
        layer_seconds = g_new0 (double, timings->len);
      if (i == 0)
        continue;            /* the warm-up pass */
      g_array_append_val (times, ms);
      for (guint j = 0; j < timings->len; j++)
        layer_seconds[j] += g_array_index (timings, NsLayerTiming, j).seconds / runs;
    }

  g_array_sort (times, compare_double);
  timings = ns_executor_get_timings (executor);
  printf ("layer                      mean ms\n");
  for (guint j = 0; j < timings->len; j++)
    printf ("%-26s %7.3f\n", ns_layer_get_name (g_array_index (timings, NsLayerTiming, j).layer),
            layer_seconds[j] * 1000.0);
  planned = ns_executor_get_planned_activation_bytes (executor);
  weights = ns_executor_get_weight_bytes (executor);
  printf ("planned live activations: %.2f MiB, weights: %.2f MiB, executor peak: %.2f MiB (%.2f× plan)\n",
          mib (planned), mib (weights), mib (ns_executor_get_peak_bytes (executor)),
          (double) ns_executor_get_peak_bytes (executor) / (double) (planned + weights));
  printf ("process peak RSS: %.2f MiB (%.2f MiB more than after loading the model)\n",
          mib (peak_rss ()), mib (peak_rss () - rss_before));
  printf ("forward: min %.2f ms, median %.2f ms, max %.2f ms over %d passes (batch %d)\n",
          g_array_index (times, double, 0), g_array_index (times, double, times->len / 2),
          g_array_index (times, double, times->len - 1), runs, batch);
  return 0;
}
