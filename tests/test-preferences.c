/* test-preferences.c: the Preferences window under Xvfb: the shape order
 * followed live by the summary table, the inspector and the canvas; the
 * preview's default seed for new windows; autosave's switch and interval;
 * clearing the recent networks; the action, its accelerator and shortcut. */
#include "config.h"

#include "ns-application.h"
#include "ns-canvas.h"
#include "ns-preferences.h"
#include "ns-preview.h"
#include "ns-summary-view.h"
#include "ns-window.h"
#include "ui-helpers.h"

#define SHAPE_COLUMN 2

static NsApplication *app;

static NsSettings *
settings (void)
{
  return ns_application_get_settings (app);
}

/* The keys, read past NsSettings: what it wrote to GSettings. */
static GSettings *
gsettings (void)
{
  return g_settings_new (APP_ID);
}

static NsWindow *
open_window (gboolean article)
{
  NsWindow *window = ns_window_new (app);

  if (article)
    {
      g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"),
                                                "article.netsketch", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      ns_window_open (window, file);
    }
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  return window;
}

/* Opens Preferences through app.preferences, as the menu and Ctrl+, do. */
static NsPreferences *
open_preferences (void)
{
  g_autoptr(GList) toplevels = NULL;
  NsPreferences *preferences = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (NS_IS_PREFERENCES (l->data))
      {
        g_assert_null (preferences);
        preferences = l->data;
      }
  g_assert_nonnull (preferences);
  ui_wait_until_mapped (GTK_WIDGET (preferences));
  return preferences;
}

static char *
summary_shape (NsWindow *window,
               guint     row)
{
  NsSummaryView *view = NS_SUMMARY_VIEW (ns_window_get_part (window, "summary"));

  return ns_summary_view_get_cell_text (view, row, SHAPE_COLUMN);
}

static void
assert_summary_shapes (NsWindow   *window,
                       const char *input,
                       const char *con1,
                       const char *mer2)
{
  g_autofree char *input_text = summary_shape (window, 0);
  g_autofree char *con1_text = summary_shape (window, 1);
  g_autofree char *mer2_text = summary_shape (window, 9);

  g_assert_cmpstr (input_text, ==, input);
  g_assert_cmpstr (con1_text, ==, con1);
  g_assert_cmpstr (mer2_text, ==, mer2);
}

static void
test_preferences_shape_order (void)
{
  NsWindow *window = open_window (TRUE);
  GtkWidget *inspector = ns_window_get_part (window, "inspector");
  NsCanvas *canvas = NS_CANVAS (ns_window_get_part (window, "canvas"));
  g_autoptr(GSettings) keys = gsettings ();
  NsPreferences *preferences;
  AdwComboRow *row;
  g_autofree char *key = NULL;

  ns_selection_set (ns_window_get_selection (window),
                    ns_graph_find_by_name (ns_window_get_graph (window), "con1"));
  ui_settle ();
  assert_summary_shapes (window, "(None, 128, 128, 3)", "(None, 128, 128, 64)", "(None, 128, 128, 85)");
  g_assert_nonnull (ui_find_label (inspector, "(None, 128, 128, 64)", FALSE));

  preferences = open_preferences ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  row = ADW_COMBO_ROW (ns_preferences_get_part (preferences, "shape-order"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* PyTorch's order: every view follows at once; the key says "nchw". */
  adw_combo_row_set_selected (row, 1);
  ui_settle ();
  g_assert_cmpint (ns_settings_get_shape_order (settings ()), ==, NS_SHAPE_ORDER_NCHW);
  key = g_settings_get_string (keys, "shape-order");
  g_assert_cmpstr (key, ==, "nchw");
  assert_summary_shapes (window, "(None, 3, 128, 128)", "(None, 64, 128, 128)", "(None, 85, 128, 128)");
  g_assert_nonnull (ui_find_label (inspector, "(None, 64, 128, 128)", FALSE));
  g_assert_null (ui_find_label (inspector, "(None, 128, 128, 64)", FALSE));
  g_assert_cmpint (ns_canvas_get_shape_order (canvas), ==, NS_SHAPE_ORDER_NCHW);
  ui_save_screenshot (GTK_WIDGET (preferences), "preferences.png");
  ui_save_screenshot (GTK_WIDGET (window), "window-nchw.png");

  /* The document is not reordered: only how it is written. */
  g_assert_cmpint (ns_layer_get_info (ns_graph_find_by_name (ns_window_get_graph (window), "con1"))->output.dims[2],
                   ==, 64);

  /* Back to Keras' order. */
  adw_combo_row_set_selected (row, 0);
  ui_settle ();
  g_clear_pointer (&key, g_free);
  key = g_settings_get_string (keys, "shape-order");
  g_assert_cmpstr (key, ==, "nhwc");
  assert_summary_shapes (window, "(None, 128, 128, 3)", "(None, 128, 128, 64)", "(None, 128, 128, 85)");
  g_assert_nonnull (ui_find_label (inspector, "(None, 128, 128, 64)", FALSE));
  g_assert_cmpint (ns_canvas_get_shape_order (canvas), ==, NS_SHAPE_ORDER_NHWC);

  /* A change to the key from outside (dconf, another instance) shows too. */
  g_settings_set_string (keys, "shape-order", "nchw");
  ui_settle ();
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
  assert_summary_shapes (window, "(None, 3, 128, 128)", "(None, 64, 128, 128)", "(None, 85, 128, 128)");
  g_settings_reset (keys, "shape-order");
  ui_settle ();
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* Asking again brings back the same window. */
  g_assert_true (open_preferences () == preferences);

  ui_close_window (GTK_WINDOW (preferences));
  ui_close_window (GTK_WINDOW (window));
}

static guint
preview_seed (NsWindow *window)
{
  NsPreview *preview = NS_PREVIEW (ns_window_get_part (window, "preview"));

  return (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ns_preview_get_part (preview, "seed")));
}

static void
test_preferences_default_seed (void)
{
  NsWindow *before = open_window (FALSE);
  g_autoptr(GSettings) keys = gsettings ();
  NsPreferences *preferences = open_preferences ();
  GtkSpinButton *spin = GTK_SPIN_BUTTON (ns_preferences_get_part (preferences, "seed"));
  NsWindow *after;

  g_assert_cmpuint (preview_seed (before), ==, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 0);

  gtk_spin_button_set_value (spin, 1234);
  g_assert_cmpuint (ns_settings_get_default_seed (settings ()), ==, 1234);
  g_assert_cmpuint (g_settings_get_uint (keys, "default-seed"), ==, 1234);

  /* New windows start from it; an open preview keeps the seed it has. */
  after = open_window (FALSE);
  g_assert_cmpuint (preview_seed (after), ==, 1234);
  g_assert_cmpuint (preview_seed (before), ==, 0);

  g_settings_reset (keys, "default-seed");
  ui_settle ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 0);

  ui_close_window (GTK_WINDOW (preferences));
  ui_close_window (GTK_WINDOW (after));
  ui_close_window (GTK_WINDOW (before));
}

