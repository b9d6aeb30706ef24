/* ns-cli-private.h: what netsketch-cli's commands share. */
#pragma once

#include <glib.h>

#include "ns-graph.h"

G_BEGIN_DECLS

/* One subcommand. @run gets the command's own argv: argv[0] is its name. */
typedef struct {
  const char *name;
  const char *summary;          /* N_() marked: one line for the command list */
  int       (*run) (int    argc,
                    char **argv);
} NsCliCommand;

/* "netsketch-cli: MESSAGE" on stderr: one line per failure. */
void ns_cli_print_error (const char *format,
                         ...) G_GNUC_PRINTF (1, 2);
/* Writes @text to stdout as is (UTF-8); FALSE, having said why, when it cannot. */
gboolean ns_cli_write_stdout (const char *text);
/* A GOptionContext for command @name, translated, with @parameter_string
 * (N_() marked) and @summary (N_() marked) in its help. */
GOptionContext *ns_cli_option_context_new (const char *parameter_string,
                                           const char *summary);

/* Loads the MODEL argument (any format ns_model_load reads); NULL, having
 * said why in one line, when it cannot. */
NsGraph *ns_cli_load_model (const char *argument);

int ns_cli_summary (int    argc,
                    char **argv);
int ns_cli_export  (int    argc,
                    char **argv);
int ns_cli_run     (int    argc,
                    char **argv);
int ns_cli_bench   (int    argc,
                    char **argv);

G_END_DECLS
