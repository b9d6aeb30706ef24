/* ns-render.c: drawing the network: nodes coloured by category, wires as
 * curves labelled with the tensor they carry. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "ns-layout.h"
#include "ns-render.h"

#define CORNER      10.0
#define BAND        26.0    /* the coloured header with the layer's name */
#define PAD          10.0
#define PORT_RADIUS  4.5

typedef struct {
  char        *key;       /* the texts the layouts were made from */
  PangoLayout *title;     /* the layer's name */
  PangoLayout *kind;      /* its Keras class */
  PangoLayout *settings;  /* "64 @ 3×3 /1 same, relu" */
  PangoLayout *shape;     /* "128×128×64", or the error message */
  PangoLayout *count;     /* "1,792 params" */
} NodeText;

struct _NsRenderer {
  GHashTable *texts;      /* NsLayer* → NodeText*; layers are held weakly by key */
  GHashTable *labels;     /* "128×128×64" → PangoLayout* */
  PangoContext *context;
};

typedef struct { double r, g, b; } Rgb;

/* GNOME palette tones, one per palette category. */
static const Rgb category_colours[NS_N_CATEGORIES] = {
  [NS_CATEGORY_INPUT]         = { 0x35 / 255., 0x84 / 255., 0xe4 / 255. },
  [NS_CATEGORY_CONVOLUTION]   = { 0xe6 / 255., 0x61 / 255., 0x00 / 255. },
  [NS_CATEGORY_POOLING]       = { 0x21 / 255., 0x90 / 255., 0xa4 / 255. },
  [NS_CATEGORY_RESHAPING]     = { 0x98 / 255., 0x6a / 255., 0x44 / 255. },
  [NS_CATEGORY_MERGE]         = { 0x91 / 255., 0x41 / 255., 0xac / 255. },
  [NS_CATEGORY_NORMALIZATION] = { 0x26 / 255., 0xa2 / 255., 0x69 / 255. },
  [NS_CATEGORY_ACTIVATION]    = { 0xc6 / 255., 0x46 / 255., 0x00 / 255. },
  [NS_CATEGORY_CORE]          = { 0x5e / 255., 0x5c / 255., 0x64 / 255. },
};

void
ns_render_category_colour (NsCategory  category,
                           double     *red,
                           double     *green,
                           double     *blue)
{
  g_return_if_fail (category < NS_N_CATEGORIES);
  *red = category_colours[category].r;
  *green = category_colours[category].g;
  *blue = category_colours[category].b;
}

static void
node_text_free (gpointer data)
{
  NodeText *text = data;

  g_free (text->key);
  g_clear_object (&text->title);
  g_clear_object (&text->kind);
  g_clear_object (&text->settings);
  g_clear_object (&text->shape);
  g_clear_object (&text->count);
  g_free (text);
}

