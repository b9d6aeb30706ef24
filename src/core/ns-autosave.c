/* ns-autosave.c: the autosave entries' files: writing, listing, loading,
 * discarding and cleaning up. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ns-atomic-write.h"
#include "ns-autosave.h"
#include "ns-document.h"

#define DOCUMENT_SUFFIX ".netsketch"
#define INFO_SUFFIX     ".json"
/* A write interrupted by a crash leaves a hidden temporary file; one this old
 * belongs to no write still running. */
#define STALE_TEMP_AGE  G_TIME_SPAN_HOUR

void
ns_autosave_entry_free (NsAutosaveEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_clear_object (&entry->file);
  g_clear_object (&entry->original);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry);
}

GFile *
ns_autosave_get_default_dir (void)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "netsketch", "autosave", NULL);

  return g_file_new_for_path (path);
}

char *
ns_autosave_new_id (void)
{
  return g_uuid_string_random ();
}

static GFile *
entry_child (GFile      *dir,
             const char *id,
             const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_file_get_child (dir, name);
}

/* The id of an entry's file name, or NULL when @name is not one. */
static char *
id_of (const char *name,
       const char *suffix)
{
  g_autofree char *id = NULL;

  if (!g_str_has_suffix (name, suffix))
    return NULL;
  id = g_strndup (name, strlen (name) - strlen (suffix));
  return g_uuid_string_is_valid (id) ? g_steal_pointer (&id) : NULL;
}

