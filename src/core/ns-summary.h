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

/* The text summary's table as cells, for drawing it elsewhere (the summary
 * PNG): the same rows, texts and totals as NS_SUMMARY_TEXT. */
typedef struct {
  char      *title;        /* Model: "name" */
  GPtrArray *header;       /* of char *: the NS_SUMMARY_N_COLUMNS column titles */
  GPtrArray *cells;        /* of char *: NS_SUMMARY_N_COLUMNS a layer, row by row */
  GPtrArray *layers;       /* of NsLayer *, one a row: for its state */
  GPtrArray *totals;       /* of char *: "Total params: 87,957", … one line each */
} NsSummaryTable;

#define NS_SUMMARY_N_COLUMNS 4   /* Layer (type), Output Shape, Param #, Connected to */

NsSummaryTable *ns_summary_table_new  (NsGraph        *graph);
void            ns_summary_table_free (NsSummaryTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsSummaryTable, ns_summary_table_free)

G_END_DECLS