NsRenderer *
ns_renderer_new (void)
{
  NsRenderer *renderer = g_new0 (NsRenderer, 1);
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  cairo_font_options_t *options;

  renderer->texts = g_hash_table_new_full (NULL, NULL, NULL, node_text_free);
  renderer->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  renderer->context = pango_font_map_create_context (font_map);
  /* Text is laid out once in canvas units, unhinted, so that it has the same
   * metrics at every zoom level and in every export; only the glyphs are
   * rasterised at the scale they are drawn at. Taking the options from each
   * cairo_t (pango_cairo_update_context) would change the context on every
   * frame and make Pango lay out every cached text again. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (renderer->context, options);
  cairo_font_options_destroy (options);
  return renderer;
}

void
ns_renderer_free (NsRenderer *renderer)
{
  if (renderer == NULL)
    return;
  g_hash_table_unref (renderer->texts);
  g_hash_table_unref (renderer->labels);
  g_object_unref (renderer->context);
  g_free (renderer);
}

static PangoLayout *
make_layout (NsRenderer *renderer,
             const char *text,
             const char *font,
             double      width)
{
  PangoLayout *layout = pango_layout_new (renderer->context);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

/* The texts of a node, laid out once and kept until any of them changes. */
static NodeText *
node_text (NsRenderer   *renderer,
           NsLayer      *layer,
           NsShapeOrder  order)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  g_autofree char *describe = ns_layer_describe (layer);
  g_autofree char *shape = ns_shape_to_display_compact (&info->output, order);
  g_autofree char *params = ns_format_count (info->params);
  g_autofree char *count = NULL;
  g_autofree char *key = NULL;
  const char *second_line;
  NodeText *text;
  double inner = NS_LAYOUT_NODE_WIDTH - 2 * PAD;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s param", "%s params",
                                        (gulong) MIN (info->params, G_MAXLONG)), params);
  second_line = info->state == NS_LAYER_OK ? shape : info->message;
  key = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", ns_layer_get_name (layer), describe,
                         second_line, info->state == NS_LAYER_OK ? count : "");

  text = g_hash_table_lookup (renderer->texts, layer);
  if (text != NULL && g_str_equal (text->key, key))
    return text;

  text = g_new0 (NodeText, 1);
  text->key = g_steal_pointer (&key);
  text->title = make_layout (renderer, ns_layer_get_name (layer), "Sans Bold 10", inner * 0.58);
  text->kind = make_layout (renderer, ns_layer_get_layer_type (layer)->keras_class, "Sans 7.5",
                            inner * 0.4);
  text->settings = make_layout (renderer, describe, "Sans 9", inner);
  if (info->state == NS_LAYER_OK)
    {
      text->shape = make_layout (renderer, shape, "Sans Bold 9", inner * 0.55);
      text->count = make_layout (renderer, count, "Sans 8.5", inner * 0.45);
    }
  else
    {
      /* The message takes the shape's place, on up to two lines. */
      text->shape = make_layout (renderer, info->message, "Sans 8.5", inner);
      pango_layout_set_wrap (text->shape, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (text->shape, -2);
    }
  g_hash_table_replace (renderer->texts, layer, text);
  return text;
}

void
ns_renderer_get_input_port (NsLayer  *layer,
                            guint     port,
                            gboolean  vertical,
                            double   *x,
                            double   *y)
{
  /* Spread over the ports drawn (a merge's free ports too), or up to @port. */
  guint n = MAX (ns_renderer_get_n_input_ports (layer), port + 1);
  double lx, ly;

  ns_layer_get_position (layer, &lx, &ly);
  if (vertical)
    {
      *x = lx + NS_LAYOUT_NODE_WIDTH * (port + 1) / (n + 1);
      *y = ly;
    }
  else
    {
      *x = lx;
      *y = ly + BAND + (NS_LAYOUT_NODE_HEIGHT - BAND) * (port + 1) / (n + 1);
    }
}

void
ns_renderer_get_output_port (NsLayer  *layer,
                             gboolean  vertical,
                             double   *x,
                             double   *y)
{
  double lx, ly;

  ns_layer_get_position (layer, &lx, &ly);
  if (vertical)
    {
      *x = lx + NS_LAYOUT_NODE_WIDTH / 2;
      *y = ly + NS_LAYOUT_NODE_HEIGHT;
    }
  else
    {
      *x = lx + NS_LAYOUT_NODE_WIDTH;
      *y = ly + BAND + (NS_LAYOUT_NODE_HEIGHT - BAND) / 2;
    }
}

void
ns_renderer_get_extents (NsGraph *graph,
                         double  *x,
                         double  *y,
                         double  *width,
                         double  *height)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);
      double lx, ly;

      ns_layer_get_position (layer, &lx, &ly);
      x0 = MIN (x0, lx);
      y0 = MIN (y0, ly);
      x1 = MAX (x1, lx + NS_LAYOUT_NODE_WIDTH);
      y1 = MAX (y1, ly + NS_LAYOUT_NODE_HEIGHT);
    }
  if (n == 0)
    x0 = y0 = x1 = y1 = 0;
  *x = x0;
  *y = y0;
  *width = x1 - x0;
  *height = y1 - y0;
}

