/* ns-executor.h: the forward pass over an inferred graph: float32 NHWC tensors,
 * convolutions and Dense through BLAS, each intermediate buffer released or
 * reused once no later layer reads it. Headless; the app runs it in a GTask. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"

G_BEGIN_DECLS

/* A dense float32 tensor, batch first: dims[0] is the batch. */
typedef struct {
  guint   rank;                    /* including the batch axis */
  gint64  dims[NS_MAX_RANK + 1];
  float  *data;                    /* owned by the tensor */
} NsTensor;

NsTensor *ns_tensor_new          (guint         rank,
                                  const gint64 *dims);   /* zero-filled; NULL if too big */
NsTensor *ns_tensor_copy         (const NsTensor *tensor);
void      ns_tensor_free         (NsTensor     *tensor);
gint64    ns_tensor_get_n_values (const NsTensor *tensor);
/* Uniform noise in [0, 1) from @seed, the same values on every machine (what
 * `netsketch-cli run --seed` and the preview feed); NULL if too big. */
NsTensor *ns_tensor_new_noise    (guint         rank,
                                  const gint64 *dims,
                                  guint64       seed);

typedef struct _NsExecutor NsExecutor;

typedef struct {
  guint64 seed;                    /* initializers of layers without weights */
  gint64  batch;                   /* ≥ 1 */
  guint64 memory_limit;            /* bytes; 0: from available RAM (ns_executor_default_memory_limit) */
  const char *capture_layer;       /* keep this layer's output too (run --layer); NULL for none */
} NsExecutorOptions;

typedef struct {
  NsLayer *layer;
  double   seconds;                /* wall time of its forward step */
} NsLayerTiming;

/* Plans a pass over @graph as it is now: every layer must be inferred OK with
 * known dims, exactly one Input. Initializes weights that the layers do not
 * carry from options->seed (Keras' initializers, reproducible). Estimates the
 * peak memory and fails with NS_ERROR_TOO_LARGE, naming the figures, when it
 * exceeds the limit: nothing big is allocated before that check. The graph
 * must not be edited while the executor lives (the app plans on a copy). */
NsExecutor *ns_executor_new             (NsGraph                 *graph,
                                         const NsExecutorOptions *options,
                                         GError                 **error);
void        ns_executor_free            (NsExecutor *executor);
/* The input tensor the Input layer expects: batch × its shape. */
void        ns_executor_get_input_shape (NsExecutor *executor,
                                         guint      *rank,
                                         gint64     *dims);
/* Runs one pass on @input (dims must match the input shape). Returns the
 * output of the model's (first) output layer, or NULL with an error
 * (G_IO_ERROR_CANCELLED when @cancellable fired between layers). */
NsTensor   *ns_executor_run             (NsExecutor   *executor,
                                         const NsTensor *input,
                                         GCancellable *cancellable,
                                         GError      **error);
/* After a run: the captured layer's output (options->capture_layer), owned by
 * the executor, or NULL. */
const NsTensor *ns_executor_get_captured (NsExecutor *executor);
/* After a run: one timing per layer in execution order (array of NsLayerTiming). */
GArray     *ns_executor_get_timings     (NsExecutor *executor);
/* Bytes: the planned peak of live activations, the weights, and the measured
 * peak of the last run (activations + scratch + weights). */
guint64     ns_executor_get_planned_activation_bytes (NsExecutor *executor);
guint64     ns_executor_get_weight_bytes             (NsExecutor *executor);
guint64     ns_executor_get_peak_bytes               (NsExecutor *executor);
/* Half of MemAvailable (/proc/meminfo), or 4 GiB when unknown. */
guint64     ns_executor_default_memory_limit         (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsTensor, ns_tensor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsExecutor, ns_executor_free)

G_END_DECLS
