/* ns-inspector.h: NsInspector: the selected layer's settings, built from its
 * type's declaration, with the Explain section (how the output size and the
 * parameters come out) and the size solver. Edits go through the history. */
#pragma once

#include <gtk/gtk.h>

#include "ns-history.h"
#include "ns-selection.h"

G_BEGIN_DECLS

#define NS_TYPE_INSPECTOR (ns_inspector_get_type ())
G_DECLARE_FINAL_TYPE (NsInspector, ns_inspector, NS, INSPECTOR, GtkWidget)

GtkWidget *ns_inspector_new          (void);
/* Follows @selection's primary layer; NULL shows nothing. */
void       ns_inspector_set_document (NsInspector *self,
                                      NsHistory   *history,
                                      NsSelection *selection);
/* Property "shape-order": how the output shape is written. */
NsShapeOrder ns_inspector_get_shape_order (NsInspector *self);
void       ns_inspector_set_shape_order (NsInspector *self,
                                         NsShapeOrder order);
/* Moves keyboard focus to the first editor (Enter on a canvas node). */
void       ns_inspector_focus        (NsInspector *self);
/* For tests: the editor widget of @key (a GtkSpinButton, GtkDropDown,
 * GtkSwitch, GtkEntry or the height spin of a pair), or NULL. */
GtkWidget *ns_inspector_get_editor   (NsInspector *self,
                                      const char  *key);

G_END_DECLS
