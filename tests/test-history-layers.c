/* test-history-layers.c: layers taken out and put back: the same objects,
 * in their places, with their connections in port order, shared weights and
 * the model's outputs; copy and paste; the article's network undone exactly. */
#include "config.h"

#include "ns-document.h"
#include "test-helpers.h"
#include "test-history-helpers.h"

static void
test_history_remove_identity (void)
{
  NsLayer *l[4];
  NsHistory *history;
  NsGraph *graph = history_build_chain (&history, l);

  assert_names (graph, "input,conv2d,conv2d_1,activation");
  test_assert_shape (l[3], "(None, 4, 4, 2)");

  ns_history_remove_layers (history, ONE (l[1]));
  assert_names (graph, "input,conv2d_1,activation");
  g_assert_null (ns_layer_get_graph (l[1]));
  assert_inputs (l[2], "");
  history_assert_undo_label (history, "Undo Delete conv2d");

  g_assert_true (ns_history_undo (history));
  assert_names (graph, "input,conv2d,conv2d_1,activation");
  /* The same objects, in the same places of the list. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(NsLayer) item = g_list_model_get_item (G_LIST_MODEL (graph), i);
      g_assert_true (item == l[i]);
    }
  g_assert_true (ns_graph_find_by_name (graph, "conv2d") == l[1]);
  g_assert_true (ns_graph_find_by_id (graph, ns_layer_get_id (l[1])) == l[1]);
  assert_inputs (l[1], "input");
  assert_inputs (l[2], "conv2d");
  test_assert_shape (l[3], "(None, 4, 4, 2)");
  history_assert_redo_label (history, "Redo Delete conv2d");

  g_assert_true (ns_history_redo (history));
  assert_names (graph, "input,conv2d_1,activation");
  g_assert_true (ns_history_undo (history));
  assert_inputs (l[2], "conv2d");

  /* Undoing the adds takes the layers out again, connections first. */
  while (ns_history_undo (history))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 0);
  while (ns_history_redo (history))
    ;
  assert_names (graph, "input,conv2d_1,activation");
  g_assert_true (ns_history_undo (history));
  assert_names (graph, "input,conv2d,conv2d_1,activation");
  g_assert_true (ns_graph_find_by_name (graph, "activation") == l[3]);
  test_assert_shape (l[3], "(None, 4, 4, 2)");
  history_finish (history, graph);
}

static void
test_history_merge_order (void)
{
  g_autoptr(GPtrArray) two = g_ptr_array_new ();
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  NsLayer *input = history_add (history, "InputLayer", 0, 0);
  NsLayer *conv[3];
  NsLayer *concat;

  history_set (history, input, "shape", "[8, 8, 3]");
  concat = history_add (history, "Concatenate", 400, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *filters = g_strdup_printf ("%u", i + 1);

      conv[i] = history_add (history, "Conv2D", 200, 100 * i);
      history_set (history, conv[i], "filters", filters);
      history_wire (history, input, conv[i], 0);
      history_wire (history, conv[i], concat, i);
    }
  assert_inputs (concat, "conv2d,conv2d_1,conv2d_2");
  test_assert_shape (concat, "(None, 6, 6, 6)");

  /* The middle source goes: the later port moves down; undo puts it back between. */
  ns_history_remove_layers (history, ONE (conv[1]));
  assert_inputs (concat, "conv2d,conv2d_2");
  test_assert_shape (concat, "(None, 6, 6, 4)");
  g_assert_true (ns_history_undo (history));
  assert_inputs (concat, "conv2d,conv2d_1,conv2d_2");
  test_assert_shape (concat, "(None, 6, 6, 6)");

  /* The same for a disconnected port. */
  g_assert_true (ns_history_disconnect (history, concat, 0));
  assert_inputs (concat, "conv2d_1,conv2d_2");
  history_assert_undo_label (history, "Undo Disconnect conv2d from concatenate");
  g_assert_true (ns_history_undo (history));
  assert_inputs (concat, "conv2d,conv2d_1,conv2d_2");

  /* Two at once, given out of order: one step, and the list order comes back. */
  g_ptr_array_add (two, conv[2]);
  g_ptr_array_add (two, conv[0]);
  ns_history_remove_layers (history, two);
  assert_inputs (concat, "conv2d_1");
  history_assert_undo_label (history, "Undo Delete 2 Layers");
  g_assert_true (ns_history_undo (history));
  assert_names (graph, "input,concatenate,conv2d,conv2d_1,conv2d_2");
  assert_inputs (concat, "conv2d,conv2d_1,conv2d_2");

  /* The common source goes: every consumer gets it back. */
  ns_history_remove_layers (history, ONE (input));
  assert_inputs (conv[0], "");
  g_assert_true (ns_history_undo (history));
  for (guint i = 0; i < 3; i++)
    assert_inputs (conv[i], "input");
  test_assert_shape (concat, "(None, 6, 6, 6)");
  history_finish (history, graph);
}

