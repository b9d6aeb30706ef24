/* ns-exec-private.h: what the executor and its kernels share: the view of a
 * tensor a kernel reads or writes, the forward-op interface the layer types
 * point to, activations, and the threaded GEMM. */
#pragma once

#include <glib/gi18n-lib.h>

#include "ns-layer-type.h"

G_BEGIN_DECLS

/* A float32 tensor as a kernel sees it, batch first. Its last axis forms
 * rows that start @ld floats apart: a channel slice of a wider tensor (the
 * planner lets convolutions write straight into a concatenation) has @ld
 * above its own width. */
typedef struct {
  float  *data;
  guint   rank;                       /* with the batch */
  gint64  dims[NS_MAX_RANK + 1];
  gint64  ld;
} NsView;

static inline gint64
ns_view_cols (const NsView *view)
{
  return view->dims[view->rank - 1];
}

/* Rows of the last axis: every dim but the last, batch included. */
static inline gint64
ns_view_rows (const NsView *view)
{
  gint64 rows = 1;

  for (guint i = 0; i + 1 < view->rank; i++)
    rows *= view->dims[i];
  return rows;
}

static inline gboolean
ns_view_is_contiguous (const NsView *view)
{
  return view->ld == ns_view_cols (view);
}

typedef enum {
  /* The output is the input's values unchanged (Dropout, Reshape): the
   * planner lets it share the input's buffer and skips the step. */
  NS_FORWARD_VIEW     = 1 << 0,
  /* run() may write the output over input 0 (elementwise). */
  NS_FORWARD_IN_PLACE = 1 << 1,
  /* run() honours NsView.ld of its inputs and output. */
  NS_FORWARD_STRIDED  = 1 << 2,
} NsForwardFlags;

/* What an op's measure and prepare get, and give back. */
typedef struct {
  const NsInferInput *in;             /* config; per-sample input shapes */
  const NsShape      *output;         /* per sample */
  gint64              batch;
  const float *const *weights;        /* Keras' layout, one per NsWeightSpec; NULL in measure */
  guint               n_weights;
  const char         *layer_name;     /* for messages */
  /* Set by measure (prepare may refine them): */
  gint64              scratch_floats; /* of the executor's shared scratch buffer */
  gint64              derived_floats; /* weights the op rearranges and keeps */
} NsForwardPrepare;

typedef struct {
  const NsView *inputs;
  guint         n_inputs;
  const NsView *output;
  float        *scratch;              /* prep.scratch_floats of them */
} NsForwardRun;

struct _NsForwardOp {
  NsForwardFlags flags;
  /* Sizes only, allocating nothing: runs before the memory check. Optional. */
  void     (*measure) (NsForwardPrepare *prep);
  /* Parses the config and rearranges the weights once for every pass; the
   * result is run()'s @data, freed with g_free unless @free is set. */
  gpointer (*prepare) (NsForwardPrepare *prep,
                       GError          **error);
  void     (*run)     (gconstpointer       data,
                       const NsForwardRun *run);
  void     (*free)    (gpointer data);
};

/* The value of @key in the layer's config; the key must be declared. */
const NsValue *ns_exec_value        (const NsInferInput *in,
                                     const char         *key);
/* The name of the choice @key holds: "bilinear". */
const char    *ns_exec_choice       (const NsInferInput *in,
                                     const char         *key);
/* @n floats, uninitialized, freed with g_free; NULL when memory is short.
 * Large buffers ask for transparent huge pages. */
float         *ns_exec_alloc_floats (gint64              n);
/* Worker threads of the kernels' parallel loops (OpenMP), and the calling
 * thread's index among them (0 outside a parallel loop): its share of the
 * scratch buffer. */
guint          ns_exec_n_threads    (void);
guint          ns_exec_thread_index (void);
/* Sets up BLAS once: single-threaded calls from the kernels' own threads. */
void           ns_exec_init_blas    (void);

/* Where the rows of an operand that broadcasts against an output (Keras'
 * merges, PReLU's α) start: its dims aligned to the output's last axes, a
 * size of 1 repeating. */
