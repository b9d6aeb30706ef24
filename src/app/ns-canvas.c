/* ns-canvas.c: NsCanvas: the document's graph drawn by the core renderer,
 * and what follows the document: redraws, the layers being watched, the
 * focused node. The view is in ns-canvas-view.c, the pointer in
 * ns-canvas-input.c, wires in ns-canvas-wire.c, actions and keys in
 * ns-canvas-actions.c. */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ns-canvas-private.h"
#include "ns-layout.h"

G_DEFINE_FINAL_TYPE (NsCanvas, ns_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_VERTICAL,
  PROP_SHAPE_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LAYER_ACTIVATED,
  LAYERS_DELETED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define GRID        20.0  /* canvas units between the background's dots */

static void
on_layer_notify (NsCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Layers are watched for moves (dragging, undo of a move, auto-layout),
 * which the graph itself does not signal. */
static void
watch_layer (NsCanvas *self,
             NsLayer  *layer)
{
  gulong id;

  if (g_hash_table_contains (self->watched, layer))
    return;
  id = g_signal_connect_object (layer, "notify", G_CALLBACK (on_layer_notify), self, G_CONNECT_SWAPPED);
  g_hash_table_insert (self->watched, g_object_ref (layer), GSIZE_TO_POINTER (id));
}

static void
unwatch_all (NsCanvas *self)
{
  GHashTableIter iter;
  gpointer layer, id;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &layer, &id))
    {
      g_signal_handler_disconnect (layer, GPOINTER_TO_SIZE (id));
      g_hash_table_iter_remove (&iter);
    }
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  NsCanvas   *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      watch_layer (self, layer);
    }
  if (removed > 0)
    {
      GHashTableIter iter;
      gpointer layer, id;

      /* Removed layers live on in the history for undo: let them go here. */
      g_hash_table_iter_init (&iter, self->watched);
      while (g_hash_table_iter_next (&iter, &layer, &id))
        if (ns_layer_get_graph (layer) != self->graph)
          {
            g_signal_handler_disconnect (layer, GPOINTER_TO_SIZE (id));
            if (layer == self->hovered)
              self->hovered = NULL;
            if (layer == self->hovered_wire)
              self->hovered_wire = NULL;
            if (layer == self->focused)
              ns_canvas_set_focused (self, NULL);
            g_hash_table_iter_remove (&iter);
          }
      /* A wire being dragged may have lost an end (an undo meanwhile). */
      if (self->drag != NS_CANVAS_DRAG_NONE)
        ns_canvas_cancel_drag (self);
    }
  ns_canvas_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_graph_changed (NsCanvas *self)
{
  ns_canvas_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_selection_changed (NsCanvas *self)
{
  NsLayer *primary = ns_selection_get_primary (self->selection);

  /* Keyboard focus follows a selection made elsewhere (the summary table). */
  if (primary != NULL && primary != self->focused)
    ns_canvas_set_focused (self, primary);
  ns_canvas_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_dark_changed (NsCanvas *self)
{
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Whether the document was laid out top-down: its wires run down more than
 * across. Documents do not say, and ports must sit where the wires go. */
static gboolean
guess_vertical (NsGraph *graph)
{
  GListModel *model = G_LIST_MODEL (graph);
  double across = 0, down = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double x1, y1;

      ns_layer_get_position (layer, &x1, &y1);
      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *from = ns_layer_get_input (layer, port);
          double x0, y0;

          if (from == NULL)
            continue;
          ns_layer_get_position (from, &x0, &y0);
          across += ABS (x1 - x0);
          down += ABS (y1 - y0);
        }
    }
  return down > across;
}

void
ns_canvas_set_document (NsCanvas    *self,
                        NsHistory   *history,
                        NsSelection *selection)
{
  g_return_if_fail (NS_IS_CANVAS (self));
  g_return_if_fail (history == NULL || NS_IS_HISTORY (history));
  g_return_if_fail (selection == NULL || NS_IS_SELECTION (selection));

  ns_canvas_cancel_drag (self);
  if (self->palette_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->palette_popover));
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  unwatch_all (self);
  self->hovered = self->hovered_wire = NULL;
  self->focused = NULL;
  g_clear_object (&self->graph);
  g_set_object (&self->history, history);
  g_set_object (&self->selection, selection);
  /* A fresh renderer: the old one's text cache is keyed by the old layers. */
  g_clear_pointer (&self->renderer, ns_renderer_free);

  if (history != NULL)
    {
      GListModel *model;

      self->renderer = ns_renderer_new ();
      self->graph = g_object_ref (ns_history_get_graph (history));
      model = G_LIST_MODEL (self->graph);
      g_signal_connect (self->graph, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect_swapped (self->graph, "changed", G_CALLBACK (on_graph_changed), self);
      g_signal_connect_swapped (self->graph, "inferred", G_CALLBACK (on_graph_changed), self);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

          watch_layer (self, layer);
        }
      if (self->vertical != guess_vertical (self->graph))
        ns_canvas_set_vertical (self, !self->vertical);
      self->fit_pending = TRUE;
      self->fit_readable = TRUE;
    }
  if (selection != NULL)
    g_signal_connect_swapped (selection, "changed", G_CALLBACK (on_selection_changed), self);

  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    ns_canvas_apply_pending_fit (self);
  ns_canvas_update_actions (self);
  ns_canvas_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ns_canvas_get_vertical (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), FALSE);
  return self->vertical;
}