static void
test_history_explicit_io (void)
{
  g_autoptr(GPtrArray) outputs = g_ptr_array_new ();
  g_autoptr(GPtrArray) got = NULL;
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  NsLayer *input = history_add (history, "InputLayer", 0, 0);
  NsLayer *a = history_add (history, "Dense", 200, 0);
  NsLayer *b = history_add (history, "Dense", 200, 100);

  history_wire (history, input, a, 0);
  history_wire (history, input, b, 0);
  g_ptr_array_add (outputs, b);
  g_ptr_array_add (outputs, a);
  ns_graph_set_outputs (graph, outputs);

  ns_history_remove_layers (history, ONE (b));
  got = ns_graph_get_outputs (graph);
  g_assert_cmpuint (got->len, ==, 1);
  g_clear_pointer (&got, g_ptr_array_unref);

  /* Back in the outputs, at its place in Keras' order. */
  g_assert_true (ns_history_undo (history));
  got = ns_graph_get_outputs (graph);
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_true (g_ptr_array_index (got, 0) == b);
  g_assert_true (g_ptr_array_index (got, 1) == a);
  g_assert_true (ns_graph_has_explicit_io (graph));
  history_finish (history, graph);
}

static void
test_history_shared_weights (void)
{
  NsLayer *l[4];
  NsHistory *history;
  NsGraph *graph = history_build_chain (&history, l);
  NsLayer *twin = history_add (history, "Conv2D", 400, 200);
  g_autoptr(GPtrArray) pasted = NULL;
  g_autoptr(GPtrArray) both = g_ptr_array_new ();
  g_autofree char *json = NULL;

  history_set (history, twin, "filters", "4");
  g_assert_true (ns_graph_share_weights (graph, twin, l[1], NULL));

  ns_history_remove_layers (history, ONE (l[1]));
  g_assert_null (ns_layer_get_weights_owner (twin));
  g_assert_true (ns_history_undo (history));
  g_assert_true (ns_layer_get_weights_owner (twin) == l[1]);

  /* A copy of both shares among the copies. */
  g_ptr_array_add (both, twin);
  g_ptr_array_add (both, l[1]);
  json = ns_history_copy (history, both);
  pasted = ns_history_paste (history, json, 0, 0, NULL);
  g_assert_nonnull (pasted);
  g_assert_cmpuint (pasted->len, ==, 2);
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (pasted, 0)), ==, "conv2d_3");
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (pasted, 1)), ==, "conv2d_4");
  g_assert_true (ns_layer_get_weights_owner (g_ptr_array_index (pasted, 1)) == g_ptr_array_index (pasted, 0));
  g_clear_pointer (&pasted, g_ptr_array_unref);
  history_finish (history, graph);
}

/* ---- Copy and paste ------------------------------------------------------ */

