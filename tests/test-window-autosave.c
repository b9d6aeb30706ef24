/* test-window-autosave.c: a window's autosave under Xvfb: written about an
 * interval after an edit, deleted once saved, kept and reported once when the
 * folder cannot be written; the recovery dialog of the next start: recover,
 * discard, later. Autosaves go to a state folder of this test's own, written
 * every second ($NETSKETCH_AUTOSAVE_INTERVAL). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-application.h"
#include "ns-autosave.h"
#include "ns-document.h"
#include "ns-window.h"
#include "test-helpers.h"
#include "ui-helpers.h"

#define ID_A "0b3c8d6e-2f41-4a55-9b7e-1c2d3e4f5a6b"
#define ID_B "7d1e9f20-3a4b-4c5d-8e6f-a1b2c3d4e5f6"

static NsApplication *app;
static char *state_dir;
static char *work_dir;

static GFile *
autosave_dir (void)
{
  return ns_autosave_get_default_dir ();
}

static GPtrArray *
list_entries (void)
{
  g_autoptr(GFile) dir = autosave_dir ();
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = ns_autosave_list (dir, &error);

  g_assert_no_error (error);
  return entries;
}

static guint
n_entries (void)
{
  g_autoptr(GPtrArray) entries = list_entries ();

  return entries->len;
}

/* Each test starts without entries. */
static void
clear_entries (void)
{
  g_autoptr(GPtrArray) entries = list_entries ();
  g_autoptr(GFile) dir = autosave_dir ();

  for (guint i = 0; i < entries->len; i++)
    g_assert_true (ns_autosave_discard (dir, ((NsAutosaveEntry *) entries->pdata[i])->id, NULL));
}

static guint
n_layers (NsWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ns_window_get_graph (window)));
}

/* A copy of the article's network in the work folder, as @name. */
static GFile *
copy_article (const char *name)
{
  g_autofree char *source = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"), "article.netsketch", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (work_dir, name, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return g_file_new_for_path (path);
}

static NsWindow *
open_window (GFile *file)
{
  NsWindow *window = ns_window_new (app);

  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  return window;
}

static void
delete_layer (NsWindow   *window,
              const char *name)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  NsLayer *layer = ns_graph_find_by_name (ns_window_get_graph (window), name);

  g_assert_nonnull (layer);
  g_ptr_array_add (layers, layer);
  ns_history_remove_layers (ns_window_get_history (window), layers);
}

typedef struct {
  guint n_entries;
  guint n_layers;   /* of the newest entry */
} Expected;

static gboolean
entries_are (gpointer data)
{
  const Expected *expected = data;
  g_autoptr(GPtrArray) entries = list_entries ();

  return entries->len == expected->n_entries &&
         (entries->len == 0 || ((NsAutosaveEntry *) entries->pdata[0])->n_layers == expected->n_layers);
}

/* Waits for the entries to be as @n and @layers say; returns the seconds it took. */
static double
wait_for_entries (guint n,
                  guint layers)
{
  Expected expected = { n, layers };
  gint64 start = g_get_monotonic_time ();

  g_assert_true (ui_wait_for (entries_are, &expected, 5.0));
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* An edit is autosaved about one interval (1 s here) after it, no sooner
 * and not much later; a save deletes the entry; so does undoing back to
 * what is saved. */
static void
test_autosave_after_edit (void)
{
  g_autoptr(GFile) file = copy_article ("net.netsketch");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(NsGraph) saved = NULL;
  g_autoptr(NsGraph) recovered = NULL;
  g_autoptr(GError) error = NULL;
  NsWindow *window;
  NsHistory *history;
  double seconds;

  clear_entries ();
  window = open_window (file);
  history = ns_window_get_history (window);
  g_assert_cmpuint (n_layers (window), ==, 10);
  ui_settle ();
  g_assert_cmpuint (n_entries (), ==, 0);

  delete_layer (window, "mer2");
  g_assert_true (ns_history_get_modified (history));
  seconds = wait_for_entries (1, 9);
  g_assert_cmpfloat (seconds, >=, 0.8);
  g_assert_cmpfloat (seconds, <=, 2.0);

  entries = list_entries ();
  g_assert_true (g_file_equal (((NsAutosaveEntry *) entries->pdata[0])->original, file));
  recovered = ns_autosave_entry_load (entries->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recovered)), ==, 9);
  g_assert_null (ns_graph_find_by_name (recovered, "mer2"));

  /* The next edit rewrites the same entry. */
  delete_layer (window, "score1");
  seconds = wait_for_entries (1, 8);
  g_assert_cmpfloat (seconds, <=, 2.0);

  /* Saved: the file has it all, the entry goes at once. */
  g_assert_true (ns_window_save_to (window, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (), ==, 0);
  saved = ns_document_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (saved)), ==, 8);

  /* Undone past the save: unsaved again, autosaved; redone back to the
   * saved state: nothing unsaved, no entry. */
  g_assert_true (ns_history_undo (history));
  wait_for_entries (1, 9);
  g_assert_true (ns_history_redo (history));
  g_assert_false (ns_history_get_modified (history));
  g_assert_cmpuint (n_entries (), ==, 0);

  ui_close_window (GTK_WINDOW (window));
  g_assert_cmpuint (n_entries (), ==, 0);
}

