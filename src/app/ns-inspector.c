/* ns-inspector.c: NsInspector: follows the selection's primary layer and shows
 * its name, trainable switch, figures and error, the editors generated from
 * its type's declaration, the Explain section and the size solver. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-inspector-private.h"

G_DEFINE_FINAL_TYPE (NsInspector, ns_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHAPE_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_name_error (NsInspector *self,
                 const char  *message)
{
  GtkWidget *row = GTK_WIDGET (self->name_row);

  gtk_label_set_text (self->name_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_error), message != NULL);
  gtk_widget_set_tooltip_text (row, message);
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
update_name (NsInspector *self)
{
  const char *name = ns_layer_get_name (self->layer);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->name_row)), name) == 0)
    return;
  self->syncing++;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->syncing--;
  show_name_error (self, NULL);
}

static void
update_trainable (NsInspector *self)
{
  const NsLayerType *type = ns_layer_get_layer_type (self->layer);

  /* Keras has the flag on every layer; it only means something with weights. */
  gtk_widget_set_visible (GTK_WIDGET (self->trainable_row),
                          type->weights != NULL || ns_layer_get_subgraph (self->layer) != NULL);
  self->syncing++;
  gtk_switch_set_active (self->trainable_switch, ns_layer_get_trainable (self->layer));
  self->syncing--;
}

static void
update_figures (NsInspector *self)
{
  const NsLayerInfo *info = ns_layer_get_info (self->layer);
  NsLayer *owner = ns_layer_get_weights_owner (self->layer);
  GtkWidget *state = GTK_WIDGET (self->state_label);
  g_autofree char *shape = NULL;
  g_autofree char *params = NULL;
  g_autofree char *macs = NULL;
  g_autofree char *split = NULL;

  if (info->state == NS_LAYER_OK)
    {
      shape = ns_shape_to_display_string (&info->output, self->shape_order);
      params = ns_format_count (info->params);
      macs = ns_format_count (info->macs);
      if (owner != NULL)
        split = g_strdup_printf (_("Shares the weights of “%s”, counted there"),
                                 ns_layer_get_name (owner));
      else if (info->non_trainable_params > 0)
        {
          g_autofree char *trainable = ns_format_count (info->trainable_params);
          g_autofree char *frozen = ns_format_count (info->non_trainable_params);

          split = g_strdup_printf (_("%s trainable, %s non-trainable"), trainable, frozen);
        }
    }

  gtk_label_set_text (self->shape_label, shape != NULL ? shape : "–");
  gtk_label_set_text (self->params_label, params != NULL ? params : "–");
  gtk_label_set_text (self->macs_label, macs != NULL ? macs : "–");
  adw_action_row_set_subtitle (self->params_row, split != NULL ? split : "");

  /* The core's message names the offending numbers; show it as it is. */
  gtk_label_set_text (self->state_label, info->message != NULL ? info->message : "");
  gtk_widget_set_visible (state, info->state != NS_LAYER_OK && info->message != NULL);
  if (info->state == NS_LAYER_ERROR)
    {
      gtk_widget_add_css_class (state, "error");
      gtk_widget_remove_css_class (state, "warning");
    }
  else
    {
      gtk_widget_add_css_class (state, "warning");
      gtk_widget_remove_css_class (state, "error");
    }
}

static GtkWidget *
explain_step_row (const NsExplainStep *step)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (step->title);
  GtkWidget *body;
  GString *text = g_string_new (NULL);

  /* The formula, then each stage on its own line, as a teacher writes it. */
  if (step->formula != NULL)
    g_string_append (text, step->formula);
  if (step->substituted != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? "\n= " : "", step->substituted);
  g_string_append_printf (text, "%s%s", text->len > 0 ? "\n= " : "", step->result);
  body = gtk_label_new (text->str);
  g_string_free (text, TRUE);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_widget_add_css_class (body, "numeric");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  if (step->note != NULL)
    {
      GtkWidget *note = gtk_label_new (step->note);

      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (box), note);
    }
  gtk_widget_add_css_class (box, "ns-explain-step");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
