/* ns-canvas-actions.c: NsCanvas' widget actions and their keys (delete,
 * duplicate, the clipboard, zoom, arrange), keyboard focus moving between
 * nodes, and the accessible description of the focused node. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "ns-canvas-private.h"
#include "ns-layout.h"

#define ZOOM_STEP    1.25
#define PASTE_OFFSET 40.0   /* canvas units a duplicate or a paste away from the pointer lands off */

static GPtrArray *
selected_layers (NsCanvas *self)
{
  GPtrArray *layers;

  if (self->selection == NULL)
    return g_ptr_array_new ();
  layers = ns_selection_get_layers (self->selection);
  /* Nothing selected: the node keyboard focus is on. */
  if (layers->len == 0 && self->focused != NULL)
    g_ptr_array_add (layers, self->focused);
  return layers;
}

static const struct {
  const char *name;
  const char *parameter_type;
} action_names[] = {
  { "delete", NULL }, { "duplicate", NULL }, { "copy", NULL }, { "cut", NULL }, { "paste", NULL },
  { "select-all", NULL }, { "zoom-in", NULL }, { "zoom-out", NULL }, { "zoom-reset", NULL },
  { "zoom-fit", NULL }, { "layout", "b" },
};

static void
set_enabled (NsCanvas   *self,
             const char *name,
             gboolean    enabled)
{
  g_autofree char *full = g_strconcat ("canvas.", name, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), full, enabled);
  if (self->actions != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name)),
                                 enabled);
}

static void
on_forwarded_activate (GSimpleAction *action,
                       GVariant      *parameter,
                       NsCanvas      *self)
{
  g_autofree char *full = g_strconcat ("canvas.", g_action_get_name (G_ACTION (action)), NULL);

  gtk_widget_activate_action_variant (GTK_WIDGET (self), full, parameter);
}

GActionGroup *
ns_canvas_get_actions (NsCanvas *self)
{
  g_return_val_if_fail (NS_IS_CANVAS (self), NULL);

  if (self->actions == NULL)
    {
      self->actions = G_ACTION_GROUP (g_simple_action_group_new ());
      for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
        {
          g_autoptr(GSimpleAction) action = NULL;
          const GVariantType *type = action_names[i].parameter_type != NULL
                                     ? G_VARIANT_TYPE (action_names[i].parameter_type) : NULL;

          action = g_simple_action_new (action_names[i].name, type);
          /* The group may outlive the canvas in a window's muxer. */
          g_signal_connect_object (action, "activate", G_CALLBACK (on_forwarded_activate), self, 0);
          g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
        }
      ns_canvas_update_actions (self);
    }
  return self->actions;
}

void
ns_canvas_update_actions (NsCanvas *self)
{
  gboolean open = self->history != NULL;
  gboolean any = open && g_list_model_get_n_items (G_LIST_MODEL (self->graph)) > 0;
  gboolean selected = open && (ns_selection_get_n_layers (self->selection) > 0 || self->focused != NULL);

  set_enabled (self, "delete", selected);
  set_enabled (self, "duplicate", selected);
  set_enabled (self, "copy", selected);
  set_enabled (self, "cut", selected);
  set_enabled (self, "paste", open);
  set_enabled (self, "select-all", any);
  set_enabled (self, "zoom-in", open && self->zoom < NS_CANVAS_MAX_ZOOM);
  set_enabled (self, "zoom-out", open && self->zoom > NS_CANVAS_MIN_ZOOM);
  set_enabled (self, "zoom-reset", open);
  set_enabled (self, "zoom-fit", any);
  set_enabled (self, "layout", any);
}

void
ns_canvas_update_accessible (NsCanvas *self)
{
  g_autofree char *description = NULL;

  if (self->graph == NULL)
    description = g_strdup (_("No network is open"));
  else if (self->focused != NULL)
    {
      const NsLayerInfo *info = ns_layer_get_info (self->focused);
      const char *name = ns_layer_get_name (self->focused);
      const char *class_name = ns_layer_get_class_name (self->focused);

      if (info->state == NS_LAYER_OK)
        {
          g_autofree char *shape = ns_shape_to_display_string (&info->output, self->shape_order);
          g_autofree char *params = ns_format_count (info->params);

          /* TRANSLATORS: the focused node for screen readers: name, Keras
           * class, output shape, parameter count. */
          description = g_strdup_printf (_("%s, %s, output %s, %s parameters"), name, class_name, shape, params);
        }
      else
        /* TRANSLATORS: a node in error for screen readers: name, class, the problem. */
        description = g_strdup_printf (_("%s, %s: %s"), name, class_name, info->message);
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->graph));

      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A network of %u layer",
                                                  "A network of %u layers", n), n);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network diagram"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Deleting and the clipboard */

