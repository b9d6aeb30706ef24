/* test-history.c: the undo and redo stacks: groups, the properties and
 * their notifications, the saved point, refused edits, and undoing settings,
 * moves and the automatic layout. */
#include "config.h"

#include "test-helpers.h"
#include "test-history-helpers.h"

static void
test_history_groups (void)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "in", "[8, 8, 3]");
  NsHistory *history = ns_history_new (graph);
  NsLayer *conv;

  ns_history_begin (history, "Add Layer");
  conv = history_add (history, "Conv2D", 200, 0);
  history_wire (history, input, conv, 0);
  ns_history_begin (history, "Inner");
  g_assert_true (ns_history_rename (history, conv, "stem", NULL));
  ns_history_end (history);
  /* An open group is an edit in progress: it cannot be undone yet. */
  g_assert_false (ns_history_undo (history));
  ns_history_end (history);
  history_assert_undo_label (history, "Undo Add Layer");

  g_assert_true (ns_history_undo (history));
  g_assert_false (ns_history_can_undo (history));
  assert_names (graph, "in");
  history_assert_redo_label (history, "Redo Add Layer");
  g_assert_true (ns_history_redo (history));
  assert_names (graph, "in,stem");
  g_assert_true (ns_graph_find_by_name (graph, "stem") == conv);
  assert_inputs (conv, "in");

  /* A group nothing went into is no step. */
  ns_history_begin (history, "Nothing");
  ns_history_end (history);
  history_assert_undo_label (history, "Undo Add Layer");

  /* Without a label a group takes its first edit's. */
  ns_history_begin (history, NULL);
  ns_history_set_trainable (history, conv, FALSE);
  history_set (history, conv, "filters", "8");
  ns_history_end (history);
  history_assert_undo_label (history, "Undo Freeze stem");
  g_assert_true (ns_history_undo (history));
  g_assert_true (ns_layer_get_trainable (conv));
  g_assert_cmpint (ns_layer_get_value (conv, "filters")->integer, ==, 32);
  history_finish (history, graph);
}

typedef struct {
  guint can_undo, can_redo, undo_label, redo_label, modified;
} Counts;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Counts     *counts)
{
  if (g_str_equal (pspec->name, "can-undo"))
    counts->can_undo++;
  else if (g_str_equal (pspec->name, "can-redo"))
    counts->can_redo++;
  else if (g_str_equal (pspec->name, "undo-label"))
    counts->undo_label++;
  else if (g_str_equal (pspec->name, "redo-label"))
    counts->redo_label++;
  else if (g_str_equal (pspec->name, "modified"))
    counts->modified++;
}

static void
assert_counts (const Counts *counts,
               guint         can_undo,
               guint         can_redo,
               guint         undo_label,
               guint         redo_label,
               guint         modified)
{
  g_assert_cmpuint (counts->can_undo, ==, can_undo);
  g_assert_cmpuint (counts->can_redo, ==, can_redo);
  g_assert_cmpuint (counts->undo_label, ==, undo_label);
  g_assert_cmpuint (counts->redo_label, ==, redo_label);
  g_assert_cmpuint (counts->modified, ==, modified);
}