static void
test_history_copy_paste (void)
{
  NsLayer *l[4];
  NsHistory *history;
  NsGraph *graph = history_build_chain (&history, l);
  NsLayer *merge = history_add (history, "Concatenate", 800, 100);
  g_autoptr(GPtrArray) selection = g_ptr_array_new ();
  g_autoptr(GPtrArray) pasted = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  JsonObject *document;
  NsLayer *copy[3];

  history_wire (history, l[3], merge, 0);
  history_wire (history, l[2], merge, 1);
  /* Selected in any order; the input layer stays behind. */
  g_ptr_array_add (selection, merge);
  g_ptr_array_add (selection, l[3]);
  g_ptr_array_add (selection, l[2]);
  json = ns_history_copy (history, selection);
  root = json_from_string (json, NULL);
  document = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (document, "format"), ==, "netsketch");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (document, "layers")), ==, 3);
  /* conv2d_1 → activation, activation → merge:0, conv2d_1 → merge:1; none from conv2d. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (document, "connections")), ==, 3);

  pasted = ns_history_paste (history, json, 30, 40, NULL);
  g_assert_cmpuint (pasted->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    copy[i] = g_ptr_array_index (pasted, i);
  g_assert_cmpstr (ns_layer_get_name (copy[0]), ==, "conv2d_2");
  g_assert_cmpstr (ns_layer_get_name (copy[1]), ==, "activation_1");
  g_assert_cmpstr (ns_layer_get_name (copy[2]), ==, "concatenate_1");
  g_assert_cmpstr (ns_layer_get_id (copy[0]), !=, ns_layer_get_id (l[2]));
  g_assert_true (ns_graph_find_by_id (graph, ns_layer_get_id (copy[2])) == copy[2]);
  history_assert_position (copy[0], 430, 40);
  history_assert_position (copy[2], 830, 140);
  assert_inputs (copy[0], "");
  assert_inputs (copy[1], "conv2d_2");
  assert_inputs (copy[2], "activation_1,conv2d_2");
  g_assert_cmpint (ns_layer_get_value (copy[0], "filters")->integer, ==, 2);
  history_assert_undo_label (history, "Undo Paste 3 Layers");

  g_assert_true (ns_history_undo (history));
  assert_names (graph, "input,conv2d,conv2d_1,activation,concatenate");
  g_assert_null (ns_layer_get_graph (copy[0]));
  g_assert_true (ns_history_redo (history));
  g_assert_true (ns_graph_find_by_name (graph, "concatenate_1") == copy[2]);
  assert_inputs (copy[2], "activation_1,conv2d_2");

  /* A merge copied without one of its sources closes up its ports. */
  g_ptr_array_set_size (selection, 0);
  g_ptr_array_add (selection, merge);
  g_ptr_array_add (selection, l[2]);
  g_free (json);
  json = ns_history_copy (history, selection);
  g_clear_pointer (&pasted, g_ptr_array_unref);
  pasted = ns_history_paste (history, json, 0, 0, NULL);
  assert_inputs (g_ptr_array_index (pasted, 1), "conv2d_3");
  history_assert_undo_label (history, "Undo Paste 2 Layers");
  history_finish (history, graph);
}

