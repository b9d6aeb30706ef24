/* ns-cli-export.c: `netsketch-cli export`: a model written as Keras JSON, TensorFlow.js, Python or a summary. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-cli-private.h"
#include "ns-code-export.h"
#include "ns-document.h"
#include "ns-keras-export.h"
#include "ns-model-io.h"
#include "ns-render.h"
#include "ns-summary.h"
#include "ns-tfjs-export.h"

typedef enum {
  EXPORT_KERAS_JSON,
  EXPORT_KERAS3_JSON,
  EXPORT_TFJS,
  EXPORT_NETSKETCH,
  EXPORT_PYTORCH,
  EXPORT_KERAS_PY,
  EXPORT_SUMMARY_JSON,
  EXPORT_MARKDOWN,
  EXPORT_PNG,           /* the diagram, drawn by the canvas' renderer */
  EXPORT_SVG,
  EXPORT_PDF,
  EXPORT_LATER,         /* the summary as an image: the editor brings it */
} ExportKind;

static const struct {
  const char *name;
  ExportKind  kind;
} targets[] = {
  { "keras-json",   EXPORT_KERAS_JSON },
  { "keras3-json",  EXPORT_KERAS3_JSON },
  { "tfjs",         EXPORT_TFJS },
  { "netsketch",    EXPORT_NETSKETCH },
  { "pytorch",      EXPORT_PYTORCH },
  { "keras-py",     EXPORT_KERAS_PY },
  { "summary-json", EXPORT_SUMMARY_JSON },
  { "markdown",     EXPORT_MARKDOWN },
  { "png",          EXPORT_PNG },
  { "svg",          EXPORT_SVG },
  { "pdf",          EXPORT_PDF },
  { "summary-png",  EXPORT_LATER },
};

/* The text of every kind but tfjs and the images. */
static char *
export_text (NsGraph     *graph,
             ExportKind   kind,
             GError     **error)
{
  switch (kind)
    {
    case EXPORT_KERAS_JSON:
      return ns_keras_export_to_data (graph, NS_KERAS_LAYOUT_TF_KERAS_2, NULL, error);
    case EXPORT_KERAS3_JSON:
      return ns_keras_export_to_data (graph, NS_KERAS_LAYOUT_KERAS_3, NULL, error);
    case EXPORT_NETSKETCH:
      return ns_document_to_data (graph, NULL);
    case EXPORT_PYTORCH:
      return ns_code_export_pytorch (graph, error);
    case EXPORT_KERAS_PY:
      return ns_code_export_keras_py (graph, error);
    case EXPORT_SUMMARY_JSON:
      return ns_summary_format (graph, NS_SUMMARY_JSON);
    case EXPORT_MARKDOWN:
      return ns_summary_format (graph, NS_SUMMARY_MARKDOWN);
    case EXPORT_TFJS:
    case EXPORT_LATER:
    default:
      g_assert_not_reached ();
    }
}

/* OUT ending in ".json": OUT plus "<OUT without .json>.weights.bin" beside
 * it; anything else: a folder OUT (made if needed) holding model.json and
 * group1-shard1of1.bin, as tfjs' converter names them. */
static gboolean
export_tfjs (NsGraph     *graph,
             const char  *out,
             GError     **error)
{
  g_autoptr(GFile) model_file = NULL;
  g_autoptr(GFile) weights_file = NULL;

  if (g_str_has_suffix (out, ".json"))
    {
      g_autofree char *stem = g_strndup (out, strlen (out) - strlen (".json"));
      g_autofree char *weights = g_strconcat (stem, ".weights.bin", NULL);

      model_file = g_file_new_for_commandline_arg (out);
      weights_file = g_file_new_for_commandline_arg (weights);
    }
  else
    {
      g_autoptr(GFile) folder = g_file_new_for_commandline_arg (out);
      g_autoptr(GError) local_error = NULL;

      if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      model_file = g_file_get_child (folder, "model.json");
      weights_file = g_file_get_child (folder, "group1-shard1of1.bin");
    }
  return ns_tfjs_export (graph, model_file, weights_file, error);
}