typedef struct {
  guint  rank;                        /* the output's, with the batch */
  gint64 dims[NS_MAX_RANK + 1];       /* the output's */
  gint64 strides[NS_MAX_RANK + 1];    /* the operand's, 0 where it repeats */
} NsBroadcast;

/* @op_dims has @op_rank dims aligned to the end of @out's (the batch
 * included when @op_rank equals out->rank); its rows are @op_ld apart. */
void   ns_broadcast_init       (NsBroadcast  *broadcast,
                                const NsView *out,
                                const gint64 *op_dims,
                                guint         op_rank,
                                gint64        op_ld);
/* The operand's offset at the start of output row @row. */
gint64 ns_broadcast_row_offset (const NsBroadcast *broadcast,
                                gint64             row);
/* 1 when the operand varies along the last axis, 0 when it repeats. */
static inline gint64
ns_broadcast_col_stride (const NsBroadcast *broadcast)
{
  return broadcast->strides[broadcast->rank - 1];
}

/* Hot loops built for AVX2 and AVX-512 too, picked when the program starts
 * (the baseline x86-64 has SSE2 only). GCC only: clang 14 would need the
 * attribute on every declaration of a function used in other files. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#define NS_VECTOR_CLONES __attribute__ ((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define NS_VECTOR_CLONES
#endif

/* Elementwise loops are split over the threads above this many values. */
#define NS_PARALLEL_MIN_VALUES 32768

/* ---- Activations ---------------------------------------------------------- */

typedef enum {
  NS_ACT_LINEAR,
  NS_ACT_RELU,
  NS_ACT_RELU6,
  NS_ACT_SIGMOID,
  NS_ACT_HARD_SIGMOID,
  NS_ACT_TANH,
  NS_ACT_SOFTMAX,
  NS_ACT_SOFTPLUS,
  NS_ACT_SOFTSIGN,
  NS_ACT_ELU,
  NS_ACT_SELU,
  NS_ACT_GELU,
  NS_ACT_SWISH,
  NS_ACT_LEAKY_RELU,
  NS_ACT_EXPONENTIAL,
} NsAct;

/* The activation a config's "activation" choice names. */
NsAct ns_act_from_config (const NsInferInput *in);
/* Applies @act in place to @rows rows of @cols values, @ld apart; softmax
 * normalizes each row. Single-threaded: kernels call it per chunk. */
void  ns_act_apply       (NsAct  act,
                          float *data,
                          gint64 rows,
                          gint64 cols,
                          gint64 ld);
/* Adds @bias (NULL: none) to each row, then applies @act. */
void  ns_bias_act_apply  (const float *bias,
                          NsAct        act,
                          float       *data,
                          gint64       rows,
                          gint64       cols,
                          gint64       ld);

/* ---- GEMM ------------------------------------------------------------------ */

/* C (m×n, ldc) = A (m×k, lda) · B (k×n, ldb), row-major, overwriting C.
 * One thread's BLAS call: the kernels split the work themselves. */
void ns_sgemm (gint64       m,
               gint64       n,
               gint64       k,
               const float *a,
               gint64       lda,
               const float *b,
               gint64       ldb,
               float       *c,
               gint64       ldc);

/* Rows per chunk of the threaded GEMM loops, so that a chunk of A (and
 * the im2col rows behind it) stays in the cache. */
#define NS_GEMM_CHUNK_ROWS 256

/* A dense layer's product over all threads: C = A·B + bias, then @act,
 * split by rows, or by columns when there are few rows; a single row (a
 * batch of one vector) splits the kernel's rows, each thread streaming its
 * block into its share of @scratch (NS_DENSE_SCRATCH floats). */
void ns_dense_forward (gint64       m,
                       gint64       n,
                       gint64       k,
                       const float *a,
                       gint64       lda,
                       const float *b,
                       const float *bias,
                       NsAct        act,
                       float       *c,
                       gint64       ldc,
                       float       *scratch);
#define NS_DENSE_SCRATCH(n) ((gint64) ns_exec_n_threads () * (n))

G_END_DECLS
