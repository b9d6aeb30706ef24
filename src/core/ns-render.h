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
  NsLayer      *focused;         /* the keyboard's node: a focus ring; or NULL */
  NsLayer      *hovered_wire;    /* the wire into this layer's hovered_port; or NULL */
  guint         hovered_port;
  NsShapeOrder  shape_order;     /* how shapes are written; exports keep NHWC (0) */
} NsRenderOptions;

typedef enum {
  NS_RENDER_PNG,
  NS_RENDER_SVG,
  NS_RENDER_PDF,
} NsRenderFormat;

/* The colour nodes of @category are drawn with, for swatches elsewhere. */
void        ns_render_category_colour (NsCategory           category,
                                       double              *red,
                                       double              *green,
                                       double              *blue);

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
/* The model summary table (`netsketch-cli summary`'s rows and totals) as a
 * PNG, written atomically to @file; @scale multiplies its pixels. */
gboolean    ns_render_summary_export   (NsGraph             *graph,
                                        double               scale,
                                        GFile               *file,
                                        GError             **error);
/* The size of that image at scale 1, in pixels (whole numbers). */
void        ns_render_summary_get_size (NsGraph             *graph,
                                        double              *width,
                                        double              *height);

/* Hit-testing, in canvas units, for the editor's pointer: the same geometry
 * the renderer draws. Later layers are drawn over earlier ones, so the
 * topmost match wins; ports and wires go to the nearest within @radius. */

/* The error badge: a disc this far in from the node's top-right corner. */
#define NS_RENDER_BADGE_INSET  4.0
#define NS_RENDER_BADGE_RADIUS 9.0

/* The control points of the cubic a wire from (@x0, @y0) to (@x1, @y1) is
 * drawn as (for a wire being dragged, drawn by the editor). */
void        ns_renderer_get_wire_curve  (double              x0,
                                         double              y0,
                                         double              x1,
                                         double              y1,
                                         gboolean            vertical,
                                         double             *cx0,
                                         double             *cy0,
                                         double             *cx1,
                                         double             *cy1);
/* The input ports drawn on @layer: as many as its type needs, or as are connected. */
guint       ns_renderer_get_n_input_ports (NsLayer          *layer);
NsLayer    *ns_renderer_node_at         (NsGraph            *graph,
                                         double              x,
                                         double              y);
/* A layer in the error state whose badge is at the point. */
NsLayer    *ns_renderer_badge_at        (NsGraph            *graph,
                                         double              x,
                                         double              y);
NsLayer    *ns_renderer_output_port_at  (NsGraph            *graph,
                                         double              x,
                                         double              y,
                                         double              radius,
                                         gboolean            vertical);
/* The drawn input ports, and for a merge layer with every port taken the
 * next one (where connecting appends). Sets @port. */
NsLayer    *ns_renderer_input_port_at   (NsGraph            *graph,
                                         double              x,
                                         double              y,
                                         double              radius,
                                         gboolean            vertical,
                                         guint              *port);
/* The wire nearest the point: the layer it feeds and that layer's @port. */
NsLayer    *ns_renderer_wire_at         (NsGraph            *graph,
                                         double              x,
                                         double              y,
                                         double              radius,
                                         gboolean            vertical,
                                         guint              *port);
/* The layers whose boxes meet the rectangle, in graph order (new array). */
GPtrArray  *ns_renderer_nodes_in_rectangle (NsGraph         *graph,
                                            double           x,
                                            double           y,
                                            double           width,
                                            double           height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsRenderer, ns_renderer_free)

G_END_DECLS
