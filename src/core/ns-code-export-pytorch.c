/* ns-code-export-pytorch.c: a graph as a PyTorch nn.Module: layers with their
 * real sizes in __init__, forward() in graph order, NCHW inside. Keras'
 * channels-last shape (d1, …, C) is (C, d1, …) here. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-code-export.h"
#include "ns-keras-export.h"

typedef struct {
  GString    *classes;   /* nested models' classes, written before the outer one */
  GHashTable *names;     /* NsLayer* → Python variable */
  GError    **error;
} PyWriter;

static const NsValue *
value (NsLayer    *layer,
       const char *key)
{
  return ns_layer_get_value (layer, key);
}

static const NsShape *
input_shape (NsLayer *layer,
             guint    port)
{
  return &ns_layer_get_info (ns_layer_get_input (layer, port))->output;
}

/* A Keras axis (batch = 0, negative from the end) as an NCHW dim. */
static gint64
torch_dim (gint64 axis,
           guint  rank_with_batch)
{
  if (axis < 0)
    axis += rank_with_batch;
  if (axis == 0 || rank_with_batch <= 2)
    return axis;
  return axis == (gint64) rank_with_batch - 1 ? 1 : axis + 1;
}

static const char *
activation_expr (const char *name)
{
  static const struct { const char *keras, *torch; } table[] = {
    { "relu", "F.relu(%s)" }, { "relu6", "F.relu6(%s)" }, { "sigmoid", "torch.sigmoid(%s)" },
    { "hard_sigmoid", "F.hardsigmoid(%s)" }, { "tanh", "torch.tanh(%s)" },
    { "softmax", "F.softmax(%s, dim=1)" }, { "softplus", "F.softplus(%s)" },
    { "softsign", "F.softsign(%s)" }, { "elu", "F.elu(%s)" }, { "selu", "F.selu(%s)" },
    { "gelu", "F.gelu(%s)" }, { "swish", "F.silu(%s)" }, { "silu", "F.silu(%s)" },
    { "leaky_relu", "F.leaky_relu(%s, 0.2)" }, { "exponential", "torch.exp(%s)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (name, table[i].keras))
      return table[i].torch;
  return "%s";
}

static char *
apply_activation (NsLayer    *layer,
                  const char *expr)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  int index = ns_layer_type_find_prop (type, "activation");
  const char *format;

  if (index < 0)
    return g_strdup (expr);
  format = activation_expr (type->props[index].choices[ns_layer_get_values (layer)[index].choice]);
  /* The table's formats are literals with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (format, expr);
#pragma GCC diagnostic pop
}

/* Keras "same": total padding per axis, the extra pixel after (bottom/right). */
static gboolean
same_padding (NsLayer       *layer,
              const gint64   kernel[2],
              const gint64   stride[2],
              const gint64   dilation[2],
              gint64         pads[4],
              GError       **error)
{
  const NsShape *in = input_shape (layer, 0);

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 size = in->dims[axis];
      gint64 out, total;

      if (size == NS_DIM_NONE)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("cannot write PyTorch code: layer %s needs a known height and width for “same” padding"),
                       ns_layer_get_name (layer));
          return FALSE;
        }
      out = (size + stride[axis] - 1) / stride[axis];
      total = MAX ((out - 1) * stride[axis] + dilation[axis] * (kernel[axis] - 1) + 1 - size, 0);
      pads[2 * axis] = total / 2;
      pads[2 * axis + 1] = total - total / 2;
    }
  return TRUE;
}

/* Padding as PyTorch's conv/pool take it, or an F.pad in forward() when
 * Keras' "same" is asymmetric. Returns the padding argument. */
static char *
window_padding (NsLayer       *layer,
                const gint64   kernel[2],
                const gint64   stride[2],
                const gint64   dilation[2],
                char         **pre_pad,
                GError       **error)
{
  const NsValue *padding = value (layer, "padding");
  gint64 pads[4];

  *pre_pad = NULL;
  if (padding->padding.mode == NS_PADDING_VALID)
    return g_strdup ("0");
  if (padding->padding.mode == NS_PADDING_EXPLICIT)
    return g_strdup_printf ("(%" PRId64 ", %" PRId64 ")",
                            padding->padding.explicit_hw[0], padding->padding.explicit_hw[1]);
  if (!same_padding (layer, kernel, stride, dilation, pads, error))
    return NULL;
  if (pads[0] == pads[1] && pads[2] == pads[3])
    return g_strdup_printf ("(%" PRId64 ", %" PRId64 ")", pads[0], pads[2]);
  /* F.pad takes (left, right, top, bottom). */
  *pre_pad = g_strdup_printf ("(%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 ")",
                              pads[2], pads[3], pads[0], pads[1]);
  return g_strdup ("0");
}

