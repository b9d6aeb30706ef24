/* ns-window.c: NsWindow: loads a network and lists its layers and totals. The
 * window shows what the core inferred; it never computes a shape itself. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-document.h"
#include "ns-window.h"

struct _NsWindow
{
  AdwApplicationWindow  parent_instance;

  GFile                *file;
  NsGraph              *graph;
  GSettings            *settings;
  GtkNativeDialog      *chooser;   /* while the Open dialog is up */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwPreferencesGroup  *totals_group;
  AdwPreferencesGroup  *layers_group;
  GtkListBox           *layers_list;
  GtkLabel             *total_label;
  GtkLabel             *trainable_label;
  GtkLabel             *non_trainable_label;
  GtkLabel             *macs_label;
};

G_DEFINE_FINAL_TYPE (NsWindow, ns_window, ADW_TYPE_APPLICATION_WINDOW)

static void
set_count_label (GtkLabel *label,
                 gint64    value)
{
  g_autofree char *text = ns_format_count (value);

  gtk_label_set_text (label, text);
}

static GtkWidget *
create_layer_row (NsLayer *layer)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;

  row = adw_action_row_new ();
  /* Names and messages come from the file: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ns_layer_get_name (layer));

  if (info->state == NS_LAYER_OK)
    {
      g_autofree char *shape = ns_shape_to_compact (&info->output);
      g_autofree char *params = ns_format_count (info->params);
      GtkWidget *label;

      /* Translators: a layer's subtitle: its Keras class and output shape, "Conv2D · 128×128×64". */
      subtitle = g_strdup_printf (_("%s · %s"), ns_layer_get_class_name (layer), shape);

      label = gtk_label_new (params);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (label, _("Parameters"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      gboolean waiting = info->state == NS_LAYER_WAITING;
      GtkWidget *icon;

      /* Translators: a layer's subtitle when it cannot be inferred: its Keras class and why. */
      subtitle = g_strdup_printf (_("%s · %s"), ns_layer_get_class_name (layer), info->message);

      icon = gtk_image_new_from_icon_name (waiting ? "dialog-warning-symbolic"
                                                   : "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, waiting ? "warning" : "error");
      gtk_widget_set_tooltip_text (icon, waiting ? _("Waiting on an upstream layer")
                                                 : _("This layer has an error"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void
clear_layer_rows (NsWindow *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->layers_list, 0)) != NULL)
    gtk_list_box_remove (self->layers_list, GTK_WIDGET (row));
}

static void
show_graph (NsWindow *self)
{
  GPtrArray *layers = ns_graph_get_sorted_layers (self->graph);
  g_autofree char *basename = g_file_get_basename (self->file);
  g_autofree char *total = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *layers_description = NULL;
  g_autofree char *macs = NULL;
  g_autofree char *macs_exact = NULL;
  NsGraphTotals totals;

  ns_graph_get_totals (self->graph, &totals);

  clear_layer_rows (self);
  for (guint i = 0; i < layers->len; i++)
    gtk_list_box_append (self->layers_list, create_layer_row (g_ptr_array_index (layers, i)));

  layers_description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u layer, in graph order",
                                                     "%u layers, in graph order",
                                                     layers->len),
                                        layers->len);
  adw_preferences_group_set_description (self->layers_group, layers_description);

  set_count_label (self->total_label, totals.params);
  set_count_label (self->trainable_label, totals.trainable_params);
  set_count_label (self->non_trainable_label, totals.non_trainable_params);
  /* Ten digits do not fit a quarter of the page; the tooltip has them all. */
  macs = ns_format_si ((double) totals.macs);
  macs_exact = ns_format_count (totals.macs);
  gtk_label_set_text (self->macs_label, macs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->macs_label), macs_exact);

  if (totals.n_errors > 0)
    {
      g_autofree char *errors = NULL;

      errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u layer has an error, so these totals are incomplete",
                                             "%u layers have errors, so these totals are incomplete",
                                             totals.n_errors),
                                totals.n_errors);
      adw_preferences_group_set_description (self->totals_group, errors);
    }
  else
    adw_preferences_group_set_description (self->totals_group, NULL);

  total = ns_format_count (totals.params);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s parameter", "%s parameters",
                                           (gulong) MAX (totals.params, 0)),
                              total);
  adw_window_title_set_title (self->window_title, basename);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), basename);

  gtk_stack_set_visible_child_name (self->stack, "network");
}

static void
show_error (NsWindow     *self,
            const GError *error)
{
  /* With a network open, a failed open only tells; the network stays. */
  if (self->graph != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  adw_status_page_set_description (self->error_page, error->message);
  adw_window_title_set_title (self->window_title, _("Netsketch"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
ns_window_open (NsWindow *self,
                GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;

  g_return_if_fail (NS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  graph = ns_document_load (file, NULL, &error);
  if (graph == NULL)
    {
      show_error (self, error);
      return;
    }

  g_set_object (&self->file, file);
  g_set_object (&self->graph, graph);
  show_graph (self);
}

NsGraph *
ns_window_get_graph (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);

  return self->graph;
}

GFile *
ns_window_get_file (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);

  return self->file;
}

const char *
ns_window_get_page_name (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
ns_window_get_layer_row (NsWindow   *self,
                         const char *name)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->layers_list, i)) != NULL; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return GTK_WIDGET (row);

  return NULL;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  NsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        ns_window_open (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsWindow *self = NS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) networks = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (self->chooser);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Open a Network"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (networks, _("Netsketch networks"));
  gtk_file_filter_add_mime_type (networks, "application/x-netsketch");
  gtk_file_filter_add_suffix (networks, "netsketch");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), networks);

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
bind_window_state (NsWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Run from a build tree without the compiled schema, the window simply
   * does not remember its size; GSettings would abort instead. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; window state is not kept", APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

static void
ns_window_dispose (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_WINDOW);

  G_OBJECT_CLASS (ns_window_parent_class)->dispose (object);
}

static void
ns_window_finalize (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  g_clear_object (&self->file);
  g_clear_object (&self->graph);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ns_window_parent_class)->finalize (object);
}

static void
ns_window_class_init (NsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_window_dispose;
  object_class->finalize = ns_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/netsketch/Netsketch/ns-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, totals_group);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, layers_group);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, layers_list);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, trainable_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, non_trainable_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, macs_label);

  /* Its accelerator is set on the application, where the shortcuts window finds it. */
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
}

static void
ns_window_init (NsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bind_window_state (self);
}

NsWindow *
ns_window_new (NsApplication *application)
{
  g_return_val_if_fail (NS_IS_APPLICATION (application), NULL);

  return g_object_new (NS_TYPE_WINDOW, "application", application, NULL);
}
