/* test-autosave.c: autosave entries (write, list, load, discard, clean up)
 * and atomic writes: a save that fails, is cancelled, runs out of space
 * half-way or is killed leaves the old file whole. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ns-atomic-write.h"
#include "ns-autosave.h"
#include "ns-document.h"
#include "ns-history.h"
#include "ns-layer-type.h"
#include "test-helpers.h"

#define ID_A "0b3c8d6e-2f41-4a55-9b7e-1c2d3e4f5a6b"
#define ID_B "7d1e9f20-3a4b-4c5d-8e6f-a1b2c3d4e5f6"

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("netsketch-autosave-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The names in @path, sorted, separated by spaces. */
static char *
list_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* Sets @path's modification time @seconds in the past. */
static void
age_file (const char *path,
          gint64      seconds)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint64 when = (guint64) (g_get_real_time () / G_USEC_PER_SEC - seconds);

  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, when,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

static char *
entry_path (const char *dir,
            const char *id,
            const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

static void
test_write_list_load (void)
{
  g_autofree char *root = make_temp_dir ();
  g_autofree char *path = g_build_filename (root, "state", "netsketch", "autosave", NULL);
  g_autofree char *doc_a = entry_path (path, ID_A, ".netsketch");
  g_autofree char *listing = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFile) original = g_file_new_for_path ("/home/someone/nets/article.netsketch");
  g_autoptr(NsGraph) article = test_build_article ();
  g_autoptr(NsGraph) small = test_small_chain ();
  g_autoptr(NsGraph) loaded = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  const NsAutosaveEntry *entry;
  GStatBuf st;

  /* No folder yet: nothing to recover, and no error. */
  entries = ns_autosave_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_assert_true (ns_autosave_write (dir, ID_A, article, original, &error));
  g_assert_no_error (error);
  g_assert_true (ns_autosave_write (dir, ID_B, small, NULL, &error));
  g_assert_no_error (error);
  /* The folder holds the user's work: theirs alone. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  listing = list_directory (path);
  g_assert_cmpstr (listing, ==, ID_A ".json " ID_A ".netsketch " ID_B ".json " ID_B ".netsketch");

  /* Files that are not entries are left out of the list. */
  {
    g_autofree char *stray = g_build_filename (path, "notes.netsketch", NULL);

    g_assert_true (g_file_set_contents (stray, "{}", -1, NULL));
  }

  /* Newest first. */
  age_file (doc_a, 60);
  entries = ns_autosave_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->id, ==, ID_B);
  g_assert_null (entry->original);
  g_assert_cmpuint (entry->n_layers, ==, 3);
  entry = entries->pdata[1];
  g_assert_cmpstr (entry->id, ==, ID_A);
  g_assert_true (g_file_equal (entry->original, original));
  g_assert_cmpuint (entry->n_layers, ==, 10);
  g_assert_cmpint (g_date_time_to_unix (entry->time), <=, g_get_real_time () / G_USEC_PER_SEC - 59);
  g_assert_cmpint (g_date_time_to_unix (entry->time), >=, g_get_real_time () / G_USEC_PER_SEC - 62);

  /* The entry is the document, byte for byte. */
  loaded = ns_autosave_entry_load (entry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 10);
  expected = ns_document_to_data (article, NULL);
  actual = ns_document_to_data (loaded, NULL);
  g_assert_cmpstr (actual, ==, expected);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Writing again replaces the entry, with nothing left beside it. */
  ns_graph_remove_layer (article, ns_graph_find_by_name (article, "mer2"));
  g_assert_true (ns_autosave_write (dir, ID_A, article, original, &error));
  g_assert_no_error (error);
  entries = ns_autosave_list (dir, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->id, ==, ID_A);
  g_assert_cmpuint (entry->n_layers, ==, 9);
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_clear_pointer (&listing, g_free);
  listing = list_directory (path);
  g_assert_cmpstr (listing, ==, ID_A ".json " ID_A ".netsketch " ID_B ".json " ID_B ".netsketch notes.netsketch");

  /* Discarding deletes both files; an entry already gone is no error. */
  g_assert_true (ns_autosave_discard (dir, ID_A, &error));
  g_assert_no_error (error);
  g_assert_true (ns_autosave_discard (dir, ID_A, &error));
  g_assert_no_error (error);
  g_clear_pointer (&listing, g_free);
  listing = list_directory (path);
  g_assert_cmpstr (listing, ==, ID_B ".json " ID_B ".netsketch notes.netsketch");
  entries = ns_autosave_list (dir, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((NsAutosaveEntry *) entries->pdata[0])->id, ==, ID_B);

  remove_tree (root);
}

/* An entry whose information file is missing or damaged is still offered,
 * as a network that was never saved. */