static void
get_pair (NsLayer    *layer,
          const char *key,
          gint64      pair[2],
          gint64      fallback)
{
  const NsValue *v = value (layer, key);

  pair[0] = pair[1] = fallback;
  if (v != NULL && !v->is_null)
    {
      pair[0] = v->pair[0];
      pair[1] = v->pair[1];
    }
}

/* Writes the module attribute (to @init) and the forward statement (to
 * @forward) of one layer reading @args. */
static gboolean
write_layer (PyWriter   *w,
             NsLayer    *layer,
             const char *var,
             char      **args,
             GString    *init,
             GString    *forward)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const char *cls = type->keras_class;
  const NsShape *out = &ns_layer_get_info (layer)->output;
  const char *x = ns_layer_get_n_inputs (layer) > 0 ? args[0] : NULL;
  gint64 cin = x != NULL ? input_shape (layer, 0)->dims[input_shape (layer, 0)->rank - 1] : 0;
  g_autofree char *expr = NULL;

  if (g_str_equal (cls, "Conv2D") || g_str_equal (cls, "DepthwiseConv2D") ||
      g_str_equal (cls, "SeparableConv2D") || g_str_equal (cls, "MaxPooling2D") ||
      g_str_equal (cls, "AveragePooling2D"))
    {
      gboolean pool = strstr (cls, "Pooling") != NULL;
      gint64 kernel[2], stride[2], dilation[2];
      g_autofree char *pre_pad = NULL;
      g_autofree char *padding = NULL;
      g_autofree char *input = NULL;

      get_pair (layer, pool ? "pool_size" : "kernel_size", kernel, 1);
      get_pair (layer, "strides", stride, 0);
      if (stride[0] == 0)
        memcpy (stride, kernel, sizeof stride);
      get_pair (layer, "dilation_rate", dilation, 1);
      padding = window_padding (layer, kernel, stride, dilation, &pre_pad, w->error);
      if (padding == NULL)
        return FALSE;
      input = pre_pad == NULL ? g_strdup (x)
              : g_strdup_printf ("F.pad(%s, %s%s)", x, pre_pad,
                                 g_str_equal (cls, "MaxPooling2D") ? ", value=float(\"-inf\")" : "");
      if (pool)
        {
          gboolean max = g_str_equal (cls, "MaxPooling2D");
          g_string_append_printf (init, "        self.%s = nn.%s(kernel_size=(%" PRId64 ", %" PRId64 "), "
                                  "stride=(%" PRId64 ", %" PRId64 "), padding=%s%s)\n",
                                  var, max ? "MaxPool2d" : "AvgPool2d", kernel[0], kernel[1],
                                  stride[0], stride[1], padding, max ? "" : ", count_include_pad=False");
          expr = g_strdup_printf ("self.%s(%s)", var, input);
        }
      else if (g_str_equal (cls, "SeparableConv2D"))
        {
          gint64 mult = value (layer, "depth_multiplier")->integer;
          g_string_append_printf (init, "        self.%s_depthwise = nn.Conv2d(%" PRId64 ", %" PRId64 ", "
                                  "kernel_size=(%" PRId64 ", %" PRId64 "), stride=(%" PRId64 ", %" PRId64 "), "
                                  "padding=%s, dilation=(%" PRId64 ", %" PRId64 "), groups=%" PRId64 ", bias=False)\n",
                                  var, cin, cin * mult, kernel[0], kernel[1], stride[0], stride[1], padding,
                                  dilation[0], dilation[1], cin);
          g_string_append_printf (init, "        self.%s_pointwise = nn.Conv2d(%" PRId64 ", %" PRId64 ", "
                                  "kernel_size=1, bias=%s)\n", var, cin * mult,
                                  value (layer, "filters")->integer,
                                  value (layer, "use_bias")->boolean ? "True" : "False");
          expr = g_strdup_printf ("self.%s_pointwise(self.%s_depthwise(%s))", var, var, input);
        }
      else
        {
          gboolean depthwise = g_str_equal (cls, "DepthwiseConv2D");
          gint64 cout = depthwise ? cin * value (layer, "depth_multiplier")->integer
                                  : value (layer, "filters")->integer;
          gint64 groups = depthwise ? cin : value (layer, "groups")->integer;

          g_string_append_printf (init, "        self.%s = nn.Conv2d(%" PRId64 ", %" PRId64 ", "
                                  "kernel_size=(%" PRId64 ", %" PRId64 "), stride=(%" PRId64 ", %" PRId64 "), "
                                  "padding=%s, dilation=(%" PRId64 ", %" PRId64 "), groups=%" PRId64 ", bias=%s)\n",
                                  var, cin, cout, kernel[0], kernel[1], stride[0], stride[1], padding,
                                  dilation[0], dilation[1], groups,
                                  value (layer, "use_bias")->boolean ? "True" : "False");
          expr = g_strdup_printf ("self.%s(%s)", var, input);
        }
    }
  else if (g_str_equal (cls, "Conv2DTranspose"))
    {
      const NsValue *padding = value (layer, "padding");
      const NsShape *in = input_shape (layer, 0);
      gint64 kernel[2], stride[2], dilation[2], pad[2] = { 0, 0 }, extra[2];
      GString *crop = g_string_new (NULL);

      get_pair (layer, "kernel_size", kernel, 1);
      get_pair (layer, "strides", stride, 1);
      get_pair (layer, "dilation_rate", dilation, 1);
      if (padding->padding.mode == NS_PADDING_EXPLICIT)
        memcpy (pad, padding->padding.explicit_hw, sizeof pad);
      /* What PyTorch gives minus what Keras gives: taken off by padding when
       * it splits evenly, else cropped after; added by output_padding. */
      for (guint a = 0; a < 2; a++)
        {
          gint64 torch_size = (in->dims[a] - 1) * stride[a] - 2 * pad[a] + dilation[a] * (kernel[a] - 1) + 1;
          extra[a] = torch_size - out->dims[a];
          if (extra[a] > 0 && extra[a] % 2 == 0)
            {
              pad[a] += extra[a] / 2;
              extra[a] = 0;
            }
        }
      g_string_append_printf (init, "        self.%s = nn.ConvTranspose2d(%" PRId64 ", %" PRId64 ", "
                              "kernel_size=(%" PRId64 ", %" PRId64 "), stride=(%" PRId64 ", %" PRId64 "), "
                              "padding=(%" PRId64 ", %" PRId64 "), output_padding=(%" PRId64 ", %" PRId64 "), "
                              "dilation=(%" PRId64 ", %" PRId64 "), bias=%s)\n",
                              var, cin, value (layer, "filters")->integer, kernel[0], kernel[1],
                              stride[0], stride[1], pad[0], pad[1], MAX (-extra[0], 0), MAX (-extra[1], 0),
                              dilation[0], dilation[1],
                              value (layer, "use_bias")->boolean ? "True" : "False");
      g_string_append_printf (crop, "self.%s(%s)", var, x);
      /* As Keras' "same" pads its forward conv: the odd pixel at the bottom / right. */
      if (extra[0] > 0 || extra[1] > 0)
        g_string_append_printf (crop, "[:, :, %" PRId64 ":%" PRId64 ", %" PRId64 ":%" PRId64 "]",
                                MAX (extra[0], 0) / 2, MAX (extra[0], 0) / 2 + out->dims[0],
                                MAX (extra[1], 0) / 2, MAX (extra[1], 0) / 2 + out->dims[1]);
      expr = g_string_free (crop, FALSE);
    }
  else if (g_str_equal (cls, "Dense"))
    {
      g_string_append_printf (init, "        self.%s = nn.Linear(%" PRId64 ", %" PRId64 ", bias=%s)\n",
                              var, cin, value (layer, "units")->integer,
                              value (layer, "use_bias")->boolean ? "True" : "False");
      expr = out->rank == 1 ? g_strdup_printf ("self.%s(%s)", var, x)
                            : g_strdup_printf ("self.%s(%s.movedim(1, -1)).movedim(-1, 1)", var, x);
    }
  else if (g_str_equal (cls, "BatchNormalization"))
    {
      gboolean affine = value (layer, "center")->boolean || value (layer, "scale")->boolean;

      g_string_append_printf (init, "        self.%s = nn.BatchNorm%dd(%" PRId64 ", eps=%g, momentum=%g%s)\n",
                              var, out->rank >= 3 ? 2 : 1, cin, value (layer, "epsilon")->real,
                              1.0 - value (layer, "momentum")->real, affine ? "" : ", affine=False");
      expr = g_strdup_printf ("self.%s(%s)", var, x);
    }
  else if (g_str_equal (cls, "LayerNormalization"))
    {
      g_string_append_printf (init, "        self.%s = nn.LayerNorm(%" PRId64 ", eps=%g)\n",
                              var, cin, value (layer, "epsilon")->real);
      expr = out->rank == 1 ? g_strdup_printf ("self.%s(%s)", var, x)
                            : g_strdup_printf ("self.%s(%s.movedim(1, -1)).movedim(-1, 1)", var, x);
    }
  else if (g_str_equal (cls, "Concatenate") || g_str_equal (cls, "Add") ||
           g_str_equal (cls, "Multiply") || g_str_equal (cls, "Average") ||
           g_str_equal (cls, "Subtract") || g_str_equal (cls, "Maximum") || g_str_equal (cls, "Minimum"))
    {
      g_autofree char *list = g_strjoinv (", ", args);
      g_autofree char *sum = g_strjoinv (" + ", args);
      g_autofree char *product = g_strjoinv (" * ", args);
      guint n = ns_layer_get_n_inputs (layer);

      if (g_str_equal (cls, "Concatenate"))
        expr = g_strdup_printf ("torch.cat([%s], dim=%" PRId64 ")", list,
                                torch_dim (value (layer, "axis")->integer, out->rank + 1));
      else if (g_str_equal (cls, "Add"))
        expr = g_strdup_printf ("(%s)", sum);
      else if (g_str_equal (cls, "Multiply"))
        expr = g_strdup_printf ("(%s)", product);
      else if (g_str_equal (cls, "Average"))
        expr = g_strdup_printf ("((%s) / %u)", sum, n);
      else if (g_str_equal (cls, "Subtract"))
        expr = g_strdup_printf ("(%s - %s)", args[0], args[1]);
      else
        expr = g_strdup_printf ("torch.stack([%s]).%s(dim=0)%s", list,
                                g_str_equal (cls, "Maximum") ? "max" : "min", ".values");
    }
  else if (g_str_equal (cls, "Activation"))
    expr = apply_activation (layer, x);
  else if (g_str_equal (cls, "ReLU"))
    {
      const NsValue *max = value (layer, "max_value");
      double slope = value (layer, "negative_slope")->real, threshold = value (layer, "threshold")->real;
      g_autofree char *base = slope == 0 && threshold == 0
                              ? g_strdup_printf ("F.relu(%s)", x)
                              : g_strdup_printf ("torch.where(%s >= %g, %s, %g * (%s - %g))",
                                                 x, threshold, x, slope, x, threshold);
      expr = max->is_null ? g_steal_pointer (&base)
                          : g_strdup_printf ("torch.clamp(%s, max=%g)", base, max->real);
    }
  else if (g_str_equal (cls, "LeakyReLU"))
    expr = g_strdup_printf ("F.leaky_relu(%s, %g)", x, value (layer, "alpha")->real);
  else if (g_str_equal (cls, "ELU"))
    expr = g_strdup_printf ("F.elu(%s, %g)", x, value (layer, "alpha")->real);
  else if (g_str_equal (cls, "Softmax"))
    expr = g_strdup_printf ("F.softmax(%s, dim=%" PRId64 ")", x,
                            torch_dim (value (layer, "axis")->integer, out->rank + 1));
  else if (g_str_equal (cls, "PReLU"))
    {
      const NsValue *shared = value (layer, "shared_axes");
      gint64 dims[NS_MAX_RANK];
      GString *shape = g_string_new (NULL);

      /* Keras learns one α per element, but along the shared axes. */
      for (guint i = 0; i < out->rank; i++)
        dims[i] = out->dims[i];
      for (guint i = 0; !shared->is_null && i < shared->ints.len; i++)
        if (shared->ints.items[i] >= 1 && shared->ints.items[i] <= (gint64) out->rank)
          dims[shared->ints.items[i] - 1] = 1;
      g_string_append_printf (shape, "%" PRId64, dims[out->rank - 1]);
      for (guint i = 0; i + 1 < out->rank; i++)
        g_string_append_printf (shape, ", %" PRId64, dims[i]);
      g_string_append_printf (init, "        self.%s_alpha = nn.Parameter(torch.zeros(%s))\n", var, shape->str);
      g_string_free (shape, TRUE);
      expr = g_strdup_printf ("(F.relu(%s) - self.%s_alpha * F.relu(-%s))", x, var, x);
    }
  else if (g_str_equal (cls, "Dropout"))
    {
      g_string_append_printf (init, "        self.%s = nn.Dropout(%g)\n", var, value (layer, "rate")->real);
      expr = g_strdup_printf ("self.%s(%s)", var, x);
    }
  else if (g_str_equal (cls, "SpatialDropout2D"))
    {
      g_string_append_printf (init, "        self.%s = nn.Dropout2d(%g)\n", var, value (layer, "rate")->real);
      expr = g_strdup_printf ("self.%s(%s)", var, x);
    }
  else if (g_str_equal (cls, "GaussianNoise"))
    expr = g_strdup_printf ("(%s + %g * torch.randn_like(%s) if self.training else %s)",
                            x, value (layer, "stddev")->real, x, x);
  else if (g_str_equal (cls, "GlobalAveragePooling2D") || g_str_equal (cls, "GlobalMaxPooling2D"))
    expr = g_strdup_printf ("torch.%s(%s, dim=(2, 3), keepdim=%s)",
                            strstr (cls, "Max") != NULL ? "amax" : "mean", x,
                            value (layer, "keepdims")->boolean ? "True" : "False");
  else if (g_str_equal (cls, "UpSampling2D"))
    {
      const NsValue *size = value (layer, "size");
      const NsValue *mode = value (layer, "interpolation");
      const NsLayerType *t = type;
      int index = ns_layer_type_find_prop (t, "interpolation");

      g_string_append_printf (init, "        self.%s = nn.Upsample(scale_factor=(%" PRId64 ", %" PRId64 "), mode=\"%s\")\n",
                              var, size->pair[0], size->pair[1], t->props[index].choices[mode->choice]);
      expr = g_strdup_printf ("self.%s(%s)", var, x);
    }
  else if (g_str_equal (cls, "ZeroPadding2D"))
    {
      const gint64 *m = value (layer, "padding")->margins;

      g_string_append_printf (init, "        self.%s = nn.ZeroPad2d((%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "))\n",
                              var, m[2], m[3], m[0], m[1]);
      expr = g_strdup_printf ("self.%s(%s)", var, x);
    }
  else if (g_str_equal (cls, "Cropping2D"))
    {
      const gint64 *m = value (layer, "cropping")->margins;

      expr = g_strdup_printf ("%s[:, :, %" PRId64 ":%" PRId64 ", %" PRId64 ":%" PRId64 "]", x,
                              m[0], m[0] + out->dims[0], m[2], m[2] + out->dims[1]);
    }
  else if (g_str_equal (cls, "Flatten") || g_str_equal (cls, "Reshape") ||
           g_str_equal (cls, "Permute") || g_str_equal (cls, "RepeatVector"))
    {
      /* Keras orders elements channels-last: go there, do it, come back. */
      GString *target = g_string_new (NULL);

      for (guint i = 0; i < out->rank; i++)
        g_string_append_printf (target, ", %" PRId64, out->dims[i]);
      if (g_str_equal (cls, "Permute"))
        {
          const NsValue *dims = value (layer, "dims");
          GString *order = g_string_new ("0");

          for (guint i = 0; i < dims->ints.len; i++)
            g_string_append_printf (order, ", %" PRId64, dims->ints.items[i]);
          expr = g_strdup_printf ("_to_channels_first(_to_channels_last(%s).permute(%s))", x, order->str);
          g_string_free (order, TRUE);
        }
      else if (g_str_equal (cls, "RepeatVector"))
        expr = g_strdup_printf ("%s.unsqueeze(2).expand(-1, -1, %" PRId64 ")", x, value (layer, "n")->integer);
      else
        expr = g_strdup_printf ("_to_channels_first(_to_channels_last(%s).reshape(%s.shape[0]%s))",
                                x, x, target->str);
      g_string_free (target, TRUE);
    }
  else if (ns_layer_get_subgraph (layer) != NULL)
    {
      g_autofree char *cls_name = ns_code_class_name (ns_layer_get_name (layer));
      g_autofree char *list = g_strjoinv (", ", args);
      char *inner = ns_code_export_pytorch (ns_layer_get_subgraph (layer), w->error);

      if (inner == NULL)
        return FALSE;
      /* The nested model's module, without its header, renamed after the layer. */
      {
        g_autofree char *inner_cls = ns_code_class_name (ns_graph_get_name (ns_layer_get_subgraph (layer)));
        const char *start = strstr (inner, "\nclass ");
        g_autofree char *needle = g_strdup_printf ("class %s(", inner_cls);
        g_autofree char *replacement = g_strdup_printf ("class %s(", cls_name);
        g_auto(GStrv) parts = g_strsplit (start != NULL ? start : inner, needle, -1);
        g_autofree char *renamed = g_strjoinv (replacement, parts);

        g_string_append_printf (w->classes, "%s\n", renamed);
        g_free (inner);
      }
      g_string_append_printf (init, "        self.%s = %s()\n", var, cls_name);
      expr = g_strdup_printf ("self.%s(%s)", var, list);
    }
  else
    {
      g_set_error (w->error, NS_ERROR, NS_ERROR_UNKNOWN_TYPE,
                   _("cannot write PyTorch code: layer %s (%s) has no PyTorch equivalent"),
                   ns_layer_get_name (layer),
                   g_str_equal (cls, "OpaqueLayer") ? value (layer, "class_name")->string : cls);
      return FALSE;
    }

  if (!g_str_equal (cls, "Activation"))
    {
      g_autofree char *activated = apply_activation (layer, expr);
      g_string_append_printf (forward, "        %s = %s\n", var, activated);
    }
  else
    g_string_append_printf (forward, "        %s = %s\n", var, expr);
  return TRUE;
}

