/* ns-shape.h: tensor shapes (batch dimension left out) and checked int64 arithmetic. */
#pragma once

/* PRId64 rather than G_GINT64_FORMAT: xgettext understands the former in
 * translatable strings and cuts messages short at the latter. */
#include <inttypes.h>

#include <glib-object.h>

#include "ns-types.h"

G_BEGIN_DECLS

#define NS_MAX_RANK 8
/* A dimension Keras prints as None (unknown until run time). */
#define NS_DIM_NONE ((gint64) -1)

struct _NsShape {
  guint  rank;                  /* dimensions after the batch one */
  gint64 dims[NS_MAX_RANK];
};

void      ns_shape_init        (NsShape       *shape,
                                guint          rank,
                                const gint64  *dims);
gboolean  ns_shape_equal       (const NsShape *a,
                                const NsShape *b);
gboolean  ns_shape_is_known    (const NsShape *shape);
/* Elements per sample; NS_DIM_NONE when a dim is unknown. FALSE on int64 overflow. */
gboolean  ns_shape_elements    (const NsShape *shape,
                                gint64        *out_elements);
/* "(None, 128, 128, 64)" as Keras prints it. */
char     *ns_shape_to_keras    (const NsShape *shape);
/* "128×128×64" for wire labels; "?" for unknown dims. */
char     *ns_shape_to_compact  (const NsShape *shape);

/* How the views write shapes: as Keras (channels last, the document's own
 * order) or as PyTorch (channels first). Exports always use Keras' order. */
typedef enum {
  NS_SHAPE_ORDER_NHWC,
  NS_SHAPE_ORDER_NCHW,
} NsShapeOrder;

#define NS_TYPE_SHAPE_ORDER (ns_shape_order_get_type ())
GType     ns_shape_order_get_type (void) G_GNUC_CONST;

/* @shape with its axes in @order: for NCHW a tensor with two or more axes
 * after the batch (an image, a sequence, a volume) has its last axis, the
 * channels, moved to the front; a vector stays as it is. */
void      ns_shape_reorder     (const NsShape *shape,
                                NsShapeOrder   order,
                                NsShape       *out);
/* ns_shape_to_keras and ns_shape_to_compact of the reordered shape:
 * "(None, 64, 128, 128)" and "64×128×128" for NCHW. */
char     *ns_shape_to_display_string  (const NsShape *shape,
                                       NsShapeOrder   order);
char     *ns_shape_to_display_compact (const NsShape *shape,
                                       NsShapeOrder   order);
/* "[null,128,128,64]" fragment for JSON writers. */
void      ns_shape_append_json (const NsShape *shape,
                                GString       *out);

/* Checked arithmetic: FALSE when the result leaves int64. Inline: inference
 * calls them for every layer on every edit. */
static inline gboolean
ns_checked_mul (gint64  a,
                gint64  b,
                gint64 *out)
{
  return !__builtin_mul_overflow (a, b, out);
}

static inline gboolean
ns_checked_add (gint64  a,
                gint64  b,
                gint64 *out)
{
  return !__builtin_add_overflow (a, b, out);
}

/* "1,792": thousands separators as Keras' summary prints them. */
char     *ns_format_count      (gint64 value);
/* "1.43 G", "28.3 M": for costs and bytes in tight places. */
char     *ns_format_si         (double value);
char     *ns_format_bytes      (gint64 bytes);
/* The shortest text (15–17 significant digits, C locale) that reads back as
 * exactly @value, as Python's repr and JSON writers want it. */
void      ns_append_shortest_double (GString *out,
                                     double   value);

G_END_DECLS
