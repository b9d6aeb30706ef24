/* test-editor.c: the editor driven as a person drives it, under Xvfb: xdotool
 * moves the real pointer and presses real keys while GTK runs. A Conv2D is
 * dragged from the palette, wired to the input, edited in the inspector,
 * undone, deleted and restored, saved and reopened. Each step leaves a
 * screenshot in the build folder. */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>

#include "ns-application.h"
#include "ns-canvas.h"
#include "ns-document.h"
#include "ns-inspector.h"
#include "ns-render.h"
#include "ns-summary.h"
#include "ns-summary-view.h"
#include "ns-window.h"
#include "ui-helpers.h"

static NsApplication *app;

/* Runs one xdotool command line and lets GTK handle the events it makes
 * while it runs; fails the test if xdotool does. */
static void
xdotool (const char *format,
         ...)
{
  g_autofree char *command = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  va_start (args, format);
  command = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_no_error (error);

  process = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (g_subprocess_get_successful (process));
  ui_settle ();
}

/* Where the top-left corner of @window's X window is on the screen. */
static void
window_origin (GtkWidget *window,
               int       *x,
               int       *y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Window xid = gdk_x11_surface_get_xid (surface);
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  Window child;

  XTranslateCoordinates (display, xid, DefaultRootWindow (display), 0, 0, x, y, &child);
}

/* The screen position of point (@x, @y) of @widget. */
static void
screen_point (GtkWidget *widget,
              double     x,
              double     y,
              int       *screen_x,
              int       *screen_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double surface_x, surface_y;
  int origin_x, origin_y;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  window_origin (GTK_WIDGET (native), &origin_x, &origin_y);
  *screen_x = origin_x + (int) (point.x + surface_x + .5);
  *screen_y = origin_y + (int) (point.y + surface_y + .5);
}

static void
widget_center (GtkWidget *widget,
               int       *x,
               int       *y)
{
  screen_point (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0, x, y);
}

static void
canvas_point (NsCanvas *canvas,
              double    canvas_x,
              double    canvas_y,
              int      *x,
              int      *y)
{
  double widget_x, widget_y;

  ns_canvas_to_widget (canvas, canvas_x, canvas_y, &widget_x, &widget_y);
  g_assert_cmpfloat (widget_x, >=, 0);
  g_assert_cmpfloat (widget_y, >=, 0);
  g_assert_cmpfloat (widget_x, <, gtk_widget_get_width (GTK_WIDGET (canvas)));
  g_assert_cmpfloat (widget_y, <, gtk_widget_get_height (GTK_WIDGET (canvas)));
  screen_point (GTK_WIDGET (canvas), widget_x, widget_y, x, y);
}

/* A press, a move in small steps (as a hand would, so GTK sees a drag) and a release. */
static void
drag (int from_x,
      int from_y,
      int to_x,
      int to_y)
{
  GString *command = g_string_new ("xdotool");

  g_string_append_printf (command, " mousemove %d %d sleep 0.1 mousedown 1 sleep 0.1", from_x, from_y);
  for (int step = 1; step <= 12; step++)
    g_string_append_printf (command, " mousemove %d %d sleep 0.03",
                            from_x + (to_x - from_x) * step / 12, from_y + (to_y - from_y) * step / 12);
  g_string_append (command, " sleep 0.1 mouseup 1 sleep 0.1");
  xdotool ("%s", command->str);
  g_string_free (command, TRUE);
}

static void
click (int x,
       int y)
{
  xdotool ("xdotool mousemove %d %d sleep 0.1 click 1 sleep 0.1", x, y);
}

static void
key (const char *keys)
{
  xdotool ("xdotool key --delay 50 %s", keys);
}

typedef struct {
  NsGraph    *graph;
  const char *name;
  guint       n_layers;
  const char *key;
  gint64      integer;
  NsLayer    *from;
} Expect;

static gboolean
has_n_layers (gpointer data)
{
  Expect *expect = data;

  return g_list_model_get_n_items (G_LIST_MODEL (expect->graph)) == expect->n_layers;
}

static gboolean
has_value (gpointer data)
{
  Expect *expect = data;
  NsLayer *layer = ns_graph_find_by_name (expect->graph, expect->name);

  return layer != NULL && ns_layer_get_value (layer, expect->key)->integer == expect->integer;
}