static void
test_damaged_info (void)
{
  g_autofree char *path = make_temp_dir ();
  g_autofree char *info_a = entry_path (path, ID_A, ".json");
  g_autofree char *info_b = entry_path (path, ID_B, ".json");
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFile) original = g_file_new_for_path ("/tmp/x.netsketch");
  g_autoptr(NsGraph) small = test_small_chain ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_autosave_write (dir, ID_A, small, original, &error));
  g_assert_true (ns_autosave_write (dir, ID_B, small, original, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_remove (info_a), ==, 0);
  g_assert_true (g_file_set_contents (info_b, "{\"original\": 7, \"layers\": \"three\"", -1, NULL));

  entries = ns_autosave_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    {
      const NsAutosaveEntry *entry = entries->pdata[i];

      g_assert_null (entry->original);
      g_assert_cmpuint (entry->n_layers, ==, 0);
    }

  remove_tree (path);
}

static void
test_clean (void)
{
  g_autofree char *path = make_temp_dir ();
  g_autofree char *old_doc = entry_path (path, ID_A, ".netsketch");
  g_autofree char *orphan = entry_path (path, "5f0e1d2c-3b4a-4968-8776-655443322110", ".json");
  g_autofree char *stale_temp = g_build_filename (path, ".goutputstream-ABC123", NULL);
  g_autofree char *fresh_temp = g_build_filename (path, "." ID_B ".netsketch.1234abcd~", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(NsGraph) small = test_small_chain ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_autosave_write (dir, ID_A, small, NULL, &error));
  g_assert_true (ns_autosave_write (dir, ID_B, small, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (orphan, "{}", -1, NULL));
  g_assert_true (g_file_set_contents (stale_temp, "{\"form", -1, NULL));
  g_assert_true (g_file_set_contents (fresh_temp, "{\"form", -1, NULL));
  age_file (old_doc, 31 * 24 * 3600);
  age_file (stale_temp, 2 * 3600);

  /* A month old goes; a day old stays. */
  g_assert_cmpuint (ns_autosave_clean (dir, NS_AUTOSAVE_MAX_AGE), ==, 1);
  listing = list_directory (path);
  g_assert_cmpstr (listing, ==, "." ID_B ".netsketch.1234abcd~ " ID_B ".json " ID_B ".netsketch");
  entries = ns_autosave_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((NsAutosaveEntry *) entries->pdata[0])->id, ==, ID_B);

  /* Nothing more to do; a missing folder is nothing to do either. */
  g_assert_cmpuint (ns_autosave_clean (dir, NS_AUTOSAVE_MAX_AGE), ==, 0);
  remove_tree (path);
  g_assert_cmpuint (ns_autosave_clean (dir, NS_AUTOSAVE_MAX_AGE), ==, 0);
}

/* A folder that cannot be written: the write fails with the reason, and the
 * entry already there stays as it was. */
