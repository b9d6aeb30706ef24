/* test-solver.c: the inverse size solver, every answer re-checked through real inference. */
#include "config.h"

#include "ns-graph.h"
#include "ns-size-rules.h"
#include "ns-solver.h"

/* ---- helpers ------------------------------------------------------------ */

static GStrv
solve_to_strv (NsSolveKind kind,
               gint64      input,
               gint64      output,
               gint64      max_kernel,
               gint64      max_stride)
{
  g_autoptr(GArray) choices = ns_solve_output_size (kind, input, output, max_kernel, max_stride);
  GPtrArray *strings = g_ptr_array_new ();

  for (guint i = 0; i < choices->len; i++)
    g_ptr_array_add (strings,
                     ns_solve_choice_to_string (&g_array_index (choices, NsSolveChoice, i)));
  g_ptr_array_add (strings, NULL);
  return (GStrv) g_ptr_array_free (strings, FALSE);
}

static void
assert_no_repeats (const char *const *list)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; list[i] != NULL; i++)
    if (!g_hash_table_add (seen, (gpointer) list[i]))
      g_error ("\"%s\" is listed twice", list[i]);
}

/* The whole list, in order: the ordering is part of the contract. */
static void
assert_solutions (NsSolveKind        kind,
                  gint64             input,
                  gint64             output,
                  gint64             max_kernel,
                  gint64             max_stride,
                  const char *const *expected)
{
  g_auto(GStrv) got = solve_to_strv (kind, input, output, max_kernel, max_stride);
  guint n_got = g_strv_length (got);
  guint n_expected = g_strv_length ((GStrv) expected);

  for (guint i = 0; i < MIN (n_got, n_expected); i++)
    {
      if (g_strcmp0 (got[i], expected[i]) != 0)
        g_test_message ("%" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT ": entry %u",
                        input, output, i);
      g_assert_cmpstr (got[i], ==, expected[i]);
    }
  g_assert_cmpuint (n_got, ==, n_expected);
  assert_no_repeats ((const char *const *) got);
}

static const char *
keras_class (NsSolveKind kind)
{
  switch (kind)
    {
    case NS_SOLVE_CONV:
      return "Conv2D";
    case NS_SOLVE_CONV_TRANSPOSE:
      return "Conv2DTranspose";
    case NS_SOLVE_POOL:
    default:
      return "MaxPooling2D";
    }
}

/* Sets an INT or a square PAIR; a negative size means null (not given). */
static void
set_size (NsGraph    *graph,
          NsLayer    *layer,
          const char *key,
          gint64      size)
{
  g_autoptr(GError) error = NULL;
  const NsValue *current = ns_layer_get_value (layer, key);
  NsValue value;

  g_assert_nonnull (current);
  value = *current;
  value.is_null = size < 0;
  if (!value.is_null)
    {
      if (value.kind == NS_PROP_INT)
        value.integer = size;
      else
        {
          g_assert_cmpint (value.kind, ==, NS_PROP_PAIR);
          value.pair[0] = value.pair[1] = size;
        }
    }
  ns_graph_set_value (graph, layer, key, &value, &error);
  g_assert_no_error (error);
}

static void
set_padding (NsGraph             *graph,
             NsLayer             *layer,
             const NsSolveChoice *choice)
{
  g_autoptr(GError) error = NULL;
  NsValue value = *ns_layer_get_value (layer, "padding");

  g_assert_cmpint (value.kind, ==, NS_PROP_PADDING);
  value.padding.mode = choice->padding;
  value.padding.explicit_hw[0] = value.padding.explicit_hw[1] =
    choice->padding == NS_PADDING_EXPLICIT ? choice->pad : 0;
  ns_graph_set_value (graph, layer, "padding", &value, &error);
  g_assert_no_error (error);
}

/* Builds Input(W, W, 2) -> layer with @choice and returns what inference
 * says the layer's output is (rank 3 asserted). */
