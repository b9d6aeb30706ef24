/* ns-explain.c: a list of explanation steps and its plain-text form. */
#include "config.h"

#include "ns-explain.h"

struct _NsExplanation {
  GArray *steps;   /* NsExplainStep */
};

static void
clear_step (gpointer data)
{
  NsExplainStep *step = data;

  g_free (step->title);
  g_free (step->formula);
  g_free (step->substituted);
  g_free (step->result);
  g_free (step->note);
}

NsExplanation *
ns_explanation_new (void)
{
  NsExplanation *self = g_new0 (NsExplanation, 1);

  self->steps = g_array_new (FALSE, TRUE, sizeof (NsExplainStep));
  g_array_set_clear_func (self->steps, clear_step);
  return self;
}

void
ns_explanation_free (NsExplanation *explanation)
{
  if (explanation == NULL)
    return;
  g_array_unref (explanation->steps);
  g_free (explanation);
}

void
ns_explanation_add (NsExplanation    *explanation,
                    NsExplainSection  section,
                    const char       *title,
                    const char       *formula,
                    const char       *substituted,
                    const char       *result,
                    const char       *note)
{
  NsExplainStep step = {
    .section = section,
    .title = g_strdup (title),
    .formula = g_strdup (formula),
    .substituted = g_strdup (substituted),
    .result = g_strdup (result),
    .note = g_strdup (note),
  };

  g_return_if_fail (explanation != NULL);
  g_array_append_val (explanation->steps, step);
}

guint
ns_explanation_get_n_steps (const NsExplanation *explanation)
{
  return explanation->steps->len;
}

const NsExplainStep *
ns_explanation_get_step (const NsExplanation *explanation,
                         guint                index)
{
  g_return_val_if_fail (index < explanation->steps->len, NULL);
  return &g_array_index (explanation->steps, NsExplainStep, index);
}

char *
ns_explanation_to_text (const NsExplanation *explanation)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < explanation->steps->len; i++)
    {
      const NsExplainStep *step = &g_array_index (explanation->steps, NsExplainStep, i);

      g_string_append_printf (text, "%s: ", step->title);
      if (step->formula != NULL)
        g_string_append_printf (text, "%s = ", step->formula);
      /* Skip "= 64 = 64" when nothing was substituted. */
      if (step->substituted != NULL && g_strcmp0 (step->substituted, step->result) != 0)
        g_string_append_printf (text, "%s = ", step->substituted);
      g_string_append (text, step->result);
      if (step->note != NULL)
        g_string_append_printf (text, " %s", step->note);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}