static void
test_history_paste_names (void)
{
  static const char document[] =
    "{\"format\": \"netsketch\", \"version\": 1, \"layers\": ["
    "{\"id\": \"n1\", \"type\": \"Dense\", \"name\": \"dense_1\", \"position\": [0, 0]},"
    "{\"id\": \"x\", \"type\": \"Dense\", \"name\": \"dense_2\", \"position\": [0, 100]}],"
    "\"connections\": [{\"from\": \"n1\", \"to\": \"x\", \"port\": 0}]}";
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);
  g_autoptr(GPtrArray) pasted = NULL;
  g_autoptr(GError) error = NULL;

  history_add (history, "Dense", 0, 0);
  history_add (history, "Dense", 0, 0);
  assert_names (graph, "dense,dense_1");

  /* dense_1 clashes; dense_2 does not, so the renamed one skips it. n1 is taken too. */
  pasted = ns_history_paste (history, document, 0, 0, &error);
  g_assert_no_error (error);
  assert_names (graph, "dense,dense_1,dense_3,dense_2");
  g_assert_cmpstr (ns_layer_get_id (g_ptr_array_index (pasted, 0)), !=, "n1");
  g_assert_cmpstr (ns_layer_get_id (g_ptr_array_index (pasted, 1)), ==, "x");
  assert_inputs (g_ptr_array_index (pasted, 1), "dense_3");
  history_assert_undo_label (history, "Undo Paste 2 Layers");

  /* Text that is no model: an error that says so, and the graph as it was. */
  g_assert_null (ns_history_paste (history, "hello", 0, 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "Pasted text: not a Netsketch, Keras or TensorFlow.js model");
  g_clear_error (&error);
  g_assert_null (ns_history_paste (history, "{\"format\": \"netsketch\", \"layers\": [", 0, 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "Pasted text:1:36: the document ends early: expected “]”; it may have been cut short");
  g_clear_error (&error);
  g_assert_null (ns_history_paste (history,
                                   "{\"format\": \"netsketch\", \"version\": 1, \"layers\": ["
                                   "{\"id\": \"a\", \"type\": \"Conv3D\", \"name\": \"c\"}]}",
                                   0, 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_UNKNOWN_TYPE);
  g_assert_cmpstr (error->message, ==,
                   "Pasted text:1:70: layers[0].type: unknown layer type “Conv3D”; this version of Netsketch cannot use it");
  g_clear_error (&error);
  assert_names (graph, "dense,dense_1,dense_3,dense_2");
  history_assert_undo_label (history, "Undo Paste 2 Layers");
  history_finish (history, graph);
}

/* ---- The article's network ----------------------------------------------- */

static NsGraph *
load_article (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "article.netsketch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NsGraph *graph = ns_document_load (file, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

static void
assert_article (NsGraph *graph,
                guint    filters)
{
  g_autofree char *con1 = g_strdup_printf ("(None, 128, 128, %u)", filters);
  g_autofree char *mer1 = g_strdup_printf ("(None, 128, 128, %u)", 2 * filters);

  test_assert_shape (ns_graph_find_by_name (graph, "con1"), con1);
  test_assert_shape (ns_graph_find_by_name (graph, "mer1"), mer1);
  test_assert_shape (ns_graph_find_by_name (graph, "mer2"), "(None, 128, 128, 85)");
  history_assert_params (ns_graph_find_by_name (graph, "con1"), (3 * 3 * 3 + 1) * filters, (3 * 3 * 3 + 1) * filters);
  history_assert_params (ns_graph_find_by_name (graph, "batch_normalization"), 4 * filters, 2 * filters);
  history_assert_params (ns_graph_find_by_name (graph, "deconv1"), (3 * 3 * 2 * filters + 1) * 64,
                 (3 * 3 * 2 * filters + 1) * 64);
}

static void
test_history_article (void)
{
  NsGraph *graph = load_article ();
  NsHistory *history = ns_history_new (graph);
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  g_autofree char *saved = ns_document_to_data (graph, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) pasted = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  assert_article (graph, 64);
  history_assert_totals (graph, 87957, 87829, 128);

  history_set (history, con1, "filters", "32");
  assert_article (graph, 32);
  history_assert_totals (graph, 50069, 50005, 64);
  g_assert_true (ns_history_undo (history));
  assert_article (graph, 64);
  history_assert_totals (graph, 87957, 87829, 128);
  g_assert_true (ns_history_redo (history));
  history_assert_totals (graph, 50069, 50005, 64);
  g_assert_true (ns_history_undo (history));

  /* Deleting con1 leaves the rest waiting; undo gives back the very document. */
  ns_history_remove_layers (history, ONE (con1));
  g_assert_cmpint (ns_layer_get_info (ns_graph_find_by_name (graph, "mer2"))->state, !=, NS_LAYER_OK);
  g_assert_true (ns_history_undo (history));
  history_assert_totals (graph, 87957, 87829, 128);
  after = ns_document_to_data (graph, NULL);
  g_assert_cmpstr (after, ==, saved);

  /* A copy of the whole network pastes beside it, every name new. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (graph)); i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (graph), i));
  {
    g_autofree char *json = ns_history_copy (history, all);
    pasted = ns_history_paste (history, json, 0, 1000, NULL);
  }
  g_assert_cmpuint (pasted->len, ==, 10);
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (pasted, 0)), ==, "input_2");
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (pasted, 2)), ==, "batch_normalization_1");
  test_assert_shape (g_ptr_array_index (pasted, 9), "(None, 128, 128, 85)");
  history_assert_totals (graph, 2 * 87957, 2 * 87829, 2 * 128);
  g_assert_true (ns_history_undo (history));
  g_free (after);
  after = ns_document_to_data (graph, NULL);
  g_assert_cmpstr (after, ==, saved);
  g_clear_pointer (&all, g_ptr_array_unref);
  history_finish (history, graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/remove-identity", test_history_remove_identity);
  g_test_add_func ("/history/merge-order", test_history_merge_order);
  g_test_add_func ("/history/explicit-io", test_history_explicit_io);
  g_test_add_func ("/history/shared-weights", test_history_shared_weights);
  g_test_add_func ("/history/copy-paste", test_history_copy_paste);
  g_test_add_func ("/history/paste-names", test_history_paste_names);
  g_test_add_func ("/history/article", test_history_article);
  return g_test_run ();
}
