/* ns-preview-input.c: the preview's input tensors: an image resized to the
 * Input layer and normalised, or seeded noise. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-preview-core.h"
#include "ns-shape.h"

void
ns_normalization_init (NsNormalization *norm,
                       NsNormalizeMode  mode)
{
  static const double imagenet_mean[3] = { 0.485, 0.456, 0.406 };
  static const double imagenet_std[3] = { 0.229, 0.224, 0.225 };

  g_return_if_fail (norm != NULL);
  g_return_if_fail (mode < NS_N_NORMALIZE_MODES);

  norm->mode = mode;
  for (guint c = 0; c < 3; c++)
    {
      switch (mode)
        {
        case NS_NORMALIZE_SYMMETRIC:
          norm->mean[c] = 0.5;
          norm->std[c] = 0.5;
          break;
        case NS_NORMALIZE_IMAGENET:
          norm->mean[c] = imagenet_mean[c];
          norm->std[c] = imagenet_std[c];
          break;
        case NS_NORMALIZE_RAW:
          norm->mean[c] = 0;
          norm->std[c] = 1.0 / 255.0;
          break;
        case NS_NORMALIZE_UNIT:
        case NS_NORMALIZE_CUSTOM:
        default:
          norm->mean[c] = 0;
          norm->std[c] = 1;
          break;
        }
    }
}

static gboolean
all_equal (const double *v)
{
  return v[0] == v[1] && v[1] == v[2];
}

static void
append_triple (GString      *out,
               const double *v)
{
  if (all_equal (v))
    g_string_append_printf (out, "%g", v[0]);
  else
    g_string_append_printf (out, "(%g, %g, %g)", v[0], v[1], v[2]);
}

char *
ns_normalization_describe (const NsNormalization *norm)
{
  GString *out;

  g_return_val_if_fail (norm != NULL, NULL);

  switch (norm->mode)
    {
    case NS_NORMALIZE_UNIT:
      return g_strdup ("x / 255 → [0, 1]");
    case NS_NORMALIZE_SYMMETRIC:
      return g_strdup ("x / 127.5 − 1 → [−1, 1]");
    case NS_NORMALIZE_RAW:
      return g_strdup ("x → [0, 255]");
    case NS_NORMALIZE_IMAGENET:
    case NS_NORMALIZE_CUSTOM:
    default:
      break;
    }
  out = g_string_new ("(x / 255 − μ) / σ, μ = ");
  append_triple (out, norm->mean);
  g_string_append (out, ", σ = ");
  append_triple (out, norm->std);
  return g_string_free (out, FALSE);
}

double
ns_normalization_apply (const NsNormalization *norm,
                        guint                  channel,
                        double                 x)
{
  double mean, std;

  g_return_val_if_fail (channel <= 3, 0);

  if (channel < 3)
    {
      mean = norm->mean[channel];
      std = norm->std[channel];
    }
  else
    {
      mean = (norm->mean[0] + norm->mean[1] + norm->mean[2]) / 3;
      std = (norm->std[0] + norm->std[1] + norm->std[2]) / 3;
    }
  return (x / 255.0 - mean) / (std != 0 ? std : 1);
}

/* How output index o of an axis reads the input: weights[k] for inputs
 * first … first + n − 1. Shrinking averages the area an output pixel covers;
 * growing interpolates between the two nearest centres. */
typedef struct {
  int     first;
  int     n;
  double *weights;               /* into Axis.storage */
} Tap;

typedef struct {
  Tap    *taps;                  /* one per output index */
  double *storage;
} Axis;

