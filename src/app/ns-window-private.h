/* ns-window-private.h: what ns-window.c (the document) and ns-window-actions.c
 * (files, export, panels) share. */
#pragma once

#include "ns-canvas.h"
#include "ns-inspector.h"
#include "ns-palette.h"
#include "ns-preview.h"
#include "ns-settings.h"
#include "ns-summary-view.h"
#include "ns-window.h"

G_BEGIN_DECLS

/* What to do once unsaved changes are saved or discarded. */
typedef enum {
  NS_PENDING_OPEN,
  NS_PENDING_NEW,
  NS_PENDING_CLOSE,
} NsPending;

struct _NsWindow
{
  AdwApplicationWindow  parent_instance;

  GFile                *file;        /* NULL until saved as .netsketch */
  NsGraph              *graph;
  NsHistory            *history;
  NsSelection          *selection;
  NsSettings           *settings;    /* the application's; NULL until ns_window_new binds it, after init */
  GBindingGroup        *settings_bindings;  /* settings → the views' shape order */
  GtkNativeDialog      *chooser;     /* while a file dialog is up */
  NsPending             pending;     /* after the save-changes question */
  GFile                *pending_file;
  gboolean              closing;     /* the question was answered */

  /* Autosave (ns-window-autosave.c) */
  char                 *autosave_id;      /* the entry written to; NULL before the first */
  guint                 autosave_source;  /* the write an edit scheduled */
  gboolean              autosave_dirty;   /* edited since the entry was written */
  gboolean              autosave_failed;  /* the last write failed, and a toast said so */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  AdwToast             *toast;          /* the one shown (weak): a new one replaces it */
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkPaned             *palette_paned;
  GtkPaned             *inspector_paned;
  GtkPaned             *summary_paned;
  NsPalette            *palette;
  NsCanvas             *canvas;
  GtkWidget            *summary_panel;
  NsSummaryView        *summary_view;
  GtkLabel             *totals_label;
  NsInspector          *inspector;
  NsPreview            *preview;
  GMenu                *recent_section;
};

void ns_window_set_document         (NsWindow        *self,
                                     NsGraph         *graph,
                                     GFile           *file);
/* Runs @pending at once, or after asking whether to save unsaved changes. */
void ns_window_confirm_discard      (NsWindow        *self,
                                     NsPending        pending,
                                     GFile           *file);
void ns_window_run_pending          (NsWindow        *self,
                                     NsPending        pending,
                                     GFile           *file);
/* A toast; with @undo_action an Undo button that runs it. */
void ns_window_toast                (NsWindow        *self,
                                     const char      *message,
                                     const char      *undo_action);
void ns_window_add_recent           (NsWindow        *self,
                                     GFile           *file);
void ns_window_class_install_actions (GtkWidgetClass *widget_class);

/* Autosave: follows the settings once; follows each document's edits and
 * saves; on dispose deletes the entry unless unsaved work would go with it. */
void ns_window_autosave_init        (NsWindow        *self);
void ns_window_autosave_track       (NsWindow        *self);
void ns_window_autosave_forget      (NsWindow        *self);
void ns_window_autosave_dispose     (NsWindow        *self);
/* Window size, panes, panels, recent files, the views' shape order and the
 * preview's first seed follow @settings. */
void ns_window_bind_settings        (NsWindow        *self,
                                     NsSettings      *settings);
void ns_window_init_actions         (NsWindow        *self);

G_END_DECLS
