/* test-shape.c: shapes, checked arithmetic, number formatting, the size rules
 * and config values read from JSON. */
#include "config.h"

#include "ns-layer-type.h"
#include "ns-size-rules.h"

static void
test_shape_format (void)
{
  NsShape shape;
  gint64 dims[] = { 128, NS_DIM_NONE, 64 };
  gint64 elements;
  g_autofree char *keras = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(GString) json = g_string_new (NULL);

  ns_shape_init (&shape, 3, dims);
  keras = ns_shape_to_keras (&shape);
  compact = ns_shape_to_compact (&shape);
  ns_shape_append_json (&shape, json);
  g_assert_cmpstr (keras, ==, "(None, 128, None, 64)");
  g_assert_cmpstr (compact, ==, "128×?×64");
  g_assert_cmpstr (json->str, ==, "[null,128,null,64]");
  g_assert_false (ns_shape_is_known (&shape));
  g_assert_true (ns_shape_elements (&shape, &elements));
  g_assert_cmpint (elements, ==, NS_DIM_NONE);

  dims[0] = G_GINT64_CONSTANT (1) << 30;
  dims[1] = G_GINT64_CONSTANT (1) << 40;
  ns_shape_init (&shape, 3, dims);
  g_assert_false (ns_shape_elements (&shape, &elements));
}

/* PyTorch's order moves the channels (the last axis) after the batch for
 * images, sequences and volumes; vectors and Keras' order are left alone. */
static void
test_shape_display_order (void)
{
  struct {
    guint        rank;
    gint64       dims[4];
    NsShapeOrder order;
    const char  *text;
    const char  *compact;
  } cases[] = {
    { 3, { 128, 128, 64 }, NS_SHAPE_ORDER_NHWC, "(None, 128, 128, 64)", "128×128×64" },
    { 3, { 128, 128, 64 }, NS_SHAPE_ORDER_NCHW, "(None, 64, 128, 128)", "64×128×128" },
    { 3, { 7, NS_DIM_NONE, 21 }, NS_SHAPE_ORDER_NCHW, "(None, 21, 7, None)", "21×7×?" },
    { 2, { 100, 16 }, NS_SHAPE_ORDER_NCHW, "(None, 16, 100)", "16×100" },
    { 4, { 8, 32, 32, 3 }, NS_SHAPE_ORDER_NCHW, "(None, 3, 8, 32, 32)", "3×8×32×32" },
    { 1, { 1000 }, NS_SHAPE_ORDER_NCHW, "(None, 1000)", "1000" },
    { 0, { 0 }, NS_SHAPE_ORDER_NCHW, "(None)", "" },
  };
  g_autoptr(GEnumClass) orders = g_type_class_ref (NS_TYPE_SHAPE_ORDER);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NsShape shape, shown;
      g_autofree char *text = NULL;
      g_autofree char *compact = NULL;

      ns_shape_init (&shape, cases[i].rank, cases[i].dims);
      text = ns_shape_to_display_string (&shape, cases[i].order);
      compact = ns_shape_to_display_compact (&shape, cases[i].order);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (compact, ==, cases[i].compact);
      /* The shape itself is not touched, and reordering keeps the rank. */
      g_assert_cmpint (shape.dims[0], ==, cases[i].dims[0]);
      ns_shape_reorder (&shape, cases[i].order, &shown);
      g_assert_cmpuint (shown.rank, ==, cases[i].rank);
    }

  /* The nicks are the GSettings key's choices. */
  g_assert_cmpstr (g_enum_get_value (orders, NS_SHAPE_ORDER_NHWC)->value_nick, ==, "nhwc");
  g_assert_cmpstr (g_enum_get_value (orders, NS_SHAPE_ORDER_NCHW)->value_nick, ==, "nchw");
}

