/* ns-autosave.h: autosaved copies of unsaved networks, kept in the XDG state
 * directory so that they can be offered back after a crash. An entry is a
 * .netsketch document named by a random id, "<id>.netsketch", with a small
 * JSON file beside it, "<id>.json", saying which file the network belongs to.
 * The app owns the policy (when to write, when to discard); this is the files. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"

G_BEGIN_DECLS

/* Entries older than this are deleted by ns_autosave_clean (). */
#define NS_AUTOSAVE_MAX_AGE (30 * G_TIME_SPAN_DAY)

typedef struct {
  char      *id;        /* a UUID */
  GFile     *file;      /* the autosaved document */
  GFile     *original;  /* the .netsketch it was last saved as; NULL if never */
  GDateTime *time;      /* when it was written (local time) */
  guint      n_layers;  /* top-level layers, for telling entries apart */
} NsAutosaveEntry;

void             ns_autosave_entry_free      (NsAutosaveEntry  *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAutosaveEntry, ns_autosave_entry_free)

/* $XDG_STATE_HOME/netsketch/autosave (~/.local/state/netsketch/autosave). */
GFile           *ns_autosave_get_default_dir (void);
/* A fresh entry id. */
char            *ns_autosave_new_id          (void);
/* Writes @graph as entry @id in @dir (created, private to the user, if
 * missing), replacing that entry atomically: a failure leaves the entry as
 * it was. @original may be NULL. */
gboolean         ns_autosave_write           (GFile            *dir,
                                              const char       *id,
                                              NsGraph          *graph,
                                              GFile            *original,
                                              GError          **error);
/* The entries in @dir, newest first (NsAutosaveEntry); empty when @dir does
 * not exist. NULL with @error when it cannot be read. */
GPtrArray       *ns_autosave_list            (GFile            *dir,
                                              GError          **error);
/* Loads an entry's network; its errors name the entry's file. */
NsGraph         *ns_autosave_entry_load      (const NsAutosaveEntry *entry,
                                              GError          **error);
/* Deletes entry @id; an entry already gone is not an error. */
gboolean         ns_autosave_discard         (GFile            *dir,
                                              const char       *id,
                                              GError          **error);
/* Deletes entries written more than @max_age ago, information files without
 * their document, and temporary files that an interrupted write left behind
 * more than an hour ago. Returns how many entries were deleted. */
guint            ns_autosave_clean           (GFile            *dir,
                                              GTimeSpan         max_age);

G_END_DECLS