/* Autosaves hold the user's work: the folder is theirs alone. */
static gboolean
make_dir (GFile   *dir,
          GError **error)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autoptr(GError) local_error = NULL;

  if (path == NULL)
    {
      if (g_file_make_directory_with_parents (dir, NULL, &local_error) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;
  {
    int saved_errno = errno;
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not create the folder “%s”: %s"), display, g_strerror (saved_errno));
  }
  return FALSE;
}

static char *
info_to_data (NsGraph *graph,
              GFile   *original,
              gsize   *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "original");
  if (original != NULL)
    {
      g_autofree char *uri = g_file_get_uri (original);

      json_builder_add_string_value (builder, uri);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "layers");
  json_builder_add_int_value (builder, g_list_model_get_n_items (G_LIST_MODEL (graph)));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

gboolean
ns_autosave_write (GFile       *dir,
                   const char  *id,
                   NsGraph     *graph,
                   GFile       *original,
                   GError     **error)
{
  g_autoptr(GFile) document = NULL;
  g_autoptr(GFile) info = NULL;
  g_autofree char *data = NULL;
  g_autofree char *info_data = NULL;
  gsize length = 0, info_length = 0;

  g_return_val_if_fail (G_IS_FILE (dir), FALSE);
  g_return_val_if_fail (id != NULL && g_uuid_string_is_valid (id), FALSE);
  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (original == NULL || G_IS_FILE (original), FALSE);

  if (!make_dir (dir, error))
    return FALSE;

  document = entry_child (dir, id, DOCUMENT_SUFFIX);
  info = entry_child (dir, id, INFO_SUFFIX);
  data = ns_document_to_data (graph, &length);
  info_data = info_to_data (graph, original, &info_length);
  /* The document first: an entry is listed by its document, and an
   * information file that did not follow only loses its details. */
  return ns_atomic_write (document, data, length, NULL, error) &&
         ns_atomic_write (info, info_data, info_length, NULL, error);
}

/* Fills in what the information file says; a missing or damaged one leaves
 * the entry without an original file. */
static void
read_info (NsAutosaveEntry *entry,
           GFile           *info)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *original;
  JsonNode *layers;

  if (!g_file_load_contents (info, NULL, &data, &length, NULL, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  original = json_object_get_member (object, "original");
  if (original != NULL && JSON_NODE_HOLDS_VALUE (original) &&
      json_node_get_value_type (original) == G_TYPE_STRING)
    entry->original = g_file_new_for_uri (json_node_get_string (original));
  layers = json_object_get_member (object, "layers");
  if (layers != NULL && JSON_NODE_HOLDS_VALUE (layers) &&
      json_node_get_value_type (layers) == G_TYPE_INT64)
    entry->n_layers = (guint) CLAMP (json_node_get_int (layers), 0, G_MAXUINT);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const NsAutosaveEntry *x = *(NsAutosaveEntry * const *) a;
  const NsAutosaveEntry *y = *(NsAutosaveEntry * const *) b;
  int by_time = g_date_time_compare (y->time, x->time);

  return by_time != 0 ? by_time : strcmp (x->id, y->id);
}

/* The children of @dir with name and modification time; NULL with @error,
 * or NULL without one when @dir does not exist. */
static GFileEnumerator *
enumerate (GFile   *dir,
           GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GFileEnumerator *children;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (children == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return children;
}

GPtrArray *
ns_autosave_list (GFile   *dir,
                  GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_autosave_entry_free);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  children = enumerate (dir, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  while (children != NULL)
    {
      GFileInfo *info = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GFile) info_file = NULL;
      NsAutosaveEntry *entry;

      if (!g_file_enumerator_iterate (children, &info, NULL, NULL, &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (info == NULL)
        break;
      id = id_of (g_file_info_get_name (info), DOCUMENT_SUFFIX);
      if (id == NULL)
        continue;

      entry = g_new0 (NsAutosaveEntry, 1);
      entry->file = entry_child (dir, id, DOCUMENT_SUFFIX);
      entry->time = g_file_info_get_modification_date_time (info);
      if (entry->time != NULL)
        {
          GDateTime *utc = entry->time;

          entry->time = g_date_time_to_local (utc);
          g_date_time_unref (utc);
        }
      else
        entry->time = g_date_time_new_now_local ();
      info_file = entry_child (dir, id, INFO_SUFFIX);
      entry->id = g_steal_pointer (&id);
      read_info (entry, info_file);
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_newest_first);
  return g_steal_pointer (&entries);
}

NsGraph *
ns_autosave_entry_load (const NsAutosaveEntry  *entry,
                        GError                **error)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return ns_document_load (entry->file, NULL, error);
}

static gboolean
delete_if_there (GFile   *file,
                 GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_delete (file, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
ns_autosave_discard (GFile       *dir,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(GFile) document = NULL;
  g_autoptr(GFile) info = NULL;

  g_return_val_if_fail (G_IS_FILE (dir), FALSE);
  g_return_val_if_fail (id != NULL && g_uuid_string_is_valid (id), FALSE);

  document = entry_child (dir, id, DOCUMENT_SUFFIX);
  info = entry_child (dir, id, INFO_SUFFIX);
  /* The document first, so that a failure never leaves it without its
   * information file. */
  return delete_if_there (document, error) && delete_if_there (info, error);
}

static gint64
age_of (GFileInfo *info,
        gint64     now)
{
  g_autoptr(GDateTime) time = g_file_info_get_modification_date_time (info);

  return time != NULL ? now - g_date_time_to_unix (time) * G_USEC_PER_SEC : 0;
}

guint
ns_autosave_clean (GFile     *dir,
                   GTimeSpan  max_age)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = g_get_real_time ();
  guint n_deleted = 0;

  g_return_val_if_fail (G_IS_FILE (dir), 0);

  children = enumerate (dir, NULL);
  while (children != NULL)
    {
      GFileInfo *info = NULL;
      const char *name;
      char *id;

      if (!g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) || info == NULL)
        break;
      name = g_file_info_get_name (info);
      if ((id = id_of (name, DOCUMENT_SUFFIX)) != NULL)
        {
          if (age_of (info, now) > max_age && ns_autosave_discard (dir, id, NULL))
            {
              n_deleted++;
              g_free (id);
            }
          else
            g_hash_table_add (documents, id);
        }
      else if ((id = id_of (name, INFO_SUFFIX)) != NULL)
        g_ptr_array_add (infos, id);
      else if (name[0] == '.' && age_of (info, now) > STALE_TEMP_AGE)
        {
          g_autoptr(GFile) temp = g_file_get_child (dir, name);

          g_file_delete (temp, NULL, NULL);
        }
    }

  /* Collected first: the listing may or may not show files deleted during it. */
  for (guint i = 0; i < infos->len; i++)
    if (!g_hash_table_contains (documents, infos->pdata[i]))
      {
        g_autoptr(GFile) orphan = entry_child (dir, infos->pdata[i], INFO_SUFFIX);

        g_file_delete (orphan, NULL, NULL);
      }
  return n_deleted;
}
