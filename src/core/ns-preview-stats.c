/* ns-preview-stats.c: figures of one sample's feature maps for the preview:
 * statistics, per-pixel class (argmax) and the top-k of a vector. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-preview-core.h"

gboolean
ns_feature_maps_init (NsFeatureMaps  *maps,
                      const NsTensor *tensor,
                      gint64          sample)
{
  gint64 height = 1, width = 1, channels = 1;

  g_return_val_if_fail (maps != NULL, FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);

  memset (maps, 0, sizeof *maps);
  if (tensor->rank < 1 || sample < 0 || sample >= tensor->dims[0])
    return FALSE;

  if (tensor->rank >= 2)
    channels = tensor->dims[tensor->rank - 1];
  if (tensor->rank >= 3)
    width = tensor->dims[tensor->rank - 2];
  for (guint i = 1; i + 2 < tensor->rank; i++)
    height *= tensor->dims[i];

  maps->data = tensor->data + sample * height * width * channels;
  maps->height = height;
  maps->width = width;
  maps->channels = channels;
  return TRUE;
}

void
ns_feature_maps_get_stats (const NsFeatureMaps *maps,
                           gint64               first_channel,
                           gint64               n_channels,
                           NsTensorStats       *stats)
{
  gint64 n_pixels, last;
  double sum = 0, squares = 0;
  gint64 finite = 0, zeros = 0;
  g_autofree gboolean *alive = NULL;

  g_return_if_fail (maps != NULL && stats != NULL);

  memset (stats, 0, sizeof *stats);
  first_channel = CLAMP (first_channel, 0, maps->channels);
  last = n_channels < 0 ? maps->channels : MIN (maps->channels, first_channel + n_channels);
  if (last <= first_channel)
    return;

  n_pixels = maps->height * maps->width;
  alive = g_new0 (gboolean, last - first_channel);
  stats->min = INFINITY;
  stats->max = -INFINITY;
  for (gint64 p = 0; p < n_pixels; p++)
    {
      const float *row = maps->data + p * maps->channels;

      for (gint64 c = first_channel; c < last; c++)
        {
          double v = row[c];

          if (v != 0)
            alive[c - first_channel] = TRUE;
          else
            zeros++;
          if (!isfinite (v))
            continue;
          finite++;
          sum += v;
          stats->min = MIN (stats->min, v);
          stats->max = MAX (stats->max, v);
        }
    }
  stats->count = n_pixels * (last - first_channel);
  stats->n_nonfinite = stats->count - finite;
  stats->zero_fraction = stats->count > 0 ? (double) zeros / (double) stats->count : 0;
  for (gint64 c = first_channel; c < last; c++)
    if (!alive[c - first_channel])
      stats->dead_channels++;
  if (finite == 0)
    {
      stats->min = stats->max = NAN;
      stats->mean = stats->std = NAN;
      return;
    }

  /* Two passes: the squared deviations from the mean keep precision that
   * sum-of-squares minus square-of-sum would lose on large activations. */
  stats->mean = sum / (double) finite;
  for (gint64 p = 0; p < n_pixels; p++)
    {
      const float *row = maps->data + p * maps->channels;

      for (gint64 c = first_channel; c < last; c++)
        if (isfinite (row[c]))
          squares += (row[c] - stats->mean) * (row[c] - stats->mean);
    }
  stats->std = sqrt (squares / (double) finite);
}

gboolean
ns_feature_maps_get_range (const NsFeatureMaps *maps,
                           gint64               channel,
                           double              *min,
                           double              *max)
{
  gint64 n_pixels = maps->height * maps->width;
  double lo = INFINITY, hi = -INFINITY;

  g_return_val_if_fail (channel >= 0 && channel < maps->channels, FALSE);

  for (gint64 p = 0; p < n_pixels; p++)
    {
      double v = maps->data[p * maps->channels + channel];

      if (!isfinite (v))
        continue;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  *min = lo;
  *max = hi;
  return lo <= hi;
}

void
ns_feature_maps_argmax (const NsFeatureMaps *maps,
                        guint32             *classes,
                        gint64              *counts)
{
  gint64 n_pixels = maps->height * maps->width;

  g_return_if_fail (maps != NULL && classes != NULL);

  if (counts != NULL)
    memset (counts, 0, MAX (maps->channels, 2) * sizeof *counts);
  for (gint64 p = 0; p < n_pixels; p++)
    {
      const float *row = maps->data + p * maps->channels;
      guint32 best = 0;

      if (maps->channels == 1)
        best = row[0] > 0.5f ? 1 : 0;
      else
        {
          /* NaN compares false both ways: a NaN first value is beaten by any number. */
          for (gint64 c = 1; c < maps->channels; c++)
            if (row[c] > row[best] || (isnan (row[best]) && !isnan (row[c])))
              best = (guint32) c;
        }
      classes[p] = best;
      if (counts != NULL)
        counts[best]++;
    }
}

/* Whether @values already are probabilities: none negative, summing to 1. */
static gboolean
is_distribution (const float *values,
                 gint64       n)
{
  double sum = 0;

  for (gint64 i = 0; i < n; i++)
    {
      if (!(values[i] >= 0))
        return FALSE;
      sum += values[i];
    }
  return fabs (sum - 1.0) < 1e-3;
}

guint
ns_top_k (const float *values,
          gint64       n,
          guint        k,
          NsTopEntry  *entries)
{
  guint filled = 0;
  gboolean distribution;
  double max = -INFINITY, denominator = 0;

  g_return_val_if_fail (values != NULL || n == 0, 0);
  g_return_val_if_fail (entries != NULL || k == 0, 0);

  /* Insertion into a sorted list of at most k: k is 5, n up to thousands. */
  for (gint64 i = 0; i < n; i++)
    {
      guint at;

      if (!isfinite (values[i]))
        continue;
      max = MAX (max, values[i]);
      if (filled == k && values[i] <= entries[k - 1].value)
        continue;
      at = filled < k ? filled++ : k - 1;
      while (at > 0 && entries[at - 1].value < values[i])
        {
          entries[at] = entries[at - 1];
          at--;
        }
      entries[at].index = i;
      entries[at].value = values[i];
    }

  distribution = is_distribution (values, n);
  if (!distribution)
    for (gint64 i = 0; i < n; i++)
      if (isfinite (values[i]))
        denominator += exp (values[i] - max);
  for (guint i = 0; i < filled; i++)
    entries[i].probability = distribution ? entries[i].value : exp (entries[i].value - max) / denominator;
  return filled;
}
