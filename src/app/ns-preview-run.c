/* ns-preview-run.c: the preview's passes: a snapshot of the graph taken on
 * the main thread, rebuilt and run by the executor in a GTask on a worker
 * thread, cancelled by the next edit; and input images decoded off the main
 * thread. The UI never waits on either. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-preview-private.h"

/* Edits come in bursts (typing a number, dragging a spin button): wait this
 * long after the last one before starting a pass. */
#define DEBOUNCE_MS 150

typedef struct {
  NsGraphSnapshot *snapshot;
  char            *capture_name;   /* NULL: nothing selected */
  guint64          seed;
  GdkPixbuf       *pixbuf;         /* NULL: noise */
  NsNormalization  norm;
  guint64          memory_limit;
  guint            generation;
} RunJob;

static void
run_job_free (RunJob *job)
{
  ns_graph_snapshot_free (job->snapshot);
  g_free (job->capture_name);
  g_clear_object (&job->pixbuf);
  g_free (job);
}

void
ns_preview_result_free (NsPreviewResult *result)
{
  if (result == NULL)
    return;
  ns_tensor_free (result->output);
  ns_tensor_free (result->captured);
  g_free (result->output_name);
  g_free (result->captured_name);
  g_clear_pointer (&result->timings, g_array_unref);
  g_free (result);
}

static void
timing_clear (gpointer data)
{
  g_free (((NsPreviewTiming *) data)->name);
}

static NsTensor *
make_input (RunJob      *job,
            NsGraph     *graph,
            NsExecutor  *executor,
            GError     **error)
{
  guint rank;
  gint64 dims[NS_MAX_RANK + 1];
  NsTensor *input;

  if (job->pixbuf != NULL)
    {
      g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
      const NsLayerInfo *info = ns_layer_get_info (g_ptr_array_index (inputs, 0));

      return ns_preview_image_to_tensor (gdk_pixbuf_read_pixels (job->pixbuf),
                                         gdk_pixbuf_get_width (job->pixbuf),
                                         gdk_pixbuf_get_height (job->pixbuf),
                                         gdk_pixbuf_get_rowstride (job->pixbuf),
                                         gdk_pixbuf_get_n_channels (job->pixbuf),
                                         &info->output, &job->norm, error);
    }

  ns_executor_get_input_shape (executor, &rank, dims);
  input = ns_tensor_new_noise (rank, dims, job->seed);
  if (input == NULL)
    g_set_error_literal (error, NS_ERROR, NS_ERROR_TOO_LARGE, _("The input is too big to make"));
  return input;
}

/* On the worker thread: everything here is the job's own. */
static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunJob *job = task_data;
  NsExecutorOptions options = { job->seed, 1, job->memory_limit, job->capture_name };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  g_autoptr(NsExecutor) executor = NULL;
  g_autoptr(NsTensor) input = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(NsPreviewResult) result = g_new0 (NsPreviewResult, 1);
  GArray *timings;
  gint64 start;

  graph = ns_graph_snapshot_build (job->snapshot, &error);
  if (graph != NULL)
    executor = ns_executor_new (graph, &options, &error);
  if (executor != NULL)
    input = make_input (job, graph, executor, &error);
  if (input == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start = g_get_monotonic_time ();
  result->output = ns_executor_run (executor, input, cancellable, &error);
  if (result->output == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->total_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  result->peak_bytes = ns_executor_get_peak_bytes (executor);

  outputs = ns_graph_get_outputs (graph);
  result->output_name = g_strdup (ns_layer_get_name (g_ptr_array_index (outputs, 0)));
  if (job->capture_name != NULL && ns_executor_get_captured (executor) != NULL)
    {
      result->captured = ns_tensor_copy (ns_executor_get_captured (executor));
      result->captured_name = g_strdup (job->capture_name);
    }

  /* Names, not layers: the layers die with this thread's graph. */
  timings = ns_executor_get_timings (executor);
  result->timings = g_array_sized_new (FALSE, FALSE, sizeof (NsPreviewTiming), timings->len);
  g_array_set_clear_func (result->timings, timing_clear);
  for (guint i = 0; i < timings->len; i++)
    {
      const NsLayerTiming *timing = &g_array_index (timings, NsLayerTiming, i);
      NsPreviewTiming copy = { g_strdup (ns_layer_get_name (timing->layer)), timing->seconds };

      g_array_append_val (result->timings, copy);
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) ns_preview_result_free);
}

