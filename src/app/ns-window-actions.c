/* ns-window-actions.c: the window's actions: new, open (with recent files and
 * files dropped on the window), save, export, undo/redo and the panels, and
 * the question about unsaved changes that opening or closing may ask. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-document.h"
#include "ns-export.h"
#include "ns-window-private.h"

typedef void (*ChooserDone) (NsWindow *self,
                             GFile    *file,
                             gpointer  data);

typedef struct {
  NsWindow    *self;
  ChooserDone  done;
  gpointer     data;
  GDestroyNotify destroy_data;   /* frees @data whether or not a file was picked */
} ChooserRequest;

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     ChooserRequest  *request)
{
  NsWindow *self = request->self;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        request->done (self, file, request->data);
    }
  gtk_native_dialog_destroy (dialog);
  if (self->chooser == dialog)
    g_clear_object (&self->chooser);
  if (request->destroy_data != NULL)
    request->destroy_data (request->data);
  g_free (request);
}

/* Portals pick the file: GtkFileChooserNative works inside the Flatpak. */
static void
run_chooser (NsWindow             *self,
             GtkFileChooserAction  action,
             const char           *title,
             const char           *accept,
             const char           *suggested_name,
             ChooserDone           done,
             gpointer              data,
             GDestroyNotify        destroy_data)
{
  GtkFileChooserNative *chooser;
  ChooserRequest *request = g_new0 (ChooserRequest, 1);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) networks = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (networks, _("Networks and Keras models"));
      gtk_file_filter_add_mime_type (networks, "application/x-netsketch");
      gtk_file_filter_add_suffix (networks, "netsketch");
      gtk_file_filter_add_suffix (networks, "json");
      gtk_file_filter_add_suffix (networks, "keras");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), networks);
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
    }
  else if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);

  request->self = self;
  request->done = done;
  request->data = data;
  request->destroy_data = destroy_data;
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), request);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* The document's name without suffix, for suggested file names. */
static char *
document_stem (NsWindow *self)
{
  g_autofree char *basename = NULL;
  char *dot;

  if (self->file == NULL)
    {
      const char *name = self->graph != NULL ? ns_graph_get_name (self->graph) : NULL;

      return g_strdup (name != NULL && *name != '\0' ? name : _("network"));
    }
  basename = g_file_get_basename (self->file);
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename)
    *dot = '\0';
  return g_steal_pointer (&basename);
}

gboolean
ns_window_save_to (NsWindow  *self,
                   GFile     *file,
                   GError   **error)
{
  g_return_val_if_fail (NS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (self->graph != NULL, FALSE);

  /* ns_document_save writes a temporary file and renames it over the old one. */
  if (!ns_document_save (self->graph, file, NULL, error))
    return FALSE;
  g_set_object (&self->file, file);
  ns_history_mark_saved (self->history);
  ns_window_add_recent (self, file);
  return TRUE;
}

static void save_then_run_pending (NsWindow *self);

static void
save_as_done (NsWindow *self,
              GFile    *file,
              gpointer  run_pending)
{
  g_autoptr(GError) error = NULL;

  if (!ns_window_save_to (self, file, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);

      ns_window_toast (self, message, NULL);
      return;
    }
  if (GPOINTER_TO_INT (run_pending))
    ns_window_run_pending (self, self->pending, self->pending_file);
}

static void
save_as (NsWindow *self,
         gboolean  run_pending)
{
  g_autofree char *stem = document_stem (self);
  g_autofree char *name = g_strconcat (stem, ".netsketch", NULL);

  run_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save Network"), _("_Save"), name,
               save_as_done, GINT_TO_POINTER (run_pending), NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->file == NULL)
    save_as (self, FALSE);
  else
    save_as_done (self, self->file, GINT_TO_POINTER (FALSE));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  save_as (NS_WINDOW (widget), FALSE);
}

static void
save_then_run_pending (NsWindow *self)
{
  if (self->file == NULL)
    save_as (self, TRUE);
  else
    save_as_done (self, self->file, GINT_TO_POINTER (TRUE));
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     NsWindow         *self)
{
  if (g_str_equal (response, "save"))
    save_then_run_pending (self);
  else if (g_str_equal (response, "discard"))
    ns_window_run_pending (self, self->pending, self->pending_file);
}

void
ns_window_confirm_discard (NsWindow  *self,
                           NsPending  pending,
                           GFile     *file)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  self->pending = pending;
  g_set_object (&self->pending_file, file);
  if (self->history == NULL || !ns_history_get_modified (self->history))
    {
      ns_window_run_pending (self, pending, file);
      return;
    }

  name = self->file != NULL ? g_file_get_basename (self->file) : g_strdup (_("New Network"));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be permanently lost."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_done (NsWindow *self,
           GFile    *file,
           gpointer  data)
{
  ns_window_open (self, file);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  run_chooser (NS_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN, _("Open a Network"), _("_Open"),
               NULL, open_done, NULL, NULL);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ns_window_open (NS_WINDOW (widget), file);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ns_window_confirm_discard (NS_WINDOW (widget), NS_PENDING_NEW, NULL);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->history != NULL)
    ns_history_undo (self->history);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NsWindow *self = NS_WINDOW (widget);

  if (self->history != NULL)
    ns_history_redo (self->history);
}