void
ns_canvas_delete_selection (NsCanvas *self)
{
  g_autoptr(GPtrArray) layers = selected_layers (self);
  g_autofree char *first_name = NULL;

  if (self->history == NULL || layers->len == 0)
    return;
  first_name = g_strdup (ns_layer_get_name (g_ptr_array_index (layers, 0)));
  ns_history_remove_layers (self->history, layers);
  ns_canvas_emit_layers_deleted (self, layers->len, first_name);
}

static void
copy_layers (NsCanvas  *self,
             GPtrArray *layers)
{
  g_autofree char *json = ns_history_copy (self->history, layers);

  /* Plain text: another window pastes it, and so does a text editor. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), json);
}

static void
select_pasted (NsCanvas  *self,
               GPtrArray *layers)
{
  if (layers->len == 0)
    return;
  ns_selection_set_layers (self->selection, layers);
  ns_canvas_set_focused (self, g_ptr_array_index (layers, 0));
}

/* The box the layers of a copied document cover, from their positions. */
static gboolean
pasted_extents (const char *json,
                double     *x0,
                double     *y0,
                double     *x1,
                double     *y1)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *layers;

  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  root = json_object_get_member (json_node_get_object (root), "layers");
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  layers = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *layer = json_array_get_element (layers, i);
      JsonNode *position;
      JsonArray *xy;
      double x, y;

      if (!JSON_NODE_HOLDS_OBJECT (layer) ||
          (position = json_object_get_member (json_node_get_object (layer), "position")) == NULL ||
          !JSON_NODE_HOLDS_ARRAY (position) || json_array_get_length (xy = json_node_get_array (position)) != 2)
        continue;
      x = json_node_get_double (json_array_get_element (xy, 0));
      y = json_node_get_double (json_array_get_element (xy, 1));
      *x0 = MIN (*x0, x);
      *y0 = MIN (*y0, y);
      *x1 = MAX (*x1, x + NS_LAYOUT_NODE_WIDTH);
      *y1 = MAX (*y1, y + NS_LAYOUT_NODE_HEIGHT);
    }
  return *x0 <= *x1;
}

/* Pastes @json centred on the pointer; with the pointer away, next to where
 * it was copied from if that is in view, else in the middle of the view. */
static void
paste_text (NsCanvas   *self,
            const char *json)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(GError) error = NULL;
  double x0, y0, x1, y1, dx = PASTE_OFFSET, dy = PASTE_OFFSET;

  if (pasted_extents (json, &x0, &y0, &x1, &y1))
    {
      double vx0, vy0, vx1, vy1, px, py;

      ns_canvas_from_widget (self, 0, 0, &vx0, &vy0);
      ns_canvas_from_widget (self, gtk_widget_get_width (GTK_WIDGET (self)),
                             gtk_widget_get_height (GTK_WIDGET (self)), &vx1, &vy1);
      if (self->pointer_inside || x1 + dx <= vx0 || x0 + dx >= vx1 || y1 + dy <= vy0 || y0 + dy >= vy1)
        {
          ns_canvas_get_pointer_point (self, &px, &py);
          dx = round (px - (x0 + x1) / 2);
          dy = round (py - (y0 + y1) / 2);
        }
    }
  layers = ns_history_paste (self->history, json, dx, dy, &error);
  if (layers == NULL)
    {
      ns_canvas_emit_message (self, error->message);
      return;
    }
  select_pasted (self, layers);
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(NsCanvas) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, &error);

  if (text == NULL)
    {
      /* Nothing to paste, or nothing textual: not worth a message. */
      g_debug ("Nothing to paste: %s", error != NULL ? error->message : "empty");
      return;
    }
  if (self->history != NULL)
    paste_text (self, text);
}