static void
axis_init (Axis *axis,
           int   in_size,
           int   out_size)
{
  double ratio = (double) in_size / out_size;
  int max_taps = ratio > 1 ? (int) ceil (ratio) + 1 : 2;

  axis->taps = g_new0 (Tap, out_size);
  axis->storage = g_new0 (double, (gsize) out_size * max_taps);
  for (int o = 0; o < out_size; o++)
    {
      Tap *tap = &axis->taps[o];

      tap->weights = axis->storage + (gsize) o * max_taps;
      if (ratio > 1)
        {
          double start = o * ratio, end = (o + 1) * ratio;

          tap->first = (int) floor (start);
          for (int i = tap->first; i < end && i < in_size; i++)
            tap->weights[tap->n++] = (MIN (end, i + 1.0) - MAX (start, (double) i)) / ratio;
        }
      else
        {
          double x = CLAMP ((o + 0.5) * ratio - 0.5, 0.0, in_size - 1.0);
          int i0 = (int) floor (x);
          double f = x - i0;

          tap->first = i0;
          tap->weights[tap->n++] = 1 - f;
          if (i0 + 1 < in_size)
            tap->weights[tap->n++] = f;
        }
    }
}

static void
axis_clear (Axis *axis)
{
  g_free (axis->taps);
  g_free (axis->storage);
}

NsTensor *
ns_preview_image_to_tensor (const guint8          *pixels,
                            int                    width,
                            int                    height,
                            int                    rowstride,
                            int                    n_channels,
                            const NsShape         *input_shape,
                            const NsNormalization *norm,
                            GError               **error)
{
  gint64 dims[4];
  int out_h, out_w, channels;
  Axis across, down;
  g_autofree float *rows = NULL;
  NsTensor *tensor;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && n_channels >= 3, NULL);
  g_return_val_if_fail (input_shape != NULL && norm != NULL, NULL);

  if (input_shape->rank != 3 || !ns_shape_is_known (input_shape)
      || input_shape->dims[0] > G_MAXINT16 || input_shape->dims[1] > G_MAXINT16)
    {
      g_autofree char *shape = ns_shape_to_keras (input_shape);

      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   _("An image can only feed an Input of height × width × channels, not %s; use noise instead"),
                   shape);
      return NULL;
    }
  out_h = (int) input_shape->dims[0];
  out_w = (int) input_shape->dims[1];
  channels = (int) input_shape->dims[2];
  dims[0] = 1;
  dims[1] = out_h;
  dims[2] = out_w;
  dims[3] = channels;
  tensor = ns_tensor_new (4, dims);
  if (tensor == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
                   _("The input of %d × %d × %d values is too big to make"), out_h, out_w, channels);
      return NULL;
    }

  /* Separable: across each source row first (the image may be large, the
   * input small), then down the columns of that narrow result. */
  axis_init (&across, width, out_w);
  axis_init (&down, height, out_h);
  rows = g_new (float, (gsize) height * out_w * 3);
  for (int y = 0; y < height; y++)
    {
      const guint8 *src = pixels + (gsize) y * rowstride;

      for (int x = 0; x < out_w; x++)
        {
          const Tap *tap = &across.taps[x];

          for (int c = 0; c < 3; c++)
            {
              double sum = 0;

              for (int k = 0; k < tap->n; k++)
                sum += tap->weights[k] * src[(gsize) (tap->first + k) * n_channels + c];
              rows[((gsize) y * out_w + x) * 3 + c] = (float) sum;
            }
        }
    }

  for (int y = 0; y < out_h; y++)
    {
      const Tap *tap = &down.taps[y];

      for (int x = 0; x < out_w; x++)
        {
          double rgb[3] = { 0, 0, 0 };
          float *out = tensor->data + ((gsize) y * out_w + x) * channels;

          for (int k = 0; k < tap->n; k++)
            for (int c = 0; c < 3; c++)
              rgb[c] += tap->weights[k] * rows[((gsize) (tap->first + k) * out_w + x) * 3 + c];

          if (channels == 1)
            out[0] = (float) ns_normalization_apply (norm, 3, 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
          else
            for (int c = 0; c < channels; c++)
              out[c] = (float) ns_normalization_apply (norm, c % 3, rgb[c % 3]);
        }
    }

  axis_clear (&across);
  axis_clear (&down);
  return tensor;
}
