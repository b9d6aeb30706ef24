/* ns-canvas-view.c: what NsCanvas shows: the transform between canvas
 * units and pixels, zoom (Ctrl+scroll, pinch, keys, to fit) and pan
 * (scrolling, middle-drag, Space+drag). */
#include "config.h"

#include <math.h>

#include "ns-canvas-private.h"
#include "ns-layout.h"

#define FIT_MARGIN 24.0   /* pixels around the network when zoomed to fit, or a revealed node */
/* Below this the renderer draws 9 pt text under 6 px high: an opened network
 * is shown from its start at this zoom rather than fitted as bars. */
#define READABLE_ZOOM 0.6

/* View transform */

void
ns_canvas_to_widget (NsCanvas *self,
                     double    canvas_x,
                     double    canvas_y,
                     double   *widget_x,
                     double   *widget_y)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  if (widget_x != NULL)
    *widget_x = (canvas_x - self->origin_x) * self->zoom;
  if (widget_y != NULL)
    *widget_y = (canvas_y - self->origin_y) * self->zoom;
}

void
ns_canvas_from_widget (NsCanvas *self,
                       double    widget_x,
                       double    widget_y,
                       double   *canvas_x,
                       double   *canvas_y)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  if (canvas_x != NULL)
    *canvas_x = self->origin_x + widget_x / self->zoom;
  if (canvas_y != NULL)
    *canvas_y = self->origin_y + widget_y / self->zoom;
}

void
ns_canvas_get_pointer_point (NsCanvas *self,
                             double   *x,
                             double   *y)
{
  if (self->pointer_inside)
    ns_canvas_from_widget (self, self->pointer_x, self->pointer_y, x, y);
  else
    ns_canvas_from_widget (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, x, y);
}

void
ns_canvas_set_view (NsCanvas *self,
                    double    zoom,
                    double    origin_x,
                    double    origin_y)
{
  gboolean zoom_changed;

  zoom = CLAMP (zoom, NS_CANVAS_MIN_ZOOM, NS_CANVAS_MAX_ZOOM);
  zoom_changed = zoom != self->zoom;
  self->zoom = zoom;
  self->origin_x = origin_x;
  self->origin_y = origin_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (zoom_changed)
    {
      ns_canvas_update_actions (self);
      ns_canvas_notify_zoom (self);
    }
}

void
ns_canvas_zoom_at (NsCanvas *self,
                   double    zoom,
                   double    x,
                   double    y)
{
  double cx, cy;

  zoom = CLAMP (zoom, NS_CANVAS_MIN_ZOOM, NS_CANVAS_MAX_ZOOM);
  ns_canvas_from_widget (self, x, y, &cx, &cy);
  ns_canvas_set_view (self, zoom, cx - x / zoom, cy - y / zoom);
}

double
ns_canvas_get_zoom (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), 1.0);
  return self->zoom;
}

void
ns_canvas_set_zoom (NsCanvas *self,
                    double    zoom)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  /* An explicit zoom wins over a fit still waiting for a size. */
  self->fit_pending = FALSE;
  ns_canvas_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                     gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

static void
fit_view (NsCanvas *self,
          gboolean  readable)
{
  double width, height, x, y, w, h, zoom;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    {
      /* Not laid out yet: fit once it has a size. */
      self->fit_pending = TRUE;
      return;
    }
  self->fit_pending = FALSE;
  if (self->graph == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->graph)) == 0)
    {
      ns_canvas_set_view (self, 1.0, 0, 0);
      return;
    }
  ns_renderer_get_extents (self->graph, &x, &y, &w, &h);
  /* Never larger than life: a small network is not blown up. */
  zoom = MIN (1.0, MIN ((width - 2 * FIT_MARGIN) / w, (height - 2 * FIT_MARGIN) / h));
  zoom = CLAMP (zoom, NS_CANVAS_MIN_ZOOM, NS_CANVAS_MAX_ZOOM);
  if (readable && zoom < READABLE_ZOOM)
    {
      /* Too long to read whole: its start, centred across the flow. */
      zoom = READABLE_ZOOM;
      if (self->vertical)
        ns_canvas_set_view (self, zoom, x + w / 2 - width / 2 / zoom, y - FIT_MARGIN / zoom);
      else
        ns_canvas_set_view (self, zoom, x - FIT_MARGIN / zoom, y + h / 2 - height / 2 / zoom);
      return;
    }
  ns_canvas_set_view (self, zoom, x + w / 2 - width / 2 / zoom, y + h / 2 - height / 2 / zoom);
}

