/* ns-canvas-wire.c: dragging a wire on NsCanvas: from an output port
 * forward, from a free input port backward, or pulled off an occupied
 * input to re-route it. The free end snaps to the nearest port; a refused
 * connection shows in the error colour with the graph's reason, and a wire
 * let go over empty canvas offers the palette to create what it feeds. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ns-canvas-private.h"
#include "ns-layout.h"
#include "ns-palette.h"

/* Pixels around a port where a press starts a wire rather than a node drag. */
#define GRAB_PIXELS 9.0

static double
grab_radius (NsCanvas *self)
{
  return MAX (GRAB_PIXELS / self->zoom, 6.0);
}

/* The input port a press at (@x, @y) takes hold of: only ports drawn, not
 * the place where a merge's next port would appear. */
static NsLayer *
input_port_at (NsCanvas *self,
               double    x,
               double    y,
               double    radius,
               guint    *port)
{
  NsLayer *layer = ns_renderer_input_port_at (self->graph, x, y, radius, self->vertical, port);

  if (layer != NULL && *port >= ns_renderer_get_n_input_ports (layer))
    return NULL;
  return layer;
}

gboolean
ns_canvas_wire_starts_at (NsCanvas *self,
                          double    x,
                          double    y)
{
  guint port;

  if (self->graph == NULL)
    return FALSE;
  return ns_renderer_output_port_at (self->graph, x, y, grab_radius (self), self->vertical) != NULL ||
         input_port_at (self, x, y, grab_radius (self), &port) != NULL;
}

void
ns_canvas_wire_begin (NsCanvas *self,
                      double    x,
                      double    y)
{
  double radius = grab_radius (self);
  NsLayer *output = ns_renderer_output_port_at (self->graph, x, y, radius, self->vertical);
  guint port = 0;
  NsLayer *input = input_port_at (self, x, y, radius, &port);

  /* Both in reach (two nodes side by side): the nearer port. */
  if (output != NULL && input != NULL)
    {
      double ox, oy, ix, iy;

      ns_renderer_get_output_port (output, self->vertical, &ox, &oy);
      ns_renderer_get_input_port (input, port, self->vertical, &ix, &iy);
      if (hypot (x - ox, y - oy) <= hypot (x - ix, y - iy))
        input = NULL;
      else
        output = NULL;
    }

  self->drag = NS_CANVAS_DRAG_WIRE;
  self->wire_from = self->wire_to = NULL;
  self->wire_backward = self->wire_detached = self->wire_snapped = FALSE;
  self->wire_port = 0;
  if (output != NULL)
    self->wire_from = output;
  else if (ns_layer_get_input (input, port) != NULL)
    {
      /* Pulled off an occupied input: the wire now hangs from its source.
       * The detach and wherever it is dropped make one undo step. */
      self->wire_from = ns_layer_get_input (input, port);
      self->wire_detached = TRUE;
      ns_history_begin (self->history, _("Reconnect"));
      ns_history_disconnect (self->history, input, port);
    }
  else
    {
      self->wire_to = input;
      self->wire_port = port;
      self->wire_backward = TRUE;
    }
  ns_canvas_wire_update (self, x, y);
}

/* The port of @layer a wire dropped on its body goes to: the first free
 * one; a merge appends; a full layer its first port (which is refused). */
static guint
port_for_body (NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  guint n = ns_renderer_get_n_input_ports (layer);

  for (guint port = 0; port < n; port++)
    if (ns_layer_get_input (layer, port) == NULL)
      return port;
  return type->max_inputs == NS_INPUTS_MANY ? ns_layer_get_n_inputs (layer) : 0;
}

