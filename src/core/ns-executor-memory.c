/* ns-executor-memory.c: where every value of the pass lives. Views share
 * their input's buffer; elementwise steps write over their input when
 * nothing later reads it; the inputs of a concatenation on the last axis
 * are written straight into its channel slices when every step touching
 * them can work on strided rows. The remaining buffers are laid out in one
 * arena, best fit, each reused once its last reader has run. */
#include "config.h"

#include <string.h>

#include "ns-executor-private.h"
#include "exec/ns-ops.h"

/* Buffers start on 64-byte boundaries. */
#define ALIGN_FLOATS 16

/* Sizes past any memory only need to stay past it: the limit check refuses them. */
#define SATURATED_ADD(a, b) ((a) > G_MAXINT64 / 4 - (b) ? G_MAXINT64 / 4 : (a) + (b))

static guint
new_storage (NsExecutor  *executor,
             StorageKind  kind,
             guint        root)
{
  Storage storage = { 0 };
  Value *value = ns_executor_value (executor, root);

  storage.kind = kind;
  storage.n_floats = value->n_floats;
  storage.root = root;
  storage.last = value->last_read;
  g_array_append_val (executor->storages, storage);
  value->storage = executor->storages->len - 1;
  value->col_offset = 0;
  value->ld = value->dims[value->rank - 1];
  return value->storage;
}

static gboolean
is_contiguous (NsExecutor  *executor,
               const Value *value)
{
  return value->col_offset == 0 && value->ld == value->dims[value->rank - 1];
}

/* Storage.last tracks, while values are assigned, the last step reading
 * any value put in it so far. A value of another width (a reshape) shares
 * only a contiguous source, and has rows of its own width. */
static void
share (NsExecutor  *executor,
       Value       *value,
       const Value *source)
{
  Storage *storage = ns_executor_storage (executor, source->storage);
  gboolean same_rows = value->dims[value->rank - 1] == source->dims[source->rank - 1];

  value->storage = source->storage;
  value->col_offset = same_rows ? source->col_offset : 0;
  value->ld = same_rows ? source->ld : value->dims[value->rank - 1];
  storage->last = MAX (storage->last, value->last_read);
}

static void
assign_step (NsExecutor *executor,
             guint       index)
{
  Step *step = ns_executor_step (executor, index);
  Value *output = ns_executor_value (executor, step->output);
  const Value *first = step->in.n_inputs > 0 ? ns_executor_value (executor, step->inputs[0]) : NULL;
  NsForwardFlags flags = step->op->flags;
  gboolean strided_ok = first != NULL && ((flags & NS_FORWARD_STRIDED) || is_contiguous (executor, first));

  if ((flags & NS_FORWARD_VIEW) && strided_ok && first->n_floats == output->n_floats)
    {
      share (executor, output, first);
      step->skip = TRUE;
      return;
    }
  if ((flags & NS_FORWARD_IN_PLACE) && strided_ok && first->rank == output->rank &&
      memcmp (first->dims, output->dims, output->rank * sizeof (gint64)) == 0 &&
      ns_executor_storage (executor, first->storage)->kind == STORAGE_ARENA &&
      ns_executor_storage (executor, first->storage)->last <= (gint) index)
    {
      share (executor, output, first);
      return;
    }
  new_storage (executor, STORAGE_ARENA, step->output);
}

/* The last step reading any value in @storage. */
static gint
storage_last_read (NsExecutor *executor,
                   guint       storage)
{
  gint last = -1;

  for (guint i = 0; i < executor->values->len; i++)
    {
      const Value *value = ns_executor_value (executor, i);

      if (value->storage == storage)
        last = MAX (last, value->last_read);
    }
  return last;
}

/* Whether every step writing or reading a value of @storage (but the
 * concatenation @concat) can handle strided rows, and the values all have
 * the concatenated input's width. */
static gboolean
can_be_slice (NsExecutor *executor,
              guint       storage,
              guint       concat,
              gint64      cols)
{
  gint n_steps = executor->steps->len;

  for (guint i = 0; i < executor->values->len; i++)
    {
      const Value *value = ns_executor_value (executor, i);

      if (value->storage != storage)
        continue;
      if (value->dims[value->rank - 1] != cols || value->ld != cols || value->col_offset != 0 ||
          value->producer < 0 || value->last_read >= n_steps)
        return FALSE;
      /* After the concatenation, the slice is its values: no more writes. */
      if (value->producer > (gint) concat ||
          !(ns_executor_step (executor, value->producer)->op->flags & NS_FORWARD_STRIDED))
        return FALSE;
    }
  for (gint s = 0; s < n_steps; s++)
    {
      const Step *step = ns_executor_step (executor, s);

      if ((guint) s == concat)
        continue;
      for (guint port = 0; port < step->in.n_inputs; port++)
        if (ns_executor_value (executor, step->inputs[port])->storage == storage &&
            !(step->op->flags & NS_FORWARD_STRIDED))
          return FALSE;
    }
  return TRUE;
}

