/* test-inspector.c: NsInspector on the article's network, under Xvfb: the
 * editors of a Conv2D change the layer through the history and follow undo
 * without recording, the pair link, text editors, the name, Explain, the size
 * solver, the empty state and keyboard focus; screenshots in the build folder. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-application.h"
#include "ns-inspector-private.h"
#include "ns-window.h"
#include "ui-helpers.h"

static NsApplication *app;

typedef struct {
  NsWindow    *window;
  NsGraph     *graph;
  NsHistory   *history;
  NsInspector *inspector;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"), "article.netsketch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  f->window = ns_window_new (app);
  ns_window_open (f->window, file);
  gtk_window_present (GTK_WINDOW (f->window));
  ui_wait_until_mapped (GTK_WIDGET (f->window));
  f->graph = ns_window_get_graph (f->window);
  f->history = ns_window_get_history (f->window);
  f->inspector = NS_INSPECTOR (ns_window_get_part (f->window, "inspector"));
  g_assert_nonnull (f->graph);
}

static NsLayer *
fixture_select (Fixture    *f,
                const char *name)
{
  NsLayer *layer = ns_graph_find_by_name (f->graph, name);

  g_assert_nonnull (layer);
  ns_selection_set (ns_window_get_selection (f->window), layer);
  ui_settle ();
  return layer;
}

static void
fixture_close (Fixture *f)
{
  ui_close_window (GTK_WINDOW (f->window));
}

static GtkSpinButton *
spin (Fixture    *f,
      const char *key)
{
  GtkWidget *editor = ns_inspector_get_editor (f->inspector, key);

  g_assert_true (GTK_IS_SPIN_BUTTON (editor));
  return GTK_SPIN_BUTTON (editor);
}

/* A pair editor is height, "×", width, link. */
static GtkWidget *
pair_width (Fixture    *f,
            const char *key)
{
  GtkWidget *height = ns_inspector_get_editor (f->inspector, key);

  g_assert_true (GTK_IS_SPIN_BUTTON (height));
  return gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (height));
}

static void
assert_pair (NsLayer    *layer,
             const char *key,
             gint64      height,
             gint64      width)
{
  const NsValue *value = ns_layer_get_value (layer, key);

  g_assert_false (value->is_null);
  g_assert_cmpint (value->pair[0], ==, height);
  g_assert_cmpint (value->pair[1], ==, width);
}

static void
assert_figures (Fixture    *f,
                NsLayer    *layer,
                const char *shape,
                const char *params)
{
  g_autofree char *keras = ns_shape_to_keras (&ns_layer_get_info (layer)->output);
  g_autofree char *count = ns_format_count (ns_layer_get_info (layer)->params);

  /* The core's figures, and the inspector showing them. */
  g_assert_cmpint (ns_layer_get_info (layer)->state, ==, NS_LAYER_OK);
  g_assert_cmpstr (keras, ==, shape);
  g_assert_cmpstr (count, ==, params);
  g_assert_cmpstr (gtk_label_get_text (f->inspector->shape_label), ==, shape);
  g_assert_cmpstr (gtk_label_get_text (f->inspector->params_label), ==, params);
}

/* Scrolls the inspector so that @widget is at its top, for screenshots. */
static void
scroll_to (Fixture   *f,
           GtkWidget *widget)
{
  GtkWidget *viewport = gtk_scrolled_window_get_child (f->inspector->scroller);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (f->inspector->scroller);
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, viewport, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 12);
  ui_settle ();
}

static void
test_inspector_empty (void)
{
  Fixture f;

  fixture_open (&f);
  ns_selection_set (ns_window_get_selection (f.window), NULL);
  ui_settle ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f.inspector->stack), ==, "empty");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (f.inspector), "No Layer Selected", FALSE));
  g_assert_null (ns_inspector_get_editor (f.inspector, "filters"));
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-empty.png");

  fixture_select (&f, "con1");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f.inspector->stack), ==, "layer");
  g_assert_cmpstr (gtk_label_get_text (f.inspector->type_label), ==, "2D convolution");
  fixture_close (&f);
}

