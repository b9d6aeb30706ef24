/* ns-cli-run.c: `netsketch-cli run` (one forward pass, .npy in and out) and
 * `netsketch-cli bench` (timed passes with a per-layer table). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "ns-cli-private.h"
#include "ns-executor.h"
#include "ns-npy.h"
#include "ns-shape.h"
#include "ns-types.h"

#define DEFAULT_RUNS 10

/* The layer the executor feeds: the model's first input. */
static NsLayer *
find_input_layer (NsGraph *graph)
{
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);

  return inputs->len > 0 ? g_ptr_array_index (inputs, 0) : NULL;
}

/* "(batch, 128, 128, 3)": what the Input layer takes, the batch left open. */
static char *
describe_input_shape (const NsShape *shape)
{
  GString *text = g_string_new ("(batch");

  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        g_string_append (text, ", None");
      else
        g_string_append_printf (text, ", %" G_GINT64_FORMAT, shape->dims[i]);
    }
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

/* Whether @tensor fits @shape after its batch axis; unknown dims take any size. */
static gboolean
input_fits (const NsTensor *tensor,
            const NsShape  *shape)
{
  if (tensor->rank != shape->rank + 1)
    return FALSE;
  for (guint i = 0; i < shape->rank; i++)
    if (shape->dims[i] != NS_DIM_NONE && shape->dims[i] != tensor->dims[i + 1])
      return FALSE;
  return TRUE;
}

/* Plans the pass, saying why in one line when it cannot. */
static NsExecutor *
plan (NsGraph     *graph,
      const char  *model,
      guint64      seed,
      gint64       batch,
      const char  *capture_layer)
{
  NsExecutorOptions options = { seed, batch, 0, capture_layer };
  g_autoptr(GError) error = NULL;
  NsExecutor *executor = ns_executor_new (graph, &options, &error);

  if (executor == NULL)
    ns_cli_print_error ("%s: %s", model, error->message);
  return executor;
}

