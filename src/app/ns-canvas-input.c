/* ns-canvas-input.c: the pointer on NsCanvas: selecting, moving nodes,
 * rubber band, wires (ns-canvas-wire.c), hover and tooltips, palette drops,
 * the context menu. Zooming and panning are in ns-canvas-view.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-canvas-private.h"
#include "ns-layout.h"

#define DRAG_THRESHOLD 3.0   /* pixels before a press becomes a drag */
#define WIRE_HOVER     5.0   /* pixels from a wire that count as on it */

/* Hover */

static void
update_cursor (NsCanvas *self,
               double    x,
               double    y)
{
  const char *name = NULL;

  if (self->drag == NS_CANVAS_DRAG_PAN)
    name = "grabbing";
  else if (self->space_down)
    name = "grab";
  else if (self->drag == NS_CANVAS_DRAG_NONE && self->graph != NULL && ns_canvas_wire_starts_at (self, x, y))
    name = "crosshair";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

void
ns_canvas_update_hover (NsCanvas *self)
{
  NsLayer *hovered = NULL, *wire = NULL;
  guint port = 0;
  double x, y;

  if (self->graph != NULL && self->pointer_inside)
    {
      ns_canvas_from_widget (self, self->pointer_x, self->pointer_y, &x, &y);
      hovered = ns_renderer_node_at (self->graph, x, y);
      if (hovered == NULL)
        wire = ns_renderer_wire_at (self->graph, x, y, WIRE_HOVER / self->zoom, self->vertical, &port);
      update_cursor (self, x, y);
    }
  if (hovered != self->hovered || wire != self->hovered_wire || port != self->hovered_port)
    {
      self->hovered = hovered;
      self->hovered_wire = wire;
      self->hovered_port = port;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NsCanvas                 *self)
{
  self->pointer_inside = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->drag == NS_CANVAS_DRAG_NONE)
    ns_canvas_update_hover (self);
}

static void
on_leave (GtkEventControllerMotion *controller,
          NsCanvas                 *self)
{
  self->pointer_inside = FALSE;
  ns_canvas_update_hover (self);
}

gboolean
ns_canvas_query_tooltip (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip)
{
  NsCanvas *self = NS_CANVAS (widget);
  NsLayer *layer, *to;
  guint port;
  double cx, cy, wx, wy;

  if (self->graph == NULL || self->drag != NS_CANVAS_DRAG_NONE || keyboard_mode)
    return FALSE;
  ns_canvas_from_widget (self, x, y, &cx, &cy);

  /* A layer in trouble says what is wrong, on its badge or anywhere on it. */
  layer = ns_renderer_badge_at (self->graph, cx, cy);
  if (layer == NULL)
    layer = ns_renderer_node_at (self->graph, cx, cy);
  if (layer != NULL)
    {
      const NsLayerInfo *info = ns_layer_get_info (layer);
      double lx, ly;

      if (info->state == NS_LAYER_OK || info->message == NULL)
        return FALSE;
      gtk_tooltip_set_text (tooltip, info->message);
      ns_layer_get_position (layer, &lx, &ly);
      ns_canvas_to_widget (self, lx, ly, &wx, &wy);
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
                                  (int) wx, (int) wy,
                                  (int) ceil (NS_LAYOUT_NODE_WIDTH * self->zoom),
                                  (int) ceil (NS_LAYOUT_NODE_HEIGHT * self->zoom) });
      return TRUE;
    }

  /* A wire: the full shape it carries and its size per sample. */
  to = ns_renderer_wire_at (self->graph, cx, cy, WIRE_HOVER / self->zoom, self->vertical, &port);
  if (to != NULL)
    {
      NsLayer *from = ns_layer_get_input (to, port);
      const NsLayerInfo *info = ns_layer_get_info (from);
      g_autofree char *shape = NULL;
      g_autofree char *bytes = NULL;
      g_autofree char *text = NULL;

      if (info->state != NS_LAYER_OK)
        return FALSE;
      shape = ns_shape_to_display_string (&info->output, self->shape_order);
      bytes = ns_format_bytes (info->activation_bytes);
      /* TRANSLATORS: a wire's tooltip: the tensor's shape · its size, then
       * which layer feeds which. */
      text = g_strdup_printf (_("%s · %s\n%s → %s"), shape, bytes, ns_layer_get_name (from),
                              ns_layer_get_name (to));
      gtk_tooltip_set_text (tooltip, text);
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 4, y - 4, 8, 8 });
      return TRUE;
    }
  return FALSE;
}

