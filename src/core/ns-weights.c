/* ns-weights.c: a layer's learned tensors. */
#include "config.h"

#include "ns-weights.h"

NsWeight *
ns_weight_new (const char    *name,
               const NsShape *shape,
               GBytes        *data)
{
  NsWeight *weight;
  gint64 n;

  g_return_val_if_fail (name != NULL && shape != NULL && data != NULL, NULL);

  if (!ns_shape_elements (shape, &n) || n == NS_DIM_NONE ||
      (guint64) n > G_MAXSIZE / sizeof (float) ||
      g_bytes_get_size (data) != (gsize) n * sizeof (float))
    return NULL;

  weight = g_new0 (NsWeight, 1);
  weight->name = g_strdup (name);
  weight->shape = *shape;
  weight->data = g_bytes_ref (data);
  return weight;
}

void
ns_weight_free (NsWeight *weight)
{
  if (weight == NULL)
    return;
  g_free (weight->name);
  g_bytes_unref (weight->data);
  g_free (weight);
}

gint64
ns_weight_get_n_values (const NsWeight *weight)
{
  return (gint64) (g_bytes_get_size (weight->data) / sizeof (float));
}

const float *
ns_weight_get_values (const NsWeight *weight)
{
  return g_bytes_get_data (weight->data, NULL);
}
