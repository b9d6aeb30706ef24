/* ns-layers-merge.c: layers that join several inputs: Concatenate and the
 * elementwise merges Add, Subtract, Multiply, Average, Maximum, Minimum. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

static gboolean
fail_disagree (const NsInferInput *in,
               guint               axis,
               guint               first,
               guint               second,
               GError            **error)
{
  g_autofree char *a = ns_shape_to_keras (in->inputs[first]);
  g_autofree char *b = ns_shape_to_keras (in->inputs[second]);

  /* Axes counted as Keras does, the batch being axis 0. */
  g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
               _("inputs disagree on axis %u: %s and %s"), axis + 1, a, b);
  return FALSE;
}

static gboolean
check_inputs (const NsInferInput *in,
              GError            **error)
{
  if (in->n_inputs < 2)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   g_dngettext (GETTEXT_PACKAGE,
                                "needs at least 2 inputs, has %u",
                                "needs at least 2 inputs, has %u", in->n_inputs),
                   in->n_inputs);
      return FALSE;
    }
  return TRUE;
}

/* ---- Concatenate -------------------------------------------------------------- */

enum {
  CONCAT_AXIS,
};

static const NsPropDecl concatenate_props[] = {
  [CONCAT_AXIS] = {
    .key = "axis", .label = N_("Axis"), .kind = NS_PROP_INT,
    .min = -(NS_MAX_RANK + 1), .max = NS_MAX_RANK, .default_json = "-1",
  },
};

/* The 0-based dim index (batch left out) of the concatenation axis. */
static gboolean
concatenate_axis (const NsInferInput *in,
                  guint              *out_index,
                  GError            **error)
{
  const NsShape *first = in->inputs[0];
  gint64 axis = in->values[CONCAT_AXIS].integer;
  gint64 full_rank = (gint64) first->rank + 1;
  gint64 index = axis < 0 ? axis + full_rank : axis;

  if (index <= 0 || index >= full_rank)
    {
      g_autofree char *text = ns_signed_to_string (axis);
      g_autofree char *shape = ns_shape_to_keras (first);

      if (index == 0)
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                     _("axis %s is the batch dimension of %s; use 1…%u or −1…−%u"),
                     text, shape, first->rank, first->rank);
      else
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                     _("axis %s is out of range for the input %s (1…%u or −1…−%u)"),
                     text, shape, first->rank, first->rank);
      return FALSE;
    }
  *out_index = (guint) (index - 1);
  return TRUE;
}

static gboolean
concatenate_infer (const NsInferInput *in,
                   NsInferResult      *out,
                   GError            **error)
{
  const NsShape *first;
  gint64 dims[NS_MAX_RANK];
  guint axis;

  if (!check_inputs (in, error))
    return FALSE;
  first = in->inputs[0];
  if (!concatenate_axis (in, &axis, error))
    return FALSE;

  memcpy (dims, first->dims, first->rank * sizeof (gint64));
  for (guint i = 1; i < in->n_inputs; i++)
    {
      const NsShape *input = in->inputs[i];

      if (input->rank != first->rank)
        {
          g_autofree char *a = ns_shape_to_keras (first);
          g_autofree char *b = ns_shape_to_keras (input);

          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("inputs have different ranks: %s and %s"), a, b);
          return FALSE;
        }
      for (guint d = 0; d < first->rank; d++)
        {
          if (d == axis)
            {
              if (dims[d] == NS_DIM_NONE || input->dims[d] == NS_DIM_NONE)
                dims[d] = NS_DIM_NONE;
              else if (!ns_checked_add (dims[d], input->dims[d], &dims[d]))
                {
                  g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                               _("the joined axis would be longer than a 64-bit count holds"));
                  return FALSE;
                }
            }
          else if (dims[d] == NS_DIM_NONE)
            dims[d] = input->dims[d];
          else if (input->dims[d] != NS_DIM_NONE && input->dims[d] != dims[d])
            return fail_disagree (in, d, 0, i, error);
        }
    }
  return ns_infer_set_output (out, first->rank, dims, error);
}

static void
concatenate_explain (const NsInferInput  *in,
                     const NsInferResult *out,
                     NsExplanation       *explanation)
{
  g_autoptr(GString) formula = g_string_new (NULL);
  g_autoptr(GString) substituted = g_string_new (NULL);
  g_autofree char *result = NULL;
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *title = NULL;
  guint axis;

  if (!concatenate_axis (in, &axis, NULL))
    return;

  for (guint i = 0; i < in->n_inputs; i++)
    {
      g_autofree char *dim = ns_dim_to_string (in->inputs[i]->dims[axis]);

      if (i > 0)
        g_string_append (substituted, " + ");
      g_string_append (substituted, dim);
    }
  g_string_append (formula, in->n_inputs == 2 ? "C₁ + C₂" : "C₁ + … + Cₙ");
  result = ns_dim_to_string (out->output.dims[axis]);
  if (axis + 1 == out->output.rank)
    title = g_strdup (_("Output channels"));
  else
    title = g_strdup_printf (_("Output size on axis %u"), axis + 1);
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, title, formula->str, substituted->str,
                      result, _("(the inputs' sizes on the joined axis add up)"));
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, NULL, shape,
                      _("(every other axis must agree)"));
  ns_explain_no_params (explanation);
}

static char *
concatenate_describe (const NsInferInput *in)
{
  g_autofree char *axis = ns_signed_to_string (in->values[CONCAT_AXIS].integer);

  /* Translators: a layer’s one-line summary on the canvas: "axis -1". */
  return g_strdup_printf (_("axis %s"), axis);
}

