/* ns-initializers.c: Keras' initializers (glorot, he, lecun, normal,
 * uniform, truncated normal, orthogonal, zeros, ones) over xoshiro256**
 * streams seeded from the run's seed and the weight's full name. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-initializers.h"

/* Keras' truncated normal keeps draws within two standard deviations; its
 * variance scaling divides the deviation by this, the deviation of a unit
 * normal truncated so, to keep the variance it promises. */
#define TRUNCATION_STDDEV 0.87962566103423978
/* keras.initializers.RandomNormal / RandomUniform / TruncatedNormal defaults. */
#define DEFAULT_STDDEV 0.05
#define DEFAULT_LIMIT  0.05

typedef struct {
  guint64 s[4];
} Stream;

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
stream_next (Stream *stream)
{
  guint64 *s = stream->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1), 53 bits. */
static double
stream_uniform (Stream *stream)
{
  return (double) (stream_next (stream) >> 11) * 0x1.0p-53;
}

/* A unit normal by Box–Muller (one of the pair: simpler to keep in step). */
static double
stream_normal (Stream *stream)
{
  double u = 1.0 - stream_uniform (stream), v = stream_uniform (stream);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static double
stream_truncated_normal (Stream *stream)
{
  double x;

  do
    x = stream_normal (stream);
  while (fabs (x) > 2.0);
  return x;
}

/* FNV-1a over "layer/weight", mixed with the seed. */
static void
stream_init (Stream     *stream,
             guint64     seed,
             const char *layer,
             const char *weight)
{
  guint64 hash = 0xcbf29ce484222325ull, state;

  for (const char *p = layer; *p != '\0'; p++)
    hash = (hash ^ (guchar) *p) * 0x100000001b3ull;
  hash = (hash ^ '/') * 0x100000001b3ull;
  for (const char *p = weight; *p != '\0'; p++)
    hash = (hash ^ (guchar) *p) * 0x100000001b3ull;
  state = seed ^ hash;
  for (guint i = 0; i < 4; i++)
    stream->s[i] = splitmix64 (&state);
}

/* keras.initializers' _compute_fans. */
static void
compute_fans (const NsShape *shape,
              double        *fan_in,
              double        *fan_out)
{
  double receptive = 1.0;

  if (shape->rank == 0)
    {
      *fan_in = *fan_out = 1.0;
      return;
    }
  if (shape->rank == 1)
    {
      *fan_in = *fan_out = (double) shape->dims[0];
      return;
    }
  for (guint i = 0; i + 2 < shape->rank; i++)
    receptive *= (double) shape->dims[i];
  *fan_in = (double) shape->dims[shape->rank - 2] * receptive;
  *fan_out = (double) shape->dims[shape->rank - 1] * receptive;
}

/* Gram–Schmidt on the columns of a normal matrix, as Keras' QR with the
 * signs of R's diagonal made positive (which Gram–Schmidt gives). */
static void
fill_orthogonal (const NsShape *shape,
                 gint64         n_values,
                 Stream        *stream,
                 float         *out)
{
  gint64 cols = shape->rank > 0 ? shape->dims[shape->rank - 1] : 1;
  gint64 rows = n_values / MAX (cols, 1);
  gint64 tall = MAX (rows, cols), narrow = MIN (rows, cols);
  g_autofree double *q = g_new (double, tall * narrow);   /* column j at q + j·tall */

  /* Keras draws the (tall × narrow) matrix row by row. */
  for (gint64 i = 0; i < tall; i++)
    for (gint64 j = 0; j < narrow; j++)
      q[j * tall + i] = stream_normal (stream);
  for (gint64 j = 0; j < narrow; j++)
    {
      double *v = q + j * tall, norm = 0.0;

      for (gint64 p = 0; p < j; p++)
        {
          const double *u = q + p * tall;
          double dot = 0.0;

          for (gint64 i = 0; i < tall; i++)
            dot += u[i] * v[i];
          for (gint64 i = 0; i < tall; i++)
            v[i] -= dot * u[i];
        }
      for (gint64 i = 0; i < tall; i++)
        norm += v[i] * v[i];
      norm = sqrt (norm);
      for (gint64 i = 0; i < tall; i++)
        v[i] = norm > 0.0 ? v[i] / norm : 0.0;
    }
  /* Q is (tall × narrow); Keras transposes it when there are fewer rows. */
  for (gint64 r = 0; r < rows; r++)
    for (gint64 c = 0; c < cols; c++)
      out[r * cols + c] = (float) (rows >= cols ? q[c * tall + r] : q[r * tall + c]);
}

gboolean
ns_initializer_fill (const NsWeightSpec *spec,
                     guint64             seed,
                     const char         *layer,
                     float              *out,
                     GError            **error)
{
  const char *name = spec->initializer;
  gint64 n_values = 1;
  double fan_in, fan_out, scale = 1.0, fan;
  gboolean uniform = FALSE;
  Stream stream;

  for (guint i = 0; i < spec->shape.rank; i++)
    n_values *= spec->shape.dims[i];
  stream_init (&stream, seed, layer, spec->name);
  compute_fans (&spec->shape, &fan_in, &fan_out);

  if (g_str_equal (name, "zeros") || g_str_equal (name, "ones"))
    {
      float value = g_str_equal (name, "ones") ? 1.0f : 0.0f;

      for (gint64 i = 0; i < n_values; i++)
        out[i] = value;
      return TRUE;
    }
  if (g_str_equal (name, "random_normal") || g_str_equal (name, "random_uniform") ||
      g_str_equal (name, "truncated_normal"))
    {
      for (gint64 i = 0; i < n_values; i++)
        out[i] = (float) (name[0] == 't' ? DEFAULT_STDDEV * stream_truncated_normal (&stream)
                          : g_str_equal (name, "random_normal") ? DEFAULT_STDDEV * stream_normal (&stream)
                          : DEFAULT_LIMIT * (2.0 * stream_uniform (&stream) - 1.0));
      return TRUE;
    }
  if (g_str_equal (name, "orthogonal"))
    {
      fill_orthogonal (&spec->shape, n_values, &stream, out);
      return TRUE;
    }

  /* Variance scaling: scale / fan, drawn uniform or truncated normal. */
  if (g_str_equal (name, "glorot_uniform") || g_str_equal (name, "glorot_normal"))
    fan = (fan_in + fan_out) / 2.0;
  else if (g_str_equal (name, "he_normal") || g_str_equal (name, "he_uniform") ||
           g_str_equal (name, "lecun_normal") || g_str_equal (name, "lecun_uniform"))
    fan = fan_in;
  else
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("layer %s: unknown initializer %s for weight %s"), layer, name, spec->name);
      return FALSE;
    }
  if (g_str_has_prefix (name, "he_"))
    scale = 2.0;
  uniform = g_str_has_suffix (name, "_uniform");
  scale /= MAX (1.0, fan);
  for (gint64 i = 0; i < n_values; i++)
    out[i] = (float) (uniform ? sqrt (3.0 * scale) * (2.0 * stream_uniform (&stream) - 1.0)
                              : sqrt (scale) / TRUNCATION_STDDEV * stream_truncated_normal (&stream));
  return TRUE;
}
