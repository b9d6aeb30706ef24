/* ns-npy.c: NumPy .npy files of float32 tensors, read and written as NumPy's
 * format spec (numpy.lib.format) says; the header's dict is ns-npy-header.c's. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-npy-private.h"
#include "ns-types.h"

#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6
/* np.save aligns the data to 64 bytes and leaves room for the first axis to
 * grow to 21 digits without rewriting the file (numpy.lib.format). */
#define ARRAY_ALIGN 64
#define GROWTH_AXIS_MAX_DIGITS 21
/* A header longer than this is no array's: numpy itself stops at 10,000. */
#define MAX_HEADER_LEN (1 << 20)

/* ---- Reading ------------------------------------------------------------- */

/* Reads exactly @count bytes; *@got says how many came before the end. */
static gboolean
read_exactly (GInputStream  *stream,
              void          *buffer,
              gsize          count,
              gsize         *got,
              GCancellable  *cancellable,
              const char    *name,
              GError       **error)
{
  if (!g_input_stream_read_all (stream, buffer, count, got, cancellable, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static NsTensor *
truncated (const char         *name,
           const NsNpyHeader  *header,
           gsize               needed,
           gsize               got,
           GError            **error)
{
  g_autofree char *shape = ns_npy_format_shape (header->rank, header->dims);

  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
               _("%s is truncated: its shape %s needs %" PRIu64 " bytes of data, "
                 "the file has %" PRIu64), name, shape, (guint64) needed, (guint64) got);
  return NULL;
}

/* The bytes after @offset when @stream reads a file of known size; G_MAXSIZE
 * when the size cannot be told (a pipe, memory). */
static gsize
file_bytes_left (GInputStream *stream,
                 gsize         offset,
                 GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  goffset size;

  if (!G_IS_FILE_INPUT_STREAM (stream))
    return G_MAXSIZE;
  info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream), G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return G_MAXSIZE;
  size = g_file_info_get_size (info);
  return size > (goffset) offset ? (gsize) (size - offset) : 0;
}

NsTensor *
ns_npy_read (GInputStream  *stream,
             const char    *display_name,
             GCancellable  *cancellable,
             GError       **error)
{
  guint8 prefix[MAGIC_LEN + 2 + 4];
  g_autofree char *text = NULL;
  g_autoptr(NsTensor) tensor = NULL;
  g_auto(NsNpyHeader) header = { 0 };
  guint8 extra;
  gsize got, length_size, header_len, data_bytes;
  gint64 n_values;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  if (!read_exactly (stream, prefix, MAGIC_LEN + 2, &got, cancellable, display_name, error))
    return NULL;
  if (got < MAGIC_LEN + 2 || memcmp (prefix, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   _("%s: not a NumPy .npy file (it does not start with “\\x93NUMPY”)"), display_name);
      return NULL;
    }
  /* 1.0: a 16-bit header length; 2.0: 32-bit; 3.0: 32-bit and UTF-8 text. */
  if (prefix[MAGIC_LEN] < 1 || prefix[MAGIC_LEN] > 3 || prefix[MAGIC_LEN + 1] != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_VERSION,
                   _("%s: .npy format version %u.%u is not one Netsketch reads (1.0, 2.0 or 3.0)"),
                   display_name, prefix[MAGIC_LEN], prefix[MAGIC_LEN + 1]);
      return NULL;
    }
  length_size = prefix[MAGIC_LEN] == 1 ? 2 : 4;
  if (!read_exactly (stream, prefix + MAGIC_LEN + 2, length_size, &got, cancellable, display_name, error))
    return NULL;
  if (got < length_size)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   _("%s: the file ends before its .npy header"), display_name);
      return NULL;
    }
  if (length_size == 2)
    header_len = prefix[8] | (gsize) prefix[9] << 8;
  else
    header_len = prefix[8] | (gsize) prefix[9] << 8 | (gsize) prefix[10] << 16 | (gsize) prefix[11] << 24;
  if (header_len > MAX_HEADER_LEN)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   _("%s: the .npy header says it is %" PRIu64 " bytes long, "
                     "more than any array needs"), display_name, (guint64) header_len);
      return NULL;
    }

  text = g_malloc (header_len + 1);
  if (!read_exactly (stream, text, header_len, &got, cancellable, display_name, error))
    return NULL;
  if (got < header_len)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                   _("%s: the file ends inside its .npy header (%" PRIu64 " of %" PRIu64 " bytes)"),
                   display_name, (guint64) got, (guint64) header_len);
      return NULL;
    }
  text[header_len] = '\0';

  /* Latin-1 (1.0, 2.0) and UTF-8 (3.0) agree on ASCII, the only text a
   * float32 header holds; other bytes can only be inside a string, and the
   * messages that quote one make it valid UTF-8 first. */
  if (!ns_npy_header_parse (text, header_len, display_name, &header, error))
    return NULL;
  if (!ns_npy_header_check (&header, display_name, &n_values, error))
    return NULL;

  data_bytes = (gsize) n_values * sizeof (float);
  /* A file that is short of what its header claims is refused before the
   * buffer is allocated: a 100-byte file may claim gigabytes. */
  got = file_bytes_left (stream, MAGIC_LEN + 2 + length_size + header_len, cancellable);
  if (got < data_bytes)
    return truncated (display_name, &header, data_bytes, got, error);

  tensor = ns_tensor_new (header.rank, header.dims);
  if (tensor == NULL)
    {
      g_autofree char *shape = ns_npy_format_shape (header.rank, header.dims);

      g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                   _("%s: shape %s is too large to load"), display_name, shape);
      return NULL;
    }
  if (!read_exactly (stream, tensor->data, data_bytes, &got, cancellable, display_name, error))
    return NULL;
  if (got < data_bytes)
    return truncated (display_name, &header, data_bytes, got, error);
  if (!read_exactly (stream, &extra, 1, &got, cancellable, display_name, error))
    return NULL;
  if (got > 0)
    {
      g_autofree char *shape = ns_npy_format_shape (header.rank, header.dims);

      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s has more data than its shape %s holds (%" PRIu64 " bytes)"),
                   display_name, shape, (guint64) data_bytes);
      return NULL;
    }

