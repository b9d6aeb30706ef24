/* ns-history-private.h: what NsHistory's files share: its fields, the
 * commands it records, and layer sets (the layers an add, a delete or a
 * paste takes in or out, with everything that ties them to the graph). */
#pragma once

#include "ns-graph-private.h"
#include "ns-history.h"

G_BEGIN_DECLS

typedef struct _NsLayerSet NsLayerSet;

/* ns-history-layers.c */
/* What @layers (in the graph, no duplicates) hold and are held by right now:
 * their places in the list, connections in port order both ways, shared
 * weights both ways, and the graph's explicit inputs and outputs. */
NsLayerSet *ns_layer_set_capture      (NsGraph    *graph,
                                       GPtrArray  *layers);
/* Takes the layers out of the graph, and with them their connections. */
void        ns_layer_set_remove       (NsLayerSet *set,
                                       NsGraph    *graph);
/* Puts the same layer objects back as they were at capture. */
void        ns_layer_set_restore      (NsLayerSet *set,
                                       NsGraph    *graph);
void        ns_layer_set_free         (NsLayerSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsLayerSet, ns_layer_set_free)
guint       ns_layer_set_get_n_layers (NsLayerSet *set);
NsLayer    *ns_layer_set_get_layer    (NsLayerSet *set,
                                       guint       index);

/* @layer's inputs by port (NULL for a free port), each holding a reference. */
GPtrArray  *ns_history_snapshot_inputs (NsLayer   *layer);
/* Reconnects @layer's inputs to @inputs, a snapshot of a state the graph
 * was in; only the ports that differ are touched. */
void        ns_history_restore_inputs  (NsGraph   *graph,
                                        NsLayer   *layer,
                                        GPtrArray *inputs);

/* ns-history.c */
/* One undo step, or a part of a group. */
typedef enum {
  NS_COMMAND_GROUP,
  NS_COMMAND_LAYERS,     /* layers added (add, paste) or removed (delete) */
  NS_COMMAND_INPUTS,     /* one layer's inputs changed (connect, disconnect) */
  NS_COMMAND_VALUE,
  NS_COMMAND_RENAME,
  NS_COMMAND_TRAINABLE,
  NS_COMMAND_MOVE,
} NsCommandKind;

typedef struct {
  NsCommandKind kind;
  char         *label;
  guint64       serial;       /* top-level commands: the state undoing it leaves */
  NsLayer      *layer;        /* INPUTS, VALUE, RENAME, TRAINABLE */
  union {
    GPtrArray *children;      /* GROUP: NsCommand*, in the order they were made */
    struct {
      NsLayerSet *set;
      gboolean    added;
    } layers;
    struct {
      GPtrArray *before, *after;
    } inputs;
    struct {
      const char *key;        /* interned */
      NsValue     before, after;
    } value;
    struct {
      char *before, *after;
    } rename;
    gboolean trainable;       /* the new setting */
    struct {
      GPtrArray *layers;
      double    *before, *after;   /* x, y per layer */
    } move;
  };
} NsCommand;

struct _NsHistory {
  GObject    parent_instance;

  NsGraph   *graph;
  GPtrArray *undo_stack;      /* NsCommand*, the latest last */
  GPtrArray *redo_stack;      /* NsCommand*, the next to redo last */
  NsCommand *group;           /* the open group, once an edit went into it */
  char      *group_label;
  guint      group_depth;
  guint64    last_serial;
  guint64    saved_serial;    /* the state mark_saved saw; 0: the history's start;
                               * G_MAXUINT64: none (mark_unsaved) */

  /* What the properties said last, so that notify only follows changes. */
  gboolean   can_undo;
  gboolean   can_redo;
  gboolean   modified;
  char      *undo_label;
  char      *redo_label;
};

/* Takes @label; refs @layer (may be NULL). */
NsCommand  *ns_history_command_new     (NsCommandKind  kind,
                                        NsLayer       *layer,
                                        char          *label);
void        ns_history_command_free    (gpointer       command);
/* Takes @command, an edit already made: onto the stack, or into the open group. */
void        ns_history_record          (NsHistory     *self,
                                        NsCommand     *command);
/* Records layers the caller just added (@added) or just removed, @set
 * captured while they were in; takes @set and @label. */
void        ns_history_record_layers   (NsHistory     *self,
                                        NsLayerSet    *set,
                                        gboolean       added,
                                        char          *label);

G_END_DECLS