static void
infer_through_graph (NsSolveKind          kind,
                     gint64               input,
                     const NsSolveChoice *choice,
                     NsLayerState        *state,
                     gint64               out_hw[2])
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *source, *layer;
  const NsLayerInfo *info;
  NsValue shape;

  source = ns_graph_add_new_layer (graph, ns_layer_types_lookup ("InputLayer"), NULL, &error);
  g_assert_no_error (error);
  shape = *ns_layer_get_value (source, "shape");
  g_assert_cmpint (shape.kind, ==, NS_PROP_INTS);
  shape.is_null = FALSE;
  shape.ints.len = 3;
  shape.ints.items[0] = input;
  shape.ints.items[1] = input;
  shape.ints.items[2] = 2;
  ns_graph_set_value (graph, source, "shape", &shape, &error);
  g_assert_no_error (error);

  layer = ns_graph_add_new_layer (graph, ns_layer_types_lookup (keras_class (kind)), NULL,
                                  &error);
  g_assert_no_error (error);
  ns_graph_connect (graph, source, layer, 0, &error);
  g_assert_no_error (error);

  if (kind == NS_SOLVE_POOL)
    {
      set_size (graph, layer, "pool_size", choice->kernel);
      set_size (graph, layer, "strides", choice->stride);
    }
  else
    {
      set_size (graph, layer, "kernel_size", choice->kernel);
      set_size (graph, layer, "strides", choice->stride);
    }
  set_padding (graph, layer, choice);
  if (kind == NS_SOLVE_CONV_TRANSPOSE)
    set_size (graph, layer, "output_padding", choice->output_padding);

  info = ns_layer_get_info (layer);
  *state = info->state;
  out_hw[0] = out_hw[1] = 0;
  if (info->state == NS_LAYER_OK)
    {
      g_assert_cmpuint (info->output.rank, ==, 3);
      out_hw[0] = info->output.dims[0];
      out_hw[1] = info->output.dims[1];
    }
}

/* Every listed choice really gives N×N when a layer is built with it. */
static void
assert_inference_agrees (NsSolveKind kind,
                         gint64      input,
                         gint64      output,
                         gint64      max_kernel,
                         gint64      max_stride)
{
  g_autoptr(GArray) choices = ns_solve_output_size (kind, input, output, max_kernel, max_stride);

  g_assert_cmpuint (choices->len, >, 0);
  for (guint i = 0; i < choices->len; i++)
    {
      const NsSolveChoice *choice = &g_array_index (choices, NsSolveChoice, i);
      g_autofree char *text = ns_solve_choice_to_string (choice);
      NsLayerState state;
      gint64 hw[2];

      infer_through_graph (kind, input, choice, &state, hw);
      g_test_message ("%s %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " with %s: %"
                      G_GINT64_FORMAT "×%" G_GINT64_FORMAT,
                      keras_class (kind), input, output, text, hw[0], hw[1]);
      g_assert_cmpint (state, ==, NS_LAYER_OK);
      g_assert_cmpint (hw[0], ==, output);
      g_assert_cmpint (hw[1], ==, output);
    }
}

static gboolean
same_family (NsPaddingMode a,
             NsPaddingMode b)
{
  return (a == NS_PADDING_EXPLICIT) == (b == NS_PADDING_EXPLICIT);
}

/* Whether @listed is the kept spelling of @other: a Keras string with
 * output padding where the same layer without it gives N, "same" that pads
 * nothing before, or a stride that never moves the only window. */
static gboolean
covers (NsSolveKind          kind,
        gint64               input,
        gint64               output,
        const NsSolveChoice *listed,
        const NsSolveChoice *other)
{
  gboolean stride_matters = (kind == NS_SOLVE_CONV_TRANSPOSE ? input : output) > 1;

  if (listed->kernel != other->kernel || !same_family (listed->padding, other->padding))
    return FALSE;
  if (listed->stride != other->stride)
    return !stride_matters && listed->padding == other->padding && listed->pad == other->pad;
  if (listed->padding == other->padding)
    return listed->pad == other->pad;
  return listed->padding == NS_PADDING_VALID && other->padding == NS_PADDING_SAME;
}

/* Nothing that inference accepts within the limits is missing: every
 * kernel × stride × padding × output padding built as a real layer that
 * gives N×N is listed, or is another spelling of a listed operation. */
