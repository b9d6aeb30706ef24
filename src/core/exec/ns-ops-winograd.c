/* ns-ops-winograd.c: 3×3 stride-1 convolutions by Winograd's F(2×2, 3×3):
 * each 2×2 output tile costs 16 products per channel pair instead of 36.
 * A chunk of tiles at a time per thread: the input tiles transformed
 * (Bᵀ·d·B) into 16 matrices, 16 GEMMs against the transformed kernel
 * (G·g·Gᵀ, once), the results transformed back (Aᵀ·m·A) straight into the
 * output with the bias and activation. The transforms only add, subtract
 * and halve, so the results stay within float rounding of the direct sum. */
#include "config.h"

#include <string.h>

#include "ns-ops-winograd.h"

struct _NsWinograd {
  gint64  cin, cout;
  gint64  origin[2];      /* input offset of the tile's first row and column */
  gint64  tiles;          /* per chunk */
  float  *u;              /* 16 matrices of cin × cout */
  float  *zeros;          /* zeros for the taps outside the input, and no bias */
};

/* Scratch floats per thread: the chunk's transformed inputs and products. */
gint64
ns_winograd_scratch (gint64 cin,
                     gint64 cout)
{
  gint64 tiles = CLAMP (8192 / MAX (MAX (cin, cout), 1), 16, 64);

  /* The chunk's 16 matrices in and out, and one tile's intermediate rows. */
  return 16 * tiles * (cin + cout) + 16 * cin + 10 * cout;
}

gboolean
ns_winograd_applies (gint64        cin,
                     gint64        cout,
                     const gint64 *offsets_y,
                     const gint64 *offsets_x)
{
  for (guint axis = 0; axis < 2; axis++)
    {
      const gint64 *off = axis == 0 ? offsets_y : offsets_x;
      gint64 step = off[1] - off[0];

      if ((step != 1 && step != -1) || off[2] - off[1] != step)
        return FALSE;
    }
  /* Few channels leave the GEMMs too small to gain anything. */
  return cin >= 8 && cout >= 8 && cin <= G_MAXINT / 16 && cout <= G_MAXINT / 16;
}

/* @b: rows (j, q, c) over the taps in offset order given, columns the
 * filters; taps running backwards (a transposed convolution's) are flipped. */
NsWinograd *
ns_winograd_new (const float  *b,
                 gint64        cin,
                 gint64        cout,
                 const gint64 *offsets_y,
                 const gint64 *offsets_x)
{
  NsWinograd *w = g_new0 (NsWinograd, 1);
  gboolean flip_y = offsets_y[1] < offsets_y[0], flip_x = offsets_x[1] < offsets_x[0];
  gint64 plane = cin * cout;

  w->cin = cin;
  w->cout = cout;
  w->origin[0] = MIN (offsets_y[0], offsets_y[2]);
  w->origin[1] = MIN (offsets_x[0], offsets_x[2]);
  w->tiles = CLAMP (8192 / MAX (MAX (cin, cout), 1), 16, 64);
  w->zeros = g_new0 (float, MAX (cin, cout));
  w->u = g_new (float, 16 * plane);

  for (gint64 c = 0; c < cin; c++)
    for (gint64 f = 0; f < cout; f++)
      {
        double g[3][3], t[4][3];

        for (guint j = 0; j < 3; j++)
          for (guint q = 0; q < 3; q++)
            g[j][q] = b[(((flip_y ? 2 - j : j) * 3 + (flip_x ? 2 - q : q)) * cin + c) * cout + f];
        /* T = G·g with G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], then U = T·Gᵀ. */
        for (guint q = 0; q < 3; q++)
          {
            t[0][q] = g[0][q];
            t[1][q] = (g[0][q] + g[1][q] + g[2][q]) / 2;
            t[2][q] = (g[0][q] - g[1][q] + g[2][q]) / 2;
            t[3][q] = g[2][q];
          }
        for (guint i = 0; i < 4; i++)
          {
            float *u = w->u + (i * 4) * plane + c * cout + f;

            u[0] = (float) t[i][0];
            u[plane] = (float) ((t[i][0] + t[i][1] + t[i][2]) / 2);
            u[2 * plane] = (float) ((t[i][0] - t[i][1] + t[i][2]) / 2);
            u[3 * plane] = (float) t[i][2];
          }
      }
  return w;
}

void
ns_winograd_free (NsWinograd *w)
{
  if (w == NULL)
    return;
  g_free (w->u);
  g_free (w->zeros);
  g_free (w);
}

/* o = Bᵀ·a over four rows of channels, Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0;
 * 0 1 0 −1]: one step of the input transform, a loop that vectorises. */
NS_VECTOR_CLONES static void
input_rows (float *restrict       o0,
            float *restrict       o1,
            float *restrict       o2,
            float *restrict       o3,
            const float *restrict a0,
            const float *restrict a1,
            const float *restrict a2,
            const float *restrict a3,
            gint64                n)
{
  for (gint64 c = 0; c < n; c++)
    {
      o0[c] = a0[c] - a2[c];
      o1[c] = a1[c] + a2[c];
      o2[c] = a2[c] - a1[c];
      o3[c] = a1[c] - a3[c];
    }
}