static gboolean
shows_label (gpointer data)
{
  const char **args = data;

  return ui_find_label (GTK_WIDGET (args[0]), args[1], TRUE) != NULL;
}

/* The autosave folder cannot be made: one toast says so, the next failures
 * do not repeat it, the network stays open and modified, and once the
 * folder can be written the entry is there. */
static void
test_autosave_error_reported_once (void)
{
  g_autoptr(GFile) file = copy_article ("blocked.netsketch");
  g_autoptr(GFile) dir = autosave_dir ();
  g_autoptr(GFile) nowhere = g_file_new_build_filename (work_dir, "missing", "x.svg", NULL);
  g_autofree char *blocker = g_file_get_path (dir);
  g_autofree char *moved = g_strconcat (blocker, ".aside", NULL);
  const char *failed[] = { NULL, "Could not autosave “blocked.netsketch”: " };
  NsWindow *window;

  clear_entries ();
  /* A file where the folder should be: even root cannot write into it. */
  g_assert_cmpint (g_mkdir_with_parents (blocker, 0700), ==, 0);
  g_assert_cmpint (g_rename (blocker, moved), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));

  window = open_window (file);
  failed[0] = (const char *) window;
  delete_layer (window, "mer2");
  g_assert_true (ui_wait_for (shows_label, failed, 5.0));

  /* Another toast takes its place; two more failed autosaves add none. */
  ns_window_export (window, "svg", nowhere);
  ui_settle ();
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Could not export “x.svg”", TRUE));
  delete_layer (window, "score1");
  g_assert_false (ui_wait_for (shows_label, failed, 2.5));
  delete_layer (window, "deconv1");
  g_assert_false (ui_wait_for (shows_label, failed, 2.5));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Could not export “x.svg”", TRUE));
  g_assert_cmpuint (n_layers (window), ==, 7);
  g_assert_true (ns_history_get_modified (ns_window_get_history (window)));

  /* Writable again: the next edit's autosave has everything. */
  g_assert_cmpint (g_remove (blocker), ==, 0);
  g_assert_cmpint (g_rename (moved, blocker), ==, 0);
  delete_layer (window, "mer1");
  wait_for_entries (1, 6);

  ui_close_window (GTK_WINDOW (window));
  clear_entries ();
}

/* What a killed run leaves: the article without "mer2" for @original, and,
 * a minute older, a never-saved 3-layer network. */
