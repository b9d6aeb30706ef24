/* ns-exec-common.c: what every kernel uses: config lookups, the thread
 * count, and BLAS set up for single-threaded calls from the kernels' own
 * threads, with the dense-layer GEMM split over them. */
#include "config.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

#include "ns-exec-private.h"

/* OpenBLAS' own; weak, so that another CBLAS links too. */
extern void openblas_set_num_threads (int n_threads) __attribute__ ((weak));

const NsValue *
ns_exec_value (const NsInferInput *in,
               const char         *key)
{
  int index = ns_layer_type_find_prop (in->type, key);

  g_assert (index >= 0);
  return &in->values[index];
}

const char *
ns_exec_choice (const NsInferInput *in,
                const char         *key)
{
  int index = ns_layer_type_find_prop (in->type, key);

  g_assert (index >= 0 && in->type->props[index].kind == NS_PROP_CHOICE);
  return in->type->props[index].choices[in->values[index].choice];
}

/* Tensors of the sizes a forward pass moves would otherwise take a page
 * fault per 4 KiB on their first write, every pass for a fresh output. */
#define HUGE_PAGE ((gsize) 2 << 20)

float *
ns_exec_alloc_floats (gint64 n)
{
  gsize bytes;
  void *memory = NULL;

  if (n < 0 || (guint64) n > G_MAXSIZE / sizeof (float) - HUGE_PAGE)
    return NULL;
  bytes = MAX ((gsize) n, 1) * sizeof (float);
  if (bytes < 8 * HUGE_PAGE)
    return g_try_malloc (bytes);
  if (posix_memalign (&memory, HUGE_PAGE, (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE) != 0)
    return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise (memory, (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE);
#endif
  return memory;
}

guint
ns_exec_n_threads (void)
{
#ifdef _OPENMP
  return (guint) MAX (omp_get_max_threads (), 1);
#else
  return 1;
#endif
}

void
ns_broadcast_init (NsBroadcast  *broadcast,
                   const NsView *out,
                   const gint64 *op_dims,
                   guint         op_rank,
                   gint64        op_ld)
{
  gint64 stride = 1;

  g_assert (op_rank <= out->rank && op_rank > 0);
  broadcast->rank = out->rank;
  memcpy (broadcast->dims, out->dims, out->rank * sizeof (gint64));
  for (guint i = out->rank; i-- > 0;)
    {
      gint64 size = i + op_rank >= out->rank ? op_dims[i + op_rank - out->rank] : 1;

      broadcast->strides[i] = size == 1 ? 0 : stride;
      /* Past the last axis, rows of the operand are op_ld apart. */
      stride = i == out->rank - 1 ? op_ld : stride * size;
    }
}

gint64
ns_broadcast_row_offset (const NsBroadcast *broadcast,
                         gint64             row)
{
  gint64 offset = 0;

  for (guint i = broadcast->rank - 1; i-- > 0;)
    {
      offset += (row % broadcast->dims[i]) * broadcast->strides[i];
      row /= broadcast->dims[i];
    }
  return offset;
}

guint
ns_exec_thread_index (void)
{
#ifdef _OPENMP
  return (guint) omp_get_thread_num ();
#else
  return 0;
#endif
}

void
ns_exec_init_blas (void)
{
  static gsize done = 0;

  /* The kernels split every product over their threads themselves, each
   * thread calling BLAS on its chunk: faster on few cores than OpenBLAS'
   * own threads, whose busy-waiting would also compete with the kernels'. */
  if (g_once_init_enter (&done))
    {
      if (openblas_set_num_threads != NULL)
        openblas_set_num_threads (1);
      g_once_init_leave (&done, 1);
    }
}

void
ns_sgemm (gint64       m,
          gint64       n,
          gint64       k,
          const float *a,
          gint64       lda,
          const float *b,
          gint64       ldb,
          float       *c,
          gint64       ldc)
{
  g_assert (m <= G_MAXINT && n <= G_MAXINT && k <= G_MAXINT);
  g_assert (lda <= G_MAXINT && ldb <= G_MAXINT && ldc <= G_MAXINT);

  if (m == 0 || n == 0)
    return;
  if (k == 0)
    {
      for (gint64 i = 0; i < m; i++)
        memset (c + i * ldc, 0, n * sizeof (float));
      return;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) n, (int) k,
               1.0f, a, (int) lda, b, (int) ldb, 0.0f, c, (int) ldc);
}

void
ns_dense_forward (gint64       m,
                  gint64       n,
                  gint64       k,
                  const float *a,
                  gint64       lda,
                  const float *b,
                  const float *bias,
                  NsAct        act,
                  float       *c,
                  gint64       ldc,
                  float       *scratch)
{
  gint64 n_threads = ns_exec_n_threads ();

  if (m == 1 && n_threads > 1 && k >= 64 * n_threads)
    {
      /* Each thread reads a contiguous block of the kernel's rows: the
       * whole product is one pass over memory, at its full bandwidth. */
      gint64 block = (k + n_threads - 1) / n_threads;

#pragma omp parallel for schedule(static)
      for (gint64 p = 0; p < n_threads; p++)
        {
          gint64 row = p * block, rows = MIN (block, k - row);

          if (rows > 0)
            cblas_sgemv (CblasRowMajor, CblasTrans, (int) rows, (int) n, 1.0f, b + row * n, (int) n, a + row, 1,
                         0.0f, scratch + p * n, 1);
          else
            memset (scratch + p * n, 0, n * sizeof (float));
        }
      for (gint64 j = 0; j < n; j++)
        {
          float sum = bias != NULL ? bias[j] : 0.0f;

          for (gint64 p = 0; p < n_threads; p++)
            sum += scratch[p * n + j];
          c[j] = sum;
        }
      ns_act_apply (act, c, 1, n, ldc);
      return;
    }

  if (m >= 4 * n_threads || n < 64 * n_threads)
    {
      gint64 chunk = MAX (NS_GEMM_CHUNK_ROWS, (m + 63) / 64);
      gint64 n_chunks = (m + chunk - 1) / chunk;

#pragma omp parallel for schedule(dynamic) if (n_chunks > 1)
      for (gint64 i = 0; i < n_chunks; i++)
        {
          gint64 row = i * chunk, rows = MIN (chunk, m - row);

          ns_sgemm (rows, n, k, a + row * lda, lda, b, n, c + row * ldc, ldc);
          ns_bias_act_apply (bias, act, c + row * ldc, rows, n, ldc);
        }
      return;
    }

  /* Few rows (a batch of vectors): split the units instead; softmax needs
   * whole rows, so it waits for every column. */
  {
    gint64 width = ((n + n_threads - 1) / n_threads + 15) / 16 * 16;
    gint64 n_parts = (n + width - 1) / width;

#pragma omp parallel for schedule(static)
    for (gint64 i = 0; i < n_parts; i++)
      {
        gint64 col = i * width, cols = MIN (width, n - col);

        if (m == 1)
          cblas_sgemv (CblasRowMajor, CblasTrans, (int) k, (int) cols, 1.0f, b + col, (int) n, a, 1,
                       0.0f, c + col, 1);
        else
          ns_sgemm (m, cols, k, a, lda, b + col, n, c + col, ldc);
        ns_bias_act_apply (bias != NULL ? bias + col : NULL, act == NS_ACT_SOFTMAX ? NS_ACT_LINEAR : act,
                           c + col, m, cols, ldc);
      }
    if (act == NS_ACT_SOFTMAX)
      ns_act_apply (act, c, m, n, ldc);
  }
}