#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gint64 i = 0; i < n_values; i++)
    {
      guint32 bits;

      memcpy (&bits, &tensor->data[i], sizeof bits);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&tensor->data[i], &bits, sizeof bits);
    }
#endif
  return g_steal_pointer (&tensor);
}

NsTensor *
ns_npy_load (GFile         *file,
             const char    *display_name,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *basename = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (display_name == NULL)
    display_name = basename = g_file_get_basename (file);

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      /* GIO's own wording repeats the full path; say it once, our way. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s: no such file"), display_name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     _("%s: is a folder, not a .npy file"), display_name);
      else
        g_set_error (error, local_error->domain, local_error->code, "%s: %s", display_name,
                     local_error->message);
      return NULL;
    }
  return ns_npy_read (G_INPUT_STREAM (stream), display_name, cancellable, error);
}

/* ---- Writing ------------------------------------------------------------- */

/* The header np.save writes for a float32 C-order array of this shape,
 * prefix and padding included. */
static GBytes *
make_header (const NsTensor *tensor)
{
  g_autofree char *shape = ns_npy_format_shape (tensor->rank, tensor->dims);
  g_autofree char *first = NULL;
  GString *dict = g_string_new (NULL);
  GByteArray *bytes = g_byte_array_new ();
  gsize length_size = 2;
  gsize padding, total;
  guint8 version[2] = { 1, 0 };
  guint8 length[4];

  g_string_printf (dict, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape);
  if (tensor->rank > 0)
    {
      first = g_strdup_printf ("%" G_GINT64_FORMAT, tensor->dims[0]);
      for (gsize i = strlen (first); i < GROWTH_AXIS_MAX_DIGITS; i++)
        g_string_append_c (dict, ' ');
    }

  /* numpy pads a whole block when the header is already aligned. */
  padding = ARRAY_ALIGN - (MAGIC_LEN + 2 + length_size + dict->len + 1) % ARRAY_ALIGN;
  if (dict->len + 1 + padding > G_MAXUINT16)
    {
      version[0] = 2;
      length_size = 4;
      padding = ARRAY_ALIGN - (MAGIC_LEN + 2 + length_size + dict->len + 1) % ARRAY_ALIGN;
    }
  total = dict->len + 1 + padding;
  for (gsize i = 0; i < length_size; i++)
    length[i] = (total >> (8 * i)) & 0xff;

  g_byte_array_append (bytes, (const guint8 *) MAGIC, MAGIC_LEN);
  g_byte_array_append (bytes, version, 2);
  g_byte_array_append (bytes, length, length_size);
  for (gsize i = 0; i < padding; i++)
    g_string_append_c (dict, ' ');
  g_string_append_c (dict, '\n');
  g_byte_array_append (bytes, (const guint8 *) dict->str, dict->len);
  g_string_free (dict, TRUE);
  return g_byte_array_free_to_bytes (bytes);
}

gboolean
ns_npy_write (GOutputStream   *stream,
              const NsTensor  *tensor,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(GBytes) header = NULL;
  gint64 n_values;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);
  g_return_val_if_fail (tensor->rank <= NS_MAX_RANK + 1, FALSE);

  header = make_header (tensor);
  n_values = ns_tensor_get_n_values (tensor);
  if (!g_output_stream_write_all (stream, g_bytes_get_data (header, NULL), g_bytes_get_size (header),
                                  NULL, cancellable, error))
    return FALSE;

#if G_BYTE_ORDER == G_BIG_ENDIAN
  {
    guint32 chunk[4096];

    for (gint64 start = 0; start < n_values; start += G_N_ELEMENTS (chunk))
      {
        gint64 count = MIN ((gint64) G_N_ELEMENTS (chunk), n_values - start);

        for (gint64 i = 0; i < count; i++)
          {
            memcpy (&chunk[i], &tensor->data[start + i], sizeof chunk[i]);
            chunk[i] = GUINT32_TO_LE (chunk[i]);
          }
        if (!g_output_stream_write_all (stream, chunk, count * sizeof (float), NULL, cancellable, error))
          return FALSE;
      }
    return TRUE;
  }
#else
  return g_output_stream_write_all (stream, tensor->data, (gsize) n_values * sizeof (float),
                                    NULL, cancellable, error);
#endif
}

gboolean
ns_npy_save (GFile           *file,
             const NsTensor  *tensor,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);

  /* g_file_replace writes beside the target and renames at close. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (stream == NULL)
    return FALSE;
  if (!ns_npy_write (G_OUTPUT_STREAM (stream), tensor, cancellable, error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing cancelled drops the temporary file: the target stays as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error);
}