/* A menu target: a format name, with "@2" for a PNG at twice the size. */
static gboolean
parse_export_target (const char     *target,
                     NsExportFormat *format,
                     double         *scale)
{
  g_auto(GStrv) parts = g_strsplit (target, "@", 2);

  *scale = parts[1] != NULL ? g_ascii_strtod (parts[1], NULL) : 1.0;
  return ns_export_format_from_name (parts[0], format) && *scale > 0;
}

void
ns_window_export (NsWindow   *self,
                  const char *target,
                  GFile      *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  NsExportFormat format;
  double scale;

  g_return_if_fail (NS_IS_WINDOW (self));
  g_return_if_fail (parse_export_target (target, &format, &scale));

  if (ns_export_to_file (self->graph, format, scale, file, &error))
    message = g_strdup_printf (_("Exported “%s”"), name);
  else
    message = g_strdup_printf (_("Could not export “%s”: %s"), name, error->message);
  ns_window_toast (self, message, NULL);
}

static void
export_done (NsWindow *self,
             GFile    *file,
             gpointer  data)
{
  ns_window_export (self, data, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NsWindow *self = NS_WINDOW (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  g_autofree char *stem = document_stem (self);
  g_autofree char *name = NULL;
  NsExportFormat format;
  double scale;

  g_return_if_fail (parse_export_target (target, &format, &scale));
  name = g_strconcat (stem,
                      format == NS_EXPORT_SUMMARY_PNG ? "-summary" : "",
                      ns_export_format_get_suffix (format), NULL);
  run_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export"), _("_Export"), name,
               export_done, g_strdup (target), g_free);
}

static void
rebuild_recent_menu (NsWindow *self)
{
  const char * const *uris = ns_settings_get_recent_files (self->settings);

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uris[i]);
      g_autofree char *label = g_file_get_basename (file);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.open-recent", "s", uris[i]);
      g_menu_append_item (self->recent_section, item);
    }
}

void
ns_window_add_recent (NsWindow *self,
                      GFile    *file)
{
  if (self->settings != NULL)
    ns_settings_add_recent_file (self->settings, file);
}

static gboolean
on_file_drop (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              NsWindow      *self)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;
  ns_window_open (self, files->data);
  return TRUE;
}

void
ns_window_bind_settings (NsWindow   *self,
                         NsSettings *settings)
{
  const struct {
    const char *key;
    gpointer    object;
    const char *property;
  } kept[] = {
    { "window-width", self, "default-width" },
    { "window-height", self, "default-height" },
    { "window-maximized", self, "maximized" },
    { "palette-position", self->palette_paned, "position" },
    { "inspector-position", self->inspector_paned, "position" },
    { "summary-position", self->summary_paned, "position" },
    { "show-palette", self->palette, "visible" },
    { "show-inspector", self->inspector, "visible" },
    { "show-summary", self->summary_panel, "visible" },
    { "show-preview", self->preview, "visible" },
  };
  const gpointer shape_views[] = { self->canvas, self->summary_view, self->inspector };

  g_return_if_fail (NS_IS_WINDOW (self));
  g_return_if_fail (NS_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  /* Kept only with the installed schema: NsSettings binds nothing without it. */
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    ns_settings_bind (settings, kept[i].key, kept[i].object, kept[i].property, G_SETTINGS_BIND_DEFAULT);

  /* A group, so that the bindings go with the window, not with its views. */
  self->settings_bindings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (shape_views); i++)
    g_binding_group_bind (self->settings_bindings, "shape-order", shape_views[i], "shape-order",
                          G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->settings_bindings, settings);

  /* A preference for new windows: changing it leaves open previews alone. */
  ns_preview_use_noise (self->preview, ns_settings_get_default_seed (settings));

  g_signal_connect_swapped (settings, "notify::recent-files", G_CALLBACK (rebuild_recent_menu), self);
  rebuild_recent_menu (self);
}

void
ns_window_init_actions (NsWindow *self)
{
  g_autoptr(GSimpleActionGroup) panels = g_simple_action_group_new ();
  const struct {
    const char *action;
    GtkWidget  *panel;
  } toggles[] = {
    { "show-palette", GTK_WIDGET (self->palette) },
    { "show-inspector", GTK_WIDGET (self->inspector) },
    { "show-summary", self->summary_panel },
    { "show-preview", GTK_WIDGET (self->preview) },
  };
  GtkDropTarget *drop;

  /* The panel toggles are the panels' own "visible" properties, so the menu
   * checks and GSettings follow each other without glue. */
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      g_autoptr(GPropertyAction) action = g_property_action_new (toggles[i].action, toggles[i].panel, "visible");

      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_file_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

void
ns_window_class_install_actions (GtkWidgetClass *widget_class)
{
  /* Accelerators are set on the application, where the shortcuts window finds them. */
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
}
