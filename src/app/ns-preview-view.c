/* ns-preview-view.c: how the preview shows a pass: the selected layer's
 * statistics and feature-map tiles, the output as a class map with a legend
 * or as top-5 bars, and the time each layer took. Everything it draws was
 * computed by the core (ns-preview-core.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ns-preview-private.h"

#define TOP_K          5
#define LEGEND_ENTRIES 12

static char *
format_figure (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.4g", value);
}

static void
set_figure (GtkLabel *label,
            double    value)
{
  g_autofree char *text = format_figure (value);

  gtk_label_set_text (label, text);
}

/* "con1 · 128 × 128 × 64": a tensor's sample shape after the layer's name. */
static char *
describe_tensor (const char     *name,
                 const NsTensor *tensor)
{
  GString *text = g_string_new (name);

  g_string_append (text, " · ");
  for (guint i = 1; i < tensor->rank; i++)
    g_string_append_printf (text, i > 1 ? " × %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, tensor->dims[i]);
  return g_string_free (text, FALSE);
}

/* Small layers take microseconds: "0.0 ms" would say nothing. */
static char *
format_time (double seconds)
{
  if (seconds < 1e-3)
    return g_strdup_printf (_("%.0f µs"), seconds * 1e6);
  return g_strdup_printf (_("%.1f ms"), seconds * 1e3);
}

static void
remove_children (NsPreview *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend_box))) != NULL)
    gtk_flow_box_remove (self->legend_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->top_box))) != NULL)
    gtk_box_remove (self->top_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timings_grid))) != NULL)
    gtk_grid_remove (self->timings_grid, child);
}

/* Draws @surface as large as fits, centred; scaled up, nearest filtering
 * keeps each value a crisp square, scaled down a smooth filter averages. */
static void
draw_surface (cairo_t         *cr,
              cairo_surface_t *surface,
              int              width,
              int              height)
{
  int sw, sh;
  double scale;

  if (surface == NULL)
    return;
  sw = cairo_image_surface_get_width (surface);
  sh = cairo_image_surface_get_height (surface);
  scale = MIN ((double) width / sw, (double) height / sh);
  if (scale >= 1)
    scale = floor (scale);
  cairo_translate (cr, floor ((width - sw * scale) / 2), floor ((height - sh * scale) / 2));
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), scale >= 1 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
}

static void
draw_tiles (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  draw_surface (cr, ((NsPreview *) data)->tiles, width, height);
}

static void
draw_class_map (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  draw_surface (cr, ((NsPreview *) data)->class_map, width, height);
}

/* A picture's height for the panel's width, about 320 pixels wide. */
static void
fit_height (GtkDrawingArea  *area,
            cairo_surface_t *surface)
{
  double aspect;

  if (surface == NULL)
    return;
  aspect = (double) cairo_image_surface_get_height (surface) / cairo_image_surface_get_width (surface);
  gtk_drawing_area_set_content_height (area, CLAMP ((int) (320 * aspect), 24, 480));
}

void
ns_preview_update_tiles (NsPreview *self)
{
  NsFeatureMaps maps;
  g_autofree char *channels = NULL;

  g_clear_pointer (&self->tiles, cairo_surface_destroy);
  if (self->result == NULL || self->result->captured == NULL
      || !ns_feature_maps_init (&maps, self->result->captured, 0))
    {
      gtk_widget_queue_draw (GTK_WIDGET (self->tiles_area));
      return;
    }

  self->tiles = ns_feature_maps_render_grid (&maps, 0, self->tile_scale, &self->tiles_layout);
  if (maps.height * maps.width == 1)
    channels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " unit, row by row",
                                             "%" PRId64 " units, row by row", maps.channels),
                                maps.channels);
  else if (self->tiles_layout.n_tiles < maps.channels)
    /* Translators: how many feature maps the grid shows of how many the layer has. */
    channels = g_strdup_printf (_("First %" PRId64 " of %" PRId64 " channels"),
                                self->tiles_layout.n_tiles, maps.channels);
  else
    channels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " channel",
                                             "%" PRId64 " channels", maps.channels),
                                maps.channels);
  gtk_label_set_text (self->channels_label, channels);
  gtk_widget_set_visible (GTK_WIDGET (self->shared_check), maps.height * maps.width > 1);
  fit_height (self->tiles_area, self->tiles);
  gtk_widget_queue_draw (GTK_WIDGET (self->tiles_area));
}

