/* ns-summary-view.h: NsSummaryView: the summary table (name, type, output
 * shape, params, MACs, memory, connected to) of a graph, in graph order, its
 * row selection kept equal to an NsSelection. */
#pragma once

#include <gtk/gtk.h>

#include "ns-selection.h"

G_BEGIN_DECLS

#define NS_TYPE_SUMMARY_VIEW (ns_summary_view_get_type ())
G_DECLARE_FINAL_TYPE (NsSummaryView, ns_summary_view, NS, SUMMARY_VIEW, GtkWidget)

/* Signal "layer-activated" (NsLayer *): a row was activated (double-click, Enter). */
GtkWidget     *ns_summary_view_new             (void);
/* Shows @graph, following and driving @selection; NULL shows nothing. */
void           ns_summary_view_set_document    (NsSummaryView *self,
                                                NsGraph       *graph,
                                                NsSelection   *selection);
GtkColumnView *ns_summary_view_get_column_view (NsSummaryView *self);
/* Property "shape-order": how the Output Shape column writes shapes. */
NsShapeOrder   ns_summary_view_get_shape_order (NsSummaryView *self);
void           ns_summary_view_set_shape_order (NsSummaryView *self,
                                                NsShapeOrder   order);
/* For tests: the text row @row shows in column @column (0 name, 1 type,
 * 2 output shape, 3 params, 4 MACs, 5 memory, 6 connected to). */
char          *ns_summary_view_get_cell_text   (NsSummaryView *self,
                                                guint          row,
                                                guint          column);

G_END_DECLS
