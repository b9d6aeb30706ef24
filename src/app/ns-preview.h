/* ns-preview.h: NsPreview: the forward-pass preview panel: an image or seeded
 * noise run through the network on a worker thread, the selected layer's
 * feature maps and statistics, the output as a class map or top-5, and the
 * time each layer took. An edit cancels the running pass and starts another. */
#pragma once

#include <gtk/gtk.h>

#include "ns-preview-core.h"
#include "ns-selection.h"

G_BEGIN_DECLS

#define NS_TYPE_PREVIEW (ns_preview_get_type ())
G_DECLARE_FINAL_TYPE (NsPreview, ns_preview, NS, PREVIEW, GtkWidget)

/* Property "running" (boolean): a pass is waiting or under way, from the edit
 * that asked for it until its result (or error) shows. */
GtkWidget  *ns_preview_new                (void);
/* Follows @graph's edits and @selection's primary layer; NULL shows nothing. */
void        ns_preview_set_document       (NsPreview             *self,
                                           NsGraph               *graph,
                                           NsSelection           *selection);
/* Feeds uniform noise in [0, 1) from @seed; the seed also initialises the
 * weights that layers do not carry, as `netsketch-cli run --seed` does. */
void        ns_preview_use_noise          (NsPreview             *self,
                                           guint64                seed);
/* Feeds @file (PNG, JPEG, …) resized to the Input layer; read off the main thread. */
void        ns_preview_use_image          (NsPreview             *self,
                                           GFile                 *file);
void        ns_preview_set_normalization  (NsPreview             *self,
                                           const NsNormalization *norm);
void        ns_preview_set_tile_scale     (NsPreview             *self,
                                           NsTileScale            scale);
/* Bytes a pass may take; 0 (the default) leaves it to the executor. */
void        ns_preview_set_memory_limit   (NsPreview             *self,
                                           guint64                bytes);
gboolean    ns_preview_get_running        (NsPreview             *self);

/* For tests: passes started, shown, and dropped because an edit came first;
 * and a part by name: "spinner", "status", "message", "layer-title",
 * "min", "max", "mean", "std", "zeros", "dead", "tiles", "output-title",
 * "class-map", "legend", "top", "timings", "normalization", "seed". */
void        ns_preview_get_counts         (NsPreview             *self,
                                           guint                 *started,
                                           guint                 *finished,
                                           guint                 *cancelled);
GtkWidget  *ns_preview_get_part           (NsPreview             *self,
                                           const char            *name);

G_END_DECLS
