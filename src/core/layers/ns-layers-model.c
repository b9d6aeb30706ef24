/* ns-layers-model.c: layers that stand for something Netsketch does not model
 * layer by layer: a nested model (a Sequential or Functional used as a layer,
 * as in transfer learning) and an opaque layer (a class Netsketch does not
 * know, or a Lambda), whose config is kept verbatim. */
#include "config.h"

#include "ns-graph.h"
#include "ns-layers-private.h"

/* ---- Nested model ------------------------------------------------------ */

/* Feeds the outer inputs' shapes to the inner model's inputs and reads its
 * output: the inner graph infers itself, incrementally as always. */
static gboolean
nested_infer (const NsInferInput *in,
              NsInferResult      *out,
              GError            **error)
{
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  const NsLayerInfo *result;
  NsGraphTotals totals;
  NsLayer *output;

  if (in->subgraph == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("the nested model has no layers"));
      return FALSE;
    }
  inputs = ns_graph_get_inputs (in->subgraph);
  outputs = ns_graph_get_outputs (in->subgraph);
  if (inputs->len != in->n_inputs)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   g_dngettext (GETTEXT_PACKAGE, "the nested model takes %u input, not %u",
                                "the nested model takes %u inputs, not %u", inputs->len),
                   inputs->len, in->n_inputs);
      return FALSE;
    }
  if (outputs->len != 1)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("the nested model has %u outputs; Netsketch shows nested models with one"),
                   outputs->len);
      return FALSE;
    }

  for (guint i = 0; i < inputs->len; i++)
    {
      NsLayer *inner = g_ptr_array_index (inputs, i);
      NsValue shape = { .kind = NS_PROP_INTS };

      shape.ints.len = in->inputs[i]->rank;
      memcpy (shape.ints.items, in->inputs[i]->dims, in->inputs[i]->rank * sizeof (gint64));
      if (ns_layer_type_find_prop (ns_layer_get_layer_type (inner), "shape") < 0 ||
          !ns_graph_set_value (in->subgraph, inner, "shape", &shape, error))
        {
          g_autofree char *got = ns_shape_to_keras (in->inputs[i]);
          g_clear_error (error);
          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("the nested model’s input %s cannot take %s"),
                       ns_layer_get_name (inner), got);
          return FALSE;
        }
    }

  output = g_ptr_array_index (outputs, 0);
  result = ns_layer_get_info (output);
  if (result->state != NS_LAYER_OK)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE, _("inside the nested model, %s: %s"),
                   ns_layer_get_name (output), result->message);
      return FALSE;
    }

  ns_graph_get_totals (in->subgraph, &totals);
  out->output = result->output;
  out->trainable_params = totals.trainable_params;
  out->non_trainable_params = totals.non_trainable_params;
  out->macs = totals.macs;
  out->extra_flops = MAX (totals.flops - 2 * totals.macs, 0);
  /* The inner field, seen from outside, is one window of that size and step. */
  out->rf_global = result->rf_global;
  for (guint axis = 0; axis < 2; axis++)
    {
      out->rf_window[axis] = (gint64) result->receptive_field[axis];
      out->rf_step[axis] = result->effective_stride[axis];
    }
  return TRUE;
}

static void
nested_explain (const NsInferInput  *in,
                const NsInferResult *out,
                NsExplanation       *explanation)
{
  g_autoptr(GPtrArray) outputs = ns_graph_get_outputs (in->subgraph);
  guint n_layers = g_list_model_get_n_items (G_LIST_MODEL (in->subgraph));
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *params = ns_format_count (out->trainable_params + out->non_trainable_params);
  g_autofree char *trainable = ns_format_count (out->trainable_params);
  g_autofree char *fixed = ns_format_count (out->non_trainable_params);
  g_autofree char *from = g_strdup_printf (_("the output of its layer %s"),
                                           ns_layer_get_name (g_ptr_array_index (outputs, 0)));
  g_autofree char *sum = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the sum over its %u layer",
                                                       "the sum over its %u layers", n_layers),
                                          n_layers);
  g_autofree char *note = g_strdup_printf (_("(%s trainable, %s not)"), trainable, fixed);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), from, NULL, shape, NULL);
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), sum, NULL, params, note);
}

