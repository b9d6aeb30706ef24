/* ns-palette.h: NsPalette: the layer types by category, with a search entry.
 * Rows drag onto the canvas; activating one (double-click, Enter) emits
 * "type-activated" with the NsLayerType (a const pointer). */
#pragma once

#include <gtk/gtk.h>

#include "ns-layer-type.h"

G_BEGIN_DECLS

#define NS_TYPE_PALETTE (ns_palette_get_type ())
G_DECLARE_FINAL_TYPE (NsPalette, ns_palette, NS, PALETTE, GtkWidget)

GtkWidget *ns_palette_new          (void);
void       ns_palette_focus_search (NsPalette *self);
/* Clears the search (the canvas' popover reuses one palette). */
void       ns_palette_reset        (NsPalette *self);
/* CSS giving .ns-category-<id> the renderer's category colours, for swatches
 * (the application loads it once). */
char      *ns_palette_get_category_css (void);

G_END_DECLS