static void
assert_complete (NsSolveKind kind,
                 gint64      input,
                 gint64      output,
                 gint64      max_kernel,
                 gint64      max_stride)
{
  g_autoptr(GArray) choices = ns_solve_output_size (kind, input, output, max_kernel, max_stride);
  guint n_found = 0;

  for (gint64 stride = 1; stride <= max_stride; stride++)
    for (gint64 kernel = 1; kernel <= max_kernel; kernel++)
      for (int mode = NS_PADDING_VALID; mode <= NS_PADDING_EXPLICIT; mode++)
        {
          gint64 max_pad = mode != NS_PADDING_EXPLICIT ? 0
                           : kind == NS_SOLVE_POOL ? kernel / 2 : kernel - 1;
          gint64 max_op = kind == NS_SOLVE_CONV_TRANSPOSE ? stride - 1 : -1;

          for (gint64 pad = mode == NS_PADDING_EXPLICIT ? 1 : 0; pad <= max_pad; pad++)
            for (gint64 op = -1; op <= max_op; op++)
              {
                NsSolveChoice candidate = { kernel, stride, mode, pad, op };
                g_autofree char *text = NULL;
                gboolean listed = FALSE;
                NsLayerState state;
                gint64 hw[2];

                if (mode == NS_PADDING_EXPLICIT && op == 0)
                  continue;
                infer_through_graph (kind, input, &candidate, &state, hw);
                if (state != NS_LAYER_OK || hw[0] != output)
                  continue;

                n_found++;
                for (guint i = 0; i < choices->len && !listed; i++)
                  {
                    const NsSolveChoice *choice = &g_array_index (choices, NsSolveChoice, i);

                    listed = covers (kind, input, output, choice, &candidate);
                  }
                text = ns_solve_choice_to_string (&candidate);
                if (!listed)
                  g_error ("%s %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                           ": inference accepts %s but the solver does not list it",
                           keras_class (kind), input, output, text);
              }
        }
  g_assert_cmpuint (n_found, >=, choices->len);
}

/* ---- the strings -------------------------------------------------------- */

static void
test_choice_strings (void)
{
  const NsSolveChoice explicit_pad = { 4, 2, NS_PADDING_EXPLICIT, 1, -1 };
  const NsSolveChoice same = { 3, 2, NS_PADDING_SAME, 0, -1 };
  const NsSolveChoice valid = { 2, 2, NS_PADDING_VALID, 0, -1 };
  const NsSolveChoice explicit_op = { 3, 2, NS_PADDING_EXPLICIT, 1, 1 };
  const NsSolveChoice same_op = { 3, 2, NS_PADDING_SAME, 0, 0 };
  g_autofree char *a = ns_solve_choice_to_string (&explicit_pad);
  g_autofree char *b = ns_solve_choice_to_string (&same);
  g_autofree char *c = ns_solve_choice_to_string (&valid);
  g_autofree char *d = ns_solve_choice_to_string (&explicit_op);
  g_autofree char *e = ns_solve_choice_to_string (&same_op);

  g_assert_cmpstr (a, ==, "F=4, S=2, P=1");
  g_assert_cmpstr (b, ==, "F=3, S=2, same");
  g_assert_cmpstr (c, ==, "F=2, S=2, valid");
  g_assert_cmpstr (d, ==, "F=3, S=2, P=1, OP=1");
  g_assert_cmpstr (e, ==, "F=3, S=2, same, OP=0");
}

/* ---- convolution -------------------------------------------------------- */

static void
test_conv_halve (void)
{
  const char *const expected[] = {
    "F=2, S=2, valid",
    "F=3, S=2, same",
    "F=3, S=2, P=1",    /* not the same as "same": TensorFlow pads 0 before, 1 after */
    "F=4, S=2, same",
    "F=4, S=2, P=1",
    "F=5, S=2, same",
    "F=5, S=2, P=2",
    "F=1, S=2, valid",  /* skips every other input: listed last */
    NULL
  };

  assert_solutions (NS_SOLVE_CONV, 128, 64, 5, 4, expected);
}

