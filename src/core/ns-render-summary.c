/* ns-render-summary.c: the model summary table as a PNG, laid out with pango
 * from the rows ns-summary.c computes for the text summary. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "ns-render.h"
#include "ns-summary.h"
#include "ns-types.h"

#define MARGIN 24.0
#define TITLE_GAP 14.0
#define CELL_PAD_X 10.0
#define CELL_PAD_Y 5.0
/* Rows of one line are all this tall, so that the table grows by a fixed
 * step per layer; rows with wrapped cells grow to fit. */
#define ROW_HEIGHT 26.0
#define TOTALS_GAP 10.0
#define TOTALS_LINE 20.0
/* Wider cells wrap: long error messages and long input lists. */
#define SHAPE_MAX_WIDTH 320.0
#define CONNECTED_MAX_WIDTH 340.0
#define MAX_PNG_SIDE 32767

enum { COL_LAYER, COL_SHAPE, COL_PARAMS, COL_CONNECTED };

typedef struct {
  NsSummaryTable *table;
  PangoContext   *context;
  PangoLayout    *title;
  GPtrArray      *header;          /* of PangoLayout */
  GPtrArray      *cells;           /* of PangoLayout, NS_SUMMARY_N_COLUMNS a row */
  GPtrArray      *totals;          /* of PangoLayout */
  double          col_width[NS_SUMMARY_N_COLUMNS];   /* padding included */
  double          header_height;
  GArray         *row_height;      /* of double */
  double          title_height;
  double          width, height;
} Layout;

static void
layout_free (Layout *layout)
{
  g_clear_pointer (&layout->table, ns_summary_table_free);
  g_clear_object (&layout->title);
  g_clear_pointer (&layout->header, g_ptr_array_unref);
  g_clear_pointer (&layout->cells, g_ptr_array_unref);
  g_clear_pointer (&layout->totals, g_ptr_array_unref);
  g_clear_pointer (&layout->row_height, g_array_unref);
  g_clear_object (&layout->context);
  g_free (layout);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Layout, layout_free)

static PangoLayout *
make_text (PangoContext *context,
           const char   *text,
           const char   *font)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
text_size (PangoLayout *layout,
           double      *width,
           double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *width = ceil ((double) logical.width / PANGO_SCALE);
  *height = ceil ((double) logical.height / PANGO_SCALE);
}

/* Keras lists each input of a layer on its own line. */
static char *
connected_lines (const char *keras_list)
{
  g_auto(GStrv) parts = g_strsplit (keras_list, "', '", -1);

  return g_strjoinv ("',\n'", parts);
}

