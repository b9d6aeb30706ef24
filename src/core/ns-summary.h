/* ns-summary.h: the model summary (Keras model.summary() and friends) of a graph. */
#pragma once

#include "ns-graph.h"

G_BEGIN_DECLS

typedef enum {
  NS_SUMMARY_TEXT,      /* Keras model.summary() layout */
  NS_SUMMARY_JSON,      /* DESIGN.md's CLI contract */
  NS_SUMMARY_MARKDOWN,
} NsSummaryFormat;

char *ns_summary_format (NsGraph         *graph,
                         NsSummaryFormat  format);

G_END_DECLS