static gboolean
visible (const NsRenderOptions *options,
         double                 x0,
         double                 y0,
         double                 x1,
         double                 y1)
{
  if (options->visible_width <= 0 || options->visible_height <= 0)
    return TRUE;
  return MAX (x0, x1) >= options->visible_x && MIN (x0, x1) <= options->visible_x + options->visible_width &&
         MAX (y0, y1) >= options->visible_y && MIN (y0, y1) <= options->visible_y + options->visible_height;
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Wider wires carry more channels: 1.5 px for one, about 6 px for 1,024. */
static double
wire_width (const NsLayerInfo *info)
{
  gint64 channels = info->output.rank > 0 ? info->output.dims[info->output.rank - 1] : 1;

  if (info->state != NS_LAYER_OK || channels < 1)
    channels = 1;
  return 1.5 + 0.45 * log2 ((double) channels);
}

static PangoLayout *
label_layout (NsRenderer *renderer,
              const char *text)
{
  PangoLayout *layout = g_hash_table_lookup (renderer->labels, text);

  if (layout == NULL)
    {
      layout = make_layout (renderer, text, "Sans 8", -1);
      g_hash_table_insert (renderer->labels, g_strdup (text), layout);
    }
  return layout;
}

/* How much is drawn, from how large a canvas unit comes out on the surface:
 * text below a legible size is skipped, and a far view draws each node as
 * a block of its colour, in one path per colour. */
typedef enum {
  DETAIL_BLOCKS,
  DETAIL_SHAPES,
  DETAIL_FULL,
} Detail;

#define TEXT_MIN_SCALE  0.3    /* 9 pt text is 3.6 px: the least worth shaping */
#define SHAPE_MIN_SCALE 0.12   /* a node is 24×9 px: corners and ports still show */

static Detail
detail_for (cairo_t *cr)
{
  double dx = 1, dy = 0, scale;

  cairo_user_to_device_distance (cr, &dx, &dy);
  scale = sqrt (dx * dx + dy * dy);
  if (scale >= TEXT_MIN_SCALE)
    return DETAIL_FULL;
  return scale >= SHAPE_MIN_SCALE ? DETAIL_SHAPES : DETAIL_BLOCKS;
}

static void
wire_path (cairo_t  *cr,
           double    x0,
           double    y0,
           double    x1,
           double    y1,
           gboolean  vertical)
{
  double cx0, cy0, cx1, cy1;

  ns_renderer_get_wire_curve (x0, y0, x1, y1, vertical, &cx0, &cy0, &cx1, &cy1);
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, cx0, cy0, cx1, cy1, x1, y1);
}

/* Whether the wire, its width and its label can reach the visible area:
 * the curve stays inside the hull of its control points. */
static gboolean
wire_visible (const NsRenderOptions *options,
              double                 x0,
              double                 y0,
              double                 x1,
              double                 y1)
{
  double cx0, cy0, cx1, cy1;

  ns_renderer_get_wire_curve (x0, y0, x1, y1, options->vertical, &cx0, &cy0, &cx1, &cy1);
  return visible (options, MIN (MIN (x0, x1), MIN (cx0, cx1)) - 40, MIN (MIN (y0, y1), MIN (cy0, cy1)) - 12,
                  MAX (MAX (x0, x1), MAX (cx0, cx1)) + 40, MAX (MAX (y0, y1), MAX (cy0, cy1)) + 12);
}

