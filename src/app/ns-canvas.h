/* ns-canvas.h: NsCanvas: the network as a diagram one can edit: drop layer
 * types, drag nodes, draw wires, select, zoom and pan. It draws with the core
 * renderer (ns-render.h) and edits only through the history. */
#pragma once

#include <gtk/gtk.h>

#include "ns-history.h"
#include "ns-selection.h"

G_BEGIN_DECLS

#define NS_TYPE_CANVAS (ns_canvas_get_type ())
G_DECLARE_FINAL_TYPE (NsCanvas, ns_canvas, NS, CANVAS, GtkWidget)

/* The drag payload of a layer type (a G_TYPE_STRING "layer-type:Conv2D"),
 * which the palette offers and the canvas accepts. */
#define NS_LAYER_TYPE_DRAG_PREFIX "layer-type:"

/* Signals:
 *  "layer-activated" (NsLayer *): Enter or double-click on a node: the window
 *     moves focus to the inspector.
 *  "layers-deleted" (guint n, const char *first_name): for the undo toast.
 *  "message" (const char *text): an edit was refused (a paste that is not a
 *     network, a connection the graph refuses): for a toast.
 * Actions (widget actions, with keyboard bindings while the canvas has focus):
 *  canvas.delete, canvas.duplicate, canvas.copy, canvas.paste, canvas.cut,
 *  canvas.select-all, canvas.zoom-in, canvas.zoom-out, canvas.zoom-reset,
 *  canvas.zoom-fit, canvas.layout (b: vertical). */
GtkWidget *ns_canvas_new              (void);
/* Shows @history's graph; NULL shows nothing. */
void       ns_canvas_set_document     (NsCanvas    *self,
                                       NsHistory   *history,
                                       NsSelection *selection);
double     ns_canvas_get_zoom         (NsCanvas    *self);
void       ns_canvas_set_zoom         (NsCanvas    *self,
                                       double       zoom);
void       ns_canvas_zoom_to_fit      (NsCanvas    *self);
/* Ports top and bottom, and top-down auto-layout. */
gboolean   ns_canvas_get_vertical     (NsCanvas    *self);
void       ns_canvas_set_vertical     (NsCanvas    *self,
                                       gboolean     vertical);
/* Property "shape-order": how shapes are written (labels, tooltips). */
NsShapeOrder ns_canvas_get_shape_order (NsCanvas    *self);
void       ns_canvas_set_shape_order  (NsCanvas    *self,
                                       NsShapeOrder order);
/* Scrolls so that @layer is in view (the summary table's selection). */
void       ns_canvas_reveal_layer     (NsCanvas    *self,
                                       NsLayer     *layer);
/* Where a canvas point appears in widget coordinates (for tests and popovers). */
void       ns_canvas_to_widget        (NsCanvas    *self,
                                       double       canvas_x,
                                       double       canvas_y,
                                       double      *widget_x,
                                       double      *widget_y);
void       ns_canvas_from_widget      (NsCanvas    *self,
                                       double       widget_x,
                                       double       widget_y,
                                       double      *canvas_x,
                                       double      *canvas_y);
/* The canvas.* actions as a group that forwards to the canvas, for the
 * window to insert under "canvas" so that its menus reach them (a widget's
 * own actions are seen only from inside it). Owned by the canvas. */
GActionGroup *ns_canvas_get_actions   (NsCanvas   *self);
/* The node keyboard focus is on (Tab, arrows), or NULL. */
NsLayer   *ns_canvas_get_focused_layer (NsCanvas   *self);
/* While a wire is dragged onto a port that refuses it: the reason shown
 * next to the pointer (the graph's message); NULL otherwise. For tests. */
const char *ns_canvas_get_wire_refusal (NsCanvas   *self);

G_END_DECLS