static void
action_edit (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsCanvas *self = NS_CANVAS (widget);
  g_autoptr(GPtrArray) layers = NULL;

  if (self->history == NULL)
    return;
  layers = selected_layers (self);

  if (g_str_equal (action_name, "canvas.delete"))
    ns_canvas_delete_selection (self);
  else if (g_str_equal (action_name, "canvas.copy") && layers->len > 0)
    copy_layers (self, layers);
  else if (g_str_equal (action_name, "canvas.cut") && layers->len > 0)
    {
      copy_layers (self, layers);
      ns_canvas_delete_selection (self);
    }
  else if (g_str_equal (action_name, "canvas.duplicate") && layers->len > 0)
    {
      g_autofree char *json = ns_history_copy (self->history, layers);
      g_autoptr(GPtrArray) pasted = NULL;
      g_autoptr(GError) error = NULL;

      ns_history_begin (self->history, _("Duplicate"));
      pasted = ns_history_paste (self->history, json, PASTE_OFFSET, PASTE_OFFSET, &error);
      ns_history_end (self->history);
      if (pasted == NULL)
        ns_canvas_emit_message (self, error->message);
      else
        select_pasted (self, pasted);
    }
  else if (g_str_equal (action_name, "canvas.paste"))
    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text,
                                   g_object_ref (self));
  else if (g_str_equal (action_name, "canvas.select-all"))
    ns_selection_select_all (self->selection);
}

static void
action_zoom (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsCanvas *self = NS_CANVAS (widget);

  if (g_str_equal (action_name, "canvas.zoom-fit"))
    ns_canvas_zoom_to_fit (self);
  else if (g_str_equal (action_name, "canvas.zoom-in"))
    ns_canvas_set_zoom (self, self->zoom * ZOOM_STEP);
  else if (g_str_equal (action_name, "canvas.zoom-out"))
    ns_canvas_set_zoom (self, self->zoom / ZOOM_STEP);
  else
    ns_canvas_set_zoom (self, 1.0);
}

static void
action_layout (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NsCanvas *self = NS_CANVAS (widget);
  gboolean vertical = g_variant_get_boolean (parameter);

  if (self->history == NULL)
    return;
  ns_canvas_set_vertical (self, vertical);
  ns_history_auto_layout (self->history, vertical);
  ns_canvas_zoom_to_fit (self);
}

/* Keyboard focus among the nodes */

static void
focus_node (NsCanvas *self,
            NsLayer  *layer,
            gboolean  extend)
{
  ns_canvas_set_focused (self, layer);
  if (extend)
    ns_selection_add (self->selection, layer);
  else
    ns_selection_set (self->selection, layer);
  ns_canvas_reveal_layer (self, layer);
}

/* Tab and Shift+Tab walk the nodes in graph order, then leave the canvas. */
gboolean
ns_canvas_focus (GtkWidget        *widget,
                 GtkDirectionType  direction)
{
  NsCanvas *self = NS_CANVAS (widget);
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  GPtrArray *order;
  guint index;

  if (self->graph == NULL || (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->graph)) == 0)
    {
      if (gtk_widget_has_focus (widget))
        return FALSE;
      return gtk_widget_grab_focus (widget);
    }

  order = ns_graph_get_sorted_layers (self->graph);
  if (!gtk_widget_has_focus (widget))
    {
      /* Entering (also the window's first focus) marks a node but leaves
       * the selection alone; the next Tab selects as it moves. */
      gtk_widget_grab_focus (widget);
      if (self->focused == NULL)
        ns_canvas_set_focused (self, g_ptr_array_index (order, forward ? 0 : order->len - 1));
      return TRUE;
    }
  if (self->focused == NULL || !g_ptr_array_find (order, self->focused, &index))
    {
      focus_node (self, g_ptr_array_index (order, forward ? 0 : order->len - 1), FALSE);
      return TRUE;
    }
  if ((forward && index + 1 >= order->len) || (!forward && index == 0))
    return FALSE;
  focus_node (self, g_ptr_array_index (order, forward ? index + 1 : index - 1), FALSE);
  return TRUE;
}

