/* ns-window-autosave.c: a window's unsaved work written to an autosave entry
 * (ns-autosave.h) a while after each edit, deleted once saved or discarded,
 * and offered back by the next start after a crash. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-autosave.h"
#include "ns-window-private.h"

/* Overrides the preference, in seconds: tests use a short interval. */
#define INTERVAL_ENV "NETSKETCH_AUTOSAVE_INTERVAL"

static guint
autosave_interval (NsWindow *self)
{
  const char *override = g_getenv (INTERVAL_ENV);
  guint64 seconds;

  if (override != NULL && g_ascii_string_to_unsigned (override, 10, 0, 3600, &seconds, NULL))
    return (guint) seconds;
  return self->settings != NULL ? ns_settings_get_autosave_interval (self->settings) : 30;
}

/* The name a person knows an entry or a window's network by. */
static char *
display_name (GFile *file)
{
  return file != NULL ? g_file_get_basename (file) : g_strdup (_("New Network"));
}

gboolean
ns_window_autosave (NsWindow  *self,
                    GError   **error)
{
  g_autoptr(GFile) dir = NULL;

  g_return_val_if_fail (NS_IS_WINDOW (self), FALSE);

  if (self->history == NULL || !ns_history_get_modified (self->history) ||
      !self->autosave_dirty || autosave_interval (self) == 0)
    return TRUE;

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  if (self->autosave_id == NULL)
    self->autosave_id = ns_autosave_new_id ();
  dir = ns_autosave_get_default_dir ();
  if (!ns_autosave_write (dir, self->autosave_id, self->graph, self->file, error))
    return FALSE;
  self->autosave_dirty = FALSE;
  self->autosave_failed = FALSE;
  return TRUE;
}

static gboolean
on_autosave_timeout (gpointer data)
{
  NsWindow *self = data;
  g_autoptr(GError) error = NULL;

  self->autosave_source = 0;
  if (ns_window_autosave (self, &error))
    return G_SOURCE_REMOVE;

  /* The network stays open and modified; the next edit tries again. Saying
   * so at every edit would drown the window in the same toast. */
  if (!self->autosave_failed)
    {
      g_autofree char *name = display_name (self->file);
      g_autofree char *message = g_strdup_printf (_("Could not autosave “%s”: %s"), name, error->message);

      self->autosave_failed = TRUE;
      ns_window_toast (self, message, NULL);
    }
  return G_SOURCE_REMOVE;
}

/* One write, @interval after the first edit since the last: what a crash
 * loses is at most that interval of work. */
static void
schedule (NsWindow *self)
{
  guint interval;

  if (self->autosave_source != 0 || !self->autosave_dirty)
    return;
  interval = autosave_interval (self);
  if (interval == 0)
    return;
  self->autosave_source = g_timeout_add (interval * 1000, on_autosave_timeout, self);
  g_source_set_name_by_id (self->autosave_source, "[netsketch] autosave");
}

static void
on_graph_changed (NsWindow *self)
{
  self->autosave_dirty = TRUE;
  schedule (self);
}

static void
on_modified_changed (NsWindow *self)
{
  /* Saved, or undone back to what is saved: the file has it all. */
  if (!ns_history_get_modified (self->history))
    ns_window_autosave_forget (self);
}

static void
on_interval_changed (NsWindow *self)
{
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  schedule (self);
}

void
ns_window_autosave_init (NsWindow *self)
{
  if (self->settings != NULL)
    g_signal_connect_swapped (self->settings, "notify::autosave-interval",
                              G_CALLBACK (on_interval_changed), self);
}

void
ns_window_autosave_track (NsWindow *self)
{
  g_signal_connect_swapped (self->graph, "changed", G_CALLBACK (on_graph_changed), self);
  g_signal_connect_swapped (self->history, "notify::modified", G_CALLBACK (on_modified_changed), self);
}

void
ns_window_autosave_forget (NsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->autosave_dirty = FALSE;
  self->autosave_failed = FALSE;
  if (self->autosave_id == NULL)
    return;

  dir = ns_autosave_get_default_dir ();
  /* A leftover entry is only offered once more at the next start. */
  if (!ns_autosave_discard (dir, self->autosave_id, &error))
    g_debug ("Could not delete autosave %s: %s", self->autosave_id, error->message);
  g_clear_pointer (&self->autosave_id, g_free);
}

void
ns_window_autosave_dispose (NsWindow *self)
{
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  /* Closed after the save-changes question, or with nothing unsaved: the
   * entry goes. Destroyed any other way (the application quitting) with
   * unsaved work: it is written and kept for the next start. */
  if (self->closing || self->history == NULL || !ns_history_get_modified (self->history))
    ns_window_autosave_forget (self);
  else
    {
      g_autoptr(GError) error = NULL;

      if (!ns_window_autosave (self, &error))
        g_printerr ("netsketch: %s\n", error->message);
    }
  g_clear_pointer (&self->autosave_id, g_free);
}