static const NsLayerType concatenate = {
  .keras_class = "Concatenate",
  .label = N_("Concatenate"),
  .description = N_("Joins inputs along an axis, usually the channels"),
  .default_name = "concatenate",
  .category = NS_CATEGORY_MERGE,
  .min_inputs = 2,
  .max_inputs = NS_INPUTS_MANY,
  .props = concatenate_props,
  .n_props = NS_N_PROPS (concatenate_props),
  .infer = concatenate_infer,
  .explain = concatenate_explain,
  .describe = concatenate_describe,
  .forward = &ns_op_concatenate,
};

/* ---- Add, Subtract, Multiply, Average, Maximum, Minimum ------------------------ */

/* Keras' elementwise merge shape: shapes aligned from the last axis, where a
 * size of 1 broadcasts and None matches anything. */
static gboolean
elementwise_infer (const NsInferInput *in,
                   NsInferResult      *out,
                   GError            **error)
{
  gint64 dims[NS_MAX_RANK];
  guint source[NS_MAX_RANK];    /* which input decided each axis, for errors */
  guint rank, per_element;
  gint64 elements;

  if (!check_inputs (in, error))
    return FALSE;

  rank = 0;
  for (guint i = 0; i < in->n_inputs; i++)
    rank = MAX (rank, in->inputs[i]->rank);
  for (guint d = 0; d < rank; d++)
    {
      dims[d] = 1;
      source[d] = 0;
    }

  for (guint i = 0; i < in->n_inputs; i++)
    {
      const NsShape *input = in->inputs[i];
      guint offset = rank - input->rank;

      for (guint k = 0; k < input->rank; k++)
        {
          guint d = offset + k;
          gint64 dim = input->dims[k];

          if (dim == 1 || dim == dims[d])
            continue;
          if (dims[d] == 1)
            {
              dims[d] = dim;
              source[d] = i;
            }
          else if (dim == NS_DIM_NONE || dims[d] == NS_DIM_NONE)
            dims[d] = NS_DIM_NONE;
          else
            return fail_disagree (in, d, source[d], i, error);
        }
    }
  if (!ns_infer_set_output (out, rank, dims, error))
    return FALSE;

  /* n − 1 operations per element; Average also divides once. */
  per_element = in->n_inputs - 1 + (g_str_equal (in->type->keras_class, "Average") ? 1 : 0);
  if (ns_shape_elements (&out->output, &elements) && elements != NS_DIM_NONE &&
      !ns_infer_mul (&out->extra_flops, error, 2, elements, (gint64) per_element))
    return FALSE;
  return TRUE;
}

static void
elementwise_explain (const NsInferInput  *in,
                     const NsInferResult *out,
                     NsExplanation       *explanation)
{
  g_autoptr(GString) shapes = g_string_new (NULL);
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  gint64 elements;

  for (guint i = 0; i < in->n_inputs; i++)
    {
      g_autofree char *input = ns_shape_to_keras (in->inputs[i]);

      if (i > 0)
        g_string_append (shapes, ", ");
      g_string_append (shapes, input);
    }
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, shapes->str, shape,
                      _("(elementwise: the inputs' shapes agree, a size of 1 is repeated to match)"));
  ns_explain_no_params (explanation);

  if (out->extra_flops > 0 && ns_shape_elements (&out->output, &elements))
    {
      gboolean average = g_str_equal (in->type->keras_class, "Average");
      g_autofree char *count = ns_format_count (elements);
      g_autofree char *substituted =
        g_strdup_printf (average ? "%u × %s" : "(%u − 1) × %s", in->n_inputs, count);
      g_autofree char *result = ns_format_count (out->extra_flops);

      ns_explanation_add (explanation, NS_EXPLAIN_COST, _("Elementwise FLOPs"),
                          average ? "n·N" : "(n − 1)·N", substituted, result,
                          _("(n inputs, N elements of the output)"));
    }
}

#define ELEMENTWISE_MERGE(ident, class, title, name, text, min, max, op) \
  static const NsLayerType ident = {                            \
    .keras_class = class,                                       \
    .label = title,                                             \
    .description = text,                                        \
    .default_name = name,                                       \
    .category = NS_CATEGORY_MERGE,                              \
    .min_inputs = min,                                          \
    .max_inputs = max,                                          \
    .infer = elementwise_infer,                                 \
    .explain = elementwise_explain,                             \
    .forward = &op,                                             \
  }

ELEMENTWISE_MERGE (add, "Add", N_("Add"), "add",
                   N_("Adds its inputs element by element: residual connections"),
                   2, NS_INPUTS_MANY, ns_op_add);
ELEMENTWISE_MERGE (subtract, "Subtract", N_("Subtract"), "subtract",
                   N_("Subtracts the second input from the first, element by element"),
                   2, 2, ns_op_subtract);
ELEMENTWISE_MERGE (multiply, "Multiply", N_("Multiply"), "multiply",
                   N_("Multiplies its inputs element by element: gates and attention"),
                   2, NS_INPUTS_MANY, ns_op_multiply);
ELEMENTWISE_MERGE (average, "Average", N_("Average"), "average",
                   N_("Averages its inputs element by element"),
                   2, NS_INPUTS_MANY, ns_op_average);
ELEMENTWISE_MERGE (maximum, "Maximum", N_("Maximum"), "maximum",
                   N_("Keeps the largest of its inputs, element by element"),
                   2, NS_INPUTS_MANY, ns_op_maximum);
ELEMENTWISE_MERGE (minimum, "Minimum", N_("Minimum"), "minimum",
                   N_("Keeps the smallest of its inputs, element by element"),
                   2, NS_INPUTS_MANY, ns_op_minimum);

const NsLayerType *const ns_merge_layer_types[] = {
  &concatenate,
  &add,
  &subtract,
  &multiply,
  &average,
  &maximum,
  &minimum,
  NULL,
};