void
ns_canvas_set_vertical (NsCanvas *self,
                        gboolean  vertical)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  vertical = !!vertical;
  if (self->vertical == vertical)
    return;
  self->vertical = vertical;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERTICAL]);
}

NsShapeOrder
ns_canvas_get_shape_order (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), NS_SHAPE_ORDER_NHWC);
  return self->shape_order;
}

void
ns_canvas_set_shape_order (NsCanvas     *self,
                           NsShapeOrder  order)
{
  g_return_if_fail (NS_IS_CANVAS (self));

  if (self->shape_order == order)
    return;
  self->shape_order = order;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  ns_canvas_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_ORDER]);
}

void
ns_canvas_notify_zoom (NsCanvas *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
ns_canvas_set_focused (NsCanvas *self,
                       NsLayer  *layer)
{
  if (self->focused == layer)
    return;
  self->focused = layer;
  ns_canvas_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drawing */

static void
snapshot_grid (NsCanvas *self,
               cairo_t  *cr,
               double    width,
               double    height)
{
  double step = GRID;
  double x0, y0, x1, y1;

  /* Coarser dots as the view zooms out, so that they stay 16 px or more apart. */
  while (step * self->zoom < 16)
    step *= 5;
  ns_canvas_from_widget (self, 0, 0, &x0, &y0);
  ns_canvas_from_widget (self, width, height, &x1, &y1);
  for (double x = floor (x0 / step) * step; x <= x1; x += step)
    for (double y = floor (y0 / step) * step; y <= y1; y += step)
      {
        double wx, wy;

        ns_canvas_to_widget (self, x, y, &wx, &wy);
        cairo_rectangle (cr, round (wx) - 1, round (wy) - 1, 2, 2);
      }
  cairo_set_source_rgba (cr, self->dark ? 1 : 0, self->dark ? 1 : 0, self->dark ? 1 : 0, 0.09);
  cairo_fill (cr);
}

static void
ns_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  NsCanvas *self = NS_CANVAS (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  NsRenderOptions options = { 0 };
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  snapshot_grid (self, cr, width, height);
  if (self->graph == NULL)
    {
      cairo_destroy (cr);
      return;
    }

  options.visible_x = self->origin_x;
  options.visible_y = self->origin_y;
  options.visible_width = width / self->zoom;
  options.visible_height = height / self->zoom;
  options.selected = self->selection != NULL ? ns_selection_get_set (self->selection) : NULL;
  options.hovered = self->drag == NS_CANVAS_DRAG_NONE ? self->hovered : NULL;
  options.hovered_wire = self->drag == NS_CANVAS_DRAG_NONE ? self->hovered_wire : NULL;
  options.hovered_port = self->hovered_port;
  options.focused = gtk_widget_has_visible_focus (widget) ? self->focused : NULL;
  options.dark = self->dark;
  options.vertical = self->vertical;
  options.shape_order = self->shape_order;

  cairo_save (cr);
  cairo_scale (cr, self->zoom, self->zoom);
  cairo_translate (cr, -self->origin_x, -self->origin_y);
  ns_renderer_draw (self->renderer, cr, self->graph, &options);

  if (self->drop_preview)
    {
      static const double dashes[] = { 6, 4 };

      cairo_rectangle (cr, self->drop_x - NS_LAYOUT_NODE_WIDTH / 2, self->drop_y - NS_LAYOUT_NODE_HEIGHT / 2,
                       NS_LAYOUT_NODE_WIDTH, NS_LAYOUT_NODE_HEIGHT);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.12);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.9);
      cairo_set_line_width (cr, 1.5 / self->zoom);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_restore (cr);

  if (self->drag == NS_CANVAS_DRAG_RUBBER && self->drag_moved)
    {
      double x0, y0, x1, y1;

      ns_canvas_to_widget (self, self->drag_x, self->drag_y, &x0, &y0);
      ns_canvas_to_widget (self, self->rubber_x, self->rubber_y, &x1, &y1);
      cairo_rectangle (cr, floor (MIN (x0, x1)) + 0.5, floor (MIN (y0, y1)) + 0.5,
                       round (ABS (x1 - x0)), round (ABS (y1 - y0)));
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.8);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }
  if (self->drag == NS_CANVAS_DRAG_WIRE)
    ns_canvas_wire_snapshot (self, cr);
  cairo_destroy (cr);
}

