/* test-npy.c: .npy files read and written per NumPy's format spec, checked
 * against files numpy 1.24 wrote (tests/fixtures/npy) and bytes written out by
 * hand from the spec. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-npy.h"
#include "ns-types.h"

/* np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)), by hand: the magic,
 * version 1.0, a header length of 118 (0x76) so that the data starts at byte
 * 128, the dict with 20 spaces of room for the first axis to grow, padding,
 * a newline, then 0.0 … 5.0 as little-endian float32. */
static GBytes *
hand_written_2x3 (void)
{
  static const char dict[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  static const guint8 values[] = {
    0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x80, 0x3f,  0x00, 0x00, 0x00, 0x40,
    0x00, 0x00, 0x40, 0x40,  0x00, 0x00, 0x80, 0x40,  0x00, 0x00, 0xa0, 0x40,
  };
  guint8 *bytes = g_malloc (128 + sizeof values);

  memcpy (bytes, "\x93NUMPY\x01\x00\x76\x00", 10);
  memset (bytes + 10, ' ', 117);
  memcpy (bytes + 10, dict, strlen (dict));
  bytes[127] = '\n';
  memcpy (bytes + 128, values, sizeof values);
  return g_bytes_new_take (bytes, 128 + sizeof values);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "npy", name, NULL);
}

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

static NsTensor *
read_bytes (const void *data,
            gsize       length,
            GError    **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, length, NULL);

  return ns_npy_read (stream, "x.npy", NULL, error);
}

