/* ns-atomic-write.c: replacing a file whole or not at all. */
#include "config.h"

#include "ns-atomic-write.h"

/* Writes @data into the new file @file and closes it; on failure deletes it. */
static gboolean
write_new (GFile         *file,
           const void    *data,
           gsize          length,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  stream = g_file_create (file, G_FILE_CREATE_NONE, cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (g_output_stream_write_all (G_OUTPUT_STREAM (stream), data, length, NULL, cancellable, error) &&
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error))
    return TRUE;
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
  g_file_delete (file, NULL, NULL);
  return FALSE;
}

/* GIO writes a file that does not exist yet in place, so a crash would leave
 * half of it: it is written under a hidden name and renamed instead. */
static gboolean
create_whole (GFile         *file,
              const void    *data,
              gsize          length,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *temp_name = g_strdup_printf (".%s.%08x~", basename, g_random_int ());
  g_autoptr(GFile) temp = NULL;
  g_autoptr(GError) move_error = NULL;

  if (parent == NULL)
    return write_new (file, data, length, cancellable, error);
  temp = g_file_get_child (parent, temp_name);
  if (!write_new (temp, data, length, cancellable, error))
    return FALSE;
  if (g_file_move (temp, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                   cancellable, NULL, NULL, &move_error))
    return TRUE;
  g_file_delete (temp, NULL, NULL);
  /* A backend that cannot rename gets the file written in place. */
  if (g_error_matches (move_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return write_new (file, data, length, cancellable, error);
  g_propagate_error (error, g_steal_pointer (&move_error));
  return FALSE;
}

gboolean
ns_atomic_write (GFile         *file,
                 const void    *data,
                 gsize          length,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!g_file_query_exists (file, NULL))
    return create_whole (file, data, length, cancellable, error);

  /* Replacing keeps the old file's permissions; GIO writes a temporary file
   * beside it and renames it over the old one on close. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (g_output_stream_write_all (G_OUTPUT_STREAM (stream), data, length, NULL, cancellable, error))
    return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);

  /* g_file_replace_contents () closes normally after a failed write, and a
   * normal close renames the partial temporary file over the target (GLib
   * 2.74): a full disk would leave half a file. Closing cancelled deletes
   * the temporary file instead. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
  return FALSE;
}