void
ns_canvas_zoom_to_fit (NsCanvas *self)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  self->fit_readable = FALSE;
  fit_view (self, FALSE);
}

void
ns_canvas_apply_pending_fit (NsCanvas *self)
{
  gboolean readable = self->fit_readable;

  if (!self->fit_pending)
    return;
  self->fit_readable = FALSE;
  fit_view (self, readable);
  /* Still no size: try again with the same intent. */
  if (self->fit_pending)
    self->fit_readable = readable;
}

void
ns_canvas_reveal_layer (NsCanvas *self,
                        NsLayer  *layer)
{
  double x, y, x0, y0, x1, y1, width, height;

  g_return_if_fail (NS_IS_CANVAS (self));
  g_return_if_fail (NS_IS_LAYER (layer));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0)
    return;
  ns_layer_get_position (layer, &x, &y);
  ns_canvas_to_widget (self, x, y, &x0, &y0);
  ns_canvas_to_widget (self, x + NS_LAYOUT_NODE_WIDTH, y + NS_LAYOUT_NODE_HEIGHT, &x1, &y1);
  /* Already in view with room around it: the view stays, so that picking
   * rows in the summary does not make the canvas jump about. */
  if (x0 >= FIT_MARGIN && y0 >= FIT_MARGIN && x1 <= width - FIT_MARGIN && y1 <= height - FIT_MARGIN)
    return;
  self->fit_pending = FALSE;
  ns_canvas_set_view (self, self->zoom,
                      x + NS_LAYOUT_NODE_WIDTH / 2 - width / 2 / self->zoom,
                      y + NS_LAYOUT_NODE_HEIGHT / 2 - height / 2 / self->zoom);
}

/* Middle button: pan */

static void
on_pan_begin (GtkGestureDrag *gesture,
              double          x,
              double          y,
              NsCanvas       *self)
{
  if (self->drag != NS_CANVAS_DRAG_NONE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag = NS_CANVAS_DRAG_PAN;
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
on_pan_update (GtkGestureDrag *gesture,
               double          offset_x,
               double          offset_y,
               NsCanvas       *self)
{
  if (self->drag == NS_CANVAS_DRAG_PAN)
    ns_canvas_set_view (self, self->zoom, self->drag_origin_x - offset_x / self->zoom,
                        self->drag_origin_y - offset_y / self->zoom);
}

static void
on_pan_end (GtkGestureDrag *gesture,
            double          offset_x,
            double          offset_y,
            NsCanvas       *self)
{
  if (self->drag == NS_CANVAS_DRAG_PAN)
    ns_canvas_reset_drag (self);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->space_down ? "grab" : NULL);
}

/* Scrolling pans; with Ctrl it zooms at the pointer. Pinching zooms. */

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           NsCanvas                 *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (controller);
  double x = self->pointer_inside ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = self->pointer_inside ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (self->graph == NULL)
    return FALSE;
  if (state & GDK_CONTROL_MASK)
    {
      /* A wheel step is 20 %; touchpads scroll in pixels, zoomed smoothly. */
      double factor = unit == GDK_SCROLL_UNIT_WHEEL ? pow (1.2, -dy) : exp (-dy * 0.01);

      self->fit_pending = FALSE;
      ns_canvas_zoom_at (self, self->zoom * factor, x, y);
      return TRUE;
    }
  if (unit == GDK_SCROLL_UNIT_WHEEL)
    {
      dx *= 48;
      dy *= 48;
      if ((state & GDK_SHIFT_MASK) && dx == 0)
        {
          dx = dy;
          dy = 0;
        }
    }
  self->fit_pending = FALSE;
  ns_canvas_set_view (self, self->zoom, self->origin_x + dx / self->zoom, self->origin_y + dy / self->zoom);
  ns_canvas_update_hover (self);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               NsCanvas         *self)
{
  self->zoom_gesture_start = self->zoom;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       NsCanvas       *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  self->fit_pending = FALSE;
  ns_canvas_zoom_at (self, self->zoom_gesture_start * scale, x, y);
}

/* Space held down turns the primary button into a pan. */

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                NsCanvas              *self)
{
  if (keyval != GDK_KEY_space || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  if (!self->space_down)
    {
      self->space_down = TRUE;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
    }
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 NsCanvas              *self)
{
  if (keyval != GDK_KEY_space)
    return;
  self->space_down = FALSE;
  if (self->drag != NS_CANVAS_DRAG_PAN)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
}

static void
on_focus_leave (NsCanvas *self)
{
  self->space_down = FALSE;
}

void
ns_canvas_init_view (NsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_pan_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_pan_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_pan_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (widget, controller);
}