static void
test_conv_keep (void)
{
  /* "F=1, S=1, same" pads nothing: it is "F=1, S=1, valid" again. */
  const char *const expected[] = {
    "F=1, S=1, valid",
    "F=2, S=1, same",
    "F=3, S=1, same",
    "F=3, S=1, P=1",
    "F=4, S=1, same",
    "F=5, S=1, same",
    "F=5, S=1, P=2",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV, 128, 128, 5, 4, expected);
}

static void
test_conv_odd (void)
{
  /* 7 / 4 rounds to stride 2; strides 1 and 3 come after. */
  const char *const expected[] = {
    "F=2, S=2, same",
    "F=2, S=2, P=1",
    "F=3, S=2, same",
    "F=3, S=2, P=1",
    "F=4, S=2, same",
    "F=4, S=2, P=2",
    "F=5, S=2, same",
    "F=5, S=2, P=2",
    "F=1, S=2, valid",
    "F=4, S=1, valid",
    "F=4, S=3, P=3",
    "F=5, S=3, P=4",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV, 7, 4, 5, 3, expected);
}

static void
test_conv_to_one (void)
{
  /* One output window: the stride never matters, so "F=13, S=2, valid" and
   * the like are not listed again; bigger strides only shorten the kernel. */
  const char *const expected[] = {
    "F=13, S=1, valid",
    "F=15, S=1, P=1",
    "F=12, S=2, valid",
    "F=14, S=2, P=1",
    "F=11, S=3, valid",
    "F=13, S=3, P=1",
    "F=15, S=3, P=2",
    "F=10, S=4, valid",
    "F=12, S=4, P=1",
    "F=14, S=4, P=2",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV, 13, 1, 15, 4, expected);
}

/* ---- transposed convolution --------------------------------------------- */

static void
test_transpose_64_to_128 (void)
{
  /* The classic choices first: 2×2 stride 2, then the DCGAN/FCN 4×4 stride 2
   * in Keras' and PyTorch's spelling side by side. Kernels that are not a
   * multiple of the stride (checkerboard) follow, output padding last.
   * "F=2, S=2, same" is "F=2, S=2, valid" again and is not listed. */
  const char *const expected[] = {
    "F=2, S=2, valid",
    "F=4, S=2, same",
    "F=4, S=2, P=1",
    "F=6, S=2, same",
    "F=6, S=2, P=2",
    "F=1, S=2, valid",
    "F=3, S=2, same",
    "F=5, S=2, same",
    "F=7, S=2, same",
    "F=3, S=2, P=1, OP=1",
    "F=5, S=2, P=2, OP=1",
    "F=7, S=2, P=3, OP=1",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV_TRANSPOSE, 64, 128, 7, 4, expected);
}

static void
test_transpose_double (void)
{
  const char *const expected[] = {
    "F=2, S=2, valid",
    "F=4, S=2, same",
    "F=4, S=2, P=1",
    "F=1, S=2, valid",
    "F=3, S=2, same",
    "F=5, S=2, same",
    "F=3, S=2, P=1, OP=1",
    "F=5, S=2, P=2, OP=1",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV_TRANSPOSE, 16, 32, 5, 4, expected);
}

static void
test_transpose_quadruple (void)
{
  const char *const expected[] = {
    "F=4, S=4, valid",
    "F=8, S=4, same",
    "F=8, S=4, P=2",
    "F=1, S=4, valid",
    "F=2, S=4, valid",
    "F=3, S=4, valid",
    "F=5, S=4, same",
    "F=6, S=4, same",
    "F=6, S=4, P=1",
    "F=7, S=4, same",
    "F=4, S=4, P=1, OP=2",
    "F=8, S=4, P=3, OP=2",
    "F=3, S=4, P=1, OP=3",
    "F=5, S=4, P=1, OP=1",
    "F=5, S=4, P=2, OP=3",
    "F=6, S=4, P=2, OP=2",
    "F=7, S=4, P=2, OP=1",
    "F=7, S=4, P=3, OP=3",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV_TRANSPOSE, 16, 64, 8, 4, expected);
}