/* The primary button: select, move, rubber band, wires, Space+drag */

static void
restore_positions (NsCanvas *self)
{
  for (guint i = 0; i < self->moving->len; i++)
    ns_layer_set_position (g_ptr_array_index (self->moving, i),
                           g_array_index (self->old_positions, double, 2 * i),
                           g_array_index (self->old_positions, double, 2 * i + 1));
}

void
ns_canvas_reset_drag (NsCanvas *self)
{
  self->drag = NS_CANVAS_DRAG_NONE;
  self->drag_layer = NULL;
  self->drag_moved = FALSE;
  g_ptr_array_set_size (self->moving, 0);
  g_array_set_size (self->old_positions, 0);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  if (self->pointer_inside)
    ns_canvas_update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Gives up the drag in progress: moved nodes go back, a wire vanishes. */
static void
abandon_drag (NsCanvas *self)
{
  switch (self->drag)
    {
    case NS_CANVAS_DRAG_NODES:
      restore_positions (self);
      break;
    case NS_CANVAS_DRAG_WIRE:
      ns_canvas_wire_cancel (self);
      break;
    case NS_CANVAS_DRAG_NONE:
    case NS_CANVAS_DRAG_RUBBER:
    case NS_CANVAS_DRAG_PAN:
    default:
      break;
    }
  ns_canvas_reset_drag (self);
}

void
ns_canvas_cancel_drag (NsCanvas *self)
{
  if (self->drag == NS_CANVAS_DRAG_NONE)
    return;
  abandon_drag (self);
  /* The button is still down: the gesture must not carry on. */
  if (self->drag_gesture != NULL)
    gtk_event_controller_reset (GTK_EVENT_CONTROLLER (self->drag_gesture));
}

static void
begin_moving (NsCanvas *self)
{
  g_autoptr(GPtrArray) layers = ns_selection_get_layers (self->selection);

  g_ptr_array_set_size (self->moving, 0);
  g_array_set_size (self->old_positions, 0);
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      double x, y;

      ns_layer_get_position (layer, &x, &y);
      g_ptr_array_add (self->moving, layer);
      g_array_append_val (self->old_positions, x);
      g_array_append_val (self->old_positions, y);
    }
  self->drag = NS_CANVAS_DRAG_NODES;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               NsCanvas       *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  double cx, cy;
  NsLayer *layer;

  if (self->graph == NULL || self->drag != NS_CANVAS_DRAG_NONE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  ns_canvas_from_widget (self, x, y, &cx, &cy);
  self->drag_x = cx;
  self->drag_y = cy;
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  self->drag_moved = FALSE;

  if (self->space_down)
    {
      self->drag = NS_CANVAS_DRAG_PAN;
      update_cursor (self, cx, cy);
      return;
    }
  if (ns_canvas_wire_starts_at (self, cx, cy))
    {
      ns_canvas_wire_begin (self, cx, cy);
      return;
    }

  layer = ns_renderer_node_at (self->graph, cx, cy);
  if (layer != NULL)
    {
      self->drag_layer = layer;
      self->drag_reselect = FALSE;
      ns_canvas_set_focused (self, layer);
      /* Ctrl toggles, Shift adds; a plain press on a selected node keeps the
       * selection (to move it all) and narrows it on release. */
      if (state & GDK_CONTROL_MASK)
        ns_selection_toggle (self->selection, layer);
      else if (state & GDK_SHIFT_MASK)
        ns_selection_add (self->selection, layer);
      else if (ns_selection_contains (self->selection, layer))
        {
          self->drag_reselect = ns_selection_get_n_layers (self->selection) > 1;
          ns_selection_add (self->selection, layer);
        }
      else
        ns_selection_set (self->selection, layer);
      if (ns_selection_contains (self->selection, layer))
        begin_moving (self);
      return;
    }

  /* Empty canvas: a rubber band, adding to the selection with a modifier. */
  self->drag = NS_CANVAS_DRAG_RUBBER;
  self->rubber_x = cx;
  self->rubber_y = cy;
  self->rubber_base = g_hash_table_new (NULL, NULL);
  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
    {
      GHashTableIter iter;
      gpointer selected;

      g_hash_table_iter_init (&iter, ns_selection_get_set (self->selection));
      while (g_hash_table_iter_next (&iter, &selected, NULL))
        g_hash_table_add (self->rubber_base, selected);
    }
  else
    ns_selection_set (self->selection, NULL);
}

static void
update_rubber_band (NsCanvas *self)
{
  g_autoptr(GPtrArray) inside = ns_renderer_nodes_in_rectangle (self->graph, self->drag_x, self->drag_y,
                                                                self->rubber_x - self->drag_x,
                                                                self->rubber_y - self->drag_y);
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer layer;

  g_hash_table_iter_init (&iter, self->rubber_base);
  while (g_hash_table_iter_next (&iter, &layer, NULL))
    g_ptr_array_add (layers, layer);
  for (guint i = 0; i < inside->len; i++)
    if (!g_hash_table_contains (self->rubber_base, g_ptr_array_index (inside, i)))
      g_ptr_array_add (layers, g_ptr_array_index (inside, i));
  ns_selection_set_layers (self->selection, layers);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                NsCanvas       *self)
{
  double start_x, start_y, cx, cy;

  if (self->drag == NS_CANVAS_DRAG_NONE)
    return;
  if (!self->drag_moved && hypot (offset_x, offset_y) < DRAG_THRESHOLD)
    return;
  self->drag_moved = TRUE;
  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  /* In the view as it was when the drag began (a pan moves the view). */
  cx = self->drag_origin_x + (start_x + offset_x) / self->zoom;
  cy = self->drag_origin_y + (start_y + offset_y) / self->zoom;

  switch (self->drag)
    {
    case NS_CANVAS_DRAG_NODES:
      for (guint i = 0; i < self->moving->len; i++)
        ns_layer_set_position (g_ptr_array_index (self->moving, i),
                               g_array_index (self->old_positions, double, 2 * i) + offset_x / self->zoom,
                               g_array_index (self->old_positions, double, 2 * i + 1) + offset_y / self->zoom);
      break;
    case NS_CANVAS_DRAG_RUBBER:
      self->rubber_x = cx;
      self->rubber_y = cy;
      update_rubber_band (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case NS_CANVAS_DRAG_PAN:
      ns_canvas_set_view (self, self->zoom, self->drag_origin_x - offset_x / self->zoom,
                          self->drag_origin_y - offset_y / self->zoom);
      break;
    case NS_CANVAS_DRAG_WIRE:
      ns_canvas_wire_update (self, cx, cy);
      break;
    case NS_CANVAS_DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             NsCanvas       *self)
{
  switch (self->drag)
    {
    case NS_CANVAS_DRAG_NODES:
      if (self->drag_moved)
        ns_history_record_move (self->history, self->moving, (const double *) self->old_positions->data);
      else if (self->drag_reselect)
        ns_selection_set (self->selection, self->drag_layer);
      break;
    case NS_CANVAS_DRAG_WIRE:
      ns_canvas_wire_end (self);
      break;
    case NS_CANVAS_DRAG_NONE:
    case NS_CANVAS_DRAG_RUBBER:
    case NS_CANVAS_DRAG_PAN:
    default:
      break;
    }
  ns_canvas_reset_drag (self);
}

static void
on_drag_cancel (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                NsCanvas         *self)
{
  abandon_drag (self);
}

/* Clicks: double-click activates a node, the secondary button offers a menu */

static void
popup_context_menu (NsCanvas *self,
                    double    x,
                    double    y)
{
  if (self->context_menu == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenu) edit = g_menu_new ();
      g_autoptr(GMenu) view = g_menu_new ();

      g_menu_append (edit, _("Cu_t"), "canvas.cut");
      g_menu_append (edit, _("_Copy"), "canvas.copy");
      g_menu_append (edit, _("_Paste"), "canvas.paste");
      g_menu_append (edit, _("_Duplicate"), "canvas.duplicate");
      g_menu_append (edit, _("_Delete"), "canvas.delete");
      g_menu_append (view, _("Select _All"), "canvas.select-all");
      g_menu_append (view, _("Zoom to _Fit"), "canvas.zoom-fit");
      g_menu_append (view, _("Arrange _Left to Right"), "canvas.layout(false)");
      g_menu_append (view, _("Arrange _Top to Bottom"), "canvas.layout(true)");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
      self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  NsCanvas        *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  NsLayer *layer;
  double cx, cy;

  if (self->graph == NULL)
    return;
  ns_canvas_from_widget (self, x, y, &cx, &cy);
  layer = ns_renderer_node_at (self->graph, cx, cy);
  if (button == GDK_BUTTON_PRIMARY && n_press == 2 && layer != NULL &&
      !ns_canvas_wire_starts_at (self, cx, cy))
    ns_canvas_emit_layer_activated (self, layer);
  else if (button == GDK_BUTTON_SECONDARY && n_press == 1)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self));
      if (layer != NULL && !ns_selection_contains (self->selection, layer))
        ns_selection_set (self->selection, layer);
      if (layer != NULL)
        ns_canvas_set_focused (self, layer);
      popup_context_menu (self, x, y);
    }
}

