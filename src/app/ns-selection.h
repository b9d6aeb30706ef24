/* ns-selection.h: the layers selected in one window, shared by the canvas,
 * the summary table and the inspector so that each follows the others. */
#pragma once

#include "ns-graph.h"

G_BEGIN_DECLS

#define NS_TYPE_SELECTION (ns_selection_get_type ())
G_DECLARE_FINAL_TYPE (NsSelection, ns_selection, NS, SELECTION, GObject)

/* Signal "changed": the set or the primary layer changed. Layers removed from
 * the graph leave the selection on their own. */
NsSelection *ns_selection_new          (NsGraph     *graph);
gboolean     ns_selection_contains     (NsSelection *self,
                                        NsLayer     *layer);
/* The set as NsLayer* → NsLayer*; owned by the selection. */
GHashTable  *ns_selection_get_set      (NsSelection *self);
/* The selected layers in graph order (new array). */
GPtrArray   *ns_selection_get_layers   (NsSelection *self);
guint        ns_selection_get_n_layers (NsSelection *self);
/* The layer the inspector shows: the last one selected, or NULL. */
NsLayer     *ns_selection_get_primary  (NsSelection *self);
/* Replaces the selection with @layer (NULL clears). */
void         ns_selection_set          (NsSelection *self,
                                        NsLayer     *layer);
void         ns_selection_set_layers   (NsSelection *self,
                                        GPtrArray   *layers);
void         ns_selection_add          (NsSelection *self,
                                        NsLayer     *layer);
void         ns_selection_toggle       (NsSelection *self,
                                        NsLayer     *layer);
void         ns_selection_select_all   (NsSelection *self);

G_END_DECLS