static GBytes *
write_bytes (const NsTensor *tensor)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_npy_write (stream, tensor, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
assert_bytes_equal (GBytes *made,
                    GBytes *expected)
{
  gsize made_len, expected_len;
  const guint8 *a = g_bytes_get_data (made, &made_len);
  const guint8 *b = g_bytes_get_data (expected, &expected_len);

  g_assert_cmpmem (a, made_len, b, expected_len);
}

/* Reads a header written out as text, with @data_bytes of zeros after it. */
static NsTensor *
read_header (const char *dict,
             guint       major,
             gsize       data_bytes,
             GError    **error)
{
  GByteArray *file = g_byte_array_new ();
  gsize length_size = major == 1 ? 2 : 4;
  gsize len = strlen (dict);
  guint8 prefix[12] = { 0x93, 'N', 'U', 'M', 'P', 'Y', major, 0,
                        len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, 0 };
  g_autofree guint8 *zeros = g_malloc0 (data_bytes + 1);
  NsTensor *tensor;

  g_byte_array_append (file, prefix, 8 + length_size);
  g_byte_array_append (file, (const guint8 *) dict, len);
  g_byte_array_append (file, zeros, data_bytes);
  tensor = read_bytes (file->data, file->len, error);
  g_byte_array_unref (file);
  return tensor;
}

static void
assert_shape (const NsTensor *tensor,
              const char     *expected)
{
  g_autofree char *shape = NULL;

  g_assert_nonnull (tensor);
  shape = ns_npy_format_shape (tensor->rank, tensor->dims);
  g_assert_cmpstr (shape, ==, expected);
}

static void
test_npy_hand_written_equals_numpy (void)
{
  g_autoptr(GBytes) hand = hand_written_2x3 ();
  g_autoptr(GBytes) numpy = read_fixture ("f4-2x3.npy");

  /* The spec read by hand and numpy agree… */
  assert_bytes_equal (hand, numpy);
}

static void
test_npy_write_equals_numpy (void)
{
  static const gint64 dims_2x3[] = { 2, 3 };
  static const gint64 dims_1234[] = { 1234 };
  g_autoptr(NsTensor) small = ns_tensor_new (2, dims_2x3);
  g_autoptr(NsTensor) wide = ns_tensor_new (1, dims_1234);
  g_autoptr(GBytes) made_small = NULL;
  g_autoptr(GBytes) made_wide = NULL;
  g_autoptr(GBytes) expected_small = hand_written_2x3 ();
  g_autoptr(GBytes) expected_wide = read_fixture ("f4-1234.npy");

  for (guint i = 0; i < 6; i++)
    small->data[i] = i;
  for (guint i = 0; i < 1234; i++)
    wide->data[i] = i * 0.5f - 100;
  /* … and Netsketch writes the same bytes: the header, its padding to 64,
   * the room for a first axis of 4 digits, the data. */
  made_small = write_bytes (small);
  assert_bytes_equal (made_small, expected_small);
  made_wide = write_bytes (wide);
  g_assert_cmpuint (g_bytes_get_size (made_wide), ==, 128 + 1234 * 4);
  assert_bytes_equal (made_wide, expected_wide);
}

static void
test_npy_read_numpy_files (void)
{
  static const struct {
    const char *name;
    const char *shape;
    float       first, last;
  } files[] = {
    { "f4-2x3.npy", "(2, 3)", 0, 5 },
    { "f4-1234.npy", "(1234,)", -100, 1233 * 0.5f - 100 },
    { "f4-v2.npy", "(1, 2, 2, 1)", -1.5f, 1.5f },   /* version 2.0: 4-byte header length */
    { "f4-v3.npy", "(1, 2, 2, 1)", -1.5f, 1.5f },   /* version 3.0: UTF-8 header */
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = fixture_path (files[i].name);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(NsTensor) tensor = ns_npy_load (file, NULL, NULL, &error);
      gint64 n;

      g_assert_no_error (error);
      assert_shape (tensor, files[i].shape);
      n = ns_tensor_get_n_values (tensor);
      g_assert_cmpfloat (tensor->data[0], ==, files[i].first);
      g_assert_cmpfloat (tensor->data[n - 1], ==, files[i].last);
    }
}

static void
test_npy_round_trip (void)
{
  static const gint64 dims[] = { 2, 5, 7, 3 };
  g_autoptr(NsTensor) tensor = ns_tensor_new (4, dims);
  g_autoptr(NsTensor) back = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-npy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.npy", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (ns_tensor_get_n_values (tensor), ==, 210);
  for (guint i = 0; i < 210; i++)
    tensor->data[i] = (i % 2 ? -1.0f : 1.0f) * i / 7.0f;
  tensor->data[3] = G_MAXFLOAT;
  tensor->data[4] = -G_MINFLOAT;

  g_assert_true (ns_npy_save (file, tensor, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 128 + 210 * 4);
  back = ns_npy_load (file, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_shape (back, "(2, 5, 7, 3)");
  g_assert_cmpmem (back->data, 210 * 4, tensor->data, 210 * 4);

  /* Saving again replaces the file whole. */
  tensor->data[0] = 42;
  g_assert_true (ns_npy_save (file, tensor, NULL, &error));
  g_clear_pointer (&back, ns_tensor_free);
  back = ns_npy_load (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (back->data[0], ==, 42);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A header is a Python dict: any key order and spacing, trailing commas,
 * double quotes, Python 2 longs, no newline at its end. */
static void
test_npy_header_variants (void)
{
  static const struct {
    const char *dict;
    guint       major;
    const char *shape;
    guint       n_values;
  } headers[] = {
    { "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}\n", 1, "(2, 3)", 6 },
    { "{ \"descr\" : \"<f4\" , \"fortran_order\":False,\"shape\":(4,) }", 1, "(4,)", 4 },
    { "{'fortran_order': False,\n 'descr': '<f4',\n 'shape': (1,2,3,),\n}\n", 1, "(1, 2, 3)", 6 },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 2L), }     \n", 1, "(3, 2)", 6 },
    { "{'descr':'<f4','fortran_order':False,'shape':(1, 1, 1, 1, 1, 1, 1, 1, 2)}", 2,
      "(1, 1, 1, 1, 1, 1, 1, 1, 2)", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NsTensor) tensor = read_header (headers[i].dict, headers[i].major,
                                                      headers[i].n_values * 4, &error);

      g_assert_no_error (error);
      assert_shape (tensor, headers[i].shape);
    }
}

static void
assert_refused (NsTensor   *tensor,
                GError     *error,
                const char *message)
{
  g_assert_null (tensor);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_npy_numpy_files_refused (void)
{
  static const struct {
    const char *name;
    const char *message;
  } files[] = {
    { "f8.npy", "f8.npy holds float64 ('<f8'); Netsketch reads float32 ('<f4')" },
    { "i4.npy", "i4.npy holds int32 ('<i4'); Netsketch reads float32 ('<f4')" },
    { "be-f4.npy", "be-f4.npy holds big-endian float32 ('>f4'); Netsketch reads float32 ('<f4')" },
    { "fortran.npy", "fortran.npy is stored in Fortran order; Netsketch reads C order "
                     "(save numpy.ascontiguousarray of the array)" },
    { "scalar.npy", "scalar.npy holds a single number; Netsketch reads arrays with the batch first" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = fixture_path (files[i].name);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(NsTensor) tensor = ns_npy_load (file, NULL, NULL, &error);

      g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
      assert_refused (tensor, error, files[i].message);
    }
}

static void
test_npy_broken_files_refused (void)
{
  static const struct {
    const char *dict;        /* NULL: @raw is the whole file */
    const char *raw;
    gsize       raw_len;
    gsize       data_bytes;
    const char *message;
  } cases[] = {
    { NULL, "PK\003\004 not numpy", 16, 0,
      "x.npy: not a NumPy .npy file (it does not start with “\\x93NUMPY”)" },
    { NULL, "\x93NUMPY", 6, 0,
      "x.npy: not a NumPy .npy file (it does not start with “\\x93NUMPY”)" },
    { NULL, "\x93NUMPY\x04\x00\x10\x00", 10, 0,
      "x.npy: .npy format version 4.0 is not one Netsketch reads (1.0, 2.0 or 3.0)" },
    { NULL, "\x93NUMPY\x01\x00\x76", 9, 0, "x.npy: the file ends before its .npy header" },
    { NULL, "\x93NUMPY\x01\x00\x76\x00{'descr': '<f4'", 25, 0,
      "x.npy: the file ends inside its .npy header (15 of 118 bytes)" },
    { NULL, "\x93NUMPY\x02\x00\x00\x00\x00\x10{", 13, 0,
      "x.npy: the .npy header says it is 268435456 bytes long, more than any array needs" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", NULL, 20, 20,
      "x.npy is truncated: its shape (2, 3) needs 24 bytes of data, the file has 20" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", NULL, 28, 28,
      "x.npy has more data than its shape (2, 3) holds (24 bytes)" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0), }", NULL, 0, 0,
      "x.npy holds no values: its shape is (2, 0)" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1), }", NULL, 4, 4,
      "x.npy holds an array of more than 9 dimensions; Netsketch reads at most 9 (the batch and 8 more)" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (9223372036854775807, 2), }", NULL, 0, 0,
      "x.npy: shape (9223372036854775807, 2) is too large to load" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", NULL, 0, 0,
      "x.npy: the .npy header cannot be read at character 52: a dimension is too large" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", NULL, 20, 20,
      "x.npy: the .npy header cannot be read at character 51: the shape is a number in parentheses, "
      "not a tuple" },
    { "{'descr': '<f4', 'fortran_order': False}", NULL, 0, 0, "x.npy: the .npy header has no “shape”" },
    { "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 18: “descr” is given twice" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 57: unexpected key “extra” "
      "(a .npy header has “descr”, “fortran_order” and “shape”)" },
    { "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 17: expected “,” or “}” after a value" },
    { "{'descr': '<f4', 'fortran_order': false, 'shape': (1,)}", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 35: expected True or False" },
    { "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 18: expected “,” or “}” after a value" },
    { "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing", NULL, 4, 4,
      "x.npy: the .npy header cannot be read at character 57: unexpected text after the dict" },
    { "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,)}", NULL, 8, 8,
      "x.npy holds a structured array; Netsketch reads float32 ('<f4')" },
    { "{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", NULL, 4, 4,
      "x.npy holds float16 ('<f2'); Netsketch reads float32 ('<f4')" },
    { "{'descr': '|u1', 'fortran_order': False, 'shape': (4,)}", NULL, 4, 4,
      "x.npy holds uint8 ('|u1'); Netsketch reads float32 ('<f4')" },
    { "{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", NULL, 8, 8,
      "x.npy holds Python objects ('|O'); Netsketch reads float32 ('<f4')" },
    { "{'descr': 'float', 'fortran_order': False, 'shape': (1,)}", NULL, 4, 4,
      "x.npy holds an unknown dtype ('float'); Netsketch reads float32 ('<f4')" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NsTensor) tensor = NULL;

      if (cases[i].dict == NULL)
        tensor = read_bytes (cases[i].raw, cases[i].raw_len, &error);
      else
        tensor = read_header (cases[i].dict, 1, cases[i].data_bytes, &error);
      g_test_message ("case %u", i);
      assert_refused (tensor, error, cases[i].message);
    }
}

static void
test_npy_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/netsketch/x.npy");
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_tmp_dir ());
  g_autoptr(GError) error = NULL;
  g_autoptr(NsTensor) tensor = ns_npy_load (file, NULL, NULL, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_refused (tensor, error, "x.npy: no such file");
  g_clear_error (&error);
  tensor = ns_npy_load (folder, "tmp", NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  assert_refused (tensor, error, "tmp: is a folder, not a .npy file");
}

/* A short file claiming a huge shape is refused before anything that size
 * is allocated. */
static void
test_npy_huge_claim (void)
{
  static const char dict[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100), }";
  g_autofree char *dir = g_dir_make_tmp ("netsketch-npy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.npy", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsTensor) tensor = NULL;
  GString *bytes = g_string_new_len ("\x93NUMPY\x01\x00", 8);

  g_string_append_c (bytes, sizeof dict - 1);
  g_string_append_c (bytes, 0);
  g_string_append (bytes, dict);
  g_string_append (bytes, "0123456789");
  g_file_set_contents (path, bytes->str, bytes->len, &error);
  g_assert_no_error (error);
  g_string_free (bytes, TRUE);

  tensor = ns_npy_load (file, NULL, NULL, &error);
  assert_refused (tensor, error, "big.npy is truncated: its shape (100000, 100000, 100) needs "
                                 "4000000000000 bytes of data, the file has 10");
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_npy_unwritable (void)
{
  static const gint64 dims[] = { 1, 2 };
  g_autoptr(NsTensor) tensor = ns_tensor_new (2, dims);
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/netsketch/out.npy");
  g_autoptr(GError) error = NULL;

  g_assert_false (ns_npy_save (file, tensor, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/npy/hand-written-equals-numpy", test_npy_hand_written_equals_numpy);
  g_test_add_func ("/npy/write-equals-numpy", test_npy_write_equals_numpy);
  g_test_add_func ("/npy/read-numpy-files", test_npy_read_numpy_files);
  g_test_add_func ("/npy/round-trip", test_npy_round_trip);
  g_test_add_func ("/npy/header-variants", test_npy_header_variants);
  g_test_add_func ("/npy/numpy-files-refused", test_npy_numpy_files_refused);
  g_test_add_func ("/npy/broken-files-refused", test_npy_broken_files_refused);
  g_test_add_func ("/npy/missing-file", test_npy_missing_file);
  g_test_add_func ("/npy/huge-claim", test_npy_huge_claim);
  g_test_add_func ("/npy/unwritable", test_npy_unwritable);
  return g_test_run ();
}
