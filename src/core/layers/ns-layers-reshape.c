/* ns-layers-reshape.c: layers that rearrange a tensor's values without
 * weights: Flatten, Reshape, Permute, RepeatVector. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

/* "(4, 26, −1)": a list of dims as Keras prints a tuple, with a real minus. */
static char *
ints_to_tuple (const gint64 *items,
               guint         len)
{
  GString *text = g_string_new ("(");

  for (guint i = 0; i < len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      if (items[i] == NS_DIM_NONE)
        g_string_append (text, "−1");
      else
        g_string_append_printf (text, "%" PRId64, items[i]);
    }
  if (len == 1)
    g_string_append_c (text, ',');
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}
/* ---- Flatten ------------------------------------------------------------- */

static gboolean
flatten_infer (const NsInferInput *in,
               NsInferResult      *out,
               GError            **error)
{
  gint64 elements;

  if (in->inputs[0]->rank < 1)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   _("expects an input with at least one dimension besides the batch"));
      return FALSE;
    }
  if (!ns_shape_elements (in->inputs[0], &elements))
    return ns_infer_fail_overflow (error);
  out->rf_global = TRUE;
  return ns_infer_set_output (out, 1, &elements, error);
}

static void
flatten_explain (const NsInferInput  *in,
                 const NsInferResult *out,
                 NsExplanation       *explanation)
{
  const NsShape *input = in->inputs[0];
  g_autofree char *substituted = ns_dims_to_product (input->dims, input->rank);
  g_autofree char *result = ns_dim_to_string (out->output.dims[0]);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output length"),
                      input->rank == 3 ? "N = H·W·C" : NULL,
                      input->rank > 1 ? substituted : NULL, result,
                      _("(every element of a sample in one row)"));
  ns_explain_no_params (explanation);
}

static const NsLayerType flatten = {
  .keras_class = "Flatten",
  .label = N_("Flatten"),
  .description = N_("Lays every element of a sample out in one vector"),
  .default_name = "flatten",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .infer = flatten_infer,
  .explain = flatten_explain,
  .forward = &ns_op_reshape,
};

/* ---- Reshape ------------------------------------------------------------- */

enum {
  RESHAPE_TARGET_SHAPE,
};

static const NsPropDecl reshape_props[] = {
  /* −1 stands for the one dimension worked out from the element count. */
  [RESHAPE_TARGET_SHAPE] = {
    .key = "target_shape", .label = N_("Target shape"), .kind = NS_PROP_INTS,
    .min = -1, .max = G_MAXINT32, .default_json = "[-1]",
  },
};

/* Checks the target and multiplies its known dims; *@unknown is the index of
 * the −1 or −1 when there is none. */
static gboolean
reshape_target (const NsInferInput *in,
                gint64             *known,
                int                *unknown,
                GError            **error)
{
  const NsValue *target = &in->values[RESHAPE_TARGET_SHAPE];
  g_autofree char *text = ints_to_tuple (target->ints.items, target->ints.len);

  if (target->ints.len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE, _("the target shape is empty"));
      return FALSE;
    }

  *known = 1;
  *unknown = -1;
  for (guint i = 0; i < target->ints.len; i++)
    {
      gint64 dim = target->ints.items[i];

      if (dim == -1)
        {
          if (*unknown >= 0)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                           _("target shape %s has more than one −1; only one dimension can be inferred"),
                           text);
              return FALSE;
            }
          *unknown = (int) i;
        }
      else if (dim < 1)
        {
          g_autofree char *bad = ns_signed_to_string (dim);

          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("target shape %s has a dimension of %s; dimensions must be at least 1 "
                         "(or −1 to infer one)"),
                       text, bad);
          return FALSE;
        }
      else if (!ns_checked_mul (*known, dim, known))
        return ns_infer_fail_overflow (error);
    }
  return TRUE;
}

