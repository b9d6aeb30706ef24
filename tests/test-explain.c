/* test-explain.c: every layer type explains its numbers, with the figures put
 * into the formulas as the article does by hand. */
#include "config.h"

#include "test-helpers.h"

static char *
explain_text (NsLayer *layer)
{
  g_autoptr(NsExplanation) explanation = ns_layer_explain (layer);

  g_assert_nonnull (explanation);
  return ns_explanation_to_text (explanation);
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char *const *) lines, line);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  if (!has_line (text, line))
    g_error ("missing line\n  %s\nin\n%s", line, text);
}

static void
test_explain_article (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "input_1", "[128, 128, 3]");
  NsLayer *con1 = test_add_layer (graph, "Conv2D", "con1");
  NsLayer *bn = test_add_layer (graph, "BatchNormalization", NULL);
  NsLayer *deconv = test_add_layer (graph, "Conv2DTranspose", "deconv1");
  g_autofree char *conv_text = NULL;
  g_autofree char *bn_text = NULL;
  g_autofree char *deconv_text = NULL;
  g_autoptr(NsExplanation) structured = NULL;
  const NsExplainStep *step;

  test_set (graph, con1, "filters", "64");
  test_set (graph, con1, "padding", "\"same\"");
  test_set (graph, deconv, "filters", "64");
  test_set (graph, deconv, "padding", "\"same\"");
  test_connect (graph, in, con1, 0);
  test_connect (graph, con1, bn, 0);
  test_connect (graph, bn, deconv, 0);

  conv_text = explain_text (con1);
  assert_has_line (conv_text, "Output height: N = ⌈W / S⌉ = ⌈128 / 1⌉ = 128 "
                              "(“same” pads 2 in all: 1 before, 1 after)");
  assert_has_line (conv_text, "Parameters: (Fh·Fw·C + 1)·K = (3×3×3 + 1) × 64 = 1,792 "
                              "(a weight per kernel cell and input channel, plus a bias, per filter)");
  assert_has_line (conv_text, "Multiply–accumulates: Ho·Wo·K·Fh·Fw·C = 128×128×64×3×3×3 = 28,311,552");

  bn_text = explain_text (bn);
  g_assert_nonnull (strstr (bn_text, "4 × 64 = 256 (128 trainable: γ, β; 128 not: moving mean, variance)"));

  deconv_text = explain_text (deconv);
  assert_has_line (deconv_text, "Output height: N = W·S = 128·1 = 128 (Keras’ rule for “same”)");
  assert_has_line (deconv_text, "Output height, general form: N = (W − 1)·S − 2P + F = "
                                "(128 − 1)·1 − 2 + 3 = 128 (the same as P = 1)");

  /* The structured form keeps the parts apart for views. */
  structured = ns_layer_explain (con1);
  step = ns_explanation_get_step (structured, 3);
  g_assert_cmpint (step->section, ==, NS_EXPLAIN_PARAMS);
  g_assert_cmpstr (step->formula, ==, "(Fh·Fw·C + 1)·K");
  g_assert_cmpstr (step->substituted, ==, "(3×3×3 + 1) × 64");
  g_assert_cmpstr (step->result, ==, "1,792");
}

static void
test_explain_transposed_stride (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[64, 64, 8]");
  NsLayer *up = test_add_layer (graph, "Conv2DTranspose", "up");
  g_autofree char *text = NULL;

  test_set (graph, up, "filters", "4");
  test_set (graph, up, "kernel_size", "4");
  test_set (graph, up, "strides", "2");
  test_set (graph, up, "padding", "[1, 1]");
  test_connect (graph, in, up, 0);
  test_assert_shape (up, "(None, 128, 128, 4)");
  text = explain_text (up);
  assert_has_line (text, "Output height: N = (W − 1)·S − 2P + F = (64 − 1)·2 − 2 + 4 = 128");

  /* Keras valid with kernel below stride: max(F − S, 0) is 0. */
  test_set (graph, up, "kernel_size", "1");
  test_set (graph, up, "strides", "3");
  test_set (graph, up, "padding", "\"valid\"");
  g_clear_pointer (&text, g_free);
  text = explain_text (up);
  assert_has_line (text, "Output width: N = W·S + max(F − S, 0) = 64·3 + max(1 − 3, 0) = 192 "
                         "(Keras’ rule for “valid”)");
}

/* An input that suits each type's defaults: most take an image, a few a vector. */
static const char *
input_for (const NsLayerType *type)
{
  if (g_str_equal (type->keras_class, "RepeatVector"))
    return "[16]";
  if (g_str_equal (type->keras_class, "Reshape"))
    return NULL;   /* target_shape must match the element count; checked in test-layers */
  if (g_str_equal (type->keras_class, "Functional"))
    return NULL;   /* needs a nested graph; checked in test-graph */
  return "[16, 16, 4]";
}

static void
test_explain_every_type (void)
{
  guint n_types;
  const NsLayerType *const *types = ns_layer_types_get_all (&n_types);

  for (guint t = 0; t < n_types; t++)
    {
      const NsLayerType *type = types[t];
      g_autoptr(NsGraph) graph = ns_graph_new ();
      g_autoptr(NsExplanation) explanation = NULL;
      const char *shape = input_for (type);
      gboolean shape_step = FALSE, params_step = FALSE;
      NsLayer *layer;

      if (shape == NULL)
        continue;
      if (type->max_inputs == 0)
        layer = test_add_input (graph, "layer", shape);
      else
        {
          layer = test_add_layer (graph, type->keras_class, "layer");
          for (guint port = 0; port < MAX (type->min_inputs, 1); port++)
            {
              g_autofree char *name = g_strdup_printf ("in%u", port);
              test_connect (graph, test_add_input (graph, name, shape), layer, port);
            }
        }
      if (g_str_equal (type->keras_class, "OpaqueLayer"))
        test_set (graph, layer, "output_shape", "[16, 16, 4]");
      if (ns_layer_get_info (layer)->state != NS_LAYER_OK)
        g_error ("%s: %s", type->keras_class, ns_layer_get_info (layer)->message);

      explanation = ns_layer_explain (layer);
      g_assert_nonnull (explanation);
      for (guint i = 0; i < ns_explanation_get_n_steps (explanation); i++)
        {
          const NsExplainStep *step = ns_explanation_get_step (explanation, i);
          g_assert_nonnull (step->title);
          g_assert_nonnull (step->result);
          shape_step |= step->section == NS_EXPLAIN_SHAPE;
          params_step |= step->section == NS_EXPLAIN_PARAMS;
        }
      if (!shape_step || !params_step)
        g_error ("%s explains no %s", type->keras_class, shape_step ? "parameters" : "shape");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain/article", test_explain_article);
  g_test_add_func ("/explain/transposed-stride", test_explain_transposed_stride);
  g_test_add_func ("/explain/every-type", test_explain_every_type);
  return g_test_run ();
}
