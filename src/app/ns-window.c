/* ns-window.c: NsWindow: one network being edited: the palette, canvas,
 * summary table and inspector over one graph, its undo history and its file.
 * Views show what the core inferred; every edit goes through the history. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-canvas.h"
#include "ns-document.h"
#include "ns-inspector.h"
#include "ns-layout.h"
#include "ns-model-io.h"
#include "ns-palette.h"
#include "ns-preview.h"
#include "ns-render.h"
#include "ns-summary-view.h"
#include "ns-window-private.h"

G_DEFINE_FINAL_TYPE (NsWindow, ns_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_title (NsWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean modified = self->history != NULL && ns_history_get_modified (self->history);

  if (self->graph == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Netsketch"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Netsketch"));
      return;
    }

  name = self->file != NULL ? g_file_get_basename (self->file) : g_strdup (_("New Network"));
  /* The bullet marks unsaved changes, as GNOME's editors do. */
  title = modified ? g_strdup_printf ("• %s", name) : g_strdup (name);
  if (self->file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->file);
      g_autofree char *path = parent != NULL ? g_file_get_parse_name (parent) : NULL;
      const char *home = g_get_home_dir ();

      if (path != NULL && g_str_has_prefix (path, home))
        subtitle = g_strconcat ("~", path + strlen (home), NULL);
      else
        subtitle = g_steal_pointer (&path);
    }
  else
    subtitle = g_strdup (_("Not saved yet"));

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_totals (NsWindow *self)
{
  g_autofree char *params = NULL;
  g_autofree char *trainable = NULL;
  g_autofree char *non_trainable = NULL;
  g_autofree char *macs = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *text = NULL;
  g_autofree char *macs_exact = NULL;
  NsGraphTotals totals;

  if (self->graph == NULL)
    return;
  ns_graph_get_totals (self->graph, &totals);
  params = ns_format_count (totals.params);
  trainable = ns_format_count (totals.trainable_params);
  non_trainable = ns_format_count (totals.non_trainable_params);
  macs = ns_format_si ((double) totals.macs);
  memory = ns_format_bytes (totals.activation_bytes);
  /* Translators: the totals line above the summary table. */
  text = g_strdup_printf (_("%s parameters · %s trainable · %s non-trainable · %s MACs · %s activations"),
                          params, trainable, non_trainable, macs, memory);
  if (totals.n_errors > 0)
    {
      g_autofree char *errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u layer has an error, so these totals are incomplete",
                                                              "%u layers have errors, so these totals are incomplete",
                                                              totals.n_errors),
                                                 totals.n_errors);
      g_autofree char *both = g_strconcat (text, " — ", errors, NULL);

      g_free (text);
      text = g_steal_pointer (&both);
    }
  gtk_label_set_text (self->totals_label, text);
  macs_exact = ns_format_count (totals.macs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->totals_label), macs_exact);
}

static void
update_undo_actions (NsWindow *self)
{
  gboolean open = self->history != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", open && ns_history_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", open && ns_history_can_redo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", open);
}

static void
on_history_notify (NsWindow *self)
{
  update_title (self);
  update_undo_actions (self);
}