static void
draw_wire (NsRenderer            *renderer,
           cairo_t               *cr,
           NsLayer               *from,
           NsLayer               *to,
           guint                  port,
           const NsRenderOptions *options,
           Detail                 detail)
{
  const NsLayerInfo *info = ns_layer_get_info (from);
  gboolean hovered = options->hovered_wire == to && options->hovered_port == port;
  double x0, y0, x1, y1, mx, my;
  PangoLayout *label;
  PangoRectangle extents;
  g_autofree char *shape = NULL;

  ns_renderer_get_output_port (from, options->vertical, &x0, &y0);
  ns_renderer_get_input_port (to, port, options->vertical, &x1, &y1);
  if (!wire_visible (options, x0, y0, x1, y1))
    return;

  wire_path (cr, x0, y0, x1, y1, options->vertical);
  if (hovered)
    cairo_set_source_rgba (cr, options->dark ? 0.47 : 0.21, options->dark ? 0.68 : 0.52,
                           options->dark ? 0.93 : 0.89, 1);
  else if (info->state == NS_LAYER_OK)
    cairo_set_source_rgba (cr, options->dark ? 0.75 : 0.35, options->dark ? 0.75 : 0.35,
                           options->dark ? 0.78 : 0.40, 0.9);
  else
    cairo_set_source_rgba (cr, 0.6, 0.6, 0.6, 0.5);
  cairo_set_line_width (cr, wire_width (info) + (hovered ? 1.5 : 0));
  cairo_stroke (cr);

  if (info->state != NS_LAYER_OK || detail != DETAIL_FULL)
    return;
  /* The label sits on the curve's midpoint (t = ½ of the cubic). */
  mx = (x0 + x1) / 2;
  my = (y0 + y1) / 2;
  shape = ns_shape_to_display_compact (&info->output, options->shape_order);
  label = label_layout (renderer, shape);
  pango_layout_get_pixel_extents (label, NULL, &extents);
  rounded_rectangle (cr, mx - extents.width / 2.0 - 4, my - extents.height / 2.0 - 1,
                     extents.width + 8, extents.height + 2, 4);
  cairo_set_source_rgba (cr, options->dark ? 0.18 : 1, options->dark ? 0.18 : 1,
                         options->dark ? 0.2 : 1, 0.92);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, options->dark ? 0.9 : 0.2, options->dark ? 0.9 : 0.2,
                        options->dark ? 0.9 : 0.25);
  cairo_move_to (cr, mx - extents.width / 2.0, my - extents.height / 2.0);
  pango_cairo_show_layout (cr, label);
}

static void
draw_node_text (NsRenderer            *renderer,
                cairo_t               *cr,
                NsLayer               *layer,
                const NsRenderOptions *options,
                double                 alpha)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  NodeText *text = node_text (renderer, layer, options->shape_order);
  double x, y, w = NS_LAYOUT_NODE_WIDTH;
  double ink = options->dark ? 0.92 : 0.15;
  double line_y;
  PangoRectangle extents;

  ns_layer_get_position (layer, &x, &y);
  cairo_set_source_rgba (cr, 1, 1, 1, alpha);
  cairo_move_to (cr, x + PAD, y + 5);
  pango_cairo_show_layout (cr, text->title);

  /* The class name, right-aligned in the band, a little dimmer. */
  pango_layout_get_pixel_extents (text->kind, NULL, &extents);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85 * alpha);
  cairo_move_to (cr, x + w - PAD - extents.width - extents.x, y + 7);
  pango_cairo_show_layout (cr, text->kind);

  line_y = y + BAND + 6;
  cairo_set_source_rgba (cr, ink, ink, ink + 0.03, 0.8 * alpha);
  cairo_move_to (cr, x + PAD, line_y);
  pango_cairo_show_layout (cr, text->settings);
  line_y += 18;
  if (info->state == NS_LAYER_ERROR)
    cairo_set_source_rgba (cr, 0.75, 0.11, 0.16, alpha);
  else
    cairo_set_source_rgba (cr, ink, ink, ink + 0.03, alpha);
  cairo_move_to (cr, x + PAD, line_y);
  pango_cairo_show_layout (cr, text->shape);
  if (text->count != NULL)
    {
      pango_layout_get_pixel_extents (text->count, NULL, &extents);
      cairo_set_source_rgba (cr, ink, ink, ink + 0.03, 0.7 * alpha);
      cairo_move_to (cr, x + w - PAD - extents.width - extents.x, line_y + 1);
      pango_cairo_show_layout (cr, text->count);
    }
}

/* Text too small to read: bars where the lines are, so that a far view
 * still looks like the near one without shaping a glyph. */
static void
draw_node_greeked (cairo_t               *cr,
                   NsLayer               *layer,
                   const NsRenderOptions *options,
                   double                 alpha)
{
  double x, y, w = NS_LAYOUT_NODE_WIDTH, ink = options->dark ? 0.92 : 0.15;
  gboolean ok = ns_layer_get_info (layer)->state == NS_LAYER_OK;

  ns_layer_get_position (layer, &x, &y);
  cairo_rectangle (cr, x + PAD, y + 8, w * 0.45, 9);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.55 * alpha);
  cairo_fill (cr);
  cairo_rectangle (cr, x + PAD, y + BAND + 9, w * 0.5, 7);
  cairo_rectangle (cr, x + PAD, y + BAND + 27, w * 0.35, 8);
  if (ok)
    cairo_rectangle (cr, x + w - PAD - w * 0.22, y + BAND + 28, w * 0.22, 7);
  cairo_set_source_rgba (cr, ink, ink, ink + 0.03, 0.3 * alpha);
  cairo_fill (cr);
}