static void
test_history_notifications (void)
{
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };
  NsLayer *input, *conv;
  gboolean can_undo, modified;

  g_signal_connect (history, "notify", G_CALLBACK (on_notify), &counts);
  g_object_get (history, "can-undo", &can_undo, "modified", &modified, NULL);
  g_assert_false (can_undo);
  g_assert_false (modified);
  history_assert_undo_label (history, NULL);

  input = history_add (history, "InputLayer", 0, 0);
  assert_counts (&counts, 1, 0, 1, 0, 1);
  conv = history_add (history, "Conv2D", 200, 0);
  assert_counts (&counts, 1, 0, 2, 0, 1);      /* only the label changed */
  history_assert_undo_label (history, "Undo Add conv2d");

  g_assert_true (ns_history_undo (history));
  assert_counts (&counts, 1, 1, 3, 1, 1);      /* still modified: input is there */
  history_assert_undo_label (history, "Undo Add input");
  history_assert_redo_label (history, "Redo Add conv2d");
  g_assert_true (ns_history_undo (history));
  assert_counts (&counts, 2, 1, 4, 2, 2);
  g_assert_false (ns_history_get_modified (history));
  g_assert_false (ns_history_undo (history));
  assert_counts (&counts, 2, 1, 4, 2, 2);

  g_assert_true (ns_history_redo (history));
  g_assert_true (ns_history_redo (history));
  assert_counts (&counts, 3, 2, 6, 4, 3);
  g_assert_false (ns_history_can_redo (history));
  history_assert_redo_label (history, NULL);

  ns_history_mark_saved (history);
  assert_counts (&counts, 3, 2, 6, 4, 4);
  ns_history_mark_saved (history);
  assert_counts (&counts, 3, 2, 6, 4, 4);

  /* A refused edit changes nothing, so nothing is notified. */
  g_assert_false (ns_history_connect (history, conv, input, 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  assert_counts (&counts, 3, 2, 6, 4, 4);
  history_finish (history, graph);
}

static void
test_history_modified (void)
{
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);

  g_assert_false (ns_history_get_modified (history));
  history_add (history, "InputLayer", 0, 0);
  g_assert_true (ns_history_get_modified (history));
  g_assert_true (ns_history_undo (history));
  g_assert_false (ns_history_get_modified (history));   /* back at the start, which was saved */
  g_assert_true (ns_history_redo (history));

  history_add (history, "Conv2D", 200, 0);
  ns_history_mark_saved (history);
  g_assert_false (ns_history_get_modified (history));
  g_assert_true (ns_history_undo (history));
  g_assert_true (ns_history_get_modified (history));
  g_assert_true (ns_history_redo (history));
  g_assert_false (ns_history_get_modified (history));

  /* Undo past the saved point and edit: the saved state is gone for good. */
  g_assert_true (ns_history_undo (history));
  g_assert_true (ns_history_undo (history));
  history_add (history, "Dense", 0, 0);
  g_assert_false (ns_history_can_redo (history));
  g_assert_true (ns_history_get_modified (history));
  g_assert_true (ns_history_undo (history));
  g_assert_true (ns_history_get_modified (history));
  g_assert_true (ns_history_redo (history));
  g_assert_true (ns_history_get_modified (history));
  ns_history_mark_saved (history);
  g_assert_false (ns_history_get_modified (history));

  /* Saved in the middle of a group: its next edit is a change again. */
  ns_history_begin (history, "Two");
  history_add (history, "Dense", 0, 100);
  ns_history_mark_saved (history);
  g_assert_false (ns_history_get_modified (history));
  history_add (history, "Dense", 0, 200);
  g_assert_true (ns_history_get_modified (history));
  ns_history_end (history);
  history_finish (history, graph);
}

