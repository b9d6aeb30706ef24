/* netsketch-cli.c: the command-line entry point: global options and dispatch to commands. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "ns-cli-private.h"
#include "ns-model-io.h"

/* Commands that work. convert joins this table when it is written; until
 * then it is unknown, not pretending. */
static const NsCliCommand commands[] = {
  { "summary", N_("Print a model’s layers, output shapes, parameter counts and costs"), ns_cli_summary },
  { "run",     N_("Run a model forward on a .npy input and write its output as .npy"), ns_cli_run },
  { "bench",   N_("Time a model’s forward pass, layer by layer"), ns_cli_bench },
  { "export",  N_("Write a model as Keras JSON, TensorFlow.js, Python code or a summary"), ns_cli_export },
};

void
ns_cli_print_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, whatever the message holds. */
  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("netsketch-cli: %s\n", message);
}

NsGraph *
ns_cli_load_model (const char *argument)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (argument);
  g_autoptr(GError) error = NULL;
  NsGraph *graph = ns_model_load (file, argument, NULL, &error);

  if (graph == NULL)
    ns_cli_print_error ("%s", error->message);
  return graph;
}

gboolean
ns_cli_write_stdout (const char *text)
{
  if (fputs (text, stdout) == EOF || fflush (stdout) != 0)
    {
      ns_cli_print_error (_("cannot write the output: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

GOptionContext *
ns_cli_option_context_new (const char *parameter_string,
                           const char *summary)
{
  GOptionContext *context = g_option_context_new (parameter_string);

  /* Entries, the parameter string and the summary are translated through
   * the context, so they are given untranslated. */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  return context;
}

static const NsCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* "summary, help": for messages that list what exists. */
static char *
list_command_names (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (names, "%s, ", commands[i].name);
  g_string_append (names, "help");
  return g_string_free (names, FALSE);
}

static char *
describe_commands (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-10s %s", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n  %-10s %s", "help", _("Show the options of a command"));
  return g_string_free (text, FALSE);
}

/* The command a run is about, found before any option parsing so that each
 * help text's usage line can name it: "netsketch-cli summary [OPTION…] MODEL". */
static const NsCliCommand *
peek_command (int    argc,
              char **argv)
{
  if (argc < 2 || argv[1][0] == '-')
    return NULL;
  if (g_strcmp0 (argv[1], "help") == 0)
    return argc > 2 ? find_command (argv[2]) : NULL;
  return find_command (argv[1]);
}

int
main (int    argc,
      char **argv)
{
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 'V', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command_list = NULL;
  g_autofree char *known = NULL;
  const NsCliCommand *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  command = peek_command (argc, argv);
  if (command != NULL)
    {
      g_autofree char *prgname = g_strdup_printf ("netsketch-cli %s", command->name);

      g_set_prgname (prgname);
    }
  else
    g_set_prgname ("netsketch-cli");

  command_list = describe_commands ();
  known = list_command_names ();

  context = ns_cli_option_context_new (N_("COMMAND [ARGUMENTS…]"),
                                       N_("Designs, checks and runs convolutional networks: Keras-exact shapes,\n"
                                          "parameter counts and costs, and a CPU forward pass."));
  g_option_context_set_description (context, command_list);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      ns_cli_print_error ("%s", error->message);
      return 1;
    }

  if (version)
    {
      g_print ("netsketch-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc < 2)
    {
      ns_cli_print_error (_("no command given; known commands: %s"), known);
      return 1;
    }

  if (g_strcmp0 (argv[1], "help") == 0)
    {
      char *help_argv[] = { argv[2], (char *) "--help", NULL };
      g_autofree char *help = NULL;

      if (argc < 3 || g_strcmp0 (argv[2], "help") == 0)
        {
          help = g_option_context_get_help (context, TRUE, NULL);
          return ns_cli_write_stdout (help) ? 0 : 1;
        }
      if (command == NULL)
        {
          ns_cli_print_error (_("unknown command “%s”; known commands: %s"), argv[2], known);
          return 1;
        }
      /* The command's own --help prints its options and exits. */
      return command->run (2, help_argv);
    }

  if (command == NULL)
    {
      ns_cli_print_error (_("unknown command “%s”; known commands: %s"), argv[1], known);
      return 1;
    }
  return command->run (argc - 1, argv + 1);
}
