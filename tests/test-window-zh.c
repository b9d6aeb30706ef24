/* test-window-zh.c: the main window in Simplified Chinese, under Xvfb: the
 * build tree's catalog is found, the totals, the table's headers, the palette
 * and the inspector are translated, and window-zh_CN.png is saved for
 * docs/screenshots. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "ns-application.h"
#include "ns-summary-view.h"
#include "ns-window.h"
#include "ui-helpers.h"

static NsApplication *app;

static void
assert_column_titles (NsWindow *window)
{
  static const char *const expected[] = { "层", "类型", "输出形状", "参数", "乘加运算", "内存", "连接到" };
  NsSummaryView *view = NS_SUMMARY_VIEW (ns_window_get_part (window, "summary"));
  GListModel *columns = gtk_column_view_get_columns (ns_summary_view_get_column_view (view));

  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, expected[i]);
    }
}

/* The article's network with con1 in the inspector, as docs/screenshots/window.png. */
static void
test_window_zh_article (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"), "article.netsketch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  NsWindow *window = ns_window_new (app);
  g_autofree char *keras_class = NULL;
  GtkWidget *totals;
  NsLayer *con1;

  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");

  /* The same figures as test-window's English totals line. */
  totals = ns_window_get_part (window, "totals");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (totals)), ==,
                   "参数 87,957 · 可训练 87,829 · 不可训练 128 · 乘加运算 1.43 G · 激活值 35.8\u00a0MiB");
  assert_column_titles (window);
  /* Keras' class names stay as they are. */
  keras_class = ns_summary_view_get_cell_text (NS_SUMMARY_VIEW (ns_window_get_part (window, "summary")), 1, 1);
  g_assert_cmpstr (keras_class, ==, "Conv2D");

  /* The palette's categories and labels, the inspector's empty page. */
  g_assert_nonnull (ui_find_label (ns_window_get_part (window, "palette"), "卷积", FALSE));
  g_assert_nonnull (ui_find_label (ns_window_get_part (window, "palette"), "二维转置卷积（反卷积）", FALSE));
  g_assert_nonnull (ui_find_label (ns_window_get_part (window, "inspector"), "未选择层", FALSE));

  con1 = ns_graph_find_by_name (ns_window_get_graph (window), "con1");
  g_assert_nonnull (con1);
  ns_selection_set (ns_window_get_selection (window), con1);
  ui_settle ();
  g_assert_nonnull (ui_find_label (ns_window_get_part (window, "inspector"), "卷积核大小", FALSE));
  g_assert_nonnull (ui_find_label (ns_window_get_part (window, "inspector"), "输出高度", FALSE));

  ui_save_screenshot (GTK_WIDGET (window), "window-zh_CN.png");

  ui_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("NETSKETCH_LOCALEDIR");
  int status;

  /* Before GTK reads the locale. LANGUAGE picks the catalog without a
   * generated zh_CN locale, but glibc ignores it under the "C" locale. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  /* As main.c does; tests/meson.build points this at the build's po/. */
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/window-zh/article", test_window_zh_article);

  status = g_test_run ();

  g_object_unref (app);

  return status;
}
