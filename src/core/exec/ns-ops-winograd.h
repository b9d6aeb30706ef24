/* ns-ops-winograd.h: 3×3 stride-1 convolutions by Winograd's F(2×2, 3×3),
 * for ns-ops-conv.c. */
#pragma once

#include "ns-exec-private.h"

G_BEGIN_DECLS

typedef struct _NsWinograd NsWinograd;

/* Whether a pass with these three tap offsets per axis (input positions
 * relative to the output, consecutive forwards or backwards) and channel
 * counts goes through Winograd. */
gboolean    ns_winograd_applies (gint64        cin,
                                 gint64        cout,
                                 const gint64 *offsets_y,
                                 const gint64 *offsets_x);
/* Scratch floats each thread needs. */
gint64      ns_winograd_scratch (gint64        cin,
                                 gint64        cout);
/* Transforms @b (rows (j, q, c) in the order of the offsets, columns the
 * filters) once. */
NsWinograd *ns_winograd_new     (const float  *b,
                                 gint64        cin,
                                 gint64        cout,
                                 const gint64 *offsets_y,
                                 const gint64 *offsets_x);
void        ns_winograd_free    (NsWinograd   *winograd);
/* The whole output, over the threads, bias and activation included. */
void        ns_winograd_run     (const NsWinograd *winograd,
                                 const NsView     *in,
                                 const NsView     *out,
                                 const float      *bias,
                                 NsAct             act,
                                 float            *scratch,
                                 gint64            per_thread);

G_END_DECLS