static gboolean
is_connected (gpointer data)
{
  Expect *expect = data;
  NsLayer *layer = ns_graph_find_by_name (expect->graph, expect->name);

  return layer != NULL && ns_layer_get_input (layer, 0) == expect->from;
}

static char *
summary_shape (NsWindow   *window,
               const char *name)
{
  NsSummaryView *view = NS_SUMMARY_VIEW (ns_window_get_part (window, "summary"));

  for (guint row = 0;; row++)
    {
      g_autofree char *shown = ns_summary_view_get_cell_text (view, row, 0);

      if (shown == NULL)
        return NULL;
      if (g_str_equal (shown, name))
        return ns_summary_view_get_cell_text (view, row, 2);
    }
}

static void
assert_shape (NsWindow   *window,
              const char *name,
              const char *keras_shape,
              const char *wire_label)
{
  NsLayer *layer = ns_graph_find_by_name (ns_window_get_graph (window), name);
  g_autofree char *shown = summary_shape (window, name);
  g_autofree char *compact = NULL;

  g_assert_nonnull (layer);
  g_assert_cmpint (ns_layer_get_info (layer)->state, ==, NS_LAYER_OK);
  compact = ns_shape_to_compact (&ns_layer_get_info (layer)->output);
  g_assert_cmpstr (shown, ==, keras_shape);
  /* The canvas labels the wire out of a layer with the compact shape. */
  g_assert_cmpstr (compact, ==, wire_label);
}