/* Layer types dropped from the palette */

/* Only this application's drags: a file dragged in from elsewhere (which
 * may offer text too) is the window's to open. */
static gboolean
on_drop_accept (GtkDropTarget *target,
                GdkDrop       *drop,
                NsCanvas      *self)
{
  GdkContentFormats *formats = gdk_drop_get_formats (drop);

  return self->history != NULL && gdk_drop_get_drag (drop) != NULL &&
         gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) &&
         !gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST);
}

static GdkDragAction
on_drop_motion (GtkDropTarget *target,
                double         x,
                double         y,
                NsCanvas      *self)
{
  if (self->history == NULL)
    return 0;
  self->drop_preview = TRUE;
  ns_canvas_from_widget (self, x, y, &self->drop_x, &self->drop_y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               NsCanvas      *self)
{
  self->drop_preview = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         NsCanvas      *self)
{
  const char *payload = g_value_get_string (value);
  const NsLayerType *type;
  g_autoptr(GError) error = NULL;
  NsLayer *layer;
  double cx, cy;

  self->drop_preview = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->history == NULL || payload == NULL || !g_str_has_prefix (payload, NS_LAYER_TYPE_DRAG_PREFIX))
    return FALSE;
  type = ns_layer_types_lookup (payload + strlen (NS_LAYER_TYPE_DRAG_PREFIX));
  if (type == NULL)
    return FALSE;

  /* The node lands centred where it was let go, as the preview showed. */
  ns_canvas_from_widget (self, x, y, &cx, &cy);
  layer = ns_history_add_layer (self->history, type, cx - NS_LAYOUT_NODE_WIDTH / 2,
                                cy - NS_LAYOUT_NODE_HEIGHT / 2, &error);
  if (layer == NULL)
    {
      ns_canvas_emit_message (self, error->message);
      return FALSE;
    }
  ns_selection_set (self->selection, layer);
  ns_canvas_set_focused (self, layer);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return TRUE;
}

void
ns_canvas_init_input (NsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkDropTarget *drop;

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  g_signal_connect (gesture, "cancel", G_CALLBACK (on_drag_cancel), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));
  self->drag_gesture = gesture;

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, controller);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop, "accept", G_CALLBACK (on_drop_accept), self);
  g_signal_connect (drop, "motion", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}

void
ns_canvas_dispose_input (NsCanvas *self)
{
  /* The controllers go with the widget; only the pointer to one is kept. */
  self->drag_gesture = NULL;
}