/* o = Aᵀ·a over four rows, Aᵀ = [1 1 1 0; 0 1 −1 −1], plus @bias. */
NS_VECTOR_CLONES static void
output_rows (float *restrict       o0,
             float *restrict       o1,
             const float *restrict a0,
             const float *restrict a1,
             const float *restrict a2,
             const float *restrict a3,
             const float *restrict bias,
             gint64                n)
{
  for (gint64 f = 0; f < n; f++)
    {
      o0[f] = a0[f] + a1[f] + a2[f] + bias[f];
      o1[f] = a1[f] - a2[f] - a3[f] + bias[f];
    }
}

/* V = Bᵀ·d·B for one 4×4 input tile, every channel: Bᵀ applied down the
 * columns into @t (16 rows), then along the rows into @v's 16 rows. */
static void
transform_input (const NsWinograd *w,
                 const float      *rows[16],
                 float            *t,
                 float            *v)
{
  gint64 n = w->cin;

  for (guint j = 0; j < 4; j++)
    input_rows (t + j * n, t + (4 + j) * n, t + (8 + j) * n, t + (12 + j) * n,
                rows[j], rows[4 + j], rows[8 + j], rows[12 + j], n);
  for (guint i = 0; i < 4; i++)
    input_rows (v + (i * 4) * n, v + (i * 4 + 1) * n, v + (i * 4 + 2) * n, v + (i * 4 + 3) * n,
                t + (i * 4) * n, t + (i * 4 + 1) * n, t + (i * 4 + 2) * n, t + (i * 4 + 3) * n, n);
}

/* Y = Aᵀ·m·A + bias: the 2×2 outputs of a tile from @m's 16 rows into
 * @out, whose NULLs (past the output's edge) go to spare rows of @p, which
 * holds Aᵀ·m's 8 rows too. */
static void
transform_output (const NsWinograd *w,
                  const float      *m,
                  const float      *bias,
                  float            *p,
                  float            *out[4])
{
  gint64 n = w->cout;

  for (guint j = 0; j < 4; j++)
    output_rows (p + j * n, p + (4 + j) * n, m + j * n, m + (4 + j) * n, m + (8 + j) * n, m + (12 + j) * n,
                 w->zeros, n);
  for (guint i = 0; i < 2; i++)
    output_rows (out[i * 2] != NULL ? out[i * 2] : p + 8 * n, out[i * 2 + 1] != NULL ? out[i * 2 + 1] : p + 9 * n,
                 p + (i * 4) * n, p + (i * 4 + 1) * n, p + (i * 4 + 2) * n, p + (i * 4 + 3) * n,
                 bias != NULL ? bias : w->zeros, n);
}

void
ns_winograd_run (const NsWinograd *w,
                 const NsView     *in,
                 const NsView     *out,
                 const float      *bias,
                 NsAct             act,
                 float            *scratch,
                 gint64            per_thread)
{
  gint64 h = in->dims[1], wd = in->dims[2], oh = out->dims[1], ow = out->dims[2];
  gint64 th = (oh + 1) / 2, tw = (ow + 1) / 2, tiles = out->dims[0] * th * tw;
  gint64 n_chunks = (tiles + w->tiles - 1) / w->tiles, plane = w->cin * w->cout;

#pragma omp parallel for schedule(dynamic) if (n_chunks > 1)
  for (gint64 chunk = 0; chunk < n_chunks; chunk++)
    {
      float *v = scratch + ns_exec_thread_index () * per_thread;
      float *m = v + 16 * w->tiles * w->cin;
      float *rows_in = m + 16 * w->tiles * w->cout, *rows_out = rows_in + 16 * w->cin;
      gint64 first = chunk * w->tiles, rows = MIN (w->tiles, tiles - first);

      for (gint64 r = 0; r < rows; r++)
        {
          gint64 tile = first + r, n = tile / (th * tw), ty = tile / tw % th, tx = tile % tw;
          const float *pixels[16];

          for (guint i = 0; i < 4; i++)
            for (guint j = 0; j < 4; j++)
              {
                gint64 iy = 2 * ty + w->origin[0] + i, ix = 2 * tx + w->origin[1] + j;

                pixels[i * 4 + j] = iy < 0 || iy >= h || ix < 0 || ix >= wd
                                    ? w->zeros : in->data + ((n * h + iy) * wd + ix) * in->ld;
              }
          transform_input (w, pixels, rows_in, v + r * 16 * w->cin);
        }
      /* A tile's 16 rows are together, so matrix k is every 16th row. */
      for (guint k = 0; k < 16; k++)
        ns_sgemm (rows, w->cout, w->cin, v + k * w->cin, 16 * w->cin, w->u + k * plane, w->cout,
                  m + k * w->cout, 16 * w->cout);
      for (gint64 r = 0; r < rows; r++)
        {
          gint64 tile = first + r, n = tile / (th * tw), ty = tile / tw % th, tx = tile % tw;
          float *pixels[4];

          for (guint i = 0; i < 4; i++)
            {
              gint64 oy = 2 * ty + i / 2, ox = 2 * tx + i % 2;

              pixels[i] = oy < oh && ox < ow ? out->data + ((n * oh + oy) * ow + ox) * out->ld : NULL;
            }
          transform_output (w, m + r * 16 * w->cout, bias, rows_out, pixels);
          for (guint i = 0; i < 4; i++)
            if (pixels[i] != NULL)
              ns_act_apply (act, pixels[i], 1, w->cout, out->ld);
        }
    }
}
