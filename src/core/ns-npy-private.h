/* ns-npy-private.h: the .npy header, parsed (ns-npy-header.c) and checked
 * before ns-npy.c reads the data after it. */
#pragma once

#include "ns-npy.h"
#include "ns-shape.h"

G_BEGIN_DECLS

typedef struct {
  char    *descr;         /* NULL: structured (a list) */
  gboolean has_descr;
  gboolean fortran_order;
  gboolean has_fortran_order;
  guint    rank;
  gint64   dims[NS_MAX_RANK + 1];
  gboolean has_shape;
} NsNpyHeader;

void     ns_npy_header_clear (NsNpyHeader  *header);
/* Parses the header's dict (@length bytes of @text, NUL-terminated); the
 * messages start with @name. */
gboolean ns_npy_header_parse (const char   *text,
                              gsize         length,
                              const char   *name,
                              NsNpyHeader  *header,
                              GError      **error);
/* Refuses what Netsketch does not read (dtype, order, rank 0, no values, too
 * many values); gives the count of values otherwise. */
gboolean ns_npy_header_check (const NsNpyHeader *header,
                              const char        *name,
                              gint64            *n_values,
                              GError           **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsNpyHeader, ns_npy_header_clear)

G_END_DECLS
