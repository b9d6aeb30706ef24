/* test-executor-helpers.h: building small networks with known weights and
 * running them, for the executor's tests. */
#pragma once

#include "ns-executor.h"

/* Adds a layer of @keras_class fed by @source (NULL for none) and set by
 * key, JSON pairs, NULL-terminated. */
NsLayer  *exec_add          (NsGraph    *graph,
                             const char *keras_class,
                             NsLayer    *source,
                             ...) G_GNUC_NULL_TERMINATED;
/* An input of @shape_json fed to one layer of @keras_class set by key, JSON
 * pairs, NULL-terminated; returns that layer. */
NsLayer  *exec_single       (NsGraph    *graph,
                             const char *shape_json,
                             const char *keras_class,
                             ...) G_GNUC_NULL_TERMINATED;
/* A merge of @a and @b (and @c unless NULL), set by key, JSON pairs. */
NsLayer  *exec_merge        (NsGraph    *graph,
                             const char *keras_class,
                             NsLayer    *a,
                             NsLayer    *b,
                             NsLayer    *c,
                             ...) G_GNUC_NULL_TERMINATED;

typedef struct {
  const char  *name;
  guint        rank;
  gint64       dims[4];
  const float *values;
} ExecWeight;

/* Gives @layer these weights, in Keras' order. */
void      exec_set_weights  (NsLayer          *layer,
                             const ExecWeight *weights,
                             guint             n_weights);
/* Runs @graph on @input (batch × the input layer's shape), seed 0. */
NsTensor *exec_run          (NsGraph     *graph,
                             const float *input,
                             gint64       batch);
/* Asserts @tensor's dims (batch first) and values, each within
 * 1e-6 · max(1, |expected|). */
void      exec_assert_tensor (const NsTensor *tensor,
                              guint           rank,
                              const gint64   *dims,
                              const float    *expected);