update_explain (NsInspector *self)
{
  const NsLayerInfo *info = ns_layer_get_info (self->layer);
  g_autoptr(NsExplanation) explanation = ns_layer_explain (self->layer);
  g_autofree char *text = explanation != NULL ? ns_explanation_to_text (explanation) : NULL;
  guint n_steps = explanation != NULL ? ns_explanation_get_n_steps (explanation) : 0;
  GtkWidget *child;

  /* Rebuilt only when it reads differently: re-inference runs on every edit. */
  if (text != NULL && g_strcmp0 (text, self->explain_text) == 0)
    return;
  g_free (self->explain_text);
  self->explain_text = g_steal_pointer (&text);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->explain_list))) != NULL)
    gtk_list_box_remove (self->explain_list, child);
  for (guint i = 0; i < n_steps; i++)
    gtk_list_box_append (self->explain_list,
                         explain_step_row (ns_explanation_get_step (explanation, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->explain_list), n_steps > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->explain_status), n_steps == 0);
  if (info->state != NS_LAYER_OK)
    gtk_label_set_text (self->explain_status,
                        _("Explained once the layer has an output: see the message above"));
  else
    gtk_label_set_text (self->explain_status, _("Nothing to work out: this layer has no size rule or parameters of its own"));
}

static void
refresh (NsInspector *self)
{
  if (self->layer == NULL)
    return;
  update_trainable (self);
  update_figures (self);
  update_explain (self);
  ns_inspector_solver_update (self, FALSE);
}

static void
on_config_changed (NsInspector *self,
                   const char  *key)
{
  ns_inspector_sync_editors (self, key);
}

static void
on_name_changed (NsInspector *self)
{
  if (self->layer != NULL)
    update_name (self);
}

static void
set_layer (NsInspector *self,
           NsLayer     *layer)
{
  const NsLayerType *type;
  g_autofree char *class_text = NULL;

  if (layer == self->layer)
    return;

  ns_inspector_clear_editors (self);
  g_set_object (&self->layer, layer);
  g_signal_group_set_target (self->layer_signals, layer);
  g_clear_pointer (&self->explain_text, g_free);
  show_name_error (self, NULL);

  if (layer == NULL)
    {
      ns_inspector_solver_update (self, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  type = ns_layer_get_layer_type (layer);
  gtk_label_set_text (self->type_label, ns_layer_type_get_label (type));
  if (type->description != NULL)
    class_text = g_strdup_printf ("%s · %s", ns_layer_get_class_name (layer), _(type->description));
  else
    class_text = g_strdup (ns_layer_get_class_name (layer));
  gtk_label_set_text (self->class_label, class_text);

  ns_inspector_build_editors (self);
  update_name (self);
  ns_inspector_solver_update (self, TRUE);
  refresh (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "layer");
}

static void
on_selection_changed (NsInspector *self)
{
  set_layer (self, self->selection != NULL ? ns_selection_get_primary (self->selection) : NULL);
}

static void
on_name_apply (NsInspector *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (self->layer == NULL || self->history == NULL)
    return;
  if (g_strcmp0 (text, ns_layer_get_name (self->layer)) == 0)
    show_name_error (self, NULL);
  else if (!ns_history_rename (self->history, self->layer, text, &error))
    show_name_error (self, error->message);
  else
    show_name_error (self, NULL);
}

static void
on_name_text_changed (NsInspector *self)
{
  /* A new attempt: the old complaint no longer applies. */
  if (self->syncing == 0)
    show_name_error (self, NULL);
}

static void
on_trainable_changed (NsInspector *self)
{
  gboolean active = gtk_switch_get_active (self->trainable_switch);

  if (self->syncing > 0 || self->layer == NULL || self->history == NULL ||
      active == ns_layer_get_trainable (self->layer))
    return;
  ns_history_set_trainable (self->history, self->layer, active);
}

static void
ns_inspector_dispose (GObject *object)
{
  NsInspector *self = NS_INSPECTOR (object);

  ns_inspector_clear_editors (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->history);
  g_clear_object (&self->layer);
  if (self->layer_signals != NULL)
    g_signal_group_set_target (self->layer_signals, NULL);
  if (self->graph_signals != NULL)
    g_signal_group_set_target (self->graph_signals, NULL);
  g_clear_object (&self->layer_signals);
  g_clear_object (&self->graph_signals);
  ns_inspector_solver_dispose (self);
  g_clear_pointer (&self->explain_text, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_INSPECTOR);

  G_OBJECT_CLASS (ns_inspector_parent_class)->dispose (object);
}

static void
ns_inspector_finalize (GObject *object)
{
  NsInspector *self = NS_INSPECTOR (object);

  g_clear_pointer (&self->editors, g_ptr_array_unref);

  G_OBJECT_CLASS (ns_inspector_parent_class)->finalize (object);
}

static void
ns_inspector_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NsInspector *self = NS_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      g_value_set_enum (value, self->shape_order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_inspector_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  NsInspector *self = NS_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      ns_inspector_set_shape_order (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_inspector_class_init (NsInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_inspector_dispose;
  object_class->finalize = ns_inspector_finalize;
  object_class->get_property = ns_inspector_get_property;
  object_class->set_property = ns_inspector_set_property;

  properties[PROP_SHAPE_ORDER] =
    g_param_spec_enum ("shape-order", NULL, NULL, NS_TYPE_SHAPE_ORDER, NS_SHAPE_ORDER_NHWC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/netsketch/Netsketch/ns-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, NsInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, type_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, class_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, state_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, name_row);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, name_error);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, trainable_row);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, trainable_switch);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, shape_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, params_row);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, params_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, macs_label);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, editors_box);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, explain_group);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, explain_list);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, explain_status);
  gtk_widget_class_bind_template_child (widget_class, NsInspector, solver_group);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_name_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_trainable_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nsinspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ns_inspector_init (NsInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->editors = g_ptr_array_new ();

  self->layer_signals = g_signal_group_new (NS_TYPE_LAYER);
  g_signal_group_connect_swapped (self->layer_signals, "config-changed",
                                  G_CALLBACK (on_config_changed), self);
  g_signal_group_connect_swapped (self->layer_signals, "notify::name",
                                  G_CALLBACK (on_name_changed), self);
  /* "inferred" covers figures; "changed" covers the trainable flag and
   * upstream edits that change what the solver starts from. */
  self->graph_signals = g_signal_group_new (NS_TYPE_GRAPH);
  g_signal_group_connect_swapped (self->graph_signals, "inferred", G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->graph_signals, "changed", G_CALLBACK (refresh), self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Inspector"),
                                  -1);
  ns_inspector_solver_init (self);
}