/* Arrow keys: the nearest node that way, favouring those straight ahead. */
static gboolean
move_focus (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  NsCanvas *self = NS_CANVAS (widget);
  GtkDirectionType direction;
  gboolean extend;
  GListModel *model;
  NsLayer *best = NULL;
  double fx, fy, best_score = G_MAXDOUBLE;

  if (self->graph == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->graph)) == 0)
    return FALSE;
  g_variant_get (args, "(ib)", &direction, &extend);
  model = G_LIST_MODEL (self->graph);
  if (self->focused == NULL)
    {
      g_autoptr(NsLayer) first = g_list_model_get_item (model, 0);

      focus_node (self, first, FALSE);
      return TRUE;
    }

  ns_layer_get_position (self->focused, &fx, &fy);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double x, y, ahead, aside, score;

      if (layer == self->focused)
        continue;
      ns_layer_get_position (layer, &x, &y);
      switch (direction)
        {
        case GTK_DIR_LEFT:
          ahead = fx - x;
          aside = y - fy;
          break;
        case GTK_DIR_RIGHT:
          ahead = x - fx;
          aside = y - fy;
          break;
        case GTK_DIR_UP:
          ahead = fy - y;
          aside = x - fx;
          break;
        case GTK_DIR_DOWN:
        default:
          ahead = y - fy;
          aside = x - fx;
          break;
        }
      if (ahead < 1)
        continue;
      score = ahead + 2 * ABS (aside);
      if (score < best_score)
        {
          best_score = score;
          best = layer;
        }
    }
  if (best == NULL)
    gtk_widget_error_bell (widget);
  else
    focus_node (self, best, extend);
  return TRUE;
}

static gboolean
activate_focused (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  NsCanvas *self = NS_CANVAS (widget);
  NsLayer *layer = self->focused;

  if (layer == NULL && self->selection != NULL)
    layer = ns_selection_get_primary (self->selection);
  if (layer == NULL)
    return FALSE;
  ns_canvas_emit_layer_activated (self, layer);
  return TRUE;
}

/* Escape: first the wire being dragged, then the selection. */
static gboolean
escape (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  NsCanvas *self = NS_CANVAS (widget);

  if (self->drag != NS_CANVAS_DRAG_NONE)
    {
      ns_canvas_cancel_drag (self);
      return TRUE;
    }
  if (self->selection == NULL || ns_selection_get_n_layers (self->selection) == 0)
    return FALSE;
  ns_selection_set (self->selection, NULL);
  return TRUE;
}

void
ns_canvas_class_init_actions (GtkWidgetClass *widget_class)
{
  static const struct { guint key; GtkDirectionType direction; } arrows[] = {
    { GDK_KEY_Left, GTK_DIR_LEFT }, { GDK_KEY_KP_Left, GTK_DIR_LEFT },
    { GDK_KEY_Right, GTK_DIR_RIGHT }, { GDK_KEY_KP_Right, GTK_DIR_RIGHT },
    { GDK_KEY_Up, GTK_DIR_UP }, { GDK_KEY_KP_Up, GTK_DIR_UP },
    { GDK_KEY_Down, GTK_DIR_DOWN }, { GDK_KEY_KP_Down, GTK_DIR_DOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    {
      g_autofree char *full = g_strconcat ("canvas.", action_names[i].name, NULL);
      GtkWidgetActionActivateFunc activate = action_edit;

      if (g_str_has_prefix (action_names[i].name, "zoom-"))
        activate = action_zoom;
      else if (g_str_equal (action_names[i].name, "layout"))
        activate = action_layout;
      gtk_widget_class_install_action (widget_class, full, action_names[i].parameter_type, activate);
    }

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "canvas.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, GDK_CONTROL_MASK, "canvas.cut", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "canvas.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "canvas.zoom-fit", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding (widget_class, arrows[i].key, 0, move_focus, "(ib)", arrows[i].direction, FALSE);
      gtk_widget_class_add_binding (widget_class, arrows[i].key, GDK_SHIFT_MASK, move_focus, "(ib)",
                                    arrows[i].direction, TRUE);
    }
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, activate_focused, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, activate_focused, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_ISO_Enter, 0, activate_focused, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape, NULL);
}