static void
test_transpose_octuple (void)
{
  g_auto(GStrv) got = solve_to_strv (NS_SOLVE_CONV_TRANSPOSE, 16, 128, 16, 8);
  g_auto(GStrv) short_strides = solve_to_strv (NS_SOLVE_CONV_TRANSPOSE, 16, 128, 16, 4);

  g_assert_cmpuint (g_strv_length (got), ==, 60);
  g_assert_cmpstr (got[0], ==, "F=8, S=8, valid");
  g_assert_cmpstr (got[1], ==, "F=16, S=8, same");
  g_assert_cmpstr (got[2], ==, "F=16, S=8, P=4");
  g_assert_cmpstr (got[3], ==, "F=1, S=8, valid");
  g_assert_cmpstr (got[19], ==, "F=15, S=8, same");
  g_assert_cmpstr (got[20], ==, "F=8, S=8, P=1, OP=2");
  g_assert_cmpstr (got[59], ==, "F=15, S=8, P=7, OP=7");
  assert_no_repeats ((const char *const *) got);

  /* 8× needs stride 8: with strides up to 4 there is no answer. */
  g_assert_cmpuint (g_strv_length (short_strides), ==, 0);
}

static void
test_transpose_odd (void)
{
  /* 7 -> 13 is 2·7 − 1: PyTorch's "F=3, S=2, P=1" first; Keras needs
   * output_padding for it. "F=3, S=2, same, OP=0" is the same layer as
   * "F=3, S=2, same, OP=…" with any other value giving 13. */
  const char *const expected[] = {
    "F=3, S=2, P=1",
    "F=5, S=2, P=2",
    "F=2, S=2, same, OP=1",
    "F=2, S=2, P=1, OP=1",
    "F=4, S=2, same, OP=1",
    "F=4, S=2, P=2, OP=1",
    "F=1, S=2, valid, OP=0",
    "F=3, S=2, same, OP=0",
    "F=5, S=2, same, OP=0",
    NULL
  };

  assert_solutions (NS_SOLVE_CONV_TRANSPOSE, 7, 13, 5, 3, expected);
}

/* ---- pooling ------------------------------------------------------------ */

static void
test_pool_halve (void)
{
  const char *const expected[] = {
    "F=2, S=2, valid",
    "F=3, S=2, same",
    "F=3, S=2, P=1",
    "F=4, S=2, same",
    "F=4, S=2, P=1",
    "F=5, S=2, same",
    "F=5, S=2, P=2",
    "F=1, S=2, valid",
    NULL
  };

  assert_solutions (NS_SOLVE_POOL, 128, 64, 5, 4, expected);
}

static void
test_pool_odd (void)
{
  /* Pooling padding stops at half the window (PyTorch): no "F=3, S=2, P=2". */
  const char *const expected[] = {
    "F=2, S=2, same",
    "F=2, S=2, P=1",
    "F=3, S=2, same",
    "F=3, S=2, P=1",
    "F=4, S=2, same",
    "F=4, S=2, P=2",
    "F=5, S=2, same",
    "F=5, S=2, P=2",
    "F=1, S=2, valid",
    NULL
  };

  assert_solutions (NS_SOLVE_POOL, 13, 7, 5, 3, expected);
}

/* ---- no answer ---------------------------------------------------------- */