GtkWidget *
ns_inspector_new (void)
{
  return g_object_new (NS_TYPE_INSPECTOR, NULL);
}

void
ns_inspector_set_document (NsInspector *self,
                           NsHistory   *history,
                           NsSelection *selection)
{
  g_return_if_fail (NS_IS_INSPECTOR (self));
  g_return_if_fail (history == NULL || NS_IS_HISTORY (history));
  g_return_if_fail (selection == NULL || NS_IS_SELECTION (selection));

  /* A new document never shares layers with the old one: start afresh. */
  set_layer (self, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_set_object (&self->history, history);
  g_set_object (&self->selection, selection);
  g_signal_group_set_target (self->graph_signals,
                             history != NULL ? ns_history_get_graph (history) : NULL);
  if (selection != NULL)
    g_signal_connect_swapped (selection, "changed", G_CALLBACK (on_selection_changed), self);
  on_selection_changed (self);
}

void
ns_inspector_focus (NsInspector *self)
{
  GtkWidget *first;

  g_return_if_fail (NS_IS_INSPECTOR (self));

  if (self->layer == NULL || !gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  first = ns_inspector_first_editor (self);
  gtk_widget_grab_focus (first != NULL ? first : GTK_WIDGET (self->name_row));
}

GtkWidget *
ns_inspector_get_editor (NsInspector *self,
                         const char  *key)
{
  g_return_val_if_fail (NS_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return ns_inspector_find_editor (self, key);
}

NsShapeOrder
ns_inspector_get_shape_order (NsInspector *self)
{
  g_return_val_if_fail (NS_IS_INSPECTOR (self), NS_SHAPE_ORDER_NHWC);
  return self->shape_order;
}

void
ns_inspector_set_shape_order (NsInspector  *self,
                              NsShapeOrder  order)
{
  g_return_if_fail (NS_IS_INSPECTOR (self));

  if (self->shape_order == order)
    return;
  self->shape_order = order;
  if (self->layer != NULL)
    update_figures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_ORDER]);
}
