/* ns-ops-merge.c: Concatenate and the elementwise merges (Add, Subtract,
 * Multiply, Average, Maximum, Minimum) with Keras' broadcasting. */
#include "config.h"

#include <string.h>

#include "ns-exec-private.h"
#include "ns-ops.h"

/* ---- Concatenate --------------------------------------------------------------- */

static gpointer
concatenate_prepare (NsForwardPrepare *prep,
                     GError          **error)
{
  gint64 *axis = g_new (gint64, 1);
  gint64 value = ns_exec_value (prep->in, "axis")->integer;

  /* Keras' numbering, the batch being axis 0. */
  *axis = value < 0 ? value + prep->in->inputs[0]->rank + 1 : value;
  return axis;
}

/* Each input's block of rows (or, on the last axis, of columns) follows the
 * previous one's; every copy is a run of whole or partial rows, so channel
 * slices (ld above the width) read and write as well. */
static void
concatenate_run (gconstpointer       data,
                 const NsForwardRun *run)
{
  gint64 axis = *(const gint64 *) data;
  const NsView *out = run->output;
  gint64 rank = out->rank;

  if (axis == rank - 1)
    {
      gint64 rows = ns_view_rows (out);

#pragma omp parallel for schedule(static) if (rows * ns_view_cols (out) >= NS_PARALLEL_MIN_VALUES)
      for (gint64 r = 0; r < rows; r++)
        {
          gint64 col = 0;

          for (guint i = 0; i < run->n_inputs; i++)
            {
              const NsView *in = &run->inputs[i];
              gint64 cols = ns_view_cols (in);

              if (in->data + r * in->ld != out->data + r * out->ld + col)
                memcpy (out->data + r * out->ld + col, in->data + r * in->ld, cols * sizeof (float));
              col += cols;
            }
        }
      return;
    }

  {
    gint64 outer = 1, cols = ns_view_cols (out);

    for (gint64 i = 0; i < axis; i++)
      outer *= out->dims[i];

#pragma omp parallel for schedule(static) if (ns_view_rows (out) * cols >= NS_PARALLEL_MIN_VALUES)
    for (gint64 o = 0; o < outer; o++)
      {
        gint64 out_row = o * (ns_view_rows (out) / outer);

        for (guint i = 0; i < run->n_inputs; i++)
          {
            const NsView *in = &run->inputs[i];
            gint64 block = ns_view_rows (in) / outer;

            for (gint64 r = 0; r < block; r++)
              memcpy (out->data + (out_row + r) * out->ld, in->data + (o * block + r) * in->ld,
                      cols * sizeof (float));
            out_row += block;
          }
      }
  }
}

const NsForwardOp ns_op_concatenate = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = concatenate_prepare,
  .run = concatenate_run,
};

/* ---- Elementwise merges --------------------------------------------------------- */

typedef enum { MERGE_ADD, MERGE_SUBTRACT, MERGE_MULTIPLY, MERGE_AVERAGE, MERGE_MAXIMUM, MERGE_MINIMUM } MergeKind;

/* y ⊕= x over one row; @x_stride 0 repeats x[0]. Not restrict: Add(x, x)
 * in place reads and writes the same row. */
static void
merge_row (MergeKind          kind,
           float             *y,
           const float       *x,
           gint64             x_stride,
           gint64             n)
{
  if (x_stride == 1)
    switch (kind)
      {
      case MERGE_ADD:
      case MERGE_AVERAGE:
        for (gint64 i = 0; i < n; i++)
          y[i] += x[i];
        break;
      case MERGE_SUBTRACT:
        for (gint64 i = 0; i < n; i++)
          y[i] -= x[i];
        break;
      case MERGE_MULTIPLY:
        for (gint64 i = 0; i < n; i++)
          y[i] *= x[i];
        break;
      case MERGE_MAXIMUM:
        for (gint64 i = 0; i < n; i++)
          y[i] = MAX (y[i], x[i]);
        break;
      case MERGE_MINIMUM:
        for (gint64 i = 0; i < n; i++)
          y[i] = MIN (y[i], x[i]);
        break;
      default:
        g_assert_not_reached ();
      }
  else
    {
      float v = x[0];

      for (gint64 i = 0; i < n; i++)
        switch (kind)
          {
          case MERGE_ADD:
          case MERGE_AVERAGE:
            y[i] += v;
            break;
          case MERGE_SUBTRACT:
            y[i] -= v;
            break;
          case MERGE_MULTIPLY:
            y[i] *= v;
            break;
          case MERGE_MAXIMUM:
            y[i] = MAX (y[i], v);
            break;
          case MERGE_MINIMUM:
            y[i] = MIN (y[i], v);
            break;
          default:
            g_assert_not_reached ();
          }
    }
}

static void
merge_run (MergeKind           kind,
           const NsForwardRun *run)
{
  const NsView *out = run->output;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  NsBroadcast *operands = g_newa (NsBroadcast, run->n_inputs);

  for (guint i = 0; i < run->n_inputs; i++)
    ns_broadcast_init (&operands[i], out, run->inputs[i].dims, run->inputs[i].rank, run->inputs[i].ld);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r++)
    {
      float *y = out->data + r * out->ld;
      const float *first = run->inputs[0].data + ns_broadcast_row_offset (&operands[0], r);

      /* Input 0 starts the row (in place it already is the row). */
      if (ns_broadcast_col_stride (&operands[0]) == 0)
        for (gint64 c = 0; c < cols; c++)
          y[c] = first[0];
      else if (first != y)
        memcpy (y, first, cols * sizeof (float));
      for (guint i = 1; i < run->n_inputs; i++)
        merge_row (kind, y, run->inputs[i].data + ns_broadcast_row_offset (&operands[i], r),
                   ns_broadcast_col_stride (&operands[i]), cols);
      if (kind == MERGE_AVERAGE)
        for (gint64 c = 0; c < cols; c++)
          y[c] /= (float) run->n_inputs;
    }
}

#define MERGE_OP(ident, kind)                                 \
  static void                                                 \
  ident##_run (gconstpointer       data,                      \
               const NsForwardRun *run)                       \
  {                                                           \
    merge_run (kind, run);                                    \
  }                                                           \
  const NsForwardOp ns_op_##ident = {                         \
    .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,        \
    .run = ident##_run,                                       \
  }

MERGE_OP (add, MERGE_ADD);
MERGE_OP (subtract, MERGE_SUBTRACT);
MERGE_OP (multiply, MERGE_MULTIPLY);
MERGE_OP (average, MERGE_AVERAGE);
MERGE_OP (maximum, MERGE_MAXIMUM);
MERGE_OP (minimum, MERGE_MINIMUM);