/* Shows @graph, with a fresh history and selection; @file may be NULL (new). */
void
ns_window_set_document (NsWindow *self,
                        NsGraph  *graph,
                        GFile    *file)
{
  /* The old network was saved, discarded or unmodified: its entry goes. */
  ns_window_autosave_forget (self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  g_clear_object (&self->history);
  g_clear_object (&self->selection);

  g_set_object (&self->graph, graph);
  g_set_object (&self->file, file);
  self->history = ns_history_new (graph);
  self->selection = ns_selection_new (graph);

  g_signal_connect_swapped (graph, "inferred", G_CALLBACK (update_totals), self);
  g_signal_connect_swapped (self->history, "notify", G_CALLBACK (on_history_notify), self);
  ns_window_autosave_track (self);

  ns_canvas_set_document (self->canvas, self->history, self->selection);
  ns_summary_view_set_document (self->summary_view, graph, self->selection);
  ns_inspector_set_document (self->inspector, self->history, self->selection);
  ns_preview_set_document (self->preview, graph, self->selection);

  gtk_stack_set_visible_child_name (self->stack, "network");
  update_totals (self);
  on_history_notify (self);
}

static void
show_error (NsWindow     *self,
            const GError *error)
{
  /* With a network open, a failed open only tells; the network stays. */
  if (self->graph != NULL)
    {
      ns_window_toast (self, error->message, NULL);
      return;
    }

  adw_status_page_set_description (self->error_page, error->message);
  update_title (self);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* Whether @file holds a .netsketch document, which Save may overwrite; an
 * imported Keras or TensorFlow.js model is saved under a new name instead. */
static gboolean
is_native_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_str_has_suffix (basename, ".netsketch");
}

static void
open_now (NsWindow *self,
          GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;

  graph = ns_model_load (file, NULL, NULL, &error);
  if (graph == NULL)
    {
      show_error (self, error);
      return;
    }

  ns_window_set_document (self, graph, is_native_file (file) ? file : NULL);
  if (!is_native_file (file))
    {
      /* An imported model keeps its name for the title until saved. */
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Imported “%s”; saving makes a new Netsketch file"), basename);

      ns_window_toast (self, message, NULL);
    }
  ns_window_add_recent (self, file);
}

void
ns_window_open (NsWindow *self,
                GFile    *file)
{
  g_return_if_fail (NS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  ns_window_confirm_discard (self, NS_PENDING_OPEN, file);
}

void
ns_window_run_pending (NsWindow  *self,
                       NsPending  pending,
                       GFile     *file)
{
  switch (pending)
    {
    case NS_PENDING_OPEN:
      open_now (self, file);
      break;
    case NS_PENDING_NEW:
      {
        g_autoptr(NsGraph) graph = ns_graph_new ();

        ns_window_set_document (self, graph, NULL);
      }
      break;
    case NS_PENDING_CLOSE:
      self->closing = TRUE;
      gtk_window_destroy (GTK_WINDOW (self));
      break;
    default:
      g_assert_not_reached ();
    }
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

NsHistory *
ns_window_get_history (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);
  return self->history;
}

NsSelection *
ns_window_get_selection (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);
  return self->selection;
}

const char *
ns_window_get_page_name (NsWindow *self)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
ns_window_get_part (NsWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);

  if (g_str_equal (name, "canvas"))
    return GTK_WIDGET (self->canvas);
  if (g_str_equal (name, "palette"))
    return GTK_WIDGET (self->palette);
  if (g_str_equal (name, "inspector"))
    return GTK_WIDGET (self->inspector);
  if (g_str_equal (name, "summary"))
    return GTK_WIDGET (self->summary_view);
  if (g_str_equal (name, "totals"))
    return GTK_WIDGET (self->totals_label);
  if (g_str_equal (name, "preview"))
    return GTK_WIDGET (self->preview);
  return NULL;
}

void
ns_window_toast (NsWindow   *self,
                 const char *message,
                 const char *undo_action)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (undo_action != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, undo_action);
    }
  else
    adw_toast_set_timeout (toast, 0);
  /* One message at a time, the latest: toasts that stay until dismissed
   * would otherwise queue behind each other. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Double-clicking a palette row adds the type after the selected layer and
 * feeds it from there, which is how chains are built fastest. */
static void
on_type_activated (NsPalette         *palette,
                   const NsLayerType *type,
                   NsWindow          *self)
{
  NsLayer *after = self->selection != NULL ? ns_selection_get_primary (self->selection) : NULL;
  g_autoptr(GError) error = NULL;
  double x = NS_LAYOUT_MARGIN, y = NS_LAYOUT_MARGIN;
  NsLayer *layer;

  if (self->graph == NULL)
    return;
  if (after != NULL)
    {
      ns_layer_get_position (after, &x, &y);
      if (ns_canvas_get_vertical (self->canvas))
        y += NS_LAYOUT_NODE_HEIGHT + NS_LAYOUT_RANK_GAP;
      else
        x += NS_LAYOUT_NODE_WIDTH + NS_LAYOUT_RANK_GAP;
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->graph)) > 0)
    {
      double ex, ey, ew, eh;

      ns_renderer_get_extents (self->graph, &ex, &ey, &ew, &eh);
      x = ex + ew + NS_LAYOUT_RANK_GAP;
      y = ey;
    }

  ns_history_begin (self->history, _("Add Layer"));
  layer = ns_history_add_layer (self->history, type, x, y, &error);
  if (layer != NULL && after != NULL && type->min_inputs > 0)
    {
      /* A refused connection leaves the new layer unconnected; it says why. */
      if (!ns_history_connect (self->history, after, layer, 0, &error))
        ns_window_toast (self, error->message, NULL);
      g_clear_error (&error);
    }
  ns_history_end (self->history);

  if (layer == NULL)
    {
      ns_window_toast (self, error->message, NULL);
      return;
    }
  ns_selection_set (self->selection, layer);
  ns_canvas_reveal_layer (self->canvas, layer);
}