static Layout *
layout_table (NsGraph *graph)
{
  g_autoptr(Layout) layout = g_new0 (Layout, 1);
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  cairo_font_options_t *options = cairo_font_options_create ();
  guint n_rows;
  double table_height = 0, totals_width = 0, table_width = 0, title_width;

  layout->table = ns_summary_table_new (graph);
  n_rows = layout->table->layers->len;

  /* Unhinted metrics: the layout is the same at every scale, so a PNG at
   * scale 2 is exactly twice as large. */
  layout->context = pango_font_map_create_context (font_map);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (layout->context, options);
  cairo_font_options_destroy (options);

  layout->title = make_text (layout->context, layout->table->title, "Sans Bold 14");
  text_size (layout->title, &title_width, &layout->title_height);

  layout->header = g_ptr_array_new_with_free_func (g_object_unref);
  layout->cells = g_ptr_array_new_with_free_func (g_object_unref);
  layout->totals = g_ptr_array_new_with_free_func (g_object_unref);
  layout->row_height = g_array_sized_new (FALSE, TRUE, sizeof (double), n_rows);

  for (guint col = 0; col < NS_SUMMARY_N_COLUMNS; col++)
    {
      PangoLayout *text = make_text (layout->context, g_ptr_array_index (layout->table->header, col),
                                     "Sans Bold 10");
      double w, h;

      g_ptr_array_add (layout->header, text);
      text_size (text, &w, &h);
      layout->col_width[col] = w;
      layout->header_height = MAX (layout->header_height, h);
    }
  for (guint i = 0; i < layout->table->cells->len; i++)
    {
      guint col = i % NS_SUMMARY_N_COLUMNS;
      const char *cell = g_ptr_array_index (layout->table->cells, i);
      g_autofree char *lines = col == COL_CONNECTED ? connected_lines (cell) : NULL;
      PangoLayout *text = make_text (layout->context, lines != NULL ? lines : cell, "Sans 10");
      double max_width = col == COL_SHAPE ? SHAPE_MAX_WIDTH
                         : col == COL_CONNECTED ? CONNECTED_MAX_WIDTH : G_MAXDOUBLE;
      double w, h;

      text_size (text, &w, &h);
      if (w > max_width)
        {
          pango_layout_set_wrap (text, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_width (text, (int) (max_width * PANGO_SCALE));
          w = max_width;
        }
      layout->col_width[col] = MAX (layout->col_width[col], w);
      g_ptr_array_add (layout->cells, text);
    }

  /* Param # is right-aligned in its column, as numbers are. */
  for (guint row = 0; row < n_rows; row++)
    {
      PangoLayout *params = g_ptr_array_index (layout->cells, row * NS_SUMMARY_N_COLUMNS + COL_PARAMS);

      pango_layout_set_width (params, (int) (layout->col_width[COL_PARAMS] * PANGO_SCALE));
      pango_layout_set_alignment (params, PANGO_ALIGN_RIGHT);
    }
  pango_layout_set_width (g_ptr_array_index (layout->header, COL_PARAMS),
                          (int) (layout->col_width[COL_PARAMS] * PANGO_SCALE));
  pango_layout_set_alignment (g_ptr_array_index (layout->header, COL_PARAMS), PANGO_ALIGN_RIGHT);

  for (guint row = 0; row < n_rows; row++)
    {
      double height = ROW_HEIGHT;

      for (guint col = 0; col < NS_SUMMARY_N_COLUMNS; col++)
        {
          double w, h;

          text_size (g_ptr_array_index (layout->cells, row * NS_SUMMARY_N_COLUMNS + col), &w, &h);
          height = MAX (height, h + 2 * CELL_PAD_Y);
        }
      g_array_append_val (layout->row_height, height);
      table_height += height;
    }

  for (guint i = 0; i < layout->table->totals->len; i++)
    {
      PangoLayout *text = make_text (layout->context, g_ptr_array_index (layout->table->totals, i),
                                     "Sans 10");
      double w, h;

      text_size (text, &w, &h);
      totals_width = MAX (totals_width, w);
      g_ptr_array_add (layout->totals, text);
    }

  for (guint col = 0; col < NS_SUMMARY_N_COLUMNS; col++)
    {
      layout->col_width[col] += 2 * CELL_PAD_X;
      table_width += layout->col_width[col];
    }
  layout->header_height = MAX (ROW_HEIGHT, layout->header_height + 2 * CELL_PAD_Y);
  layout->width = ceil (MAX (MAX (table_width, totals_width), title_width) + 2 * MARGIN);
  layout->height = ceil (MARGIN + layout->title_height + TITLE_GAP + layout->header_height +
                         table_height + TOTALS_GAP + layout->totals->len * TOTALS_LINE + MARGIN);
  return g_steal_pointer (&layout);
}

static void
horizontal_rule (cairo_t *cr,
                 double   x,
                 double   y,
                 double   width,
                 double   thickness)
{
  cairo_rectangle (cr, x, y, width, thickness);
  cairo_fill (cr);
}

static void
draw_table (cairo_t *cr,
            Layout  *layout)
{
  double table_width = layout->width - 2 * MARGIN;
  double x, y = MARGIN;

  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);

  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  cairo_move_to (cr, MARGIN, y);
  pango_cairo_show_layout (cr, layout->title);
  y += layout->title_height + TITLE_GAP;

  /* The header band, ruled above and below as Keras rules it. */
  cairo_set_source_rgb (cr, 0.91, 0.91, 0.93);
  cairo_rectangle (cr, MARGIN, y, table_width, layout->header_height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  horizontal_rule (cr, MARGIN, y, table_width, 1);
  x = MARGIN;
  for (guint col = 0; col < NS_SUMMARY_N_COLUMNS; col++)
    {
      cairo_move_to (cr, x + CELL_PAD_X, y + CELL_PAD_Y);
      pango_cairo_show_layout (cr, g_ptr_array_index (layout->header, col));
      x += layout->col_width[col];
    }
  y += layout->header_height;
  horizontal_rule (cr, MARGIN, y - 2, table_width, 2);

  for (guint row = 0; row < layout->row_height->len; row++)
    {
      NsLayer *layer = g_ptr_array_index (layout->table->layers, row);
      NsLayerState state = ns_layer_get_info (layer)->state;
      double height = g_array_index (layout->row_height, double, row);

      if (row % 2 == 1)
        {
          cairo_set_source_rgb (cr, 0.95, 0.95, 0.96);
          cairo_rectangle (cr, MARGIN, y, table_width, height);
          cairo_fill (cr);
        }
      if (row > 0)
        {
          cairo_set_source_rgb (cr, 0.86, 0.86, 0.88);
          horizontal_rule (cr, MARGIN, y, table_width, 1);
        }
      /* A layer in error reads red, one waiting on it grey, as on the canvas. */
      if (state == NS_LAYER_ERROR)
        cairo_set_source_rgb (cr, 0.75, 0.11, 0.11);
      else if (state == NS_LAYER_WAITING)
        cairo_set_source_rgb (cr, 0.5, 0.5, 0.53);
      else
        cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
      x = MARGIN;
      for (guint col = 0; col < NS_SUMMARY_N_COLUMNS; col++)
        {
          cairo_move_to (cr, x + CELL_PAD_X, y + CELL_PAD_Y);
          pango_cairo_show_layout (cr, g_ptr_array_index (layout->cells, row * NS_SUMMARY_N_COLUMNS + col));
          x += layout->col_width[col];
        }
      y += height;
    }
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  horizontal_rule (cr, MARGIN, y, table_width, 2);

  y += TOTALS_GAP;
  for (guint i = 0; i < layout->totals->len; i++)
    {
      cairo_move_to (cr, MARGIN, y);
      pango_cairo_show_layout (cr, g_ptr_array_index (layout->totals, i));
      y += TOTALS_LINE;
    }
}

void
ns_render_summary_get_size (NsGraph *graph,
                            double  *width,
                            double  *height)
{
  g_autoptr(Layout) layout = NULL;

  g_return_if_fail (NS_IS_GRAPH (graph));

  layout = layout_table (graph);
  *width = layout->width;
  *height = layout->height;
}

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  /* cairo cannot carry a GError: the caller checks the status. */
  if (!g_output_stream_write_all (closure, data, length, NULL, NULL, NULL))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
ns_render_summary_export (NsGraph  *graph,
                          double    scale,
                          GFile    *file,
                          GError  **error)
{
  g_autoptr(Layout) layout = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (scale > 0, FALSE);

  layout = layout_table (graph);
  width = ceil (layout->width * scale);
  height = ceil (layout->height * scale);
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("the summary image would be %.0f×%.0f pixels, more than PNG export allows "
                     "(32,767); export the summary as markdown or summary-json, or use a smaller scale"),
                   width, height);
      return FALSE;
    }

  /* g_file_replace writes beside the target and renames at close: the old
   * file stays whole until the new one is complete. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (stream == NULL)
    return FALSE;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_table (cr, layout);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, write_to_stream, stream);
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
