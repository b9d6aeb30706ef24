/* ns-history.h: the one command path for edits. Every change a person makes
 * to a graph goes through here and can be undone and redone. Undo restores
 * the same NsLayer objects, so views keep their pointers. */
#pragma once

#include "ns-graph.h"

G_BEGIN_DECLS

#define NS_TYPE_HISTORY (ns_history_get_type ())
G_DECLARE_FINAL_TYPE (NsHistory, ns_history, NS, HISTORY, GObject)

/* Properties (notify on change): "can-undo", "can-redo", "undo-label",
 * "redo-label" (translated: "Undo Delete conv2d_1"), "modified" (differs
 * from the last mark_saved). */
NsHistory  *ns_history_new            (NsGraph      *graph);
NsGraph    *ns_history_get_graph      (NsHistory    *self);

/* Groups the edits until the matching end into one undo step (nestable). */
void        ns_history_begin          (NsHistory    *self,
                                       const char   *label);
void        ns_history_end            (NsHistory    *self);

/* Adds a layer of @type at (@x, @y) with Keras' automatic name. */
NsLayer    *ns_history_add_layer      (NsHistory         *self,
                                       const NsLayerType *type,
                                       double             x,
                                       double             y,
                                       GError           **error);
/* Removes the layers and their connections; undo puts both back. */
void        ns_history_remove_layers  (NsHistory    *self,
                                       GPtrArray    *layers);
gboolean    ns_history_connect        (NsHistory    *self,
                                       NsLayer      *from,
                                       NsLayer      *to,
                                       guint         port,
                                       GError      **error);
gboolean    ns_history_disconnect     (NsHistory    *self,
                                       NsLayer      *to,
                                       guint         port);
gboolean    ns_history_set_value      (NsHistory     *self,
                                       NsLayer       *layer,
                                       const char    *key,
                                       const NsValue *value,
                                       GError       **error);
gboolean    ns_history_rename         (NsHistory    *self,
                                       NsLayer      *layer,
                                       const char   *name,
                                       GError      **error);
void        ns_history_set_trainable  (NsHistory    *self,
                                       NsLayer      *layer,
                                       gboolean      trainable);
/* Records a move the caller already made live (dragging): @old_positions
 * holds x, y per layer, in @layers' order. Merges with nothing. */
void        ns_history_record_move    (NsHistory    *self,
                                       GPtrArray    *layers,
                                       const double *old_positions);
/* Moves every layer to the core's layered layout (one undo step). */
void        ns_history_auto_layout    (NsHistory    *self,
                                       gboolean      vertical);
/* Adds the layers of @json (what ns_history_copy wrote, or a .netsketch
 * document), renamed and re-identified where they clash, shifted by
 * (@dx, @dy); connections among them are kept. Returns the new layers. */
GPtrArray  *ns_history_paste          (NsHistory    *self,
                                       const char   *json,
                                       double        dx,
                                       double        dy,
                                       GError      **error);
/* The .netsketch JSON of @layers and the connections among them. */
char       *ns_history_copy           (NsHistory    *self,
                                       GPtrArray    *layers);

gboolean    ns_history_can_undo       (NsHistory    *self);
gboolean    ns_history_can_redo       (NsHistory    *self);
gboolean    ns_history_undo           (NsHistory    *self);
gboolean    ns_history_redo           (NsHistory    *self);
gboolean    ns_history_get_modified   (NsHistory    *self);
void        ns_history_mark_saved     (NsHistory    *self);
/* No state of the history is on disk (a network recovered from an autosave):
 * it stays modified, even undone to its start, until the next mark_saved. */
void        ns_history_mark_unsaved   (NsHistory    *self);

G_END_DECLS
