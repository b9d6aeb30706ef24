/* ns-atomic-write.h: replacing a file so that it is either the old file or
 * the whole new one, whatever goes wrong on the way. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes @length bytes of @data to @file through a temporary file renamed
 * over it once complete. A failed or cancelled write (a full disk, a
 * read-only folder, @cancellable) leaves the old file as it was, or no file
 * when there was none, and no temporary file; a process killed while writing
 * leaves the old file and at most a hidden temporary file beside it. */
gboolean ns_atomic_write (GFile         *file,
                          const void    *data,
                          gsize          length,
                          GCancellable  *cancellable,
                          GError       **error);

G_END_DECLS