static void
write_crash_entries (GFile *original)
{
  g_autoptr(GFile) dir = autosave_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) edited = ns_document_load (original, NULL, &error);
  g_autoptr(NsGraph) small = test_small_chain ();
  g_autofree char *small_path = NULL;
  g_autoptr(GFile) small_file = NULL;

  g_assert_no_error (error);
  ns_graph_remove_layer (edited, ns_graph_find_by_name (edited, "mer2"));
  g_assert_true (ns_autosave_write (dir, ID_A, edited, original, &error));
  g_assert_true (ns_autosave_write (dir, ID_B, small, NULL, &error));
  g_assert_no_error (error);
  small_path = g_build_filename (g_file_peek_path (dir), ID_B ".netsketch", NULL);
  small_file = g_file_new_for_path (small_path);
  g_file_set_attribute_uint64 (small_file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                               (guint64) (g_get_real_time () / G_USEC_PER_SEC - 60),
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

/* "9 layers · autosaved 14:02" for entry @index; the date too if not today. */
static char *
expected_subtitle (guint index)
{
  g_autoptr(GPtrArray) entries = list_entries ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const NsAutosaveEntry *entry;
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *day = NULL;
  g_autofree char *when = NULL;

  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[index];
  day = g_date_time_format (entry->time, "%Y-%m-%d");
  when = g_date_time_format (entry->time, g_str_equal (day, today) ? "%H:%M" : "%Y-%m-%d %H:%M");
  return g_strdup_printf ("%u layers · autosaved %s", entry->n_layers, when);
}

static NsWindow *
other_window (NsWindow *window)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (NS_IS_WINDOW (l->data) && l->data != window)
      return l->data;
  return NULL;
}

/* The dialog that asks about unsaved changes, over @window. */
static AdwMessageDialog *
find_question (NsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* The next start after a crash: the example gives way to the newest
 * network, the other opens in a window of its own, both unsaved, each saving
 * to the file it came from; saving or discarding each deletes its entry. */
static void
test_recovery_recover (void)
{
  g_autoptr(GFile) original = copy_article ("crashed.netsketch");
  g_autoptr(GFile) example = ns_application_get_default_example ();
  g_autoptr(NsGraph) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle_a = NULL;
  g_autofree char *subtitle_b = NULL;
  AdwMessageDialog *question;
  GtkWindow *dialog;
  NsWindow *window, *second;

  clear_entries ();
  write_crash_entries (original);
  subtitle_a = expected_subtitle (0);
  subtitle_b = expected_subtitle (1);
  g_assert_true (g_str_has_prefix (subtitle_a, "9 layers · autosaved "));
  g_assert_true (g_str_has_prefix (subtitle_b, "3 layers · autosaved "));
  window = open_window (example);

  dialog = ns_window_offer_recovery (window);
  g_assert_nonnull (dialog);
  ui_wait_until_mapped (GTK_WIDGET (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Recover Unsaved Work?");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Netsketch closed before these networks were saved. "
                   "Their autosaved copies can be opened again.");
  /* Newest first, each with its layer count and time. */
  {
    GtkWidget *list = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
    GtkListBoxRow *second_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);

    g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "crashed.netsketch");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)), ==, subtitle_a);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (second_row)), ==, "New Network");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (second_row)), ==, subtitle_b);
    g_assert_nonnull (ui_find_label (GTK_WIDGET (dialog), subtitle_a, FALSE));
  }
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Recover Unsaved Work?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "recover");
  ui_save_screenshot (GTK_WIDGET (dialog), "recovery-dialog.png");

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  ui_settle ();

  g_assert_cmpuint (n_layers (window), ==, 9);
  g_assert_null (ns_graph_find_by_name (ns_window_get_graph (window), "mer2"));
  g_assert_true (g_file_equal (ns_window_get_file (window), original));
  g_assert_true (ns_history_get_modified (ns_window_get_history (window)));
  g_assert_false (ns_history_can_undo (ns_window_get_history (window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "• crashed.netsketch");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Recovered the unsaved changes to “crashed.netsketch”", FALSE));
  ui_save_screenshot (GTK_WIDGET (window), "recovered-window.png");

  second = other_window (window);
  g_assert_nonnull (second);
  ui_wait_until_mapped (GTK_WIDGET (second));
  g_assert_cmpuint (n_layers (second), ==, 3);
  g_assert_null (ns_window_get_file (second));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (second)), ==, "• New Network");
  /* Nothing of it is on disk: undoing an edit leaves it modified. */
  delete_layer (second, "pool");
  g_assert_true (ns_history_undo (ns_window_get_history (second)));
  g_assert_true (ns_history_get_modified (ns_window_get_history (second)));
  g_assert_cmpuint (n_entries (), ==, 2);

  /* Saving writes the original file and deletes that entry. */
  g_assert_true (ns_window_save_to (window, original, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries (), ==, 1);
  saved = ns_document_load (original, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (saved)), ==, 9);

  /* Closing and answering Discard deletes the other. */
  gtk_window_close (GTK_WINDOW (second));
  ui_settle ();
  question = find_question (second);
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Save Changes?");
  g_object_ref (second);
  adw_message_dialog_response (question, "discard");
  ui_settle ();
  g_assert_finalize_object (second);
  g_assert_cmpuint (n_entries (), ==, 0);

  ui_close_window (GTK_WINDOW (window));
  g_assert_cmpuint (n_entries (), ==, 0);
}