static gboolean
reshape_infer (const NsInferInput *in,
               NsInferResult      *out,
               GError            **error)
{
  const NsValue *target = &in->values[RESHAPE_TARGET_SHAPE];
  g_autofree char *text = ints_to_tuple (target->ints.items, target->ints.len);
  gint64 dims[NS_MAX_RANK], known, elements;
  int unknown;

  if (!reshape_target (in, &known, &unknown, error))
    return FALSE;
  if (!ns_shape_elements (in->inputs[0], &elements))
    return ns_infer_fail_overflow (error);

  memcpy (dims, target->ints.items, target->ints.len * sizeof (gint64));
  if (elements == NS_DIM_NONE)
    {
      /* An unknown input size leaves the −1 unknown too (Keras prints None). */
      if (unknown >= 0)
        dims[unknown] = NS_DIM_NONE;
      return ns_infer_set_output (out, target->ints.len, dims, error);
    }

  if (unknown >= 0)
    {
      if (elements % known != 0)
        {
          g_autofree char *have = ns_signed_to_string (elements);
          g_autofree char *other = ns_signed_to_string (known);

          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("cannot infer the −1 in target shape %s: the input's %s elements are "
                         "not a multiple of %s"),
                       text, have, other);
          return FALSE;
        }
      dims[unknown] = elements / known;
    }
  else if (known != elements)
    {
      g_autofree char *input = ns_shape_to_keras (in->inputs[0]);
      g_autofree char *want = ns_signed_to_string (known);
      g_autofree char *have = ns_signed_to_string (elements);

      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   _("target shape %s has %s elements, the input %s has %s"),
                   text, want, input, have);
      return FALSE;
    }
  return ns_infer_set_output (out, target->ints.len, dims, error);
}

static void
reshape_explain (const NsInferInput  *in,
                 const NsInferResult *out,
                 NsExplanation       *explanation)
{
  const NsShape *input = in->inputs[0];
  const NsValue *target = &in->values[RESHAPE_TARGET_SHAPE];
  g_autofree char *product = ns_dims_to_product (input->dims, input->rank);
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  gint64 elements = NS_DIM_NONE;
  g_autofree char *count = NULL;
  int unknown = -1;

  ns_shape_elements (input, &elements);
  count = ns_dim_to_string (elements);
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Elements per sample"),
                      NULL, input->rank > 1 ? product : NULL, count,
                      _("(a reshape keeps the element count)"));

  for (guint i = 0; i < target->ints.len; i++)
    if (target->ints.items[i] == -1)
      unknown = (int) i;
  if (unknown >= 0 && elements != NS_DIM_NONE)
    {
      GString *others = g_string_new (NULL);
      g_autofree char *result = ns_dim_to_string (out->output.dims[unknown]);
      g_autofree char *substituted = NULL;
      guint n_others = 0;

      for (guint i = 0; i < target->ints.len; i++)
        if ((int) i != unknown)
          g_string_append_printf (others, n_others++ ? " × %" PRId64 : "%" PRId64,
                                  target->ints.items[i]);
      if (n_others == 0)
        g_string_append_c (others, '1');
      substituted = g_strdup_printf (n_others > 1 ? "%s / (%s)" : "%s / %s", count, others->str);
      g_string_free (others, TRUE);
      ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Inferred dimension (−1)"),
                          _("elements / product of the other dimensions"),
                          substituted, result, NULL);
    }

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"),
                      NULL, NULL, shape, NULL);
  ns_explain_no_params (explanation);
}

static char *
reshape_describe (const NsInferInput *in)
{
  const NsValue *target = &in->values[RESHAPE_TARGET_SHAPE];
  g_autofree char *text = ints_to_tuple (target->ints.items, target->ints.len);

  return g_strdup_printf ("→ %s", text);
}

static const NsLayerType reshape = {
  .keras_class = "Reshape",
  .label = N_("Reshape"),
  .description = N_("Gives the same elements a new shape"),
  .default_name = "reshape",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = reshape_props,
  .n_props = NS_N_PROPS (reshape_props),
  .infer = reshape_infer,
  .explain = reshape_explain,
  .describe = reshape_describe,
  .forward = &ns_op_reshape,
};

/* ---- Permute ------------------------------------------------------------- */

enum {
  PERMUTE_DIMS,
};

static const NsPropDecl permute_props[] = {
  /* 1-based as in Keras: 1 is the first dimension after the batch. */
  [PERMUTE_DIMS] = {
    .key = "dims", .label = N_("Dimensions"), .kind = NS_PROP_INTS,
    .min = 1, .max = NS_MAX_RANK, .default_json = "[2, 1, 3]",
  },
};

