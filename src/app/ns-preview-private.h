/* ns-preview-private.h: what ns-preview.c (the widget and its inputs),
 * ns-preview-run.c (the worker thread) and ns-preview-view.c (drawing the
 * results) share. */
#pragma once

#include <adwaita.h>

#include "ns-preview.h"

G_BEGIN_DECLS

typedef struct {
  char   *name;
  double  seconds;
} NsPreviewTiming;

/* What a finished pass hands back: everything the view needs, owned here,
 * nothing that points into the worker's graph. */
typedef struct {
  NsTensor *output;
  char     *output_name;
  NsTensor *captured;        /* the selected layer's output; NULL when none is selected */
  char     *captured_name;
  GArray   *timings;         /* NsPreviewTiming, execution order */
  double    total_seconds;
  guint64   peak_bytes;
} NsPreviewResult;

void ns_preview_result_free (NsPreviewResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPreviewResult, ns_preview_result_free)

struct _NsPreview
{
  GtkWidget         parent_instance;

  NsGraph          *graph;
  NsSelection      *selection;

  /* The input */
  gboolean          use_image;
  guint64           seed;
  GFile            *image_file;
  GdkPixbuf        *pixbuf;          /* decoded image_file; immutable, shared with the worker */
  NsNormalization   norm;
  NsTileScale       tile_scale;
  guint64           memory_limit;

  /* The runs */
  GCancellable     *cancellable;     /* the pass under way */
  GCancellable     *image_cancellable;
  guint             debounce_id;
  guint             generation;      /* bumped on every request; stale results are dropped */
  gboolean          running;
  gboolean          stale;           /* a pass is owed once the panel is mapped */
  guint             n_started;
  guint             n_finished;
  guint             n_cancelled;
  NsPreviewResult  *result;

  /* What the view draws */
  cairo_surface_t  *tiles;
  NsGridLayout      tiles_layout;
  cairo_surface_t  *class_map;

  /* Template widgets */
  GtkWidget        *root_box;
  GtkDropDown      *input_dropdown;
  GtkSpinButton    *seed_spin;
  GtkWidget        *image_box;
  GtkPicture       *image_picture;
  GtkLabel         *image_label;
  GtkWidget        *norm_box;
  GtkDropDown      *norm_dropdown;
  GtkWidget        *custom_box;
  GtkSpinButton    *mean_spin;
  GtkSpinButton    *std_spin;
  GtkLabel         *norm_label;
  GtkSpinner       *spinner;
  GtkLabel         *status_label;
  GtkStack         *content_stack;
  AdwStatusPage    *message_page;
  GtkLabel         *layer_title;
  GtkWidget        *stats_grid;
  GtkLabel         *min_label;
  GtkLabel         *max_label;
  GtkLabel         *mean_label;
  GtkLabel         *std_label;
  GtkLabel         *zeros_label;
  GtkLabel         *dead_label;
  GtkCheckButton   *shared_check;
  GtkLabel         *channels_label;
  GtkDrawingArea   *tiles_area;
  GtkLabel         *output_title;
  GtkStack         *output_stack;
  GtkDrawingArea   *class_area;
  GtkFlowBox       *legend_box;
  GtkBox           *top_box;
  GtkGrid          *timings_grid;
  GtkLabel         *total_label;

  GtkNativeDialog  *chooser;         /* while the image chooser is up */
};

/* ns-preview-run.c */
/* Cancels what runs and asks for a pass after a short pause (edits come in bursts). */
void ns_preview_schedule        (NsPreview  *self);
/* Starts reading @file; a pass follows once it is decoded. */
void ns_preview_load_image      (NsPreview  *self,
                                 GFile      *file);
void ns_preview_cancel          (NsPreview  *self);
void ns_preview_set_running     (NsPreview  *self,
                                 gboolean    running);

/* ns-preview-view.c */
void ns_preview_view_init       (NsPreview  *self);
void ns_preview_show_result     (NsPreview  *self,
                                 NsPreviewResult *result);
/* Replaces the results with a message (a problem to act on, or nothing to run). */
void ns_preview_show_message    (NsPreview  *self,
                                 const char *icon_name,
                                 const char *title,
                                 const char *description);
/* Redraws the tiles after the scale changed. */
void ns_preview_update_tiles    (NsPreview  *self);
void ns_preview_view_clear      (NsPreview  *self);

G_END_DECLS