static void
test_shape_counts (void)
{
  struct { gint64 value; const char *text; } counts[] = {
    { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 87957, "87,957" },
    { 138357544, "138,357,544" }, { -1792, "-1,792" },
    { G_MAXINT64, "9,223,372,036,854,775,807" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *text = ns_format_count (counts[i].value);
      g_assert_cmpstr (text, ==, counts[i].text);
    }
  {
    g_autofree char *si = ns_format_si (1434451968);
    g_autofree char *small = ns_format_si (512);
    g_assert_cmpstr (si, ==, "1.43 G");
    g_assert_cmpstr (small, ==, "512");
  }
}

static void
test_size_rules (void)
{
  /* Convolution: valid, same, explicit, dilation. */
  g_assert_cmpint (ns_conv_output_size (128, 3, 1, 1, NS_PADDING_VALID, 0), ==, 126);
  g_assert_cmpint (ns_conv_output_size (7, 3, 2, 1, NS_PADDING_SAME, 0), ==, 4);
  g_assert_cmpint (ns_conv_output_size (128, 3, 1, 1, NS_PADDING_EXPLICIT, 1), ==, 128);
  g_assert_cmpint (ns_conv_output_size (13, 3, 1, 3, NS_PADDING_VALID, 0), ==, 7);
  g_assert_cmpint (ns_conv_output_size (1, 2, 1, 1, NS_PADDING_VALID, 0), ==, 0);
  g_assert_cmpint (ns_conv_output_size (NS_DIM_NONE, 3, 1, 1, NS_PADDING_VALID, 0), ==, NS_DIM_NONE);
  /* Transposed: Keras' same and valid, kernel below stride, output padding, explicit. */
  g_assert_cmpint (ns_conv_transpose_output_size (128, 3, 1, 1, NS_PADDING_SAME, 0, -1), ==, 128);
  g_assert_cmpint (ns_conv_transpose_output_size (7, 3, 2, 1, NS_PADDING_VALID, 0, -1), ==, 15);
  g_assert_cmpint (ns_conv_transpose_output_size (7, 1, 3, 1, NS_PADDING_VALID, 0, -1), ==, 21);
  g_assert_cmpint (ns_conv_transpose_output_size (7, 3, 2, 1, NS_PADDING_SAME, 0, 1), ==, 14);
  g_assert_cmpint (ns_conv_transpose_output_size (64, 4, 2, 1, NS_PADDING_EXPLICIT, 1, 0), ==, 128);
  /* Keras pads "same" with the odd pixel at the end. */
  g_assert_cmpint (ns_same_padding_total (128, 3, 1, 1), ==, 2);
  g_assert_cmpint (ns_same_padding_total (8, 3, 2, 1), ==, 1);
  g_assert_cmpint (ns_same_padding_total (7, 1, 3, 1), ==, 0);
}

static void
test_values_from_json (void)
{
  const NsLayerType *conv = ns_layer_types_lookup ("Conv2D");
  const NsPropDecl *kernel = &conv->props[ns_layer_type_find_prop (conv, "kernel_size")];
  const NsPropDecl *padding = &conv->props[ns_layer_type_find_prop (conv, "padding")];
  const NsPropDecl *activation = &conv->props[ns_layer_type_find_prop (conv, "activation")];
  struct { const NsPropDecl *decl; const char *json; const char *text; const char *error; } cases[] = {
    { kernel, "3", "3×3", NULL },
    { kernel, "[3, 5]", "3×5", NULL },
    { kernel, "3.0", "3×3", NULL },
    { kernel, "\"3\"", NULL, "expected an integer from 1 to 65536 or a pair of them, got \"3\"" },
    { kernel, "[3]", NULL, "expected an integer from 1 to 65536 or a pair of them, got a list" },
    { kernel, "0", NULL, "expected an integer from 1 to 65536 or a pair of them, got 0" },
    { kernel, "2.5", NULL, "expected an integer from 1 to 65536 or a pair of them, got 2.5" },
    { padding, "\"SAME\"", "same", NULL },
    { padding, "[1, 2]", "[1, 2]", NULL },
    { padding, "\"full\"", NULL, "expected \"valid\", \"same\" or a pair of integers from 0 to 65536, got \"full\"" },
    { activation, "\"relu\"", "relu", NULL },
    { activation, "null", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(GError) error = NULL;
      NsValue value;
      gboolean ok = ns_value_from_json (cases[i].decl, node, &value, &error);

      if (cases[i].text != NULL)
        {
          g_autofree char *text = ns_value_to_string (cases[i].decl, &value);
          g_assert_no_error (error);
          g_assert_cmpstr (text, ==, cases[i].text);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
          if (cases[i].error != NULL)
            g_assert_cmpstr (error->message, ==, cases[i].error);
        }
    }
}

static void
test_values_round_trip (void)
{
  guint n_types;
  const NsLayerType *const *types = ns_layer_types_get_all (&n_types);

  /* Every declared default survives JSON and back unchanged. */
  for (guint t = 0; t < n_types; t++)
    {
      const NsValue *defaults = ns_layer_type_get_defaults (types[t]);

      for (guint p = 0; p < types[t]->n_props; p++)
        {
          g_autoptr(JsonNode) node = ns_value_to_json (&types[t]->props[p], &defaults[p]);
          NsValue back;

          g_assert_true (ns_value_from_json (&types[t]->props[p], node, &back, NULL));
          g_assert_true (ns_value_equal (&back, &defaults[p]));
          g_assert_true (ns_value_validate (&types[t]->props[p], &defaults[p], NULL));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shape/format", test_shape_format);
  g_test_add_func ("/shape/display-order", test_shape_display_order);
  g_test_add_func ("/shape/counts", test_shape_counts);
  g_test_add_func ("/shape/size-rules", test_size_rules);
  g_test_add_func ("/value/from-json", test_values_from_json);
  g_test_add_func ("/value/round-trip", test_values_round_trip);
  return g_test_run ();
}