char *
ns_code_export_pytorch (NsGraph  *graph,
                        GError  **error)
{
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autofree char *class_name = NULL;
  GString *init, *forward, *params, *result;
  PyWriter w;
  GPtrArray *layers;
  gboolean ok = TRUE;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  if (!ns_export_check_graph (graph, error))
    return NULL;

  names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  w = (PyWriter) { g_string_new (NULL), names, error };
  init = g_string_new (NULL);
  forward = g_string_new (NULL);
  params = g_string_new (NULL);
  inputs = ns_graph_get_inputs (graph);
  outputs = ns_graph_get_outputs (graph);
  layers = ns_graph_get_sorted_layers (graph);
  class_name = ns_code_class_name (ns_graph_get_name (graph));

  for (guint i = 0; i < layers->len && ok; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      char *var = ns_code_identifier (ns_layer_get_name (layer));
      guint n = ns_layer_get_n_inputs (layer);
      g_autofree char **args = g_new0 (char *, n + 1);

      g_hash_table_insert (names, layer, var);
      if (g_str_equal (ns_layer_get_layer_type (layer)->keras_class, "InputLayer"))
        {
          g_string_append_printf (params, ", %s", var);
          continue;
        }
      for (guint p = 0; p < n; p++)
        args[p] = g_hash_table_lookup (names, ns_layer_get_input (layer, p));
      ok = write_layer (&w, layer, var, args, init, forward);
    }

  if (!ok)
    {
      g_string_free (init, TRUE);
      g_string_free (forward, TRUE);
      g_string_free (params, TRUE);
      g_string_free (w.classes, TRUE);
      return NULL;
    }

  result = g_string_new (NULL);
  g_string_append_printf (result,
                          "# Generated by Netsketch %s from the model “%s”.\n"
                          "# %s takes and returns NCHW tensors (batch, channels, height, width),\n"
                          "# PyTorch’s order: Keras’ (None, H, W, C) is (N, C, H, W) here.\n"
                          "import torch\n"
                          "import torch.nn as nn\n"
                          "import torch.nn.functional as F\n\n\n"
                          "def _to_channels_last(x):\n"
                          "    return x.movedim(1, -1) if x.dim() > 2 else x\n\n\n"
                          "def _to_channels_first(x):\n"
                          "    return x.movedim(-1, 1) if x.dim() > 2 else x\n\n",
                          PACKAGE_VERSION, ns_graph_get_name (graph), class_name);
  g_string_append (result, w.classes->str);
  g_string_append_printf (result, "\nclass %s(nn.Module):\n    def __init__(self):\n        super().__init__()\n%s",
                          class_name, init->str);
  g_string_append_printf (result, "\n    def forward(self%s):\n%s        return ", params->str, forward->str);
  for (guint i = 0; i < outputs->len; i++)
    g_string_append_printf (result, "%s%s", i > 0 ? ", " : "",
                            (char *) g_hash_table_lookup (names, g_ptr_array_index (outputs, i)));
  g_string_append_c (result, '\n');

  g_string_free (init, TRUE);
  g_string_free (forward, TRUE);
  g_string_free (params, TRUE);
  g_string_free (w.classes, TRUE);
  return g_string_free (result, FALSE);
}