static gboolean
write_text (const char  *out,
            const char  *text,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (g_str_equal (out, "-"))
    return ns_cli_write_stdout (text);
  file = g_file_new_for_commandline_arg (out);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

int
ns_cli_export (int    argc,
               char **argv)
{
  g_autofree char *target = NULL;
  g_autofree char *out = NULL;
  double scale = 1.0;
  const GOptionEntry entries[] = {
    { "to", 't', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &target,
      N_("What to write: keras-json, keras3-json, tfjs, netsketch, pytorch, keras-py, "
         "summary-json, markdown, or the diagram as png, svg or pdf"),
      N_("FORMAT") },
    { "scale", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_DOUBLE, &scale,
      N_("Pixels per canvas unit of a PNG diagram, from 0.25 to 8 (2 for print; default 1)"),
      N_("FACTOR") },
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &out,
      N_("Where to write it (“-” for standard output); for tfjs a folder, or a .json "
         "file with its .weights.bin beside it"),
      N_("OUT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autofree char *text = NULL;
  ExportKind kind = EXPORT_LATER;
  gboolean known = FALSE;

  context = ns_cli_option_context_new (N_("MODEL"),
                                       N_("Writes MODEL (a .netsketch file, a Keras JSON or a TensorFlow.js\n"
                                          "model.json) in another format. A model with a layer in error is refused."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ns_cli_print_error ("%s", error->message);
      return 1;
    }

  if (target == NULL)
    {
      ns_cli_print_error (_("export needs --to FORMAT; see “netsketch-cli help export”"));
      return 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (target, targets[i].name))
      {
        kind = targets[i].kind;
        known = TRUE;
      }
  if (!known)
    {
      ns_cli_print_error (_("unknown export format “%s”; use keras-json, keras3-json, tfjs, netsketch, "
                            "pytorch, keras-py, summary-json, markdown, png, svg or pdf"), target);
      return 1;
    }
  if (kind == EXPORT_LATER)
    {
      ns_cli_print_error (_("export to %s is not available yet"), target);
      return 1;
    }
  if (out == NULL)
    {
      ns_cli_print_error (_("export needs -o OUT; see “netsketch-cli help export”"));
      return 1;
    }
  if (!(scale >= 0.25 && scale <= 8))
    {
      ns_cli_print_error (_("--scale must be from 0.25 to 8, not %g"), scale);
      return 1;
    }
  if (kind == EXPORT_TFJS && g_str_equal (out, "-"))
    {
      ns_cli_print_error (_("a TensorFlow.js model is two files: give -o a folder or a .json file"));
      return 1;
    }
  if (argc != 2)
    {
      ns_cli_print_error (argc < 2 ? _("export needs a MODEL file; see “netsketch-cli help export”")
                                   : _("export takes one MODEL file"));
      return 1;
    }

  graph = ns_cli_load_model (argv[1]);
  if (graph == NULL)
    return 1;
  /* A diagram shows layers in error as they are; every other format refuses them. */
  if (kind == EXPORT_PNG || kind == EXPORT_SVG || kind == EXPORT_PDF)
    {
      g_autoptr(GFile) target_file = NULL;

      if (g_str_equal (out, "-"))
        {
          ns_cli_print_error (_("a diagram is written to a file: give -o a file name"));
          return 1;
        }
      target_file = g_file_new_for_commandline_arg (out);
      if (!ns_render_export (graph, kind == EXPORT_PNG ? NS_RENDER_PNG
                                    : kind == EXPORT_SVG ? NS_RENDER_SVG : NS_RENDER_PDF,
                             scale, target_file, &error))
        {
          ns_cli_print_error ("%s: %s", out, error->message);
          return 1;
        }
      return 0;
    }

  /* Exporters check too; asking here words it once for every format. */
  if (!ns_export_check_graph (graph, &error))
    {
      ns_cli_print_error ("%s: %s", argv[1], error->message);
      return 1;
    }

  if (kind == EXPORT_TFJS)
    {
      if (!export_tfjs (graph, out, &error))
        {
          ns_cli_print_error ("%s: %s", out, error->message);
          return 1;
        }
      return 0;
    }

  text = export_text (graph, kind, &error);
  if (text == NULL)
    {
      ns_cli_print_error ("%s: %s", argv[1], error->message);
      return 1;
    }
  if (!write_text (out, text, &error))
    {
      /* ns_cli_write_stdout has said why already. */
      if (error != NULL)
        ns_cli_print_error ("%s: %s", out, error->message);
      return 1;
    }
  return 0;
}