static void
test_history_refusals (void)
{
  NsLayer *l[4];
  NsHistory *history;
  NsGraph *graph = history_build_chain (&history, l);
  g_autoptr(GError) error = NULL;
  NsValue zero = { .kind = NS_PROP_INT, .integer = 0 };
  NsValue four = test_value (l[1], "filters", "4");

  /* Something to redo: a refused edit that recorded would drop it. */
  g_assert_true (ns_history_disconnect (history, l[2], 0));
  g_assert_true (ns_history_undo (history));
  history_assert_redo_label (history, "Redo Disconnect conv2d from conv2d_1");

  g_assert_false (ns_history_connect (history, l[1], l[0], 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  g_assert_cmpstr (error->message, ==, "input is an input layer and takes no inputs");
  g_clear_error (&error);
  g_assert_false (ns_history_connect (history, l[3], l[1], 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  g_clear_error (&error);
  g_assert_false (ns_history_connect (history, l[3], l[2], 0, &error));
  g_assert_cmpstr (error->message, ==, "input 0 of conv2d_1 is already connected to conv2d");
  g_clear_error (&error);

  g_assert_false (ns_history_set_value (history, l[1], "filters", &zero, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (ns_history_set_value (history, l[1], "nope", &four, &error));
  g_assert_cmpstr (error->message, ==, "Conv2D has no setting “nope”");
  g_clear_error (&error);
  g_assert_false (ns_history_rename (history, l[1], "input", &error));
  g_assert_cmpstr (error->message, ==, "another layer is already named “input”");
  g_clear_error (&error);
  g_assert_false (ns_history_rename (history, l[1], "", &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* Edits that change nothing are no steps either. */
  g_assert_true (ns_history_set_value (history, l[1], "filters", &four, NULL));
  g_assert_true (ns_history_rename (history, l[1], "conv2d", NULL));
  ns_history_set_trainable (history, l[1], TRUE);
  g_assert_false (ns_history_disconnect (history, l[0], 0));
  ns_history_record_move (history, ONE (l[1]),
                          (double[]) { 200, 0 });

  history_assert_redo_label (history, "Redo Disconnect conv2d from conv2d_1");
  history_assert_undo_label (history, "Undo Connect conv2d_1 to activation");
  test_assert_shape (l[3], "(None, 4, 4, 2)");
  history_finish (history, graph);
}

/* ---- Settings and positions ---------------------------------------------- */

static void
test_history_settings (void)
{
  NsLayer *l[4];
  NsHistory *history;
  NsGraph *graph = history_build_chain (&history, l);
  NsLayer *bn = history_add (history, "BatchNormalization", 400, 100);

  history_wire (history, l[1], bn, 0);
  history_assert_params (l[1], 112, 112);                     /* (3·3·3 + 1)·4 */
  history_assert_params (bn, 16, 8);

  history_set (history, l[1], "filters", "8");
  history_assert_undo_label (history, "Undo Change Filters of conv2d");
  history_assert_params (l[1], 224, 224);
  history_assert_params (l[2], 146, 146);                     /* (3·3·8 + 1)·2 */
  /* The same setting twice is two steps. */
  history_set (history, l[1], "filters", "16");
  g_assert_true (ns_history_undo (history));
  history_assert_params (l[1], 224, 224);
  g_assert_true (ns_history_undo (history));
  history_assert_params (l[1], 112, 112);
  history_assert_params (l[2], 74, 74);
  history_assert_params (bn, 16, 8);
  test_assert_shape (bn, "(None, 6, 6, 4)");
  g_assert_true (ns_history_redo (history));
  test_assert_shape (bn, "(None, 6, 6, 8)");
  g_assert_true (ns_history_undo (history));

  g_assert_true (ns_history_rename (history, l[1], "stem", NULL));
  history_assert_undo_label (history, "Undo Rename conv2d to stem");
  g_assert_true (ns_history_undo (history));
  g_assert_cmpstr (ns_layer_get_name (l[1]), ==, "conv2d");
  g_assert_null (ns_graph_find_by_name (graph, "stem"));
  g_assert_true (ns_history_redo (history));
  g_assert_true (ns_graph_find_by_name (graph, "stem") == l[1]);

  ns_history_set_trainable (history, bn, FALSE);
  history_assert_undo_label (history, "Undo Freeze batch_normalization");
  history_assert_params (bn, 16, 0);
  g_assert_true (ns_history_undo (history));
  history_assert_params (bn, 16, 8);
  g_assert_true (ns_history_redo (history));
  history_assert_params (bn, 16, 0);
  history_finish (history, graph);
}

static void
test_history_move (void)
{
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  NsLayer *pair[2];

  pair[0] = history_add (history, "Dense", 10, 20);
  pair[1] = history_add (history, "Dense", 30, 40);

  /* Dragging moves the layers live; the history hears of it at the end. */
  ns_layer_set_position (pair[0], 110, 120);
  ns_layer_set_position (pair[1], 130, 140);
  ns_history_record_move (history, &(GPtrArray) { .pdata = (gpointer *) pair, .len = 2 },
                          (double[]) { 10, 20, 30, 40 });
  history_assert_undo_label (history, "Undo Move 2 Layers");
  g_assert_true (ns_history_undo (history));
  history_assert_position (pair[0], 10, 20);
  history_assert_position (pair[1], 30, 40);
  g_assert_true (ns_history_redo (history));
  history_assert_position (pair[0], 110, 120);
  history_assert_position (pair[1], 130, 140);

  ns_layer_set_position (pair[1], -5, 7.5);
  ns_history_record_move (history, ONE (pair[1]),
                          (double[]) { 130, 140 });
  history_assert_undo_label (history, "Undo Move dense_1");
  g_assert_true (ns_history_undo (history));
  history_assert_position (pair[1], 130, 140);
  history_assert_position (pair[0], 110, 120);
  history_finish (history, graph);
}

static void
test_history_auto_layout (void)
{
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  NsLayer *l[3];

  l[0] = history_add (history, "InputLayer", 500, 500);
  l[1] = history_add (history, "Dense", 0, 0);
  l[2] = history_add (history, "Dense", 1000, -30);
  history_wire (history, l[0], l[1], 0);
  history_wire (history, l[1], l[2], 0);

  ns_history_auto_layout (history, FALSE);
  history_assert_undo_label (history, "Undo Arrange Layers");
  history_assert_position (l[0], 40, 40);
  history_assert_position (l[1], 340, 40);                    /* margin + (node width + rank gap) */
  history_assert_position (l[2], 640, 40);
  g_assert_true (ns_history_undo (history));
  history_assert_position (l[0], 500, 500);
  history_assert_position (l[1], 0, 0);
  history_assert_position (l[2], 1000, -30);
  g_assert_true (ns_history_redo (history));
  history_assert_position (l[2], 640, 40);

  /* Arranging what is arranged is no step: one undo goes back to the start. */
  ns_history_auto_layout (history, FALSE);
  g_assert_true (ns_history_undo (history));
  history_assert_position (l[0], 500, 500);
  g_assert_true (ns_history_redo (history));

  ns_history_auto_layout (history, TRUE);
  history_assert_position (l[1], 40, 216);                    /* margin + (node height + rank gap) */
  history_assert_position (l[2], 40, 392);
  g_assert_true (ns_history_undo (history));
  history_assert_position (l[1], 340, 40);
  history_finish (history, graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/groups", test_history_groups);
  g_test_add_func ("/history/notifications", test_history_notifications);
  g_test_add_func ("/history/modified", test_history_modified);
  g_test_add_func ("/history/refusals", test_history_refusals);
  g_test_add_func ("/history/settings", test_history_settings);
  g_test_add_func ("/history/move", test_history_move);
  g_test_add_func ("/history/auto-layout", test_history_auto_layout);
  return g_test_run ();
}