static gboolean
check_model_argument (int         argc,
                      const char *command)
{
  if (argc < 2)
    {
      ns_cli_print_error (_("%s needs a MODEL file; see “netsketch-cli help %s”"), command, command);
      return FALSE;
    }
  if (argc > 2)
    {
      ns_cli_print_error (_("%s takes one MODEL file, not %d"), command, argc - 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_seed (gint64 seed)
{
  if (seed < 0)
    {
      ns_cli_print_error (_("--seed must be a whole number ≥ 0, not %" PRId64), seed);
      return FALSE;
    }
  return TRUE;
}

int
ns_cli_run (int    argc,
            char **argv)
{
  g_autofree char *input_path = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *layer_name = NULL;
  gint64 seed = 0;
  const GOptionEntry entries[] = {
    { "input", 'i', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &input_path,
      N_("The input batch: a float32 .npy file, batch first (default: uniform noise from the seed)"),
      N_("X.npy") },
    { "seed", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the weights that the model does not carry, and of the noise input (default 0)"),
      N_("N") },
    { "layer", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &layer_name,
      N_("Write this layer’s output instead of the model’s"), N_("NAME") },
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &output_path,
      N_("Where to write the result, as a float32 .npy file"), N_("Y.npy") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autoptr(NsTensor) input = NULL;
  g_autoptr(NsTensor) output = NULL;
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(GFile) output_file = NULL;
  const NsTensor *result;
  const NsLayerInfo *input_info;
  NsLayer *input_layer;
  const char *model;

  context = ns_cli_option_context_new (N_("MODEL"),
                                       N_("Runs MODEL forward on the CPU and writes its output as a NumPy .npy\n"
                                          "file. Weights come from the model where it has them (a TensorFlow.js\n"
                                          "model.json) and from Keras’ initializers with the seed elsewhere."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ns_cli_print_error ("%s", error->message);
      return 1;
    }
  if (output_path == NULL)
    {
      ns_cli_print_error (_("run needs --output Y.npy; see “netsketch-cli help run”"));
      return 1;
    }
  if (!check_seed (seed) || !check_model_argument (argc, "run"))
    return 1;
  model = argv[1];

  graph = ns_cli_load_model (model);
  if (graph == NULL)
    return 1;
  if (layer_name != NULL && ns_graph_find_by_name (graph, layer_name) == NULL)
    {
      ns_cli_print_error (_("%s: no layer named “%s”"), model, layer_name);
      return 1;
    }
  input_layer = find_input_layer (graph);
  if (input_layer == NULL)
    {
      ns_cli_print_error (_("%s: the model has no Input layer to feed"), model);
      return 1;
    }
  input_info = ns_layer_get_info (input_layer);

  if (input_path != NULL)
    {
      g_autoptr(GFile) input_file = g_file_new_for_commandline_arg (input_path);

      input = ns_npy_load (input_file, input_path, NULL, &error);
      if (input == NULL)
        {
          ns_cli_print_error ("%s", error->message);
          return 1;
        }
      /* Checked before planning, which sizes every buffer by the batch. */
      if (input_info->state == NS_LAYER_OK && !input_fits (input, &input_info->output))
        {
          g_autofree char *has = ns_npy_format_shape (input->rank, input->dims);
          g_autofree char *takes = describe_input_shape (&input_info->output);

          ns_cli_print_error (_("%s has shape %s; the Input layer '%s' takes %s"), input_path, has,
                              ns_layer_get_name (input_layer), takes);
          return 1;
        }
    }

  executor = plan (graph, model, (guint64) seed, input != NULL ? input->dims[0] : 1, layer_name);
  if (executor == NULL)
    return 1;

  if (input == NULL)
    {
      gint64 dims[NS_MAX_RANK + 1];
      guint rank;

      ns_executor_get_input_shape (executor, &rank, dims);
      input = ns_tensor_new_noise (rank, dims, (guint64) seed);
      if (input == NULL)
        {
          ns_cli_print_error (_("%s: the input is too large to make"), model);
          return 1;
        }
    }

  output = ns_executor_run (executor, input, NULL, &error);
  if (output == NULL)
    {
      ns_cli_print_error ("%s: %s", model, error->message);
      return 1;
    }
  result = layer_name != NULL ? ns_executor_get_captured (executor) : output;
  if (result == NULL)
    {
      ns_cli_print_error (_("%s: the pass did not keep the output of “%s”"), model, layer_name);
      return 1;
    }

  output_file = g_file_new_for_commandline_arg (output_path);
  if (!ns_npy_save (output_file, result, NULL, &error))
    {
      ns_cli_print_error ("%s: %s", output_path, error->message);
      return 1;
    }
  return 0;
}

/* ---- bench --------------------------------------------------------------- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Milliseconds with a point whatever the locale: scripts read these. */
static char *
format_ms (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3f", seconds * 1000));
}

static char *
format_table (GArray  *layers,
              double  *layer_medians,
              double   forward_median,
              gint64   batch,
              guint64  peak,
              guint64  planned,
              guint64  weights)
{
  GString *out = g_string_new (NULL);
  g_autofree char *forward = format_ms (forward_median);
  g_autofree char *peak_text = ns_format_bytes ((gint64) peak);
  g_autofree char *planned_text = ns_format_bytes ((gint64) planned);
  g_autofree char *weights_text = ns_format_bytes ((gint64) weights);
  double sum = 0;
  guint name_width = 5, type_width = 4;

  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_array_index (layers, NsLayerTiming, i).layer;

      name_width = MAX (name_width, g_utf8_strlen (ns_layer_get_name (layer), -1));
      type_width = MAX (type_width, g_utf8_strlen (ns_layer_get_class_name (layer), -1));
      sum += layer_medians[i];
    }

  g_string_append_printf (out, "%-*s  %-*s  %12s  %6s\n", name_width, _("Layer"), type_width, _("Type"),
                          _("Median ms"), _("Share"));
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_array_index (layers, NsLayerTiming, i).layer;
      g_autofree char *ms = format_ms (layer_medians[i]);
      char share[G_ASCII_DTOSTR_BUF_SIZE];
      const char *name = ns_layer_get_name (layer);
      const char *type = ns_layer_get_class_name (layer);

      g_ascii_formatd (share, sizeof share, "%.1f", sum > 0 ? 100 * layer_medians[i] / sum : 0);
      /* Pads by characters, not bytes: names may be any UTF-8. */
      g_string_append (out, name);
      for (guint pad = g_utf8_strlen (name, -1); pad < name_width + 2; pad++)
        g_string_append_c (out, ' ');
      g_string_append (out, type);
      for (guint pad = g_utf8_strlen (type, -1); pad < type_width + 2; pad++)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%12s  %5s%%\n", ms, share);
    }
  g_string_append_printf (out, _("Peak memory: %s (planned activations %s, weights %s)"),
                          peak_text, planned_text, weights_text);
  g_string_append_c (out, '\n');
  /* The contract's last line (DESIGN.md): scripts parse it, so it is not
   * translated. */
  g_string_append_printf (out, "forward median: %s ms (batch %" G_GINT64_FORMAT ")\n", forward, batch);
  return g_string_free (out, FALSE);
}

int
ns_cli_bench (int    argc,
              char **argv)
{
  gint runs = DEFAULT_RUNS;
  gint batch = 1;
  gint64 seed = 0;
  const GOptionEntry entries[] = {
    { "runs", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &runs,
      N_("Timed passes after one warm-up pass (default 10)"), N_("N") },
    { "batch", 'b', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &batch,
      N_("Samples per pass (default 1)"), N_("B") },
    { "seed", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the weights that the model does not carry and of the noise input (default 0)"),
      N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) input = NULL;
  g_autoptr(GArray) first_timings = NULL;
  g_autofree double *totals = NULL;
  g_autofree double *per_layer = NULL;       /* runs × layers, run-major */
  g_autofree double *layer_medians = NULL;
  g_autofree double *column = NULL;
  g_autofree char *table = NULL;
  gint64 dims[NS_MAX_RANK + 1];
  guint rank, n_layers = 0;
  const char *model;

  context = ns_cli_option_context_new (N_("MODEL"),
                                       N_("Times MODEL’s forward pass on noise: one warm-up pass, then N timed\n"
                                          "passes. Prints each layer’s median time and share, the peak memory,\n"
                                          "and last the line “forward median: X ms (batch B)”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ns_cli_print_error ("%s", error->message);
      return 1;
    }
  if (runs < 1)
    {
      ns_cli_print_error (_("--runs must be at least 1, not %d"), runs);
      return 1;
    }
  if (batch < 1)
    {
      ns_cli_print_error (_("--batch must be at least 1, not %d"), batch);
      return 1;
    }
  if (!check_seed (seed) || !check_model_argument (argc, "bench"))
    return 1;
  model = argv[1];

  graph = ns_cli_load_model (model);
  if (graph == NULL)
    return 1;
  executor = plan (graph, model, (guint64) seed, batch, NULL);
  if (executor == NULL)
    return 1;
  ns_executor_get_input_shape (executor, &rank, dims);
  input = ns_tensor_new_noise (rank, dims, (guint64) seed);
  if (input == NULL)
    {
      ns_cli_print_error (_("%s: the input is too large to make"), model);
      return 1;
    }

  totals = g_new (double, runs);
  for (gint run = -1; run < runs; run++)
    {
      g_autoptr(NsTensor) output = NULL;
      GArray *timings;
      gint64 start = g_get_monotonic_time ();

      output = ns_executor_run (executor, input, NULL, &error);
      if (output == NULL)
        {
          ns_cli_print_error ("%s: %s", model, error->message);
          return 1;
        }
      /* The first pass warms caches and the allocator: not timed. */
      if (run < 0)
        continue;
      totals[run] = (g_get_monotonic_time () - start) / 1e6;

      timings = ns_executor_get_timings (executor);
      if (first_timings == NULL)
        {
          n_layers = timings->len;
          first_timings = g_array_copy (timings);
          per_layer = g_new0 (double, (gsize) runs * MAX (n_layers, 1));
        }
      for (guint i = 0; i < MIN (n_layers, timings->len); i++)
        per_layer[(gsize) run * n_layers + i] = g_array_index (timings, NsLayerTiming, i).seconds;
    }

  /* runs ≥ 1: the first timed pass kept its timings. */
  g_assert (first_timings != NULL);
  layer_medians = g_new0 (double, MAX (n_layers, 1));
  column = g_new (double, runs);
  for (guint i = 0; i < n_layers; i++)
    {
      for (gint run = 0; run < runs; run++)
        column[run] = per_layer[(gsize) run * n_layers + i];
      layer_medians[i] = median (column, runs);
    }

  table = format_table (first_timings, layer_medians, median (totals, runs), batch,
                        ns_executor_get_peak_bytes (executor),
                        ns_executor_get_planned_activation_bytes (executor),
                        ns_executor_get_weight_bytes (executor));
  return ns_cli_write_stdout (table) ? 0 : 1;
}