static char *
nested_describe (const NsInferInput *in)
{
  guint n_layers = in->subgraph != NULL ? g_list_model_get_n_items (G_LIST_MODEL (in->subgraph)) : 0;

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u layer", "%u layers", n_layers), n_layers);
}

static const NsLayerType nested_model = {
  .keras_class = "Functional",
  .aliases = (const char *const[]) { "Model", "Sequential", NULL },
  .label = N_("Nested model"),
  .description = N_("A whole model used as one layer, as in transfer learning"),
  .default_name = "model",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 1,
  .max_inputs = NS_INPUTS_MANY,
  .infer = nested_infer,
  .explain = nested_explain,
  .describe = nested_describe,
};

/* ---- Opaque layer -------------------------------------------------------- */

enum { OPAQUE_CLASS_NAME, OPAQUE_OUTPUT_SHAPE, OPAQUE_TRAINABLE, OPAQUE_NON_TRAINABLE };

static const NsPropDecl opaque_props[] = {
  /* The class Keras named it by; its config is kept verbatim with the layer. */
  { "class_name", N_("Keras class"), NS_PROP_STRING, .default_json = "\"Lambda\"" },
  { "output_shape", N_("Output shape"), NS_PROP_INTS, 1, (gint64) 1 << 40,
    .default_json = "null", .flags = NS_PROP_FLAG_NULLABLE | NS_PROP_FLAG_NONE_DIM },
  { "trainable_params", N_("Trainable parameters"), NS_PROP_INT, 0, G_MAXINT64 / 4,
    .default_json = "0" },
  { "non_trainable_params", N_("Non-trainable parameters"), NS_PROP_INT, 0, G_MAXINT64 / 4,
    .default_json = "0" },
};

static gboolean
opaque_infer (const NsInferInput *in,
              NsInferResult      *out,
              GError            **error)
{
  const NsValue *shape = &in->values[OPAQUE_OUTPUT_SHAPE];

  if (shape->is_null || shape->ints.len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNKNOWN_TYPE,
                   _("unknown layer class %s: give its output shape to go on"),
                   in->values[OPAQUE_CLASS_NAME].string);
      return FALSE;
    }
  if (!ns_infer_set_output (out, shape->ints.len, shape->ints.items, error))
    return FALSE;
  out->trainable_params = in->values[OPAQUE_TRAINABLE].integer;
  out->non_trainable_params = in->values[OPAQUE_NON_TRAINABLE].integer;
  /* Nothing is known of what it looks at. */
  out->rf_global = TRUE;
  return TRUE;
}

static void
opaque_explain (const NsInferInput  *in,
                const NsInferResult *out,
                NsExplanation       *explanation)
{
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *params = ns_format_count (out->trainable_params + out->non_trainable_params);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, NULL, shape,
                      _("(given by hand: Netsketch does not know this layer class)"));
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), NULL, NULL, params,
                      _("(given by hand)"));
}

static char *
opaque_describe (const NsInferInput *in)
{
  return g_strdup (in->values[OPAQUE_CLASS_NAME].string);
}

static const NsLayerType opaque_layer = {
  .keras_class = "OpaqueLayer",
  .label = N_("Unknown layer"),
  .description = N_("A layer class Netsketch does not know; its output shape is given by hand"),
  .default_name = "opaque",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 0,
  .max_inputs = NS_INPUTS_MANY,
  .props = opaque_props,
  .n_props = NS_N_PROPS (opaque_props),
  .infer = opaque_infer,
  .explain = opaque_explain,
  .describe = opaque_describe,
};

const NsLayerType *const ns_model_layer_types[] = {
  &nested_model,
  &opaque_layer,
  NULL
};
