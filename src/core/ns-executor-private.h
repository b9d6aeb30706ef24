/* ns-executor-private.h: the executor's plan, shared by the planner
 * (ns-executor-plan.c: steps, weights, buffer lifetimes, the arena) and the
 * run loop (ns-executor.c). */
#pragma once

#include "ns-executor.h"
#include "exec/ns-exec-private.h"

G_BEGIN_DECLS

typedef enum {
  STORAGE_ARENA,       /* at an offset in the arena, reused once its values are dead */
  STORAGE_INPUT,       /* the caller's input tensor: never written */
  STORAGE_OUTPUT,      /* the tensor run() returns, allocated per run */
  STORAGE_CAPTURE,     /* the captured layer's, kept by the executor */
} StorageKind;

/* A buffer one or more values live in: in-place steps and views share
 * their input's, and a concatenation's inputs can be channel slices of it. */
typedef struct {
  StorageKind kind;
  gint64      n_floats;
  gint        first, last;   /* the steps it is live over; -1: before the first */
  gint64      offset;        /* floats into the arena */
  guint       root;          /* the value whose shape it has */
  gboolean    merged;        /* became slices of a concatenation's storage */
} Storage;

typedef struct {
  guint   rank;              /* with the batch */
  gint64  dims[NS_MAX_RANK + 1];
  gint64  n_floats;
  gint    producer;          /* step; -1 for the model's input */
  gint    last_read;         /* step; n_steps when read after the pass */
  guint   storage;
  gint64  col_offset;        /* within the storage's rows */
  gint64  ld;                /* floats between its rows: its width, or a concatenation's */
} Value;

typedef struct {
  NsLayer            *layer;
  char               *path;           /* "model/conv": names nested layers */
  const NsForwardOp  *op;
  NsInferInput        in;
  const NsShape     **input_shapes;
  guint              *inputs;         /* value per port */
  guint               output;
  gboolean            skip;           /* its output already is where it belongs */
  gpointer            data;           /* op->prepare's */
  NsLayer            *owner;          /* whose weights it uses: itself, or a shared layer's first call */
  char               *owner_path;
  GArray             *specs;          /* NsWeightSpec, as the type declares them */
  GPtrArray          *weights;        /* GBytes*, in the spec order */
  gint64              scratch_floats;
  gint64              derived_floats;
} Step;

struct _NsExecutor {
  NsGraph   *graph;
  guint64    seed;
  gint64     batch;
  guint64    memory_limit;
  NsLayer   *capture_layer;

  GArray    *steps;                   /* Step */
  GArray    *values;                  /* Value; 0 is the model's input */
  GArray    *storages;                /* Storage */
  guint      output_value;
  guint      capture_value;           /* G_MAXUINT: none */

  float     *arena;
  gint64     arena_floats;
  float     *scratch;
  gint64     scratch_floats;
  NsTensor  *captured;
  GArray    *timings;                 /* NsLayerTiming */

  gint64     external_floats;         /* input, output and capture tensors */
  guint64    weight_bytes;
  guint64    planned_bytes;           /* peak of live activations, input and output included */
  guint64    peak_bytes;
};

#define NS_NO_VALUE G_MAXUINT

/* Builds the plan of @executor (whose graph, options and capture layer are
 * set): steps, weights, storages and the arena layout, checking the memory
 * estimate against the limit before allocating anything large. */
gboolean ns_executor_plan (NsExecutor *executor,
                           GError    **error);
/* Frees what the plan holds. */
void     ns_executor_plan_clear (NsExecutor *executor);

/* ns-executor-memory.c: puts every value in a storage (sharing buffers
 * where views, in-place steps and concatenations allow), lays the arena
 * out and works out the planned peak of live activations. */
void     ns_executor_plan_storages (NsExecutor *executor);

static inline Value *
ns_executor_value (NsExecutor *executor,
                   guint       index)
{
  return &g_array_index (executor->values, Value, index);
}

static inline Storage *
ns_executor_storage (NsExecutor *executor,
                     guint       index)
{
  return &g_array_index (executor->storages, Storage, index);
}

static inline Step *
ns_executor_step (NsExecutor *executor,
                  guint       index)
{
  return &g_array_index (executor->steps, Step, index);
}

G_END_DECLS