static void
test_preferences_autosave (void)
{
  g_autoptr(GSettings) keys = gsettings ();
  NsPreferences *preferences = open_preferences ();
  GtkSwitch *enabled = GTK_SWITCH (ns_preferences_get_part (preferences, "autosave"));
  GtkSpinButton *interval = GTK_SPIN_BUTTON (ns_preferences_get_part (preferences, "autosave-interval"));

  /* The schema's default: every 30 seconds. */
  g_assert_true (gtk_switch_get_active (enabled));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (interval), ==, 30);

  gtk_spin_button_set_value (interval, 120);
  g_assert_cmpuint (g_settings_get_uint (keys, "autosave-interval"), ==, 120);

  /* Off is 0; the interval waits, greyed, for switching back on. */
  gtk_switch_set_active (enabled, FALSE);
  g_assert_cmpuint (ns_settings_get_autosave_interval (settings ()), ==, 0);
  g_assert_cmpuint (g_settings_get_uint (keys, "autosave-interval"), ==, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (interval), ==, 120);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (interval)));
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (preferences), "preferences-autosave-off.png");

  gtk_switch_set_active (enabled, TRUE);
  g_assert_cmpuint (g_settings_get_uint (keys, "autosave-interval"), ==, 120);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (interval)));

  /* From the key to the controls. */
  g_settings_set_uint (keys, "autosave-interval", 0);
  ui_settle ();
  g_assert_false (gtk_switch_get_active (enabled));
  g_settings_set_uint (keys, "autosave-interval", 600);
  ui_settle ();
  g_assert_true (gtk_switch_get_active (enabled));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (interval), ==, 600);

  g_settings_reset (keys, "autosave-interval");
  ui_settle ();
  ui_close_window (GTK_WINDOW (preferences));
}

static void
test_preferences_recent (void)
{
  g_autoptr(GSettings) keys = gsettings ();
  g_autoptr(GFile) first = g_file_new_for_path ("/tmp/first.netsketch");
  g_autoptr(GFile) second = g_file_new_for_path ("/tmp/second.netsketch");
  g_auto(GStrv) uris = NULL;
  NsPreferences *preferences;
  AdwActionRow *row;
  GtkWidget *clear;

  /* Other tests opened the article: start from none. */
  ns_settings_clear_recent_files (settings ());
  ns_settings_add_recent_file (settings (), first);
  ns_settings_add_recent_file (settings (), second);
  ns_settings_add_recent_file (settings (), first);
  uris = g_settings_get_strv (keys, "recent-files");
  g_assert_cmpuint (g_strv_length (uris), ==, 2);
  g_assert_cmpstr (uris[0], ==, "file:///tmp/first.netsketch");
  g_assert_cmpstr (uris[1], ==, "file:///tmp/second.netsketch");

  preferences = open_preferences ();
  row = ADW_ACTION_ROW (ns_preferences_get_part (preferences, "recent"));
  clear = ns_preferences_get_part (preferences, "clear-recent");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "2 networks listed under the Open button");
  g_assert_true (gtk_widget_get_sensitive (clear));

  g_signal_emit_by_name (clear, "clicked");
  g_clear_pointer (&uris, g_strfreev);
  uris = g_settings_get_strv (keys, "recent-files");
  g_assert_cmpuint (g_strv_length (uris), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) ns_settings_get_recent_files (settings ())), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "None listed under the Open button");
  g_assert_false (gtk_widget_get_sensitive (clear));

  ui_close_window (GTK_WINDOW (preferences));
}

static void
test_preferences_shortcut (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  NsWindow *window = open_window (FALSE);
  GtkShortcutsWindow *overlay;
  guint key;
  GdkModifierType mods;

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
  g_assert_cmpuint (key, ==, GDK_KEY_comma);
  g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK);

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  ui_wait_until_mapped (GTK_WIDGET (overlay));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (overlay), "Preferences", FALSE));
  gtk_widget_hide (GTK_WIDGET (overlay));

  ui_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/preferences/shape-order", test_preferences_shape_order);
  g_test_add_func ("/preferences/default-seed", test_preferences_default_seed);
  g_test_add_func ("/preferences/autosave", test_preferences_autosave);
  g_test_add_func ("/preferences/recent", test_preferences_recent);
  g_test_add_func ("/preferences/shortcut", test_preferences_shortcut);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