static void
draw_node (NsRenderer            *renderer,
           cairo_t               *cr,
           NsLayer               *layer,
           const NsRenderOptions *options,
           Detail                 detail)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  const Rgb *colour = &category_colours[ns_layer_get_layer_type (layer)->category];
  gboolean selected = options->selected != NULL && g_hash_table_contains (options->selected, layer);
  double x, y, w = NS_LAYOUT_NODE_WIDTH, h = NS_LAYOUT_NODE_HEIGHT;
  /* Layers waiting on an error upstream are dimmed: every colour is drawn
   * with this alpha (a group per node would cost a surface each). */
  double alpha = info->state == NS_LAYER_WAITING ? 0.45 : 1.0;
  double px, py;

  ns_layer_get_position (layer, &x, &y);
  if (!visible (options, x - 8, y - 8, x + w + 8, y + h + 8))
    return;

  /* Selection: a ring in the accent colour around the card. */
  if (selected)
    {
      rounded_rectangle (cr, x - 4, y - 4, w + 8, h + 8, CORNER + 4);
      cairo_set_source_rgba (cr, options->dark ? 0.47 : 0.21, options->dark ? 0.68 : 0.52,
                             options->dark ? 0.93 : 0.89, 0.9);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }

  /* Card and shadow. */
  rounded_rectangle (cr, x + 1, y + 2, w, h, CORNER);
  cairo_set_source_rgba (cr, 0, 0, 0, (layer == options->hovered ? 0.22 : 0.12) * alpha);
  cairo_fill (cr);
  rounded_rectangle (cr, x, y, w, h, CORNER);
  cairo_set_source_rgba (cr, options->dark ? 0.19 : 1, options->dark ? 0.19 : 1,
                         options->dark ? 0.21 : 1, alpha);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, alpha);
  cairo_set_line_width (cr, selected || layer == options->hovered ? 2 : 1);
  cairo_stroke (cr);

  /* Header band in the category's colour: the card's top corners, square below. */
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - CORNER, y + CORNER, CORNER, -G_PI / 2, 0);
  cairo_line_to (cr, x + w, y + BAND);
  cairo_line_to (cr, x, y + BAND);
  cairo_arc (cr, x + CORNER, y + CORNER, CORNER, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, alpha);
  cairo_fill (cr);

  if (detail == DETAIL_FULL)
    draw_node_text (renderer, cr, layer, options, alpha);
  else
    draw_node_greeked (cr, layer, options, alpha);

  /* Keyboard focus: a dashed ring, apart from the selection's. */
  if (layer == options->focused)
    {
      static const double dashes[] = { 4, 3 };

      rounded_rectangle (cr, x - 8, y - 8, w + 16, h + 16, CORNER + 8);
      cairo_set_source_rgba (cr, options->dark ? 0.47 : 0.21, options->dark ? 0.68 : 0.52,
                             options->dark ? 0.93 : 0.89, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* Error badge: a red disc with "!" on the top-right corner. */
  if (info->state == NS_LAYER_ERROR)
    {
      double bx = x + w - NS_RENDER_BADGE_INSET, by = y + NS_RENDER_BADGE_INSET;

      cairo_arc (cr, bx, by, NS_RENDER_BADGE_RADIUS, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.88, 0.11, 0.14, alpha);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, alpha);
      cairo_set_line_width (cr, 2.2);
      cairo_move_to (cr, bx, by - 4.5);
      cairo_line_to (cr, bx, by + 1);
      cairo_stroke (cr);
      cairo_arc (cr, bx, by + 4.5, 1.3, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* Ports: one per input, one output. */
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, alpha);
  for (guint port = 0; port < ns_renderer_get_n_input_ports (layer); port++)
    {
      ns_renderer_get_input_port (layer, port, options->vertical, &px, &py);
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, PORT_RADIUS, 0, 2 * G_PI);
    }
  ns_renderer_get_output_port (layer, options->vertical, &px, &py);
  cairo_new_sub_path (cr);
  cairo_arc (cr, px, py, PORT_RADIUS, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* The far view: every wire in one thin stroke, every node a block of its
 * category's colour, one fill per colour; selected layers get a ring. */
static void
draw_blocks (cairo_t               *cr,
             NsGraph               *graph,
             const NsRenderOptions *options)
{
  GListModel *model = G_LIST_MODEL (graph);
  guint n = g_list_model_get_n_items (model);
  double dx = 1, dy = 1;

  cairo_device_to_user_distance (cr, &dx, &dy);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *from = ns_layer_get_input (layer, port);
          double x0, y0, x1, y1;

          if (from == NULL)
            continue;
          ns_renderer_get_output_port (from, options->vertical, &x0, &y0);
          ns_renderer_get_input_port (layer, port, options->vertical, &x1, &y1);
          if (wire_visible (options, x0, y0, x1, y1))
            wire_path (cr, x0, y0, x1, y1, options->vertical);
        }
    }
  cairo_set_source_rgba (cr, options->dark ? 0.75 : 0.35, options->dark ? 0.75 : 0.35,
                         options->dark ? 0.78 : 0.40, 0.6);
  cairo_set_line_width (cr, dx);
  cairo_stroke (cr);

  for (NsCategory category = 0; category < NS_N_CATEGORIES; category++)
    {
      const Rgb *colour = &category_colours[category];
      gboolean any = FALSE;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
          double x, y;

          if (ns_layer_get_layer_type (layer)->category != category)
            continue;
          ns_layer_get_position (layer, &x, &y);
          if (!visible (options, x, y, x + NS_LAYOUT_NODE_WIDTH, y + NS_LAYOUT_NODE_HEIGHT))
            continue;
          cairo_rectangle (cr, x, y, NS_LAYOUT_NODE_WIDTH, NS_LAYOUT_NODE_HEIGHT);
          any = TRUE;
        }
      if (any)
        {
          cairo_set_source_rgb (cr, colour->r, colour->g, colour->b);
          cairo_fill (cr);
        }
    }

  if (options->selected != NULL && g_hash_table_size (options->selected) > 0)
    {
      GHashTableIter iter;
      gpointer layer;

      g_hash_table_iter_init (&iter, options->selected);
      while (g_hash_table_iter_next (&iter, &layer, NULL))
        {
          double x, y;

          ns_layer_get_position (layer, &x, &y);
          cairo_rectangle (cr, x - 2 * dx, y - 2 * dy, NS_LAYOUT_NODE_WIDTH + 4 * dx,
                           NS_LAYOUT_NODE_HEIGHT + 4 * dy);
        }
      cairo_set_source_rgba (cr, options->dark ? 0.47 : 0.21, options->dark ? 0.68 : 0.52,
                             options->dark ? 0.93 : 0.89, 1);
      cairo_set_line_width (cr, 2 * dx);
      cairo_stroke (cr);
    }
}

void
ns_renderer_draw (NsRenderer            *renderer,
                  cairo_t               *cr,
                  NsGraph               *graph,
                  const NsRenderOptions *options)
{
  static const NsRenderOptions defaults = { 0 };
  GListModel *model = G_LIST_MODEL (graph);
  guint n = g_list_model_get_n_items (model);
  Detail detail;

  g_return_if_fail (renderer != NULL && cr != NULL && NS_IS_GRAPH (graph));
  if (options == NULL)
    options = &defaults;

  cairo_save (cr);
  detail = detail_for (cr);
  if (detail == DETAIL_BLOCKS)
    {
      draw_blocks (cr, graph, options);
      cairo_restore (cr);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *from = ns_layer_get_input (layer, port);
          if (from != NULL)
            draw_wire (renderer, cr, from, layer, port, options, detail);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      draw_node (renderer, cr, layer, options, detail);
    }
  cairo_restore (cr);
}