static void
show_captured (NsPreview *self)
{
  NsPreviewResult *result = self->result;
  NsFeatureMaps maps;
  NsTensorStats stats;
  g_autofree char *title = NULL;
  g_autofree char *zeros = NULL;
  g_autofree char *dead = NULL;
  gboolean shown = result->captured != NULL && ns_feature_maps_init (&maps, result->captured, 0);

  gtk_widget_set_visible (self->stats_grid, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->tiles_area), shown);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->channels_label)), shown);
  if (!shown)
    {
      gtk_label_set_text (self->layer_title, _("Select a layer to see its feature maps"));
      ns_preview_update_tiles (self);
      return;
    }

  title = describe_tensor (result->captured_name, result->captured);
  gtk_label_set_text (self->layer_title, title);
  ns_feature_maps_get_stats (&maps, 0, -1, &stats);
  set_figure (self->min_label, stats.min);
  set_figure (self->max_label, stats.max);
  set_figure (self->mean_label, stats.mean);
  set_figure (self->std_label, stats.std);
  zeros = g_strdup_printf ("%.1f %%", stats.zero_fraction * 100);
  gtk_label_set_text (self->zeros_label, zeros);
  dead = g_strdup_printf (_("%" PRId64 " of %" PRId64), stats.dead_channels, maps.channels);
  gtk_label_set_text (self->dead_label, dead);
  ns_preview_update_tiles (self);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  guint32 color = GPOINTER_TO_UINT (data);

  cairo_set_source_rgb (cr, (color >> 16) / 255.0, ((color >> 8) & 0xff) / 255.0, (color & 0xff) / 255.0);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

static GtkWidget *
legend_entry (guint32 class_index,
              double  fraction)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *swatch = gtk_drawing_area_new ();
  /* A class of a few pixels is there, which "0.0 %" would deny. */
  g_autofree char *text = fraction < 0.0005
                          ? g_strdup_printf ("%u · < 0.1 %%", class_index)
                          : g_strdup_printf ("%u · %.1f %%", class_index, fraction * 100);
  GtkWidget *label = gtk_label_new (text);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (ns_class_color (class_index)), NULL);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static int
compare_counts (gconstpointer a,
                gconstpointer b,
                gpointer      counts)
{
  gint64 ca = ((gint64 *) counts)[*(const guint32 *) a];
  gint64 cb = ((gint64 *) counts)[*(const guint32 *) b];

  if (ca != cb)
    return ca > cb ? -1 : 1;
  return *(const guint32 *) a < *(const guint32 *) b ? -1 : 1;
}

/* A spatial output: each pixel's class in its colour, classes by area below. */
static void
show_class_map (NsPreview           *self,
                const NsFeatureMaps *maps)
{
  gint64 n_pixels = maps->height * maps->width;
  guint n_classes = (guint) MAX (maps->channels, 2);
  g_autofree guint32 *classes = g_new (guint32, n_pixels);
  g_autofree gint64 *counts = g_new0 (gint64, n_classes);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint shown = 0;

  ns_feature_maps_argmax (maps, classes, counts);
  /* Past what cairo can hold only the legend shows (very long sequences). */
  if (maps->height <= G_MAXINT16 && maps->width <= G_MAXINT16)
    self->class_map = ns_class_map_render (classes, maps->height, maps->width);
  fit_height (self->class_area, self->class_map);
  gtk_widget_queue_draw (GTK_WIDGET (self->class_area));

  for (guint32 c = 0; c < n_classes; c++)
    if (counts[c] > 0)
      g_array_append_val (order, c);
  g_array_sort_with_data (order, compare_counts, counts);
  for (guint i = 0; i < order->len && shown < LEGEND_ENTRIES; i++, shown++)
    {
      guint32 c = g_array_index (order, guint32, i);

      gtk_flow_box_append (self->legend_box, legend_entry (c, (double) counts[c] / n_pixels));
    }
  if (order->len > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more class", "%u more classes",
                                                            order->len - shown),
                                               order->len - shown);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_flow_box_append (self->legend_box, label);
    }
  gtk_stack_set_visible_child_name (self->output_stack, "classes");
}

