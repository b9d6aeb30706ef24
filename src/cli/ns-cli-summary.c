/* ns-cli-summary.c: `netsketch-cli summary`: a model's layers, shapes, counts and costs. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-cli-private.h"
#include "ns-model-io.h"
#include "ns-summary.h"

static const struct {
  const char      *name;
  NsSummaryFormat  format;
} formats[] = {
  { "text",     NS_SUMMARY_TEXT },
  { "json",     NS_SUMMARY_JSON },
  { "markdown", NS_SUMMARY_MARKDOWN },
};

static gboolean
parse_format (const char      *name,
              NsSummaryFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (g_strcmp0 (name, formats[i].name) == 0)
        {
          *format = formats[i].format;
          return TRUE;
        }
    }
  return FALSE;
}

int
ns_cli_summary (int    argc,
                char **argv)
{
  g_autofree char *format_name = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("How to print it: text (Keras’ model.summary() layout, the default), json or markdown"),
      N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autofree char *text = NULL;
  NsSummaryFormat format = NS_SUMMARY_TEXT;

  context = ns_cli_option_context_new (N_("MODEL"),
                                       N_("Prints every layer of MODEL with its output shape, parameter count\n"
                                          "and connections, then the totals and the multiply–accumulates per sample.\n"
                                          "MODEL is a .netsketch file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ns_cli_print_error ("%s", error->message);
      return 1;
    }

  if (format_name != NULL && !parse_format (format_name, &format))
    {
      ns_cli_print_error (_("unknown summary format “%s”; use text, json or markdown"), format_name);
      return 1;
    }
  if (argc < 2)
    {
      ns_cli_print_error (_("summary needs a MODEL file; see “netsketch-cli help summary”"));
      return 1;
    }
  if (argc > 2)
    {
      ns_cli_print_error (_("summary takes one MODEL file, not %d"), argc - 1);
      return 1;
    }

  graph = ns_cli_load_model (argv[1]);
  if (graph == NULL)
    return 1;

  text = ns_summary_format (graph, format);
  return ns_cli_write_stdout (text) ? 0 : 1;
}
