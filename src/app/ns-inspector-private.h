/* ns-inspector-private.h: what ns-inspector.c (layer, header, Explain),
 * ns-inspector-editors.c (the parameter editors), ns-inspector-solver.c (the
 * size solver) and ns-inspector-widgets.c (pieces they share) share. */
#pragma once

#include <adwaita.h>

#include "ns-inspector.h"
#include "ns-solver.h"

G_BEGIN_DECLS

struct _NsInspector
{
  GtkWidget            parent_instance;

  NsHistory           *history;
  NsSelection         *selection;
  NsLayer             *layer;          /* the selection's primary layer, or NULL */
  GSignalGroup        *layer_signals;
  GSignalGroup        *graph_signals;
  /* > 0 while widgets are set from the model: their handlers record nothing. */
  guint                syncing;
  NsShapeOrder         shape_order;    /* how the output shape is written */

  GPtrArray           *editors;        /* NsEditor*, each owned by its row */
  GtkWidget           *settings_group;
  GtkWidget           *advanced_row;   /* AdwExpanderRow or NULL */
  char                *explain_text;   /* what the Explain list shows */

  /* Size solver */
  NsSolveKind          solve_kind;
  gboolean             solvable;
  GtkWidget           *want_spins[2];  /* wanted output height, width */
  GtkWidget           *want_link;
  GtkListBox          *solver_list;
  GtkLabel            *solver_status;
  GArray              *solutions;      /* NsSolution */
  gboolean             solver_show_all;
  char                *solver_key;     /* the question the list answers */

  /* Template widgets */
  GtkStack            *stack;
  GtkScrolledWindow   *scroller;
  GtkLabel            *type_label;
  GtkLabel            *class_label;
  GtkLabel            *state_label;
  AdwEntryRow         *name_row;
  GtkLabel            *name_error;
  AdwActionRow        *trainable_row;
  GtkSwitch           *trainable_switch;
  GtkLabel            *shape_label;
  AdwActionRow        *params_row;
  GtkLabel            *params_label;
  GtkLabel            *macs_label;
  GtkBox              *editors_box;
  AdwPreferencesGroup *explain_group;
  GtkListBox          *explain_list;
  GtkLabel            *explain_status;
  AdwPreferencesGroup *solver_group;
};

/* One answer of the solver for both spatial axes. */
typedef struct {
  NsSolveChoice axis[2];   /* height, width */
} NsSolution;

/* Shared pieces (ns-inspector-widgets.c) */

/* A height × width pair of spin buttons with a link toggle; @spins and
 * @link receive the parts. Linking is the caller's to handle. */
GtkWidget *ns_inspector_pair_box_new      (const char     *label,
                                           gint64          min,
                                           gint64          max,
                                           GtkWidget     **spins,
                                           GtkWidget     **link);
/* A spin button that leaves wheel scrolling to the inspector's scroller
 * unless it has focus, so scrolling past never changes a value. */
GtkWidget *ns_inspector_spin_new          (gint64          min,
                                           gint64          max);
/* A row whose content sits under its title, for editors too wide to share
 * a line with it; @header_extra goes at the title's end (may be NULL). */
GtkWidget *ns_inspector_wide_row_new      (const char     *title,
                                           GtkWidget      *header_extra,
                                           GtkWidget      *content);

/* The text an entry shows for lists, reals and strings ("" for None), and
 * what a person types there, read as Python or JSON and checked by the core. */
char      *ns_inspector_value_to_text     (const NsPropDecl  *decl,
                                           const NsValue     *value);
gboolean   ns_inspector_text_to_value     (const NsPropDecl  *decl,
                                           const char        *text,
                                           NsValue           *value,
                                           GError           **error);

/* Editors (ns-inspector-editors.c) */
void       ns_inspector_build_editors     (NsInspector    *self);
void       ns_inspector_clear_editors     (NsInspector    *self);
/* Shows the layer's value of @key (NULL: all) without recording anything. */
void       ns_inspector_sync_editors      (NsInspector    *self,
                                           const char     *key);
GtkWidget *ns_inspector_find_editor       (NsInspector    *self,
                                           const char     *key);
GtkWidget *ns_inspector_first_editor      (NsInspector    *self);

/* Size solver (ns-inspector-solver.c) */
void       ns_inspector_solver_init       (NsInspector    *self);
/* Follows a new layer (@reset: the wanted size starts at its output) or a
 * change of its figures. */
void       ns_inspector_solver_update     (NsInspector    *self,
                                           gboolean        reset);
void       ns_inspector_solver_dispose    (NsInspector    *self);

G_END_DECLS