static void
test_inspector_filters_undo (void)
{
  Fixture f;
  NsLayer *con1;
  GtkSpinButton *filters;

  fixture_open (&f);
  con1 = fixture_select (&f, "con1");
  filters = spin (&f, "filters");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (filters)));
  g_assert_cmpfloat (gtk_spin_button_get_value (filters), ==, 64);
  /* The declared range: 1 to 2²⁴ channels. */
  {
    double min, max;

    gtk_spin_button_get_range (filters, &min, &max);
    g_assert_cmpfloat (min, ==, 1);
    g_assert_cmpfloat (max, ==, 16777216);
  }
  assert_figures (&f, con1, "(None, 128, 128, 64)", "1,792");
  ui_save_screenshot (GTK_WIDGET (f.window), "inspector-conv2d.png");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (f.inspector->advanced_row), TRUE);
  scroll_to (&f, f.inspector->settings_group);
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-settings.png");

  /* (3·3·3 + 1)·32 = 896, re-inferred at once. */
  gtk_spin_button_set_value (filters, 32);
  g_assert_cmpint (ns_layer_get_value (con1, "filters")->integer, ==, 32);
  assert_figures (&f, con1, "(None, 128, 128, 32)", "896");
  g_assert_true (ns_history_can_undo (f.history));

  /* Undo shows the old value again without recording an edit of its own,
   * which would have cleared the redo step. */
  g_assert_true (ns_history_undo (f.history));
  ui_settle ();
  g_assert_cmpfloat (gtk_spin_button_get_value (filters), ==, 64);
  g_assert_cmpint (ns_layer_get_value (con1, "filters")->integer, ==, 64);
  assert_figures (&f, con1, "(None, 128, 128, 64)", "1,792");
  g_assert_true (ns_history_can_redo (f.history));
  g_assert_false (ns_history_get_modified (f.history));

  g_assert_true (ns_history_redo (f.history));
  ui_settle ();
  g_assert_cmpfloat (gtk_spin_button_get_value (filters), ==, 32);
  g_assert_false (ns_history_can_redo (f.history));

  /* Trainable: the weights move to non-trainable. */
  gtk_switch_set_active (f.inspector->trainable_switch, FALSE);
  g_assert_false (ns_layer_get_trainable (con1));
  g_assert_cmpint (ns_layer_get_info (con1)->non_trainable_params, ==, 896);
  g_assert_cmpstr (adw_action_row_get_subtitle (f.inspector->params_row), ==,
                   "0 trainable, 896 non-trainable");
  g_assert_true (ns_history_undo (f.history));
  g_assert_true (gtk_switch_get_active (f.inspector->trainable_switch));
  fixture_close (&f);
}

static void
test_inspector_pair_link (void)
{
  Fixture f;
  NsLayer *con1;
  GtkWidget *height, *width, *link;

  fixture_open (&f);
  con1 = fixture_select (&f, "con1");
  height = ns_inspector_get_editor (f.inspector, "kernel_size");
  width = pair_width (&f, "kernel_size");
  link = gtk_widget_get_next_sibling (width);
  g_assert_true (GTK_IS_SPIN_BUTTON (height));
  g_assert_true (GTK_IS_SPIN_BUTTON (width));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (link));
  /* 3×3: linked. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (link)));

  /* Linked, the height sets both: (5·5·3 + 1)·64. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (height), 5);
  assert_pair (con1, "kernel_size", 5, 5);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (width)), ==, 5);
  assert_figures (&f, con1, "(None, 128, 128, 64)", "4,864");

  /* Unlinked, the width alone: (5·1·3 + 1)·64. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (link), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (width), 1);
  assert_pair (con1, "kernel_size", 5, 1);
  assert_figures (&f, con1, "(None, 128, 128, 64)", "1,024");

  /* Linking again makes both the height, in one undo step. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (link), TRUE);
  assert_pair (con1, "kernel_size", 5, 5);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (width)), ==, 5);
  g_assert_true (ns_history_undo (f.history));
  assert_pair (con1, "kernel_size", 5, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (width)), ==, 1);
  /* Different sizes cannot stay linked. */
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (link)));
  fixture_close (&f);
}