/* A vector output: its five largest values as bars of their probability. */
static void
show_top (NsPreview           *self,
          const NsFeatureMaps *maps)
{
  NsTopEntry top[TOP_K];
  guint n = ns_top_k (maps->data, maps->channels, TOP_K, top);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *name = g_strdup_printf (_("Class %" PRId64), top[i].index);
      g_autofree char *percent = g_strdup_printf ("%.1f %%", top[i].probability * 100);
      g_autofree char *raw = g_strdup_printf (_("Output %.4g"), top[i].value);
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
      GtkWidget *value = gtk_label_new (percent);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_width_chars (GTK_LABEL (label), 9);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (top[i].probability, 0, 1));
      /* The default offsets would turn small probabilities red. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_label_set_width_chars (GTK_LABEL (value), 7);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_tooltip_text (row, raw);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), bar);
      gtk_box_append (GTK_BOX (row), value);
      gtk_box_append (self->top_box, row);
    }
  gtk_stack_set_visible_child_name (self->output_stack, "top");
}

static void
show_output (NsPreview *self)
{
  NsPreviewResult *result = self->result;
  g_autofree char *shape = describe_tensor (result->output_name, result->output);
  g_autofree char *title = g_strdup_printf (_("Output: %s"), shape);
  NsFeatureMaps maps;

  gtk_label_set_text (self->output_title, title);
  if (!ns_feature_maps_init (&maps, result->output, 0))
    return;
  if (maps.height * maps.width > 1)
    show_class_map (self, &maps);
  else
    show_top (self, &maps);
}

static void
show_timings (NsPreview       *self,
              NsPreviewResult *result)
{
  double slowest = 0;
  g_autofree char *total = NULL;
  g_autofree char *peak = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < result->timings->len; i++)
    slowest = MAX (slowest, g_array_index (result->timings, NsPreviewTiming, i).seconds);
  for (guint i = 0; i < result->timings->len; i++)
    {
      const NsPreviewTiming *timing = &g_array_index (result->timings, NsPreviewTiming, i);
      g_autofree char *ms = format_time (timing->seconds);
      GtkWidget *name = gtk_label_new (timing->name);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, slowest > 0 ? slowest : 1);
      GtkWidget *time = gtk_label_new (ms);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (name), 10);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), timing->seconds);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_label_set_xalign (GTK_LABEL (time), 1);
      gtk_widget_add_css_class (time, "numeric");
      if (g_strcmp0 (timing->name, result->captured_name) == 0)
        {
          gtk_widget_add_css_class (name, "accent");
          gtk_widget_add_css_class (time, "accent");
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, timing->name, -1);
      gtk_grid_attach (self->timings_grid, name, 0, (int) i, 1, 1);
      gtk_grid_attach (self->timings_grid, bar, 1, (int) i, 1, 1);
      gtk_grid_attach (self->timings_grid, time, 2, (int) i, 1, 1);
    }

  total = format_time (result->total_seconds);
  peak = ns_format_bytes ((gint64) result->peak_bytes);
  /* Translators: the whole pass's time and the memory it peaked at. */
  summary = g_strdup_printf (_("Total %s · peak memory %s"), total, peak);
  gtk_label_set_text (self->total_label, summary);
}

void
ns_preview_view_clear (NsPreview *self)
{
  g_clear_pointer (&self->result, ns_preview_result_free);
  g_clear_pointer (&self->tiles, cairo_surface_destroy);
  g_clear_pointer (&self->class_map, cairo_surface_destroy);
  if (self->legend_box == NULL)   /* disposed */
    return;
  remove_children (self);
}

void
ns_preview_show_result (NsPreview       *self,
                        NsPreviewResult *result)
{
  g_autofree char *status = NULL;
  g_autofree char *total = NULL;

  ns_preview_view_clear (self);
  self->result = result;

  show_captured (self);
  show_output (self);
  show_timings (self, result);

  total = format_time (result->total_seconds);
  /* Translators: the status line once the forward pass is done. */
  status = g_strdup_printf (_("Ran in %s"), total);
  gtk_label_set_text (self->status_label, status);
  gtk_stack_set_visible_child_name (self->content_stack, "result");
}

void
ns_preview_show_message (NsPreview  *self,
                         const char *icon_name,
                         const char *title,
                         const char *description)
{
  ns_preview_view_clear (self);
  adw_status_page_set_icon_name (self->message_page, icon_name);
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_label_set_text (self->status_label, "");
  gtk_stack_set_visible_child_name (self->content_stack, "message");
}

void
ns_preview_view_init (NsPreview *self)
{
  gtk_drawing_area_set_draw_func (self->tiles_area, draw_tiles, self, NULL);
  gtk_drawing_area_set_draw_func (self->class_area, draw_class_map, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tiles_area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Feature maps of the selected layer"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->class_area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Class of each output pixel"), -1);
}
