/* ns-render.h: the diagram of a network, drawn with cairo. The editor's canvas
 * and the PNG/SVG/PDF exports draw through the same renderer, so what you see
 * is what you export. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ns-graph.h"

G_BEGIN_DECLS

typedef struct _NsRenderer NsRenderer;

typedef struct {
  /* The part of the canvas to draw, in canvas units; everything outside is
   * skipped (culling). A zero-sized rectangle draws everything. */
  double        visible_x, visible_y, visible_width, visible_height;
  GHashTable   *selected;        /* NsLayer* set, or NULL */
  NsLayer      *hovered;         /* or NULL */
  gboolean      dark;            /* colours for a dark style */
  gboolean      vertical;        /* ports top and bottom instead of left and right */
} NsRenderOptions;

typedef enum {
  NS_RENDER_PNG,
  NS_RENDER_SVG,
  NS_RENDER_PDF,
} NsRenderFormat;

NsRenderer *ns_renderer_new          (void);
void        ns_renderer_free         (NsRenderer            *renderer);
/* Draws wires, then nodes, in canvas units (the caller sets the transform).
 * Text layouts are cached per layer and rebuilt only when its text changes. */
void        ns_renderer_draw         (NsRenderer            *renderer,
                                      cairo_t               *cr,
                                      NsGraph               *graph,
                                      const NsRenderOptions *options);
/* The rectangle the layers cover, in canvas units; all zero for an empty graph. */
void        ns_renderer_get_extents  (NsGraph               *graph,
                                      double                *x,
                                      double                *y,
                                      double                *width,
                                      double                *height);
/* Where a wire into @port of @layer ends, and where @layer's output starts. */
void        ns_renderer_get_input_port  (NsLayer            *layer,
                                         guint               port,
                                         gboolean            vertical,
                                         double             *x,
                                         double             *y);
void        ns_renderer_get_output_port (NsLayer            *layer,
                                         gboolean            vertical,
                                         double             *x,
                                         double             *y);
/* The whole diagram with a title (the model's name) and a legend of totals,
 * written atomically to @file. @scale multiplies PNG pixels (2 for print). */
gboolean    ns_render_export         (NsGraph               *graph,
                                      NsRenderFormat         format,
                                      double                 scale,
                                      GFile                 *file,
                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsRenderer, ns_renderer_free)

G_END_DECLS
