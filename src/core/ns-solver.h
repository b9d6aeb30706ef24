/* ns-solver.h: the inverse of the size rules: which (kernel, stride, padding)
 * turn an input size W into a wanted output size N. */
#pragma once

#include "ns-value.h"

G_BEGIN_DECLS

typedef enum {
  NS_SOLVE_CONV,             /* Conv2D and friends */
  NS_SOLVE_CONV_TRANSPOSE,   /* Conv2DTranspose */
  NS_SOLVE_POOL,             /* MaxPooling2D, AveragePooling2D */
} NsSolveKind;

typedef struct {
  gint64        kernel;
  gint64        stride;
  NsPaddingMode padding;          /* valid, same or explicit */
  gint64        pad;              /* per side, for NS_PADDING_EXPLICIT; else 0 */
  gint64        output_padding;   /* transposed only; -1 when not given (and
                                   * with explicit padding when it would be 0) */
} NsSolveChoice;

/* Every choice within the limits that gives exactly @output from @input on
 * one spatial axis, simplest first (docs/size-solver.md), each checked with
 * the forward rules of ns-size-rules.h so it cannot disagree with inference.
 * Kernels run 1…@max_kernel and strides 1…@max_stride (both clamped to 64);
 * padding is "valid", "same" or explicit P from 1 to kernel − 1 (pooling:
 * kernel / 2, PyTorch's limit); transposed output padding is below the
 * stride. Spellings of one operation in one notation are listed once; the
 * Keras strings and explicit padding are both listed even where they compute
 * the same thing, since they are written differently. Sizes below 1 (or
 * NS_DIM_NONE) or past 2³¹ give an empty array. Returns a GArray of
 * NsSolveChoice; free with g_array_unref(). */
GArray *ns_solve_output_size (NsSolveKind kind,
                              gint64      input,
                              gint64      output,
                              gint64      max_kernel,
                              gint64      max_stride);
/* "F=4, S=2, P=1", "F=3, S=2, same" or "F=3, S=2, P=1, OP=1" for lists.
 * Not translated: these are Keras' config values and the article's letters. */
char   *ns_solve_choice_to_string (const NsSolveChoice *choice);

G_END_DECLS