/* Discard deletes every entry and leaves the window as it was; Escape
 * leaves them for next time; with none, nothing is asked. */
static void
test_recovery_discard_and_later (void)
{
  g_autoptr(GFile) original = copy_article ("crashed.netsketch");
  g_autoptr(GFile) example = ns_application_get_default_example ();
  NsWindow *window;
  GtkWindow *dialog;

  clear_entries ();
  window = open_window (example);
  g_assert_null (ns_window_offer_recovery (window));

  write_crash_entries (original);
  dialog = ns_window_offer_recovery (window);
  g_assert_nonnull (dialog);
  ui_wait_until_mapped (GTK_WIDGET (dialog));
  /* Escape: "later". */
  gtk_window_close (dialog);
  ui_settle ();
  g_assert_cmpuint (n_entries (), ==, 2);
  g_assert_true (g_file_equal (ns_window_get_file (window), example));

  dialog = ns_window_offer_recovery (window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  ui_settle ();
  g_assert_cmpuint (n_entries (), ==, 0);
  g_assert_true (g_file_equal (ns_window_get_file (window), example));
  g_assert_cmpuint (n_layers (window), ==, 10);
  g_assert_false (ns_history_get_modified (ns_window_get_history (window)));
  g_assert_null (other_window (window));
  g_assert_null (ns_window_offer_recovery (window));

  ui_close_window (GTK_WINDOW (window));
}

/* A window the user edits keeps its network: a recovered one opens beside it. */
static void
test_recovery_beside_edited_window (void)
{
  g_autoptr(GFile) original = copy_article ("crashed.netsketch");
  g_autoptr(GFile) mine = copy_article ("mine.netsketch");
  NsWindow *window, *second, *third;
  GtkWindow *dialog;

  clear_entries ();
  write_crash_entries (original);
  window = open_window (mine);
  dialog = ns_window_offer_recovery (window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  ui_settle ();

  g_assert_true (g_file_equal (ns_window_get_file (window), mine));
  g_assert_cmpuint (n_layers (window), ==, 10);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 3);
  second = other_window (window);
  g_assert_nonnull (second);
  third = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (l->data != window && l->data != second)
      third = l->data;
  g_assert_nonnull (third);
  g_assert_cmpuint (n_layers (second) + n_layers (third), ==, 9 + 3);

  /* Destroyed without the question (as when quitting): the entries stay. */
  ui_close_window (GTK_WINDOW (second));
  ui_close_window (GTK_WINDOW (third));
  ui_close_window (GTK_WINDOW (window));
  g_assert_cmpuint (n_entries (), ==, 2);
  clear_entries ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_assert_cmpint (g_remove (path), ==, 0);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before anything asks GLib for the state folder, which it remembers. */
  state_dir = g_dir_make_tmp ("netsketch-state-XXXXXX", NULL);
  work_dir = g_dir_make_tmp ("netsketch-work-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_assert_nonnull (work_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  g_setenv ("NETSKETCH_AUTOSAVE_INTERVAL", "1", TRUE);

  g_test_init (&argc, &argv, NULL);
  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/window-autosave/after-edit", test_autosave_after_edit);
  g_test_add_func ("/window-autosave/error-reported-once", test_autosave_error_reported_once);
  g_test_add_func ("/recovery/recover", test_recovery_recover);
  g_test_add_func ("/recovery/discard-and-later", test_recovery_discard_and_later);
  g_test_add_func ("/recovery/beside-edited-window", test_recovery_beside_edited_window);

  status = g_test_run ();
  g_object_unref (app);
  remove_tree (state_dir);
  remove_tree (work_dir);
  g_free (state_dir);
  g_free (work_dir);
  return status;
}