static void
ns_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  NsCanvas *self = NS_CANVAS (widget);

  if (width > 0 && height > 0)
    ns_canvas_apply_pending_fit (self);
  if (self->palette_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->palette_popover));
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
ns_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 400;
}

static void
ns_canvas_focus_changed (NsCanvas *self)
{
  /* The focus ring shows only while the canvas has keyboard focus. */
  if (gtk_widget_has_focus (GTK_WIDGET (self)) && self->focused == NULL && self->graph != NULL)
    {
      NsLayer *primary = self->selection != NULL ? ns_selection_get_primary (self->selection) : NULL;

      if (primary != NULL)
        ns_canvas_set_focused (self, primary);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ns_canvas_dispose (GObject *object)
{
  NsCanvas *self = NS_CANVAS (object);

  ns_canvas_set_document (self, NULL, NULL);
  ns_canvas_dispose_wire (self);
  ns_canvas_dispose_input (self);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (ns_canvas_parent_class)->dispose (object);
}

static void
ns_canvas_finalize (GObject *object)
{
  NsCanvas *self = NS_CANVAS (object);

  g_clear_pointer (&self->renderer, ns_renderer_free);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->moving, g_ptr_array_unref);
  g_clear_pointer (&self->old_positions, g_array_unref);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  g_clear_pointer (&self->wire_refusal, g_free);
  G_OBJECT_CLASS (ns_canvas_parent_class)->finalize (object);
}

static void
ns_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NsCanvas *self = NS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_VERTICAL:
      g_value_set_boolean (value, self->vertical);
      break;
    case PROP_SHAPE_ORDER:
      g_value_set_enum (value, self->shape_order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NsCanvas *self = NS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      ns_canvas_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_VERTICAL:
      ns_canvas_set_vertical (self, g_value_get_boolean (value));
      break;
    case PROP_SHAPE_ORDER:
      ns_canvas_set_shape_order (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_canvas_class_init (NsCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_canvas_dispose;
  object_class->finalize = ns_canvas_finalize;
  object_class->get_property = ns_canvas_get_property;
  object_class->set_property = ns_canvas_set_property;
  widget_class->snapshot = ns_canvas_snapshot;
  widget_class->size_allocate = ns_canvas_size_allocate;
  widget_class->measure = ns_canvas_measure;
  widget_class->query_tooltip = ns_canvas_query_tooltip;
  widget_class->focus = ns_canvas_focus;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, NS_CANVAS_MIN_ZOOM, NS_CANVAS_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERTICAL] =
    g_param_spec_boolean ("vertical", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHAPE_ORDER] =
    g_param_spec_enum ("shape-order", NULL, NULL, NS_TYPE_SHAPE_ORDER, NS_SHAPE_ORDER_NHWC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LAYER_ACTIVATED] =
    g_signal_new ("layer-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, NS_TYPE_LAYER);
  signals[LAYERS_DELETED] =
    g_signal_new ("layers-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "nscanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  ns_canvas_class_init_actions (widget_class);
}

static void
ns_canvas_init (NsCanvas *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  self->zoom = 1.0;
  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->moving = g_ptr_array_new ();
  self->old_positions = g_array_new (FALSE, FALSE, sizeof (double));
  self->dark = adw_style_manager_get_dark (style);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::has-focus", G_CALLBACK (ns_canvas_focus_changed), NULL);

  ns_canvas_init_input (self);
  ns_canvas_init_view (self);
  ns_canvas_update_actions (self);
  ns_canvas_update_accessible (self);
}

GtkWidget *
ns_canvas_new (void)
{
  return g_object_new (NS_TYPE_CANVAS, NULL);
}

/* For the other files: the signals are emitted there. */
void
ns_canvas_emit_layer_activated (NsCanvas *self,
                                NsLayer  *layer)
{
  g_signal_emit (self, signals[LAYER_ACTIVATED], 0, layer);
}

void
ns_canvas_emit_layers_deleted (NsCanvas   *self,
                               guint       n_layers,
                               const char *first_name)
{
  g_signal_emit (self, signals[LAYERS_DELETED], 0, n_layers, first_name);
}

void
ns_canvas_emit_message (NsCanvas   *self,
                        const char *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

NsLayer *
ns_canvas_get_focused_layer (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), NULL);
  return self->focused;
}

const char *
ns_canvas_get_wire_refusal (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), NULL);
  return self->drag == NS_CANVAS_DRAG_WIRE ? self->wire_refusal : NULL;
}