/* A step after @after that writes over @storage in place, or G_MAXINT. */
static gint
next_writer (NsExecutor *executor,
             guint       storage,
             gint        after)
{
  gint writer = G_MAXINT;

  for (guint i = 0; i < executor->values->len; i++)
    {
      const Value *value = ns_executor_value (executor, i);

      if (value->storage == storage && value->producer > after &&
          !ns_executor_step (executor, value->producer)->skip)
        writer = MIN (writer, value->producer);
    }
  return writer;
}

static void
slice_concatenation (NsExecutor *executor,
                     guint       index)
{
  Step *step = ns_executor_step (executor, index);
  const Value *output = ns_executor_value (executor, step->output);
  gint64 axis = ns_exec_value (&step->in, "axis")->integer;
  guint target = output->storage;
  gint writer = next_writer (executor, target, index);
  gint64 col = 0;
  guint n_sliced = 0;

  if ((axis != -1 && axis != (gint64) output->rank - 1) || !is_contiguous (executor, output))
    return;

  for (guint port = 0; port < step->in.n_inputs; port++)
    {
      const Value *input = ns_executor_value (executor, step->inputs[port]);
      guint storage = input->storage;
      gint64 cols = input->dims[input->rank - 1];
      gboolean unique = TRUE;

      for (guint other = 0; other < step->in.n_inputs; other++)
        if (other != port && ns_executor_value (executor, step->inputs[other])->storage == storage)
          unique = FALSE;
      if (unique && storage != target && ns_executor_storage (executor, storage)->kind == STORAGE_ARENA &&
          !ns_executor_storage (executor, storage)->merged &&
          storage_last_read (executor, storage) < writer &&
          can_be_slice (executor, storage, index, cols))
        {
          for (guint i = 0; i < executor->values->len; i++)
            {
              Value *value = ns_executor_value (executor, i);

              if (value->storage == storage)
                {
                  value->storage = target;
                  value->col_offset = col;
                  value->ld = output->ld;
                }
            }
          ns_executor_storage (executor, storage)->merged = TRUE;
          n_sliced++;
        }
      col += cols;
    }
  step->skip = n_sliced == step->in.n_inputs;
}

/* Best-fit layout of the arena storages over their lifetimes. */
typedef struct {
  gint64 offset, size;
} Block;

static gint64
take_block (GArray *free_blocks,
            gint64 *end,
            gint64  size)
{
  gint best = -1;
  gint64 offset;

  for (guint i = 0; i < free_blocks->len; i++)
    {
      Block *block = &g_array_index (free_blocks, Block, i);

      if (block->size >= size && (best < 0 || block->size < g_array_index (free_blocks, Block, best).size))
        best = i;
    }
  if (best < 0 && free_blocks->len > 0)
    {
      /* Grow the arena from a free block at its end rather than past it. */
      Block *last = &g_array_index (free_blocks, Block, free_blocks->len - 1);

      if (last->offset + last->size == *end)
        {
          *end = SATURATED_ADD (*end, size - last->size);
          last->size = size;
          best = free_blocks->len - 1;
        }
    }
  if (best < 0)
    {
      offset = *end;
      *end = SATURATED_ADD (*end, size);
      return offset;
    }
  offset = g_array_index (free_blocks, Block, best).offset;
  g_array_index (free_blocks, Block, best).offset += size;
  g_array_index (free_blocks, Block, best).size -= size;
  if (g_array_index (free_blocks, Block, best).size == 0)
    g_array_remove_index (free_blocks, best);
  return offset;
}

/* Returns a block, merging it with its free neighbours (kept by offset). */
static void
give_block (GArray *free_blocks,
            gint64  offset,
            gint64  size)
{
  Block block = { offset, size };
  guint i = 0;

  while (i < free_blocks->len && g_array_index (free_blocks, Block, i).offset < offset)
    i++;
  g_array_insert_val (free_blocks, i, block);
  if (i + 1 < free_blocks->len &&
      g_array_index (free_blocks, Block, i).offset + g_array_index (free_blocks, Block, i).size ==
      g_array_index (free_blocks, Block, i + 1).offset)
    {
      g_array_index (free_blocks, Block, i).size += g_array_index (free_blocks, Block, i + 1).size;
      g_array_remove_index (free_blocks, i + 1);
    }
  if (i > 0 &&
      g_array_index (free_blocks, Block, i - 1).offset + g_array_index (free_blocks, Block, i - 1).size ==
      g_array_index (free_blocks, Block, i).offset)
    {
      g_array_index (free_blocks, Block, i - 1).size += g_array_index (free_blocks, Block, i).size;
      g_array_remove_index (free_blocks, i);
    }
}

