/* ns-preview.c: NsPreview: the preview panel's widget: its input controls,
 * the document and selection it follows, and its public API. The passes
 * themselves run in ns-preview-run.c; results are drawn by ns-preview-view.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-preview-private.h"

G_DEFINE_FINAL_TYPE (NsPreview, ns_preview, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The input dropdown's rows. */
enum {
  INPUT_NOISE,
  INPUT_IMAGE,
};

static void
update_norm_label (NsPreview *self)
{
  g_autofree char *formula = ns_normalization_describe (&self->norm);

  gtk_label_set_text (self->norm_label, formula);
}

static void
update_input_controls (NsPreview *self)
{
  gtk_widget_set_visible (self->image_box, self->use_image);
  gtk_widget_set_visible (self->norm_box, self->use_image);
  gtk_widget_set_visible (self->custom_box, self->norm.mode == NS_NORMALIZE_CUSTOM);
  update_norm_label (self);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     NsPreview       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      ns_preview_use_image (self, file);
    }
  else if (self->pixbuf == NULL && self->image_cancellable == NULL)
    /* Nothing to feed without an image: back to noise. */
    gtk_drop_down_set_selected (self->input_dropdown, INPUT_NOISE);
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
on_choose_image (NsPreview *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  /* GtkFileDialog is 4.10; the native chooser is what 4.8 has. */
  chooser = gtk_file_chooser_native_new (_("Choose an Input Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (images, _("Images"));
  gtk_file_filter_add_pixbuf_formats (images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
on_input_changed (NsPreview *self)
{
  gboolean image = gtk_drop_down_get_selected (self->input_dropdown) == INPUT_IMAGE;

  if (image == self->use_image)
    return;
  self->use_image = image;
  update_input_controls (self);
  if (image && self->pixbuf == NULL && self->image_cancellable == NULL)
    on_choose_image (self);
  ns_preview_schedule (self);
}

static void
on_seed_changed (NsPreview *self)
{
  guint64 seed = (guint64) gtk_spin_button_get_value_as_int (self->seed_spin);

  if (seed == self->seed)
    return;
  self->seed = seed;
  ns_preview_schedule (self);
}

static void
on_norm_changed (NsPreview *self)
{
  NsNormalizeMode mode = gtk_drop_down_get_selected (self->norm_dropdown);
  NsNormalization norm;

  if (mode >= NS_N_NORMALIZE_MODES || mode == self->norm.mode)
    return;
  ns_normalization_init (&norm, mode);
  if (mode == NS_NORMALIZE_CUSTOM)
    for (guint c = 0; c < 3; c++)
      {
        norm.mean[c] = gtk_spin_button_get_value (self->mean_spin);
        norm.std[c] = gtk_spin_button_get_value (self->std_spin);
      }
  ns_preview_set_normalization (self, &norm);
}

static void
on_custom_changed (NsPreview *self)
{
  NsNormalization norm = self->norm;

  if (norm.mode != NS_NORMALIZE_CUSTOM)
    return;
  for (guint c = 0; c < 3; c++)
    {
      norm.mean[c] = gtk_spin_button_get_value (self->mean_spin);
      norm.std[c] = gtk_spin_button_get_value (self->std_spin);
    }
  ns_preview_set_normalization (self, &norm);
}

static void
on_shared_toggled (NsPreview *self)
{
  ns_preview_set_tile_scale (self, gtk_check_button_get_active (self->shared_check)
                                   ? NS_TILE_SCALE_SHARED : NS_TILE_SCALE_PER_CHANNEL);
}

/* A different layer to capture needs another pass; re-selecting the same does not. */
static void
on_selection_changed (NsPreview *self)
{
  NsLayer *primary = ns_selection_get_primary (self->selection);
  const char *wanted = primary != NULL ? ns_layer_get_name (primary) : NULL;
  const char *shown = self->result != NULL ? self->result->captured_name : NULL;

  if (self->result != NULL && !self->running && g_strcmp0 (wanted, shown) == 0)
    return;
  ns_preview_schedule (self);
}

void
ns_preview_set_document (NsPreview   *self,
                         NsGraph     *graph,
                         NsSelection *selection)
{
  g_return_if_fail (NS_IS_PREVIEW (self));
  g_return_if_fail (graph == NULL || NS_IS_GRAPH (graph));
  g_return_if_fail (selection == NULL || NS_IS_SELECTION (selection));

  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_set_object (&self->graph, graph);
  g_set_object (&self->selection, selection);
  ns_preview_view_clear (self);

  if (graph != NULL)
    g_signal_connect_swapped (graph, "changed", G_CALLBACK (ns_preview_schedule), self);
  if (selection != NULL)
    g_signal_connect_swapped (selection, "changed", G_CALLBACK (on_selection_changed), self);
  ns_preview_schedule (self);
}

void
ns_preview_use_noise (NsPreview *self,
                      guint64    seed)
{
  g_return_if_fail (NS_IS_PREVIEW (self));

  self->use_image = FALSE;
  self->seed = seed;
  /* The controls' handlers see nothing changed and stay quiet. */
  gtk_spin_button_set_value (self->seed_spin, (double) seed);
  gtk_drop_down_set_selected (self->input_dropdown, INPUT_NOISE);
  update_input_controls (self);
  ns_preview_schedule (self);
}

void
ns_preview_use_image (NsPreview *self,
                      GFile     *file)
{
  g_return_if_fail (NS_IS_PREVIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  self->use_image = TRUE;
  gtk_drop_down_set_selected (self->input_dropdown, INPUT_IMAGE);
  update_input_controls (self);
  ns_preview_load_image (self, file);
}

void
ns_preview_set_normalization (NsPreview             *self,
                              const NsNormalization *norm)
{
  g_return_if_fail (NS_IS_PREVIEW (self));
  g_return_if_fail (norm != NULL && norm->mode < NS_N_NORMALIZE_MODES);

  if (memcmp (&self->norm, norm, sizeof *norm) == 0)
    return;
  self->norm = *norm;
  gtk_drop_down_set_selected (self->norm_dropdown, norm->mode);
  update_input_controls (self);
  if (self->use_image)
    ns_preview_schedule (self);
}

void
ns_preview_set_tile_scale (NsPreview   *self,
                           NsTileScale  scale)
{
  g_return_if_fail (NS_IS_PREVIEW (self));

  if (scale == self->tile_scale)
    return;
  self->tile_scale = scale;
  gtk_check_button_set_active (self->shared_check, scale == NS_TILE_SCALE_SHARED);
  ns_preview_update_tiles (self);
}

void
ns_preview_set_memory_limit (NsPreview *self,
                             guint64    bytes)
{
  g_return_if_fail (NS_IS_PREVIEW (self));

  if (bytes == self->memory_limit)
    return;
  self->memory_limit = bytes;
  ns_preview_schedule (self);
}

gboolean
ns_preview_get_running (NsPreview *self)
{
  g_return_val_if_fail (NS_IS_PREVIEW (self), FALSE);
  return self->running;
}

void
ns_preview_set_running (NsPreview *self,
                        gboolean   running)
{
  if (running)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  if (running)
    gtk_label_set_text (self->status_label, _("Running…"));
  if (running == self->running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
ns_preview_get_counts (NsPreview *self,
                       guint     *started,
                       guint     *finished,
                       guint     *cancelled)
{
  g_return_if_fail (NS_IS_PREVIEW (self));

  if (started != NULL)
    *started = self->n_started;
  if (finished != NULL)
    *finished = self->n_finished;
  if (cancelled != NULL)
    *cancelled = self->n_cancelled;
}

GtkWidget *
ns_preview_get_part (NsPreview  *self,
                     const char *name)
{
  const struct {
    const char *name;
    gpointer    widget;
  } parts[] = {
    { "spinner", self->spinner },
    { "status", self->status_label },
    { "message", self->message_page },
    { "layer-title", self->layer_title },
    { "min", self->min_label },
    { "max", self->max_label },
    { "mean", self->mean_label },
    { "std", self->std_label },
    { "zeros", self->zeros_label },
    { "dead", self->dead_label },
    { "tiles", self->tiles_area },
    { "output-title", self->output_title },
    { "class-map", self->class_area },
    { "legend", self->legend_box },
    { "top", self->top_box },
    { "timings", self->timings_grid },
    { "normalization", self->norm_label },
    { "seed", self->seed_spin },
  };

  g_return_val_if_fail (NS_IS_PREVIEW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (parts[i].name, name))
      return GTK_WIDGET (parts[i].widget);
  return NULL;
}

/* Hidden, the panel runs nothing: a pass costs seconds on big networks. */
static void
ns_preview_map (GtkWidget *widget)
{
  NsPreview *self = NS_PREVIEW (widget);

  GTK_WIDGET_CLASS (ns_preview_parent_class)->map (widget);
  if (self->stale)
    ns_preview_schedule (self);
}

static void
ns_preview_unmap (GtkWidget *widget)
{
  NsPreview *self = NS_PREVIEW (widget);

  if (self->running)
    {
      ns_preview_cancel (self);
      self->stale = TRUE;
      ns_preview_set_running (self, FALSE);
    }
  GTK_WIDGET_CLASS (ns_preview_parent_class)->unmap (widget);
}

static void
ns_preview_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NsPreview *self = NS_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_preview_dispose (GObject *object)
{
  NsPreview *self = NS_PREVIEW (object);

  ns_preview_cancel (self);
  if (self->image_cancellable != NULL)
    g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->graph);
  g_clear_object (&self->selection);
  ns_preview_view_clear (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_PREVIEW);

  G_OBJECT_CLASS (ns_preview_parent_class)->dispose (object);
}

static void
ns_preview_finalize (GObject *object)
{
  NsPreview *self = NS_PREVIEW (object);

  g_clear_object (&self->image_file);
  g_clear_object (&self->pixbuf);

  G_OBJECT_CLASS (ns_preview_parent_class)->finalize (object);
}

static void
ns_preview_class_init (NsPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_preview_dispose;
  object_class->finalize = ns_preview_finalize;
  object_class->get_property = ns_preview_get_property;
  widget_class->map = ns_preview_map;
  widget_class->unmap = ns_preview_unmap;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/netsketch/Netsketch/ns-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, NsPreview, root_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, input_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, image_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, image_picture);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, image_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, norm_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, norm_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, custom_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, mean_spin);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, std_spin);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, norm_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, status_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, content_stack);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, message_page);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, layer_title);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, stats_grid);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, min_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, max_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, mean_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, std_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, zeros_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, dead_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, shared_check);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, channels_label);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, tiles_area);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, output_title);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, output_stack);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, class_area);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, legend_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, top_box);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, timings_grid);
  gtk_widget_class_bind_template_child (widget_class, NsPreview, total_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_seed_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_image);
  gtk_widget_class_bind_template_callback (widget_class, on_norm_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_shared_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nspreview");
}

static void
ns_preview_init (NsPreview *self)
{
  ns_normalization_init (&self->norm, NS_NORMALIZE_UNIT);
  self->tile_scale = NS_TILE_SCALE_PER_CHANNEL;

  gtk_widget_init_template (GTK_WIDGET (self));
  ns_preview_view_init (self);
  update_input_controls (self);
  ns_preview_set_running (self, FALSE);
}

GtkWidget *
ns_preview_new (void)
{
  return g_object_new (NS_TYPE_PREVIEW, NULL);
}
