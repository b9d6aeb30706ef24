/* fuzz-common.c: set-up and graph walking shared by the fuzz harnesses. */
#include "config.h"

#include "ns-document.h"
#include "ns-summary.h"

#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

/* GLib stops on a fatal message with SIGTRAP, which libFuzzer does not
 * catch: no crash file would be written. Abort instead, after printing. */
static GLogWriterOutput
abort_on_problems (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return out;
}

/* libFuzzer calls this once, before the first input, in every harness. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (abort_on_problems, NULL, NULL);
  return 0;
}

void
fuzz_exercise_graph (NsGraph *graph)
{
  static const NsSummaryFormat formats[] = {
    NS_SUMMARY_TEXT, NS_SUMMARY_JSON, NS_SUMMARY_MARKDOWN,
  };
  g_autofree char *document = NULL;
  gsize length = 0;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_free (ns_summary_format (graph, formats[i]));

  /* Whatever loads must save, and what it saves must load again. */
  document = ns_document_to_data (graph, &length);
  if (document != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NsGraph) again = ns_document_load_from_data (document, length,
                                                             "resaved.netsketch",
                                                             &error);
      if (again == NULL)
        g_error ("a loaded graph saved a document that does not load: %s\n%s",
                 error->message, document);
    }
}

void
fuzz_check_result (NsGraph    *graph,
                   GError     *error,
                   const char *display_name)
{
  g_autofree char *prefix = g_strconcat (display_name, ":", NULL);

  if (graph != NULL)
    {
      fuzz_exercise_graph (graph);
      return;
    }
  if (error == NULL || strstr (error->message, prefix) == NULL)
    g_error ("refused without a message naming the file: %s",
             error != NULL ? error->message : "(no error)");
}
