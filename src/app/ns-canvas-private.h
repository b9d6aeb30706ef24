/* ns-canvas-private.h: what the files of NsCanvas share: the instance,
 * the view transform and the parts each file sets up. */
#pragma once

#include "ns-canvas.h"
#include "ns-render.h"

G_BEGIN_DECLS

#define NS_CANVAS_MIN_ZOOM 0.01
#define NS_CANVAS_MAX_ZOOM 4.0
/* Pixels on screen within which a wire's end snaps to a port, whatever the zoom. */
#define NS_CANVAS_SNAP_PIXELS 14.0

typedef enum {
  NS_CANVAS_DRAG_NONE,
  NS_CANVAS_DRAG_NODES,     /* moving the selection */
  NS_CANVAS_DRAG_RUBBER,    /* rubber-band selection */
  NS_CANVAS_DRAG_PAN,
  NS_CANVAS_DRAG_WIRE,
} NsCanvasDrag;

struct _NsCanvas
{
  GtkWidget      parent_instance;

  NsHistory     *history;
  NsSelection   *selection;
  NsGraph       *graph;
  NsRenderer    *renderer;
  GHashTable    *watched;          /* NsLayer* (a reference) → its notify handler id */

  /* The view: canvas point (origin_x, origin_y) is at the widget's top-left,
   * and one canvas unit is zoom pixels. */
  double         zoom;
  double         origin_x, origin_y;
  gboolean       fit_pending;      /* zoom to fit once there is a size */
  gboolean       fit_readable;     /* that fit is an opened document's: keep text legible */
  gboolean       vertical;
  gboolean       dark;
  NsShapeOrder   shape_order;      /* how wire labels, nodes and tooltips write shapes */

  /* The pointer, in widget coordinates, while it is over the canvas. */
  gboolean       pointer_inside;
  double         pointer_x, pointer_y;
  NsLayer       *hovered;
  NsLayer       *hovered_wire;
  guint          hovered_port;
  NsLayer       *focused;          /* the node keyboard focus is on */
  gboolean       space_down;

  /* The primary button's drag. */
  GtkGesture    *drag_gesture;
  NsCanvasDrag   drag;
  double         drag_x, drag_y;           /* where it started, canvas units */
  double         drag_origin_x, drag_origin_y;
  gboolean       drag_moved;
  NsLayer       *drag_layer;               /* the node pressed */
  gboolean       drag_reselect;            /* a plain click on a selected node selects it alone */
  GPtrArray     *moving;                   /* NsLayer* being moved */
  GArray        *old_positions;            /* x, y per moving layer */
  GHashTable    *rubber_base;              /* the selection the band adds to */
  double         rubber_x, rubber_y;       /* the band's other corner, canvas units */

  /* A wire being dragged from an output port (forward) or back from an
   * input port; the other end follows the pointer and snaps to ports. */
  NsLayer       *wire_from;                /* forward: its output; backward: NULL until snapped */
  NsLayer       *wire_to;                  /* backward: the input's layer; forward: the snapped one */
  guint          wire_port;
  gboolean       wire_backward;
  gboolean       wire_detached;            /* it was pulled off an input: a history group is open */
  gboolean       wire_snapped;             /* the free end is on a port */
  double         wire_x, wire_y;           /* the free end, canvas units */
  char          *wire_refusal;             /* why the snapped connection is refused, or NULL */

  /* A palette type dragged over the canvas: the node it would make. */
  gboolean       drop_preview;
  double         drop_x, drop_y;

  /* The palette offered where a wire was dropped on empty canvas. */
  GtkWidget     *palette_popover;
  GtkWidget     *palette;
  NsLayer       *pending_from;             /* the wire's fixed end */
  NsLayer       *pending_to;
  guint          pending_port;
  double         pending_x, pending_y;     /* canvas units */

  GtkWidget     *context_menu;
  GActionGroup  *actions;                  /* the actions forwarded for the window, or NULL */
  double         zoom_gesture_start;
};

/* ns-canvas.c; the view functions are in ns-canvas-view.c */
void     ns_canvas_set_view           (NsCanvas    *self,
                                       double       zoom,
                                       double       origin_x,
                                       double       origin_y);
/* Zooms keeping widget point (@x, @y) over the same canvas point. */
void     ns_canvas_zoom_at            (NsCanvas    *self,
                                       double       zoom,
                                       double       x,
                                       double       y);
void     ns_canvas_notify_zoom        (NsCanvas    *self);
void     ns_canvas_set_focused        (NsCanvas    *self,
                                       NsLayer     *layer);
/* The canvas point under the pointer, or the view's centre when the pointer is away. */
void     ns_canvas_get_pointer_point  (NsCanvas    *self,
                                       double      *x,
                                       double      *y);

void     ns_canvas_emit_layer_activated (NsCanvas  *self,
                                         NsLayer   *layer);
void     ns_canvas_emit_layers_deleted  (NsCanvas  *self,
                                         guint      n_layers,
                                         const char *first_name);
void     ns_canvas_emit_message         (NsCanvas  *self,
                                         const char *message);

/* ns-canvas-view.c: zoom and pan. */
void     ns_canvas_init_view          (NsCanvas    *self);

/* ns-canvas-input.c: gestures, hover, tooltips, drops. */
void     ns_canvas_init_input         (NsCanvas    *self);
void     ns_canvas_update_hover       (NsCanvas    *self);
/* Back to no drag (the drag itself is finished or abandoned). */
void     ns_canvas_reset_drag         (NsCanvas    *self);
void     ns_canvas_dispose_input      (NsCanvas    *self);
gboolean ns_canvas_query_tooltip      (GtkWidget   *widget,
                                       int          x,
                                       int          y,
                                       gboolean     keyboard_mode,
                                       GtkTooltip  *tooltip);
/* Ends a drag in progress without committing it (Escape, a new document). */
void     ns_canvas_cancel_drag        (NsCanvas    *self);

/* ns-canvas-wire.c: dragging wires, and the palette where one is dropped. */
void     ns_canvas_wire_begin         (NsCanvas    *self,
                                       double       x,
                                       double       y);
gboolean ns_canvas_wire_starts_at     (NsCanvas    *self,
                                       double       x,
                                       double       y);
void     ns_canvas_wire_update        (NsCanvas    *self,
                                       double       x,
                                       double       y);
void     ns_canvas_wire_end           (NsCanvas    *self);
void     ns_canvas_wire_cancel        (NsCanvas    *self);
void     ns_canvas_wire_snapshot      (NsCanvas    *self,
                                       cairo_t     *cr);
void     ns_canvas_dispose_wire       (NsCanvas    *self);

/* ns-canvas-actions.c: the canvas.* actions, keyboard focus and accessibility. */
void     ns_canvas_class_init_actions (GtkWidgetClass *widget_class);
gboolean ns_canvas_focus              (GtkWidget   *widget,
                                       GtkDirectionType direction);
void     ns_canvas_update_accessible  (NsCanvas    *self);
void     ns_canvas_update_actions     (NsCanvas    *self);
/* Deletes the selection (or the focused node) through the history. */
void     ns_canvas_delete_selection   (NsCanvas    *self);

/* The fit waiting for a size, if any; a newly opened network is fitted when
 * that leaves its text legible, else shown from its start at the smallest
 * legible zoom. */
void ns_canvas_apply_pending_fit (NsCanvas *self);

G_END_DECLS