static void
test_inspector_text_editors (void)
{
  Fixture f;
  NsLayer *input, *norm, *con1;
  GtkWidget *shape, *epsilon;

  fixture_open (&f);
  input = fixture_select (&f, "input_1");
  con1 = ns_graph_find_by_name (f.graph, "con1");
  shape = ns_inspector_get_editor (f.inspector, "shape");
  g_assert_true (GTK_IS_ENTRY (shape));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (shape)), ==, "[128, 128, 3]");

  /* Python's tuple, as people copy it from Keras code. */
  gtk_editable_set_text (GTK_EDITABLE (shape), "(64, 64, 3)");
  g_signal_emit_by_name (shape, "activate");
  g_assert_cmpint (ns_layer_get_value (input, "shape")->ints.len, ==, 3);
  g_assert_cmpint (ns_layer_get_value (input, "shape")->ints.items[0], ==, 64);
  g_assert_cmpint (ns_layer_get_value (input, "shape")->ints.items[1], ==, 64);
  g_assert_cmpint (ns_layer_get_info (con1)->output.dims[0], ==, 64);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (shape)), ==, "[64, 64, 3]");
  g_assert_true (ns_history_undo (f.history));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (shape)), ==, "[128, 128, 3]");

  norm = fixture_select (&f, "batch_normalization");
  epsilon = ns_inspector_get_editor (f.inspector, "epsilon");
  g_assert_true (GTK_IS_ENTRY (epsilon));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (epsilon)), ==, "0.001");
  scroll_to (&f, f.inspector->settings_group);
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-batch-norm.png");
  gtk_editable_set_text (GTK_EDITABLE (epsilon), "1e-5");
  g_signal_emit_by_name (epsilon, "activate");
  g_assert_cmpfloat (ns_layer_get_value (norm, "epsilon")->real, ==, 1e-5);

  /* Not a number: said where it was typed, and the layer keeps its value. */
  gtk_editable_set_text (GTK_EDITABLE (epsilon), "tiny");
  g_signal_emit_by_name (epsilon, "activate");
  g_assert_cmpfloat (ns_layer_get_value (norm, "epsilon")->real, ==, 1e-5);
  g_assert_true (gtk_widget_has_css_class (epsilon, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (epsilon));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (epsilon), "expected a number from "));
  fixture_close (&f);
}

static void
test_inspector_name (void)
{
  Fixture f;
  NsLayer *con1;
  GtkEditable *name;

  fixture_open (&f);
  con1 = fixture_select (&f, "con1");
  name = GTK_EDITABLE (f.inspector->name_row);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "con1");

  /* Taken by another layer: the message shows inline, nothing changes. */
  gtk_editable_set_text (name, "pool1");
  g_signal_emit_by_name (f.inspector->name_row, "apply");
  g_assert_cmpstr (ns_layer_get_name (con1), ==, "con1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.inspector->name_error)));
  g_assert_nonnull (strstr (gtk_label_get_text (f.inspector->name_error), "pool1"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f.inspector->name_row), "error"));
  ui_settle ();
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-name-error.png");

  gtk_editable_set_text (name, "first_conv");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.inspector->name_error)));
  g_signal_emit_by_name (f.inspector->name_row, "apply");
  g_assert_cmpstr (ns_layer_get_name (con1), ==, "first_conv");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f.inspector->name_row), "error"));

  g_assert_true (ns_history_undo (f.history));
  g_assert_cmpstr (ns_layer_get_name (con1), ==, "con1");
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "con1");
  fixture_close (&f);
}

