/* ns-explain.h: how a layer's numbers come out, as formulas with the values put in. */
#pragma once

#include "ns-types.h"

G_BEGIN_DECLS

typedef enum {
  NS_EXPLAIN_SHAPE,    /* output size */
  NS_EXPLAIN_PARAMS,   /* parameter count */
  NS_EXPLAIN_COST,     /* multiply–accumulates, memory */
} NsExplainSection;

/* One line: "Parameters: (F·F·C + 1)·K = (3×3×3 + 1) × 64 = 1,792". Strings are
 * already translated; views lay out the parts, the CLI joins them. */
typedef struct {
  NsExplainSection section;
  char            *title;        /* "Output height" */
  char            *formula;      /* "N = ⌊(W − F)/S⌋ + 1"; may be NULL */
  char            *substituted;  /* "⌊(128 − 3)/1⌋ + 1"; may be NULL */
  char            *result;       /* "126" */
  char            *note;         /* "(128 trainable: γ, β; …)"; may be NULL */
} NsExplainStep;

NsExplanation       *ns_explanation_new      (void);
void                 ns_explanation_free     (NsExplanation *explanation);
void                 ns_explanation_add      (NsExplanation    *explanation,
                                              NsExplainSection  section,
                                              const char       *title,
                                              const char       *formula,
                                              const char       *substituted,
                                              const char       *result,
                                              const char       *note);
guint                ns_explanation_get_n_steps (const NsExplanation *explanation);
const NsExplainStep *ns_explanation_get_step    (const NsExplanation *explanation,
                                                 guint                index);
/* "title: formula = substituted = result note", one step a line. */
char                *ns_explanation_to_text     (const NsExplanation *explanation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsExplanation, ns_explanation_free)

G_END_DECLS