static gint
compare_first (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  GArray *storages = user_data;
  gint fa = g_array_index (storages, Storage, *(const guint *) a).first;
  gint fb = g_array_index (storages, Storage, *(const guint *) b).first;

  return (fa > fb) - (fa < fb);
}

static gint
compare_last (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  GArray *storages = user_data;
  gint la = g_array_index (storages, Storage, *(const guint *) a).last;
  gint lb = g_array_index (storages, Storage, *(const guint *) b).last;

  return (la > lb) - (la < lb);
}

static void
layout_arena (NsExecutor *executor)
{
  g_autoptr(GArray) by_first = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) by_last = NULL;
  g_autoptr(GArray) free_blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  gint n_steps = executor->steps->len;
  guint next_alloc = 0, next_free = 0;
  gint64 end = 0;

  for (guint i = 0; i < executor->storages->len; i++)
    {
      Storage *storage = ns_executor_storage (executor, i);

      if (storage->kind == STORAGE_ARENA && !storage->merged)
        g_array_append_val (by_first, i);
    }
  by_last = g_array_copy (by_first);
  g_array_sort_with_data (by_first, compare_first, executor->storages);
  g_array_sort_with_data (by_last, compare_last, executor->storages);

  for (gint t = -1; t <= n_steps; t++)
    {
      for (; next_alloc < by_first->len; next_alloc++)
        {
          Storage *storage = ns_executor_storage (executor, g_array_index (by_first, guint, next_alloc));

          if (storage->first != t)
            break;
          storage->offset = take_block (free_blocks, &end,
                                        (storage->n_floats + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS);
        }
      for (; next_free < by_last->len; next_free++)
        {
          Storage *storage = ns_executor_storage (executor, g_array_index (by_last, guint, next_free));

          if (storage->last != t)
            break;
          give_block (free_blocks, storage->offset,
                      (storage->n_floats + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS);
        }
    }
  executor->arena_floats = end;
}

void
ns_executor_plan_storages (NsExecutor *executor)
{
  gint n_steps = executor->steps->len;
  g_autofree gint64 *live = g_new0 (gint64, n_steps + 3);
  gint64 peak = 0, current = 0;
  Storage *output, *capture;

  new_storage (executor, STORAGE_INPUT, 0);
  for (gint i = 0; i < n_steps; i++)
    assign_step (executor, i);
  for (gint i = 0; i < n_steps; i++)
    if (ns_executor_step (executor, i)->op == &ns_op_concatenate)
      slice_concatenation (executor, i);

  /* Lifetimes, from the values each storage ended up holding. */
  for (guint i = 0; i < executor->storages->len; i++)
    {
      Storage *storage = ns_executor_storage (executor, i);

      storage->first = G_MAXINT;
      storage->last = -1;
    }
  for (guint i = 0; i < executor->values->len; i++)
    {
      const Value *value = ns_executor_value (executor, i);
      Storage *storage = ns_executor_storage (executor, value->storage);

      storage->first = MIN (storage->first, value->producer);
      storage->last = MAX (storage->last, MAX (value->last_read, value->producer));
    }

  output = ns_executor_storage (executor, ns_executor_value (executor, executor->output_value)->storage);
  if (output->kind == STORAGE_ARENA)
    output->kind = STORAGE_OUTPUT;
  executor->external_floats = SATURATED_ADD (ns_executor_storage (executor, 0)->n_floats,
                                              ns_executor_value (executor, executor->output_value)->n_floats);
  if (executor->capture_value != NS_NO_VALUE)
    {
      capture = ns_executor_storage (executor, ns_executor_value (executor, executor->capture_value)->storage);
      if (capture->kind == STORAGE_ARENA)
        capture->kind = STORAGE_CAPTURE;
      executor->external_floats = SATURATED_ADD (executor->external_floats,
                                                 capture->kind == STORAGE_CAPTURE
                                                 ? capture->n_floats
                                                 : ns_executor_value (executor, executor->capture_value)->n_floats);
    }

  layout_arena (executor);

  /* The planned peak: the most floats live at once, every kind counted. */
  for (guint i = 0; i < executor->storages->len; i++)
    {
      const Storage *storage = ns_executor_storage (executor, i);

      if (storage->merged)
        continue;
      live[storage->first + 1] += storage->n_floats;
      live[storage->last + 2] -= storage->n_floats;
    }
  for (gint t = 0; t <= n_steps + 1; t++)
    {
      current += live[t];
      peak = MAX (peak, current);
    }
  executor->planned_bytes = (guint64) peak * 4;
}