static void
test_inspector_explain (void)
{
  Fixture f;

  fixture_open (&f);
  fixture_select (&f, "con1");
  /* The article's formula with its numbers: (3×3×3 + 1) × 64 = 1,792. */
  g_assert_nonnull (ui_find_label (GTK_WIDGET (f.inspector->explain_list),
                                   "(Fh·Fw·C + 1)·K\n= (3×3×3 + 1) × 64\n= 1,792", FALSE));
  scroll_to (&f, GTK_WIDGET (f.inspector->explain_group));
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-explain.png");

  /* BatchNormalization: 4·C, half of it not trained. */
  fixture_select (&f, "batch_normalization");
  g_assert_cmpstr (gtk_label_get_text (f.inspector->params_label), ==, "256");
  g_assert_cmpstr (adw_action_row_get_subtitle (f.inspector->params_row), ==,
                   "128 trainable, 128 non-trainable");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (f.inspector->explain_list), "Parameters", FALSE));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f.inspector->solver_group)));
  fixture_close (&f);
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
test_inspector_solver (void)
{
  Fixture f;
  NsLayer *con1;
  GtkWidget *first, *current;
  GtkSpinButton *want_height, *want_width;

  fixture_open (&f);
  con1 = fixture_select (&f, "con1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.inspector->solver_group)));
  want_height = GTK_SPIN_BUTTON (f.inspector->want_spins[0]);
  want_width = GTK_SPIN_BUTTON (f.inspector->want_spins[1]);
  /* The question starts from the present answer, which is marked. */
  g_assert_cmpfloat (gtk_spin_button_get_value (want_height), ==, 128);
  g_assert_cmpfloat (gtk_spin_button_get_value (want_width), ==, 128);
  first = gtk_widget_get_first_child (GTK_WIDGET (f.inspector->solver_list));
  g_assert_cmpstr (row_title (first), ==, "F=1, S=1, valid");

  /* 128 → 64, linked: stride 2 first, kernel no smaller than the stride. */
  gtk_spin_button_set_value (want_height, 64);
  g_assert_cmpfloat (gtk_spin_button_get_value (want_width), ==, 64);
  first = gtk_widget_get_first_child (GTK_WIDGET (f.inspector->solver_list));
  g_assert_cmpstr (row_title (first), ==, "F=2, S=2, valid");
  g_assert_cmpstr (row_title (gtk_widget_get_next_sibling (first)), ==, "F=3, S=2, same");
  g_assert_cmpstr (row_title (gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (first))), ==,
                   "F=3, S=2, P=1");
  current = g_object_get_data (G_OBJECT (first), "ns-current");
  g_assert_false (gtk_widget_get_visible (current));
  scroll_to (&f, GTK_WIDGET (f.inspector->solver_group));
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-solver.png");

  /* A click sets kernel, strides and padding: (2·2·3 + 1)·64 = 832. */
  g_signal_emit_by_name (first, "activate");
  ui_settle ();
  assert_pair (con1, "kernel_size", 2, 2);
  assert_pair (con1, "strides", 2, 2);
  g_assert_cmpint (ns_layer_get_value (con1, "padding")->padding.mode, ==, NS_PADDING_VALID);
  assert_figures (&f, con1, "(None, 64, 64, 64)", "832");
  first = gtk_widget_get_first_child (GTK_WIDGET (f.inspector->solver_list));
  g_assert_true (gtk_widget_get_visible (g_object_get_data (G_OBJECT (first), "ns-current")));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin (&f, "kernel_size")), ==, 2);

  /* …and one undo takes all three back. */
  g_assert_true (ns_history_undo (f.history));
  ui_settle ();
  assert_pair (con1, "kernel_size", 3, 3);
  assert_pair (con1, "strides", 1, 1);
  g_assert_cmpint (ns_layer_get_value (con1, "padding")->padding.mode, ==, NS_PADDING_SAME);
  assert_figures (&f, con1, "(None, 128, 128, 64)", "1,792");
  g_assert_false (ns_history_can_undo (f.history));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin (&f, "kernel_size")), ==, 3);
  fixture_close (&f);
}

static void
test_inspector_transposed (void)
{
  Fixture f;
  NsLayer *deconv1;
  GtkWidget *first, *output_padding, *none;

  fixture_open (&f);
  deconv1 = fixture_select (&f, "deconv1");
  /* output_padding is None: its check is on and its sizes wait. */
  output_padding = ns_inspector_get_editor (f.inspector, "output_padding");
  g_assert_false (gtk_widget_get_sensitive (output_padding));
  /* A wide row's header: its title, then the "None" check. */
  none = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (output_padding,
                                                                               GTK_TYPE_LIST_BOX_ROW)));
  none = gtk_widget_get_last_child (gtk_widget_get_first_child (none));
  g_assert_true (GTK_IS_CHECK_BUTTON (none));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (none)));

  /* 128 → 256 transposed: the 2×2 stride-2 layer first. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (f.inspector->want_spins[0]), 256);
  first = gtk_widget_get_first_child (GTK_WIDGET (f.inspector->solver_list));
  g_assert_cmpstr (row_title (first), ==, "F=2, S=2, valid");
  g_assert_cmpstr (row_title (gtk_widget_get_next_sibling (first)), ==, "F=4, S=2, same");
  g_signal_emit_by_name (first, "activate");
  ui_settle ();
  /* (2·2·128 + 1)·64 = 32,832. */
  assert_figures (&f, deconv1, "(None, 256, 256, 64)", "32,832");
  g_assert_true (ns_layer_get_value (deconv1, "output_padding")->is_null);

  /* Setting it from the inspector: unchecking None gives the sizes shown. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (none), FALSE);
  g_assert_false (ns_layer_get_value (deconv1, "output_padding")->is_null);
  g_assert_true (gtk_widget_get_sensitive (output_padding));
  assert_pair (deconv1, "output_padding", 0, 0);
  /* Keras' rule with output_padding given: (128 − 1)·2 + 2 + 0. */
  assert_figures (&f, deconv1, "(None, 256, 256, 64)", "32,832");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (f.inspector->advanced_row), TRUE);
  scroll_to (&f, f.inspector->advanced_row);
  ui_save_screenshot (GTK_WIDGET (f.inspector), "inspector-transposed.png");

  g_assert_true (ns_history_undo (f.history));
  g_assert_true (ns_history_undo (f.history));
  ui_settle ();
  assert_figures (&f, deconv1, "(None, 128, 128, 64)", "73,792");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (none)));
  fixture_close (&f);
}

