/* ns-npy.h: NumPy .npy files of float32 tensors, read and written per NumPy's
 * format spec (numpy.lib.format): versions 1.0, 2.0 and 3.0, C order,
 * little-endian float32 ('<f4'). */
#pragma once

#include <gio/gio.h>

#include "ns-executor.h"

G_BEGIN_DECLS

/* Reads one array from @stream. @display_name starts every error message
 * ("x.npy holds float64 ('<f8'); Netsketch reads float32 ('<f4')"). Other
 * dtypes, Fortran order, malformed headers, shapes of no values or past
 * NsTensor's rank, and data shorter or longer than the shape says are
 * refused with NS_ERROR_INVALID_VALUE (NS_ERROR_PARSE for a broken header). */
NsTensor *ns_npy_read   (GInputStream    *stream,
                         const char      *display_name,
                         GCancellable    *cancellable,
                         GError         **error);
/* The same from a file; @display_name NULL for its basename. */
NsTensor *ns_npy_load   (GFile           *file,
                         const char      *display_name,
                         GCancellable    *cancellable,
                         GError         **error);
/* Writes @tensor as NumPy's np.save writes a float32 C-order array: version
 * 1.0 (2.0 only if the header outgrows 1.0), byte for byte the same. */
gboolean  ns_npy_write  (GOutputStream   *stream,
                         const NsTensor  *tensor,
                         GCancellable    *cancellable,
                         GError         **error);
/* Writes @file atomically: the old file stays whole until the new one is. */
gboolean  ns_npy_save   (GFile           *file,
                         const NsTensor  *tensor,
                         GCancellable    *cancellable,
                         GError         **error);
/* "(1, 64, 64, 3)", "(5,)": a shape as Python and NumPy print it. */
char     *ns_npy_format_shape (guint         rank,
                               const gint64 *dims);

G_END_DECLS
