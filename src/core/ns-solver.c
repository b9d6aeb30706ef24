/* ns-solver.c: the inverse size solver: which kernel, stride and padding give a wanted output size. */
#include "config.h"

#include "ns-size-rules.h"
#include "ns-solver.h"

/* The search is exhaustive, so the limits are clamped to keep it quick (some
 * four million forward evaluations, ~30 ms, at most); sizes past 2³¹ are
 * not networks anyone draws and would let (W − 1)·S leave int64. */
#define SOLVE_MAX_LIMIT 64
#define SOLVE_MAX_SIZE  ((gint64) 1 << 31)

typedef enum {
  NOTATION_VALID,
  NOTATION_SAME,
  NOTATION_EXPLICIT,
} Notation;

/* A choice that passed the forward rule, with what orders and dedupes it. */
typedef struct {
  NsSolveChoice choice;
  gboolean      uses_output_padding;  /* an extra knob to set */
  gint64        stride_distance;      /* from the stride the size ratio suggests */
  gboolean      awkward_kernel;       /* skips inputs, or checkerboards (transposed) */
  Notation      notation;
  /* Two choices in the same notation family are the same operation when
   * these agree: with the output size fixed, a window's placement is set by
   * kernel, stride and padding before the first input. */
  gint64        stride_used;          /* 0 when only one window exists */
  gint64        pad_before;
} Candidate;

typedef struct {
  NsSolveKind kind;
  gint64      input;
  gint64      output;
  gint64      natural_stride;
  gboolean    stride_matters;
  GArray     *candidates;
} Search;

static gint64
forward_size (const Search        *search,
              const NsSolveChoice *choice)
{
  if (search->kind == NS_SOLVE_CONV_TRANSPOSE)
    return ns_conv_transpose_output_size (search->input, choice->kernel, choice->stride, 1,
                                          choice->padding, choice->pad,
                                          choice->output_padding);
  return ns_conv_output_size (search->input, choice->kernel, choice->stride, 1,
                              choice->padding, choice->pad);
}

/* Padding before the first input. Keras' "same" is the forward convolution's
 * "same" padding, TensorFlow putting the odd pixel at the end; a transposed
 * convolution is the forward one run from the output size back. */
static gint64
pad_before (const Search        *search,
            const NsSolveChoice *choice)
{
  switch (choice->padding)
    {
    case NS_PADDING_SAME:
      if (search->kind == NS_SOLVE_CONV_TRANSPOSE)
        return ns_same_padding_total (search->output, choice->kernel, choice->stride, 1) / 2;
      return ns_same_padding_total (search->input, choice->kernel, choice->stride, 1) / 2;
    case NS_PADDING_EXPLICIT:
      return choice->pad;
    case NS_PADDING_VALID:
    default:
      return 0;
    }
}

static void
try_choice (Search       *search,
            gint64        kernel,
            gint64        stride,
            NsPaddingMode padding,
            gint64        pad,
            gint64        output_padding)
{
  NsSolveChoice choice = { kernel, stride, padding, pad, output_padding };
  Candidate candidate = { 0 };

  if (forward_size (search, &choice) != search->output)
    return;

  candidate.choice = choice;
  candidate.notation = padding == NS_PADDING_VALID ? NOTATION_VALID
                       : padding == NS_PADDING_SAME ? NOTATION_SAME
                       : NOTATION_EXPLICIT;
  /* Explicit padding takes no output padding as 0; Keras' strings take
   * "not given" (None) as different from 0. */
  candidate.uses_output_padding = candidate.notation == NOTATION_EXPLICIT
                                  ? output_padding > 0 : output_padding >= 0;
  if (search->stride_matters)
    {
      candidate.stride_distance = ABS (stride - search->natural_stride);
      candidate.stride_used = stride;
      /* A transposed kernel that is not a multiple of the stride overlaps
       * unevenly (checkerboard artefacts); a forward kernel smaller than the
       * stride never reads some inputs. */
      if (search->kind == NS_SOLVE_CONV_TRANSPOSE)
        candidate.awkward_kernel = kernel % stride != 0;
      else
        candidate.awkward_kernel = kernel < stride;
    }
  candidate.pad_before = pad_before (search, &choice);

  g_array_append_val (search->candidates, candidate);
}

static int
compare_int64 (gint64 a,
               gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

/* Simplest first; docs/size-solver.md explains the order. */
static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a;
  const Candidate *y = b;
  int order;

  if ((order = compare_int64 (x->uses_output_padding, y->uses_output_padding)) ||
      (order = compare_int64 (x->stride_distance, y->stride_distance)) ||
      (order = compare_int64 (x->choice.stride, y->choice.stride)) ||
      (order = compare_int64 (x->awkward_kernel, y->awkward_kernel)) ||
      (order = compare_int64 (x->choice.kernel, y->choice.kernel)) ||
      (order = compare_int64 (x->notation, y->notation)) ||
      (order = compare_int64 (x->choice.pad, y->choice.pad)))
    return order;
  return compare_int64 (x->choice.output_padding, y->choice.output_padding);
}