static void
test_unwritable (void)
{
  g_autofree char *root = make_temp_dir ();
  g_autofree char *blocked = g_build_filename (root, "blocked", NULL);
  g_autofree char *path = g_build_filename (root, "autosave", NULL);
  g_autofree char *doc_a = entry_path (path, ID_A, ".netsketch");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GFile) blocked_dir = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(NsGraph) article = test_build_article ();
  g_autoptr(NsGraph) small = test_small_chain ();
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be (works for root too). */
  g_assert_true (g_file_set_contents (blocked, "", -1, NULL));
  blocked_dir = g_file_new_for_path (blocked);
  g_assert_false (ns_autosave_write (blocked_dir, ID_A, article, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_true (g_str_has_prefix (error->message, "Could not create the folder"));
  g_clear_error (&error);

  g_assert_true (ns_autosave_write (dir, ID_A, article, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (doc_a, &before, NULL, NULL));
  g_assert_cmpint (g_chmod (path, 0500), ==, 0);
  if (g_access (path, W_OK) == 0)
    g_test_message ("running as root: a read-only folder is writable, skipping that case");
  else
    {
      g_assert_false (ns_autosave_write (dir, ID_A, small, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (doc_a, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, before);
      listing = list_directory (path);
      g_assert_cmpstr (listing, ==, ID_A ".json " ID_A ".netsketch");
    }
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
  remove_tree (root);
}

/* A recovered network has no state on disk: it stays modified through undo
 * back to where it was recovered, until it is saved. */
static void
test_recovered_history (void)
{
  g_autoptr(NsGraph) graph = test_small_chain ();
  g_autoptr(NsHistory) history = ns_history_new (graph);
  g_autoptr(GError) error = NULL;

  g_assert_false (ns_history_get_modified (history));
  ns_history_mark_unsaved (history);
  g_assert_true (ns_history_get_modified (history));
  g_assert_nonnull (ns_history_add_layer (history, ns_layer_types_lookup ("Dense"), 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (ns_history_undo (history));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 3);
  g_assert_true (ns_history_get_modified (history));
  ns_history_mark_saved (history);
  g_assert_false (ns_history_get_modified (history));
}

/* @n bytes of @c, as text. */
static char *
filled (gsize n,
        char  c)
{
  char *text = g_malloc (n + 1);

  memset (text, c, n);
  text[n] = '\0';
  return text;
}

/* A write that runs out of room half-way (a full disk, here a file size
 * limit) leaves the old file, or none, and nothing else: GLib's own
 * g_file_replace_contents () would leave half of the new one. */
static void
test_atomic_write_interrupted (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = make_temp_dir ();
      g_autofree char *target = g_build_filename (path, "net.netsketch", NULL);
      g_autofree char *fresh = g_build_filename (path, "new.netsketch", NULL);
      g_autofree char *old = filled (1000, 'a');
      g_autofree char *big = filled (64 * 1024, 'b');
      g_autofree char *contents = NULL;
      g_autofree char *listing = NULL;
      g_autoptr(GFile) target_file = g_file_new_for_path (target);
      g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh);
      g_autoptr(GError) error = NULL;
      struct rlimit limit = { 16 * 1024, 16 * 1024 };

      g_assert_true (g_file_set_contents (target, old, -1, NULL));
      /* Past the limit, write () fails with EFBIG instead of killing us. */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (ns_atomic_write (target_file, big, strlen (big), NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, old);

      g_assert_false (ns_atomic_write (fresh_file, big, strlen (big), NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      listing = list_directory (path);
      g_assert_cmpstr (listing, ==, "net.netsketch");

      /* Within the limit it works, replacing and creating. */
      g_assert_true (ns_atomic_write (target_file, big, 8192, NULL, &error));
      g_assert_true (ns_atomic_write (fresh_file, big, 100, NULL, &error));
      g_assert_no_error (error);
      g_clear_pointer (&listing, g_free);
      listing = list_directory (path);
      g_assert_cmpstr (listing, ==, "net.netsketch new.netsketch");
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (fresh, &contents, NULL, NULL));
      g_assert_cmpuint (strlen (contents), ==, 100);
      remove_tree (path);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A cancelled save, and a save into a folder that is not there, leave the
 * old file and nothing beside it. */
static void
test_atomic_write_cancelled (void)
{
  g_autofree char *path = make_temp_dir ();
  g_autofree char *target = g_build_filename (path, "net.netsketch", NULL);
  g_autofree char *missing = g_build_filename (path, "gone", "net.netsketch", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFile) fresh_file = g_file_get_child (dir, "new.netsketch");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (ns_atomic_write (target_file, "new", 3, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");

  g_assert_false (ns_atomic_write (fresh_file, "new", 3, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (ns_atomic_write (missing_file, "new", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  listing = list_directory (path);
  g_assert_cmpstr (listing, ==, "net.netsketch");
  remove_tree (path);
}

#define KILL_SIZE (4 * 1024 * 1024)

/* The helper process of test_atomic_write_killed: saves two versions of a
 * document over each other until killed. */
static int
write_forever (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *a = filled (KILL_SIZE, 'a');
  g_autofree char *b = filled (KILL_SIZE, 'b');

  for (guint i = 0;; i++)
    if (!ns_atomic_write (file, i % 2 ? b : a, KILL_SIZE, NULL, NULL))
      return 1;
}

/* Killed with SIGKILL in the middle of saving: the file is one whole
 * version, never a mix or a truncation. */
static void
test_atomic_write_killed (void)
{
  g_autofree char *path = make_temp_dir ();
  g_autofree char *target = g_build_filename (path, "big.netsketch", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *argv[] = { self, "--write-forever", target, NULL };
  guint kills = 0;

  if (self == NULL)
    {
      g_test_skip ("needs /proc/self/exe");
      return;
    }

  /* Several kills at different moments of a write. */
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;
      GPid pid;
      int status;

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      /* Until a first version is there, then a little into later writes. */
      while (!g_file_test (target, G_FILE_TEST_EXISTS))
        g_usleep (1000);
      g_usleep (3000 + round * 7000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      g_spawn_close_pid (pid);
      kills++;

      g_assert_true (g_file_get_contents (target, &contents, &length, NULL));
      g_assert_cmpuint (length, ==, KILL_SIZE);
      g_assert_true (contents[0] == 'a' || contents[0] == 'b');
      for (gsize i = 1; i < length; i++)
        if (contents[i] != contents[0])
          g_assert_cmpint (contents[i], ==, contents[0]);
    }
  g_assert_cmpuint (kills, ==, 5);

  /* What the kills may leave: hidden temporary files, which the autosave
   * folder's clean-up deletes; never a second visible file. */
  dir = g_dir_open (path, 0, NULL);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    if (!g_str_equal (name, "big.netsketch"))
      g_assert_cmpint (name[0], ==, '.');
  remove_tree (path);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--write-forever"))
    return write_forever (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autosave/write-list-load", test_write_list_load);
  g_test_add_func ("/autosave/damaged-info", test_damaged_info);
  g_test_add_func ("/autosave/clean", test_clean);
  g_test_add_func ("/autosave/unwritable", test_unwritable);
  g_test_add_func ("/autosave/recovered-history", test_recovered_history);
  g_test_add_func ("/atomic-write/interrupted", test_atomic_write_interrupted);
  g_test_add_func ("/atomic-write/cancelled", test_atomic_write_cancelled);
  g_test_add_func ("/atomic-write/killed", test_atomic_write_killed);

  return g_test_run ();
}
