/* ns-cli-export.c: `netsketch-cli export`: a model written as Keras JSON, TensorFlow.js, Python or a summary. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-atomic-write.h"
#include "ns-cli-private.h"
#include "ns-export.h"
#include "ns-model-io.h"
#include "ns-types.h"

static gboolean
write_text (const char  *out,
            const char  *text,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (g_str_equal (out, "-"))
    return ns_cli_write_stdout (text);
  file = g_file_new_for_commandline_arg (out);
  return ns_atomic_write (file, text, strlen (text), NULL, error);
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
  NsExportFormat format;

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
  if (!ns_export_format_from_name (target, &format))
    {
      ns_cli_print_error (_("unknown export format “%s”; use keras-json, keras3-json, tfjs, netsketch, "
                            "pytorch, keras-py, summary-json, markdown, png, svg or pdf"), target);
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
  if (format == NS_EXPORT_TFJS && g_str_equal (out, "-"))
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
  /* Images and tfjs are files; the text formats may go to standard output. */
  if (!ns_export_format_is_text (format))
    {
      g_autoptr(GFile) target_file = NULL;

      if (g_str_equal (out, "-"))
        {
          ns_cli_print_error (_("a diagram is written to a file: give -o a file name"));
          return 1;
        }
      target_file = g_file_new_for_commandline_arg (out);
      if (!ns_export_to_file (graph, format, scale, target_file, &error))
        {
          /* A graph the exporter refuses is the MODEL's fault, a write OUT's. */
          ns_cli_print_error ("%s: %s", error->domain == NS_ERROR ? argv[1] : out, error->message);
          return 1;
        }
      return 0;
    }

  text = ns_export_to_text (graph, format, &error);
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