/* Recovery */

/* Whether @self shows nothing of the user's: no network, a new empty one,
 * or the example a first start opens. A recovered network may replace it. */
static gboolean
shows_placeholder (NsWindow *self)
{
  g_autoptr(GFile) example = NULL;

  if (self->graph == NULL)
    return TRUE;
  if (ns_history_get_modified (self->history))
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->graph)) == 0)
    return TRUE;
  example = ns_application_get_default_example ();
  return self->file != NULL && example != NULL && g_file_equal (self->file, example);
}

/* Shows @entry's network in @self, unsaved, saving to the file it came from;
 * further edits autosave to the same entry. */
static void
recover (NsWindow              *self,
         const NsAutosaveEntry *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_autosave_entry_load (entry, &error);
  g_autofree char *name = display_name (entry->original);
  g_autofree char *message = NULL;

  if (graph == NULL)
    {
      /* The entry stays, to be offered again. */
      message = g_strdup_printf (_("Could not recover “%s”: %s"), name, error->message);
      ns_window_toast (self, message, NULL);
      return;
    }

  ns_window_set_document (self, graph, entry->original);
  self->autosave_id = g_strdup (entry->id);
  ns_history_mark_unsaved (self->history);
  message = g_strdup_printf (_("Recovered the unsaved changes to “%s”"), name);
  ns_window_toast (self, message, NULL);
}

static void
on_recovery_response (AdwMessageDialog *dialog,
                      const char       *response,
                      NsWindow         *self)
{
  GPtrArray *entries = g_object_get_data (G_OBJECT (dialog), "ns-entries");
  g_autoptr(GFile) dir = ns_autosave_get_default_dir ();

  if (g_str_equal (response, "discard"))
    {
      for (guint i = 0; i < entries->len; i++)
        {
          const NsAutosaveEntry *entry = entries->pdata[i];
          g_autoptr(GError) error = NULL;

          if (!ns_autosave_discard (dir, entry->id, &error))
            ns_window_toast (self, error->message, NULL);
        }
    }
  else if (g_str_equal (response, "recover"))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      for (guint i = 0; i < entries->len; i++)
        {
          NsWindow *target = self;

          if (i > 0 || !shows_placeholder (self))
            {
              target = ns_window_new (NS_APPLICATION (app));
              gtk_window_present (GTK_WINDOW (target));
            }
          recover (target, entries->pdata[i]);
        }
    }
  /* Otherwise ("later": Escape) the entries wait for the next start. */
}

/* "14:02" today, "2026-01-31 14:02" before. */
static char *
format_when (GDateTime *time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int year, month, day, now_year, now_month, now_day;

  g_date_time_get_ymd (time, &year, &month, &day);
  g_date_time_get_ymd (now, &now_year, &now_month, &now_day);
  if (year == now_year && month == now_month && day == now_day)
    return g_date_time_format (time, "%H:%M");
  /* Translators: when an autosave of an earlier day was written; see
   * g_date_time_format (). */
  return g_date_time_format (time, _("%Y-%m-%d %H:%M"));
}

/* A row per entry: its name over "9 layers · autosaved 14:02". */
static GtkWidget *
entry_list_new (GPtrArray *entries)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < entries->len; i++)
    {
      const NsAutosaveEntry *entry = entries->pdata[i];
      g_autofree char *name = display_name (entry->original);
      g_autofree char *when = format_when (entry->time);
      g_autofree char *layers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u layer", "%u layers",
                                                              entry->n_layers),
                                                 entry->n_layers);
      /* Translators: under a network to recover: "9 layers · autosaved 14:02". */
      g_autofree char *subtitle = g_strdup_printf (_("%s · autosaved %s"), layers, when);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return list;
}

GtkWindow *
ns_window_offer_recovery (NsWindow *self)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *heading = _("Recover Unsaved Work?");
  GtkWidget *dialog;

  g_return_val_if_fail (NS_IS_WINDOW (self), NULL);

  dir = ns_autosave_get_default_dir ();
  ns_autosave_clean (dir, NS_AUTOSAVE_MAX_AGE);
  entries = ns_autosave_list (dir, &error);
  if (entries == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not look for unsaved work to recover: %s"),
                                                  error->message);

      ns_window_toast (self, message, NULL);
      return NULL;
    }
  if (entries->len == 0)
    return NULL;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "Netsketch closed before this network was saved. "
                                                "Its autosaved copy can be opened again.",
                                                "Netsketch closed before these networks were saved. "
                                                "Their autosaved copies can be opened again.",
                                                entries->len));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry_list_new (entries));
  /* Not shown, but what window lists and screen readers call it. */
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "discard", _("_Discard"),
                                    "recover", _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "recover",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  /* Escape decides nothing: the entries are offered again next time. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data_full (G_OBJECT (dialog), "ns-entries", g_steal_pointer (&entries),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_recovery_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}
