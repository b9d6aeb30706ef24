/* ns-render-export.c: the diagram as a PNG, SVG or PDF file, with a title and
 * a legend of totals, drawn by the same renderer as the canvas. */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "ns-layout.h"
#include "ns-render.h"

#define MARGIN 32.0
#define TITLE_HEIGHT 44.0
#define LEGEND_HEIGHT 36.0

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *stream = closure;

  /* cairo cannot carry a GError: the caller checks the stream's state. */
  if (!g_output_stream_write_all (stream, data, length, NULL, NULL, NULL))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
draw_text (cairo_t    *cr,
           const char *text,
           const char *font,
           double      x,
           double      y)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static char *
legend_text (NsGraph *graph)
{
  NsGraphTotals totals;
  g_autofree char *total = NULL;
  g_autofree char *trainable = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *macs = NULL;

  ns_graph_get_totals (graph, &totals);
  total = ns_format_count (totals.params);
  trainable = ns_format_count (totals.trainable_params);
  fixed = ns_format_count (totals.non_trainable_params);
  macs = ns_format_si ((double) totals.macs);
  return g_strdup_printf (_("Total params: %s · Trainable: %s · Non-trainable: %s · MACs: %s"),
                          total, trainable, fixed, macs);
}

static void
draw_page (cairo_t *cr,
           NsGraph *graph,
           double   x0,
           double   y0,
           double   width,
           double   height)
{
  g_autoptr(NsRenderer) renderer = ns_renderer_new ();
  g_autofree char *legend = legend_text (graph);

  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  draw_text (cr, ns_graph_get_name (graph), "Sans Bold 16", MARGIN, MARGIN - 8);
  cairo_save (cr);
  cairo_translate (cr, MARGIN - x0, MARGIN + TITLE_HEIGHT - y0);
  ns_renderer_draw (renderer, cr, graph, NULL);
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.34);
  draw_text (cr, legend, "Sans 10", MARGIN, MARGIN + TITLE_HEIGHT + height + 12);
}

gboolean
ns_render_export (NsGraph         *graph,
                  NsRenderFormat   format,
                  double           scale,
                  GFile           *file,
                  GError         **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  double x0, y0, width, height, page_width, page_height;
  cairo_t *cr;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (scale > 0, FALSE);

  ns_renderer_get_extents (graph, &x0, &y0, &width, &height);
  page_width = MAX (width, 480) + 2 * MARGIN;
  page_height = height + TITLE_HEIGHT + LEGEND_HEIGHT + 2 * MARGIN;
  if (format == NS_RENDER_PNG && (page_width * scale > 32767 || page_height * scale > 32767))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("the image would be %.0f×%.0f pixels, more than PNG export allows (32,767); "
                     "export SVG or PDF, or a smaller scale"),
                   page_width * scale, page_height * scale);
      return FALSE;
    }

  /* g_file_replace writes beside the target and renames at close: the old
   * file stays whole until the new one is complete. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;

  switch (format)
    {
    case NS_RENDER_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_stream, stream, page_width, page_height);
      break;
    case NS_RENDER_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_stream, stream, page_width, page_height);
      break;
    case NS_RENDER_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (page_width * scale),
                                            (int) (page_height * scale));
      break;
    }

  cr = cairo_create (surface);
  if (format == NS_RENDER_PNG)
    cairo_scale (cr, scale, scale);
  draw_page (cr, graph, x0, y0, width, height);
  cairo_destroy (cr);

  if (format == NS_RENDER_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_to_stream, stream);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing cancelled drops the temporary file: the target stays as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("could not write %s: %s"), name,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