static guint
operation_key (const Candidate *candidate)
{
  guint family = candidate->notation == NOTATION_EXPLICIT ? 1 : 0;

  /* Every field is below SOLVE_MAX_LIMIT (padding never exceeds the kernel). */
  g_assert (candidate->pad_before >= 0 && candidate->pad_before < 256);
  return family << 24
         | (guint) candidate->choice.kernel << 16
         | (guint) candidate->stride_used << 8
         | (guint) candidate->pad_before;
}

GArray *
ns_solve_output_size (NsSolveKind kind,
                      gint64      input,
                      gint64      output,
                      gint64      max_kernel,
                      gint64      max_stride)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GHashTable) seen = NULL;
  GArray *choices = g_array_new (FALSE, FALSE, sizeof (NsSolveChoice));
  Search search = { kind, input, output, 1, TRUE, candidates };
  gint64 ratio_num, ratio_den;

  g_return_val_if_fail (kind <= NS_SOLVE_POOL, choices);

  /* Unknown (NS_DIM_NONE), empty or absurd sizes have no answer. */
  if (input < 1 || output < 1 || input > SOLVE_MAX_SIZE || output > SOLVE_MAX_SIZE)
    return choices;
  max_kernel = CLAMP (max_kernel, 0, SOLVE_MAX_LIMIT);
  max_stride = CLAMP (max_stride, 0, SOLVE_MAX_LIMIT);

  /* The stride the size ratio suggests, rounded half up: 128 → 64 is 2. */
  ratio_num = kind == NS_SOLVE_CONV_TRANSPOSE ? output : input;
  ratio_den = kind == NS_SOLVE_CONV_TRANSPOSE ? input : output;
  search.natural_stride = MAX ((2 * ratio_num + ratio_den) / (2 * ratio_den), 1);
  /* With a single window (one output; one input when transposed) the stride
   * never moves it, so every stride is the same operation. */
  search.stride_matters = (kind == NS_SOLVE_CONV_TRANSPOSE ? input : output) > 1;

  for (gint64 stride = 1; stride <= max_stride; stride++)
    for (gint64 kernel = 1; kernel <= max_kernel; kernel++)
      {
        /* PyTorch refuses pooling padding past half the window; for
         * convolutions padding of a whole kernel or more would add outputs
         * that see nothing but zeros. Explicit 0 is "valid". */
        gint64 max_pad = kind == NS_SOLVE_POOL ? kernel / 2 : kernel - 1;
        /* Output padding must stay below the stride (Keras and PyTorch). */
        gint64 max_output_padding = kind == NS_SOLVE_CONV_TRANSPOSE ? stride - 1 : -1;

        for (gint64 op = -1; op <= max_output_padding; op++)
          {
            try_choice (&search, kernel, stride, NS_PADDING_VALID, 0, op);
            try_choice (&search, kernel, stride, NS_PADDING_SAME, 0, op);
          }
        for (gint64 pad = 1; pad <= max_pad; pad++)
          for (gint64 op = -1; op <= max_output_padding; op++)
            {
              /* Explicit output padding 0 is the same as none. */
              if (op != 0)
                try_choice (&search, kernel, stride, NS_PADDING_EXPLICIT, pad, op);
            }
      }

  g_array_sort (candidates, compare_candidates);

  /* Keep the simplest spelling of each operation. */
  seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *candidate = &g_array_index (candidates, Candidate, i);

      if (g_hash_table_add (seen, GUINT_TO_POINTER (operation_key (candidate))))
        g_array_append_val (choices, candidate->choice);
    }

  return choices;
}

/* The notation is Keras' config values and the article's letters, the same
 * in every language, so it is not translated. */
char *
ns_solve_choice_to_string (const NsSolveChoice *choice)
{
  GString *text;

  g_return_val_if_fail (choice != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "F=%" PRId64 ", S=%" PRId64,
                          choice->kernel, choice->stride);
  switch (choice->padding)
    {
    case NS_PADDING_SAME:
      g_string_append (text, ", same");
      break;
    case NS_PADDING_EXPLICIT:
      g_string_append_printf (text, ", P=%" PRId64, choice->pad);
      break;
    case NS_PADDING_VALID:
    default:
      g_string_append (text, ", valid");
      break;
    }
  if (choice->output_padding >= 0)
    g_string_append_printf (text, ", OP=%" PRId64, choice->output_padding);

  return g_string_free (text, FALSE);
}