/* An input too small for the kernel. */
static const char too_wide_document[] =
  "{\"format\": \"netsketch\", \"version\": 1, \"name\": \"broken\",\n"
  " \"layers\": [\n"
  "  {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"image\", \"position\": [0, 0],\n"
  "   \"config\": {\"shape\": [8, 8, 3]}},\n"
  "  {\"id\": \"b\", \"type\": \"Conv2D\", \"name\": \"too_wide\", \"position\": [200, 0],\n"
  "   \"config\": {\"filters\": 4, \"kernel_size\": [9, 9]}}],\n"
  " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"port\": 0}]}\n";

static void
test_inspector_layer_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "broken.netsketch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  NsWindow *window;
  NsInspector *inspector;
  NsLayer *too_wide;
  GtkWidget *first;

  g_assert_no_error (error);
  g_file_set_contents (path, too_wide_document, -1, &error);
  g_assert_no_error (error);
  window = ns_window_new (app);
  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));
  inspector = NS_INSPECTOR (ns_window_get_part (window, "inspector"));
  too_wide = ns_graph_find_by_name (ns_window_get_graph (window), "too_wide");
  ns_selection_set (ns_window_get_selection (window), too_wide);
  ui_settle ();

  /* The core's message, as it is; no figures, nothing to explain yet. */
  g_assert_cmpint (ns_layer_get_info (too_wide)->state, ==, NS_LAYER_ERROR);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (inspector->state_label)));
  g_assert_cmpstr (gtk_label_get_text (inspector->state_label), ==, ns_layer_get_info (too_wide)->message);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (inspector->state_label), "error"));
  g_assert_cmpstr (gtk_label_get_text (inspector->shape_label), ==, "–");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (inspector->explain_list)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (inspector->explain_status)));
  ui_save_screenshot (GTK_WIDGET (inspector), "inspector-layer-error.png");

  /* The solver asks for the input's size back and fixes it in a click. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (inspector->want_spins[0])), ==, 8);
  first = gtk_widget_get_first_child (GTK_WIDGET (inspector->solver_list));
  g_assert_cmpstr (row_title (first), ==, "F=1, S=1, valid");
  g_signal_emit_by_name (first, "activate");
  ui_settle ();
  g_assert_cmpint (ns_layer_get_info (too_wide)->state, ==, NS_LAYER_OK);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (inspector->state_label)));
  g_assert_cmpstr (gtk_label_get_text (inspector->shape_label), ==, "(None, 8, 8, 4)");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (inspector->explain_list)));

  ui_close_window (GTK_WINDOW (window));
  g_assert_true (g_file_delete (file, NULL, NULL));
  g_assert_cmpint (g_remove (dir), ==, 0);
}

static void
test_inspector_focus (void)
{
  Fixture f;
  GtkWidget *focus;

  fixture_open (&f);
  fixture_select (&f, "con1");
  ns_inspector_focus (f.inspector);
  ui_settle ();
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, ns_inspector_get_editor (f.inspector, "filters")));
  fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/inspector/empty", test_inspector_empty);
  g_test_add_func ("/inspector/filters-undo", test_inspector_filters_undo);
  g_test_add_func ("/inspector/pair-link", test_inspector_pair_link);
  g_test_add_func ("/inspector/text-editors", test_inspector_text_editors);
  g_test_add_func ("/inspector/name", test_inspector_name);
  g_test_add_func ("/inspector/explain", test_inspector_explain);
  g_test_add_func ("/inspector/solver", test_inspector_solver);
  g_test_add_func ("/inspector/transposed", test_inspector_transposed);
  g_test_add_func ("/inspector/layer-error", test_inspector_layer_error);
  g_test_add_func ("/inspector/focus", test_inspector_focus);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