static void
test_impossible (void)
{
  g_autoptr(GArray) conv_grow = ns_solve_output_size (NS_SOLVE_CONV, 4, 9, 5, 4);
  g_autoptr(GArray) conv_grow_big = ns_solve_output_size (NS_SOLVE_CONV, 4, 9, 6, 4);
  g_autoptr(GArray) pool_grow = ns_solve_output_size (NS_SOLVE_POOL, 4, 9, 8, 8);
  g_autoptr(GArray) unknown = ns_solve_output_size (NS_SOLVE_CONV, NS_DIM_NONE, 4, 5, 4);
  g_autoptr(GArray) empty = ns_solve_output_size (NS_SOLVE_CONV_TRANSPOSE, 4, 0, 5, 4);
  g_autoptr(GArray) no_kernel = ns_solve_output_size (NS_SOLVE_CONV, 8, 8, 0, 4);
  g_autoptr(GArray) huge = ns_solve_output_size (NS_SOLVE_CONV_TRANSPOSE, G_MAXINT64 / 2,
                                                 G_MAXINT64, 5, 4);
  g_autofree char *grow = NULL;

  /* With padding at most F − 1 a convolution grows by at most F − 1. */
  g_assert_cmpuint (conv_grow->len, ==, 0);
  g_assert_cmpuint (conv_grow_big->len, ==, 1);
  grow = ns_solve_choice_to_string (&g_array_index (conv_grow_big, NsSolveChoice, 0));
  g_assert_cmpstr (grow, ==, "F=6, S=1, P=5");
  /* Pooling padding stops at F / 2, so pooling never grows past W + 1. */
  g_assert_cmpuint (pool_grow->len, ==, 0);
  g_assert_cmpuint (unknown->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (no_kernel->len, ==, 0);
  g_assert_cmpuint (huge->len, ==, 0);
}

/* ---- through inference -------------------------------------------------- */

static void
test_inference_conv (void)
{
  assert_inference_agrees (NS_SOLVE_CONV, 128, 64, 5, 4);
  assert_inference_agrees (NS_SOLVE_CONV, 128, 128, 5, 4);
  assert_inference_agrees (NS_SOLVE_CONV, 7, 4, 5, 3);
  assert_inference_agrees (NS_SOLVE_CONV, 13, 1, 15, 4);
  assert_inference_agrees (NS_SOLVE_CONV, 4, 9, 6, 4);
}

static void
test_inference_transpose (void)
{
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 64, 128, 7, 4);
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 16, 32, 5, 4);
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 16, 64, 8, 4);
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 16, 128, 16, 8);
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 7, 13, 5, 3);
  assert_inference_agrees (NS_SOLVE_CONV_TRANSPOSE, 1, 5, 5, 3);
}

static void
test_inference_pool (void)
{
  assert_inference_agrees (NS_SOLVE_POOL, 128, 64, 5, 4);
  assert_inference_agrees (NS_SOLVE_POOL, 13, 7, 5, 3);
}

static void
test_complete (void)
{
  assert_complete (NS_SOLVE_CONV, 128, 64, 5, 4);
  assert_complete (NS_SOLVE_CONV, 7, 4, 5, 3);
  assert_complete (NS_SOLVE_CONV, 13, 1, 15, 4);
  assert_complete (NS_SOLVE_CONV_TRANSPOSE, 64, 128, 7, 4);
  assert_complete (NS_SOLVE_CONV_TRANSPOSE, 7, 13, 5, 3);
  assert_complete (NS_SOLVE_CONV_TRANSPOSE, 1, 5, 5, 3);
  assert_complete (NS_SOLVE_POOL, 13, 7, 5, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/solver/strings", test_choice_strings);
  g_test_add_func ("/solver/conv/halve", test_conv_halve);
  g_test_add_func ("/solver/conv/keep", test_conv_keep);
  g_test_add_func ("/solver/conv/odd", test_conv_odd);
  g_test_add_func ("/solver/conv/to-one", test_conv_to_one);
  g_test_add_func ("/solver/transpose/64-to-128", test_transpose_64_to_128);
  g_test_add_func ("/solver/transpose/double", test_transpose_double);
  g_test_add_func ("/solver/transpose/quadruple", test_transpose_quadruple);
  g_test_add_func ("/solver/transpose/octuple", test_transpose_octuple);
  g_test_add_func ("/solver/transpose/odd", test_transpose_odd);
  g_test_add_func ("/solver/pool/halve", test_pool_halve);
  g_test_add_func ("/solver/pool/odd", test_pool_odd);
  g_test_add_func ("/solver/impossible", test_impossible);
  g_test_add_func ("/solver/inference/conv", test_inference_conv);
  g_test_add_func ("/solver/inference/transpose", test_inference_transpose);
  g_test_add_func ("/solver/inference/pool", test_inference_pool);
  g_test_add_func ("/solver/complete", test_complete);

  return g_test_run ();
}