static gboolean
permute_infer (const NsInferInput *in,
               NsInferResult      *out,
               GError            **error)
{
  const NsShape *input = in->inputs[0];
  const NsValue *order = &in->values[PERMUTE_DIMS];
  g_autofree char *text = ints_to_tuple (order->ints.items, order->ints.len);
  gboolean seen[NS_MAX_RANK] = { FALSE, };
  gint64 dims[NS_MAX_RANK];

  if (order->ints.len != input->rank)
    {
      g_autofree char *shape = ns_shape_to_keras (input);

      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "dims %s has %u entries, the input %s has %u dimension after the batch",
                                "dims %s has %u entries, the input %s has %u dimensions after the batch",
                                input->rank),
                   text, order->ints.len, shape, input->rank);
      return FALSE;
    }

  for (guint i = 0; i < order->ints.len; i++)
    {
      gint64 axis = order->ints.items[i];

      if (axis < 1 || axis > (gint64) input->rank || seen[axis - 1])
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("dims %s is not a permutation of 1…%u"), text, input->rank);
          return FALSE;
        }
      seen[axis - 1] = TRUE;
      dims[i] = input->dims[axis - 1];
    }
  return ns_infer_set_output (out, input->rank, dims, error);
}

static void
permute_explain (const NsInferInput  *in,
                 const NsInferResult *out,
                 NsExplanation       *explanation)
{
  const NsValue *order = &in->values[PERMUTE_DIMS];
  g_autofree char *text = ints_to_tuple (order->ints.items, order->ints.len);
  g_autofree char *input = ns_shape_to_keras (in->inputs[0]);
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *substituted = g_strdup_printf (_("%s reordered by %s"), input, text);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"),
                      _("output dimension i = input dimension dims[i]"),
                      substituted, shape, NULL);
  ns_explain_no_params (explanation);
}

static char *
permute_describe (const NsInferInput *in)
{
  const NsValue *order = &in->values[PERMUTE_DIMS];

  return ints_to_tuple (order->ints.items, order->ints.len);
}

static const NsLayerType permute = {
  .keras_class = "Permute",
  .label = N_("Permute"),
  .description = N_("Reorders the dimensions after the batch"),
  .default_name = "permute",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = permute_props,
  .n_props = NS_N_PROPS (permute_props),
  .infer = permute_infer,
  .explain = permute_explain,
  .describe = permute_describe,
  .forward = &ns_op_permute,
};

/* ---- RepeatVector --------------------------------------------------------- */

enum {
  REPEAT_N,
};

static const NsPropDecl repeat_props[] = {
  [REPEAT_N] = {
    .key = "n", .label = N_("Repetitions"), .kind = NS_PROP_INT,
    .min = 1, .max = G_MAXINT32, .default_json = "2",
  },
};

static gboolean
repeat_infer (const NsInferInput *in,
              NsInferResult      *out,
              GError            **error)
{
  gint64 dims[2];

  if (!ns_infer_expect_rank (in, 0, 1, error))
    return FALSE;
  dims[0] = in->values[REPEAT_N].integer;
  dims[1] = in->inputs[0]->dims[0];
  return ns_infer_set_output (out, 2, dims, error);
}

static void
repeat_explain (const NsInferInput  *in,
                const NsInferResult *out,
                NsExplanation       *explanation)
{
  g_autofree char *features = ns_dim_to_string (in->inputs[0]->dims[0]);
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *substituted =
    g_strdup_printf ("(%" PRId64 ", %s)", in->values[REPEAT_N].integer, features);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), "(n, F)",
                      substituted, shape, NULL);
  ns_explain_no_params (explanation);
}

static char *
repeat_describe (const NsInferInput *in)
{
  return g_strdup_printf ("×%" PRId64, in->values[REPEAT_N].integer);
}

static const NsLayerType repeat_vector = {
  .keras_class = "RepeatVector",
  .label = N_("Repeat vector"),
  .description = N_("Repeats a vector n times, making a sequence"),
  .default_name = "repeat_vector",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = repeat_props,
  .n_props = NS_N_PROPS (repeat_props),
  .infer = repeat_infer,
  .explain = repeat_explain,
  .describe = repeat_describe,
  .forward = &ns_op_repeat_vector,
};
const NsLayerType *const ns_reshape_layer_types[] = {
  &flatten,
  &reshape,
  &permute,
  &repeat_vector,
  NULL,
};