static GtkWidget *
palette_row (GtkWidget  *root,
             const char *keras_class)
{
  const NsLayerType *type;

  if (GTK_IS_LIST_BOX_ROW (root) &&
      (type = g_object_get_data (G_OBJECT (root), "ns-layer-type")) != NULL &&
      g_str_equal (type->keras_class, keras_class))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = palette_row (child, keras_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
node_center (NsCanvas *canvas,
             NsLayer  *layer,
             int      *x,
             int      *y)
{
  double left, top;

  ns_layer_get_position (layer, &left, &top);
  /* The title band, clear of the ports on the sides. */
  canvas_point (canvas, left + 100, top + 20, x, y);
}

static GFile *
copy_article (void)
{
  g_autofree char *source = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"), "article.netsketch", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-editor-XXXXXX", &error);
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_file_get_contents (source, &contents, NULL, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "editor-test.netsketch", NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
test_editor_session (void)
{
  g_autoptr(GFile) file = copy_article ();
  NsWindow *window = ns_window_new (app);
  NsCanvas *canvas;
  NsGraph *graph;
  NsLayer *input, *conv;
  GtkWidget *row, *filters;
  Expect expect = { 0 };
  double ex, ey, ew, eh;
  double x_in, y_in, x_out, y_out;
  int x0, y0, x1, y1;
  gint64 default_filters;
  g_autofree char *default_shape = NULL;
  g_autofree char *default_label = NULL;
  g_autofree char *saved_summary = NULL;
  g_autofree char *reopened_summary = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  ui_settle ();

  graph = ns_window_get_graph (window);
  canvas = NS_CANVAS (ns_window_get_part (window, "canvas"));
  input = ns_graph_find_by_name (graph, "input_1");
  expect.graph = graph;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 10);

  /* Room below the network to drop a layer. */
  ns_canvas_set_zoom (canvas, 0.5);
  ui_settle ();
  ns_renderer_get_extents (graph, &ex, &ey, &ew, &eh);
  ns_canvas_reveal_layer (canvas, input);
  ui_settle ();

  /* 1. Drag "2D convolution" from the palette onto the canvas. */
  row = palette_row (ns_window_get_part (window, "palette"), "Conv2D");
  g_assert_nonnull (row);
  widget_center (row, &x0, &y0);
  {
    double in_x, in_y;

    ns_layer_get_position (input, &in_x, &in_y);
    canvas_point (canvas, in_x + 40, in_y + 76 + 120, &x1, &y1);
  }
  drag (x0, y0, x1, y1);
  expect.n_layers = 11;
  g_assert_true (ui_wait_for (has_n_layers, &expect, 5));
  conv = ns_graph_find_by_name (graph, "conv2d");
  g_assert_nonnull (conv);
  g_assert_null (ns_layer_get_input (conv, 0));
  ui_save_screenshot (GTK_WIDGET (window), "editor-1-dropped.png");

  /* 2. Wire input_1's output to the new layer's input. */
  ns_renderer_get_output_port (input, FALSE, &x_out, &y_out);
  ns_renderer_get_input_port (conv, 0, FALSE, &x_in, &y_in);
  canvas_point (canvas, x_out, y_out, &x0, &y0);
  canvas_point (canvas, x_in, y_in, &x1, &y1);
  drag (x0, y0, x1, y1);
  expect.name = "conv2d";
  expect.from = input;
  g_assert_true (ui_wait_for (is_connected, &expect, 5));
  default_filters = ns_layer_get_value (conv, "filters")->integer;
  default_shape = g_strdup_printf ("(None, 126, 126, %" G_GINT64_FORMAT ")", default_filters);
  default_label = g_strdup_printf ("126×126×%" G_GINT64_FORMAT, default_filters);
  assert_shape (window, "conv2d", default_shape, default_label);
  ui_save_screenshot (GTK_WIDGET (window), "editor-2-connected.png");

  /* 3. Type 16 into the inspector's Filters. */
  node_center (canvas, conv, &x0, &y0);
  click (x0, y0);
  filters = ns_inspector_get_editor (NS_INSPECTOR (ns_window_get_part (window, "inspector")), "filters");
  g_assert_nonnull (filters);
  g_assert_true (gtk_widget_get_mapped (filters));
  widget_center (filters, &x1, &y1);
  click (x1, y1);
  key ("ctrl+a");
  xdotool ("xdotool type --delay 50 16");
  key ("Tab");
  expect.key = "filters";
  expect.integer = 16;
  g_assert_true (ui_wait_for (has_value, &expect, 5));
  assert_shape (window, "conv2d", "(None, 126, 126, 16)", "126×126×16");
  g_assert_true (ns_history_get_modified (ns_window_get_history (window)));
  ui_save_screenshot (GTK_WIDGET (window), "editor-3-filters.png");

  /* 4. Ctrl+Z on the canvas takes the edit back. */
  node_center (canvas, conv, &x0, &y0);
  click (x0, y0);
  key ("ctrl+z");
  expect.integer = default_filters;
  g_assert_true (ui_wait_for (has_value, &expect, 5));
  assert_shape (window, "conv2d", default_shape, default_label);
  ui_save_screenshot (GTK_WIDGET (window), "editor-4-undone.png");

  /* 5. Delete it, then Undo brings it back with its wire. */
  key ("Delete");
  expect.n_layers = 10;
  g_assert_true (ui_wait_for (has_n_layers, &expect, 5));
  g_assert_null (ns_graph_find_by_name (graph, "conv2d"));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Deleted “conv2d”", FALSE));
  ui_save_screenshot (GTK_WIDGET (window), "editor-5-deleted.png");
  key ("ctrl+z");
  expect.n_layers = 11;
  g_assert_true (ui_wait_for (has_n_layers, &expect, 5));
  g_assert_true (ns_graph_find_by_name (graph, "conv2d") == conv);
  g_assert_true (ns_layer_get_input (conv, 0) == input);
  assert_shape (window, "conv2d", default_shape, default_label);

  /* 6. Ctrl+S saves over the file; reopening gives the same network. */
  key ("ctrl+s");
  ui_settle ();
  g_assert_false (ns_history_get_modified (ns_window_get_history (window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "editor-test.netsketch");
  saved_summary = ns_summary_format (graph, NS_SUMMARY_JSON);
  ui_save_screenshot (GTK_WIDGET (window), "editor-6-saved.png");
  ui_close_window (GTK_WINDOW (window));

  window = ns_window_new (app);
  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  reopened_summary = ns_summary_format (ns_window_get_graph (window), NS_SUMMARY_JSON);
  g_assert_cmpstr (reopened_summary, ==, saved_summary);
  assert_shape (window, "conv2d", default_shape, default_label);
  ui_close_window (GTK_WINDOW (window));

  g_assert_true (g_file_delete (file, NULL, NULL));
  {
    g_autoptr(GFile) dir = g_file_get_parent (file);

    g_assert_true (g_file_delete (dir, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* xdotool speaks X11. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (g_find_program_in_path ("xdotool") == NULL)
    {
      /* CI installs it (tools/install-deps); a machine without it cannot drive the pointer. */
      g_test_skip ("xdotool is not installed");
      return g_test_run ();
    }

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/editor/session", test_editor_session);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