static void
on_layer_activated (NsWindow *self,
                    NsLayer  *layer)
{
  ns_canvas_reveal_layer (self->canvas, layer);
  ns_inspector_focus (self->inspector);
}

static void
on_layers_deleted (NsCanvas   *canvas,
                   guint       n_layers,
                   const char *first_name,
                   NsWindow   *self)
{
  g_autofree char *message = NULL;

  if (n_layers == 1)
    message = g_strdup_printf (_("Deleted “%s”"), first_name);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u layer", "Deleted %u layers", n_layers),
                               n_layers);
  ns_window_toast (self, message, "win.undo");
}

static gboolean
on_close_request (GtkWindow *window)
{
  NsWindow *self = NS_WINDOW (window);

  if (self->closing || self->history == NULL || !ns_history_get_modified (self->history))
    return FALSE;
  ns_window_confirm_discard (self, NS_PENDING_CLOSE, NULL);
  return TRUE;
}

static void
ns_window_dispose (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  ns_window_autosave_dispose (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  /* The settings object may outlive the window (another reference, a
   * pending change): its handlers must not reach the disposed menu. */
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_weak_pointer (&self->toast);
  g_clear_object (&self->settings_bindings);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_WINDOW);

  G_OBJECT_CLASS (ns_window_parent_class)->dispose (object);
}

static void
ns_window_finalize (GObject *object)
{
  NsWindow *self = NS_WINDOW (object);

  g_clear_object (&self->file);
  g_clear_object (&self->history);
  g_clear_object (&self->selection);
  g_clear_object (&self->graph);
  g_clear_object (&self->pending_file);

  G_OBJECT_CLASS (ns_window_parent_class)->finalize (object);
}

static void
ns_window_class_init (NsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_window_dispose;
  object_class->finalize = ns_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;

  g_type_ensure (NS_TYPE_CANVAS);
  g_type_ensure (NS_TYPE_PALETTE);
  g_type_ensure (NS_TYPE_INSPECTOR);
  g_type_ensure (NS_TYPE_SUMMARY_VIEW);
  g_type_ensure (NS_TYPE_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/netsketch/Netsketch/ns-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, palette_paned);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, inspector_paned);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, summary_paned);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, palette);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, summary_panel);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, summary_view);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, totals_label);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, preview);
  gtk_widget_class_bind_template_child (widget_class, NsWindow, recent_section);

  ns_window_class_install_actions (widget_class);
}

static void
ns_window_init (NsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->palette, "type-activated", G_CALLBACK (on_type_activated), self);
  g_signal_connect_swapped (self->canvas, "layer-activated", G_CALLBACK (on_layer_activated), self);
  g_signal_connect (self->canvas, "layers-deleted", G_CALLBACK (on_layers_deleted), self);
  g_signal_connect_swapped (self->summary_view, "layer-activated", G_CALLBACK (on_layer_activated), self);

  ns_window_init_actions (self);
  update_undo_actions (self);
}

NsWindow *
ns_window_new (NsApplication *application)
{
  NsWindow *self;

  g_return_val_if_fail (NS_IS_APPLICATION (application), NULL);

  /* Bound here rather than in init, where the application is not set yet. */
  self = g_object_new (NS_TYPE_WINDOW, "application", application, NULL);
  ns_window_bind_settings (self, ns_application_get_settings (application));
  ns_window_autosave_init (self);
  return self;
}