void
ns_canvas_wire_update (NsCanvas *self,
                       double    x,
                       double    y)
{
  double radius = NS_CANVAS_SNAP_PIXELS / self->zoom;
  g_autoptr(GError) error = NULL;
  NsLayer *target;
  guint port = 0;

  self->wire_x = x;
  self->wire_y = y;
  self->wire_snapped = FALSE;
  g_clear_pointer (&self->wire_refusal, g_free);

  if (!self->wire_backward)
    {
      target = ns_renderer_input_port_at (self->graph, x, y, radius, self->vertical, &port);
      if (target == NULL)
        {
          target = ns_renderer_node_at (self->graph, x, y);
          if (target == self->wire_from)
            target = NULL;
          if (target != NULL)
            port = port_for_body (target);
        }
      else if (ns_layer_get_layer_type (target)->max_inputs == NS_INPUTS_MANY &&
               ns_layer_get_input (target, port) != NULL)
        /* A merge takes another input rather than refusing a taken port. */
        port = ns_layer_get_n_inputs (target);
      self->wire_to = target;
      self->wire_port = port;
      if (target != NULL)
        {
          self->wire_snapped = TRUE;
          if (!ns_graph_can_connect (self->graph, self->wire_from, target, port, &error))
            self->wire_refusal = g_strdup (error->message);
        }
    }
  else
    {
      target = ns_renderer_output_port_at (self->graph, x, y, radius, self->vertical);
      if (target == NULL)
        {
          target = ns_renderer_node_at (self->graph, x, y);
          if (target == self->wire_to)
            target = NULL;
        }
      self->wire_from = target;
      if (target != NULL)
        {
          self->wire_snapped = TRUE;
          if (!ns_graph_can_connect (self->graph, target, self->wire_to, self->wire_port, &error))
            self->wire_refusal = g_strdup (error->message);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_wire (NsCanvas *self)
{
  if (self->wire_detached)
    ns_history_end (self->history);
  self->wire_detached = FALSE;
  self->wire_snapped = FALSE;
  self->wire_from = self->wire_to = NULL;
  g_clear_pointer (&self->wire_refusal, g_free);
}

void
ns_canvas_wire_cancel (NsCanvas *self)
{
  /* A wire pulled off a port stays off: that was an edit of its own. */
  clear_wire (self);
}

/* The palette, offered where a wire was let go over nothing */

static void
on_type_activated (NsPalette         *palette,
                   const NsLayerType *type,
                   NsCanvas          *self)
{
  g_autoptr(NsLayer) probe = ns_layer_new (type, "probe", "probe");
  /* Closing the popover forgets the wire: keep its ends. */
  g_autoptr(NsLayer) from = self->pending_from != NULL ? g_object_ref (self->pending_from) : NULL;
  g_autoptr(NsLayer) to = self->pending_to != NULL ? g_object_ref (self->pending_to) : NULL;
  g_autoptr(GError) error = NULL;
  NsLayer *layer;
  double px, py;

  gtk_popover_popdown (GTK_POPOVER (self->palette_popover));
  if (self->history == NULL || (from == NULL && to == NULL) ||
      (from != NULL && ns_layer_get_graph (from) != self->graph) ||
      (to != NULL && ns_layer_get_graph (to) != self->graph))
    return;

  /* Place the new node so that the port the wire joins is where it was let go. */
  ns_layer_set_position (probe, 0, 0);
  if (from != NULL)
    ns_renderer_get_input_port (probe, 0, self->vertical, &px, &py);
  else
    ns_renderer_get_output_port (probe, self->vertical, &px, &py);

  ns_history_begin (self->history, _("Add Layer"));
  layer = ns_history_add_layer (self->history, type, self->pending_x - px, self->pending_y - py, &error);
  if (layer != NULL)
    {
      gboolean connected;

      if (from != NULL)
        connected = ns_history_connect (self->history, from, layer, 0, &error);
      else
        connected = ns_history_connect (self->history, layer, to, self->pending_port, &error);
      /* The layer stays (it was asked for); the toast says why it is not wired. */
      if (!connected)
        ns_canvas_emit_message (self, error->message);
    }
  else
    ns_canvas_emit_message (self, error->message);
  ns_history_end (self->history);

  if (layer != NULL)
    {
      ns_selection_set (self->selection, layer);
      ns_canvas_set_focused (self, layer);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_popover_closed (NsCanvas *self)
{
  g_clear_object (&self->pending_from);
  g_clear_object (&self->pending_to);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
offer_palette (NsCanvas *self)
{
  double x, y;

  if (self->palette_popover == NULL)
    {
      self->palette_popover = gtk_popover_new ();
      self->palette = ns_palette_new ();
      gtk_widget_set_size_request (self->palette, 280, 380);
      gtk_popover_set_child (GTK_POPOVER (self->palette_popover), self->palette);
      gtk_widget_set_parent (self->palette_popover, GTK_WIDGET (self));
      g_signal_connect (self->palette, "type-activated", G_CALLBACK (on_type_activated), self);
      g_signal_connect_swapped (self->palette_popover, "closed", G_CALLBACK (on_popover_closed), self);
    }
  g_clear_object (&self->pending_from);
  g_clear_object (&self->pending_to);
  if (self->wire_backward)
    self->pending_to = g_object_ref (self->wire_to);
  else
    self->pending_from = g_object_ref (self->wire_from);
  self->pending_port = self->wire_port;
  self->pending_x = self->wire_x;
  self->pending_y = self->wire_y;

  ns_canvas_to_widget (self, self->wire_x, self->wire_y, &x, &y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->palette_popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  ns_palette_reset (NS_PALETTE (self->palette));
  gtk_popover_popup (GTK_POPOVER (self->palette_popover));
  ns_palette_focus_search (NS_PALETTE (self->palette));
}

void
ns_canvas_wire_end (NsCanvas *self)
{
  g_autoptr(GError) error = NULL;

  if (self->wire_snapped && self->wire_refusal == NULL)
    {
      NsLayer *from = self->wire_from, *to = self->wire_to;

      if (!ns_history_connect (self->history, from, to, self->wire_port, &error))
        ns_canvas_emit_message (self, error->message);
    }
  else if (!self->wire_snapped && !self->wire_detached && self->drag_moved)
    offer_palette (self);
  clear_wire (self);
}

/* Drawing, in widget coordinates: the wire, the port it snapped to, and
 * the reason a connection is refused next to the pointer. */

static void
wire_ends (NsCanvas *self,
           NsLayer  *from,
           NsLayer  *to,
           guint     port,
           double    free_x,
           double    free_y,
           double   *x0,
           double   *y0,
           double   *x1,
           double   *y1)
{
  *x0 = *x1 = free_x;
  *y0 = *y1 = free_y;
  if (from != NULL)
    ns_renderer_get_output_port (from, self->vertical, x0, y0);
  if (to != NULL)
    ns_renderer_get_input_port (to, port, self->vertical, x1, y1);
}

static void
stroke_wire (NsCanvas *self,
             cairo_t  *cr,
             double    x0,
             double    y0,
             double    x1,
             double    y1)
{
  double cx0, cy0, cx1, cy1;

  ns_renderer_get_wire_curve (x0, y0, x1, y1, self->vertical, &cx0, &cy0, &cx1, &cy1);
  ns_canvas_to_widget (self, x0, y0, &x0, &y0);
  ns_canvas_to_widget (self, cx0, cy0, &cx0, &cy0);
  ns_canvas_to_widget (self, cx1, cy1, &cx1, &cy1);
  ns_canvas_to_widget (self, x1, y1, &x1, &y1);
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, cx0, cy0, cx1, cy1, x1, y1);
  cairo_stroke (cr);
}

static void
draw_refusal (NsCanvas *self,
              cairo_t  *cr,
              double    x,
              double    y)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->wire_refusal);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  PangoRectangle extents;
  double bx, by, bw, bh;

  pango_layout_set_width (layout, 320 * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_extents (layout, NULL, &extents);
  bw = extents.width + 16;
  bh = extents.height + 10;
  /* Below right of the pointer, kept inside the canvas. */
  bx = MIN (x + 16, width - bw - 4);
  by = y + 20 + bh <= height ? y + 20 : y - 20 - bh;
  bx = MAX (bx, 4);

  cairo_new_sub_path (cr);
  cairo_arc (cr, bx + bw - 6, by + 6, 6, -G_PI / 2, 0);
  cairo_arc (cr, bx + bw - 6, by + bh - 6, 6, 0, G_PI / 2);
  cairo_arc (cr, bx + 6, by + bh - 6, 6, G_PI / 2, G_PI);
  cairo_arc (cr, bx + 6, by + 6, 6, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.75, 0.11, 0.16, 0.95);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, bx + 8 - extents.x, by + 5 - extents.y);
  pango_cairo_show_layout (cr, layout);
}

void
ns_canvas_wire_snapshot (NsCanvas *self,
                         cairo_t  *cr)
{
  static const double dashes[] = { 7, 5 };
  gboolean refused = self->wire_refusal != NULL;
  double x0, y0, x1, y1, px, py;

  if (self->drag != NS_CANVAS_DRAG_WIRE)
    {
      /* The palette is open where a wire was let go: the wire waits for it. */
      if (self->pending_from == NULL && self->pending_to == NULL)
        return;
      wire_ends (self, self->pending_from, self->pending_to, self->pending_port,
                 self->pending_x, self->pending_y, &x0, &y0, &x1, &y1);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.9);
      cairo_set_line_width (cr, 2.5);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      stroke_wire (self, cr, x0, y0, x1, y1);
      cairo_set_dash (cr, NULL, 0, 0);
      return;
    }

  wire_ends (self, self->wire_from, self->wire_backward || self->wire_snapped ? self->wire_to : NULL,
             self->wire_port, self->wire_x, self->wire_y, &x0, &y0, &x1, &y1);
  if (refused)
    cairo_set_source_rgba (cr, 0.88, 0.11, 0.14, 0.95);
  else if (self->wire_snapped)
    cairo_set_source_rgba (cr, 0.15, 0.64, 0.41, 0.95);
  else
    cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.9);
  cairo_set_line_width (cr, 3);
  if (!self->wire_snapped)
    cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  stroke_wire (self, cr, x0, y0, x1, y1);
  cairo_set_dash (cr, NULL, 0, 0);

  /* A ring on the port it would join. */
  if (self->wire_snapped)
    {
      if (self->wire_backward)
        ns_canvas_to_widget (self, x0, y0, &px, &py);
      else
        ns_canvas_to_widget (self, x1, y1, &px, &py);
      cairo_arc (cr, px, py, 8, 0, 2 * G_PI);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
  if (refused)
    {
      ns_canvas_to_widget (self, self->wire_x, self->wire_y, &px, &py);
      draw_refusal (self, cr, px, py);
    }
}

void
ns_canvas_dispose_wire (NsCanvas *self)
{
  g_clear_object (&self->pending_from);
  g_clear_object (&self->pending_to);
  g_clear_pointer (&self->palette_popover, gtk_widget_unparent);
  self->palette = NULL;
}