static void
free_weak_ref (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* Tasks hold the panel weakly: closing a window must not wait for a pass. */
static GWeakRef *
new_weak_ref (NsPreview *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static void
show_run_error (NsPreview    *self,
                const GError *error)
{
  if (g_error_matches (error, NS_ERROR, NS_ERROR_TOO_LARGE))
    ns_preview_show_message (self, "dialog-warning-symbolic", _("Too Large to Preview"), error->message);
  else
    ns_preview_show_message (self, "dialog-error-symbolic", _("Could Not Run the Network"), error->message);
}

static void
on_run_done (GObject      *source_object,
             GAsyncResult *res,
             gpointer      data)
{
  GWeakRef *ref = data;
  g_autoptr(NsPreview) self = g_weak_ref_get (ref);
  RunJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(NsPreviewResult) result = g_task_propagate_pointer (G_TASK (res), &error);

  free_weak_ref (ref);
  if (self == NULL)
    return;
  if (job->generation != self->generation || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->n_cancelled++;
      return;
    }

  g_clear_object (&self->cancellable);
  self->n_finished++;
  if (result != NULL)
    ns_preview_show_result (self, g_steal_pointer (&result));
  else
    show_run_error (self, error);
  ns_preview_set_running (self, FALSE);
}

/* Why the graph cannot run as it is, or NULL: checked here so that a half-made
 * network says what to fix rather than what the executor tripped on. */
static gboolean
check_graph (NsPreview *self)
{
  g_autoptr(GPtrArray) inputs = NULL;
  NsGraphTotals totals;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->graph));

  if (n == 0)
    {
      ns_preview_show_message (self, "list-add-symbolic", _("Nothing to Run"),
                               _("Add an Input layer and the layers it feeds"));
      return FALSE;
    }
  ns_graph_get_totals (self->graph, &totals);
  if (totals.n_errors > 0)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->graph), i);
          const NsLayerInfo *info = ns_layer_get_info (layer);

          if (info->state == NS_LAYER_ERROR)
            {
              g_autofree char *text = g_strdup_printf (_("“%s”: %s"), ns_layer_get_name (layer), info->message);

              ns_preview_show_message (self, "dialog-error-symbolic", _("The Network Has Errors"), text);
              return FALSE;
            }
        }
    }
  inputs = ns_graph_get_inputs (self->graph);
  if (inputs->len == 0)
    {
      ns_preview_show_message (self, "dialog-error-symbolic", _("No Input Layer"),
                               _("The pass starts from an Input layer; add one"));
      return FALSE;
    }
  return TRUE;
}

static void
start_run (NsPreview *self)
{
  g_autoptr(GTask) task = NULL;
  NsLayer *primary;
  RunJob *job;

  if (!check_graph (self))
    {
      ns_preview_set_running (self, FALSE);
      return;
    }
  if (self->use_image && self->pixbuf == NULL)
    {
      /* A load under way schedules the pass when it ends. */
      if (self->image_cancellable == NULL)
        {
          ns_preview_show_message (self, "image-x-generic-symbolic", _("No Image Chosen"),
                                   _("Choose an image to feed the network, or switch to noise"));
          ns_preview_set_running (self, FALSE);
        }
      return;
    }

  primary = self->selection != NULL ? ns_selection_get_primary (self->selection) : NULL;
  job = g_new0 (RunJob, 1);
  job->snapshot = ns_graph_snapshot_new (self->graph);
  job->capture_name = primary != NULL ? g_strdup (ns_layer_get_name (primary)) : NULL;
  job->seed = self->seed;
  job->pixbuf = self->use_image ? g_object_ref (self->pixbuf) : NULL;
  job->norm = self->norm;
  job->memory_limit = self->memory_limit;
  job->generation = self->generation;

  self->cancellable = g_cancellable_new ();
  self->n_started++;
  task = g_task_new (NULL, self->cancellable, on_run_done, new_weak_ref (self));
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, job, (GDestroyNotify) run_job_free);
  g_task_run_in_thread (task, run_thread);
}

static gboolean
on_debounce (gpointer data)
{
  NsPreview *self = data;

  self->debounce_id = 0;
  self->stale = FALSE;
  start_run (self);
  return G_SOURCE_REMOVE;
}

void
ns_preview_cancel (NsPreview *self)
{
  self->generation++;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
ns_preview_schedule (NsPreview *self)
{
  ns_preview_cancel (self);
  if (self->graph == NULL)
    {
      ns_preview_show_message (self, "io.github.netsketch.Netsketch-symbolic", _("No Network Open"), NULL);
      ns_preview_set_running (self, FALSE);
      return;
    }
  self->stale = TRUE;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  ns_preview_set_running (self, TRUE);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, on_debounce, self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, &error);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Photos from phones are stored sideways with an EXIF tag saying so. */
  g_task_return_pointer (task, gdk_pixbuf_apply_embedded_orientation (pixbuf), g_object_unref);
}

static void
on_image_loaded (GObject      *source_object,
                 GAsyncResult *res,
                 gpointer      data)
{
  GWeakRef *ref = data;
  g_autoptr(NsPreview) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (res), &error);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *label = NULL;

  free_weak_ref (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->image_cancellable);

  basename = g_file_get_basename (self->image_file);
  if (pixbuf == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could Not Read “%s”"), basename);

      g_clear_object (&self->pixbuf);
      gtk_picture_set_paintable (self->image_picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->image_picture), FALSE);
      gtk_label_set_text (self->image_label, _("No image chosen"));
      ns_preview_cancel (self);
      ns_preview_show_message (self, "image-missing-symbolic", title, error->message);
      ns_preview_set_running (self, FALSE);
      return;
    }

  g_set_object (&self->pixbuf, pixbuf);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (self->image_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->image_picture), TRUE);
  /* Translators: the input image's file name and its size in pixels. */
  label = g_strdup_printf (_("%s · %d × %d"), basename, gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf));
  gtk_label_set_text (self->image_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->image_label), label);
  if (self->use_image)
    ns_preview_schedule (self);
}

void
ns_preview_load_image (NsPreview *self,
                       GFile     *file)
{
  g_autoptr(GTask) task = NULL;

  if (self->image_cancellable != NULL)
    g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  g_clear_object (&self->pixbuf);
  g_set_object (&self->image_file, file);

  /* The pass waits for the pixels; the spinner shows meanwhile. */
  ns_preview_cancel (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ns_preview_set_running (self, TRUE);
  else
    self->stale = TRUE;

  self->image_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->image_cancellable, on_image_loaded, new_weak_ref (self));
  g_task_set_source_tag (task, ns_preview_load_image);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}
