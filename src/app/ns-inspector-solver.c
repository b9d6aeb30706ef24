/* ns-inspector-solver.c: the inspector's size solver: "I want output H × W"
 * lists the core solver's (kernel, stride, padding) choices for the selected
 * layer, and a click applies one as a single undoable step. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-inspector-private.h"

/* What people draw; the search stays well under a millisecond. */
#define MAX_KERNEL  11
#define MAX_STRIDE  8
/* Rows shown before "Show More", and at most. */
#define FIRST_SHOWN 6
#define MAX_SHOWN   60

/* The window key of a type whose declaration has a window, strides and
 * padding; NULL when the solver has nothing to say about it. */
static const char *
solver_kernel_key (const NsLayerType *type,
                   NsSolveKind       *kind)
{
  int pool = ns_layer_type_find_prop (type, "pool_size");
  int kernel = ns_layer_type_find_prop (type, "kernel_size");
  int strides = ns_layer_type_find_prop (type, "strides");
  int padding = ns_layer_type_find_prop (type, "padding");

  if (strides < 0 || type->props[strides].kind != NS_PROP_PAIR ||
      padding < 0 || type->props[padding].kind != NS_PROP_PADDING)
    return NULL;
  if (pool >= 0 && type->props[pool].kind == NS_PROP_PAIR)
    {
      *kind = NS_SOLVE_POOL;
      return "pool_size";
    }
  if (kernel >= 0 && type->props[kernel].kind == NS_PROP_PAIR)
    {
      *kind = ns_layer_type_find_prop (type, "output_padding") >= 0
              ? NS_SOLVE_CONV_TRANSPOSE : NS_SOLVE_CONV;
      return "kernel_size";
    }
  return NULL;
}

/* The input's height and width, when known. */
static gboolean
input_size (NsLayer *layer,
            gint64   hw[2])
{
  NsLayer *input = ns_layer_get_input (layer, 0);
  const NsLayerInfo *info = input != NULL ? ns_layer_get_info (input) : NULL;

  if (info == NULL || info->state != NS_LAYER_OK || info->output.rank != 3)
    return FALSE;
  hw[0] = info->output.dims[0];
  hw[1] = info->output.dims[1];
  return hw[0] >= 1 && hw[1] >= 1;
}

static gboolean
choice_equal (const NsSolveChoice *a,
              const NsSolveChoice *b)
{
  return a->kernel == b->kernel && a->stride == b->stride && a->padding == b->padding &&
         a->pad == b->pad && a->output_padding == b->output_padding;
}

/* The layer's own setting on @axis, as the solver would write it. */
static gboolean
current_choice (NsLayer       *layer,
                const char    *kernel_key,
                guint          axis,
                NsSolveChoice *choice)
{
  const NsValue *strides = ns_layer_get_value (layer, "strides");
  const NsValue *padding = ns_layer_get_value (layer, "padding");
  const NsValue *dilation = ns_layer_get_value (layer, "dilation_rate");
  const NsValue *output_padding = ns_layer_get_value (layer, "output_padding");

  if (dilation != NULL && (dilation->pair[0] != 1 || dilation->pair[1] != 1))
    return FALSE;
  choice->kernel = ns_layer_get_value (layer, kernel_key)->pair[axis];
  /* A pooling stride of None is the pool size, as in Keras. */
  choice->stride = strides->is_null ? choice->kernel : strides->pair[axis];
  choice->padding = padding->padding.mode;
  choice->pad = padding->padding.mode == NS_PADDING_EXPLICIT ? padding->padding.explicit_hw[axis] : 0;
  choice->output_padding = output_padding != NULL && !output_padding->is_null
                           ? output_padding->pair[axis] : -1;
  if (choice->padding == NS_PADDING_EXPLICIT && choice->output_padding == 0)
    choice->output_padding = -1;
  return TRUE;
}

/* "F=3" when both axes agree, "F=3×5" when they do not. */
static void
append_axes (GString    *text,
             const char *letter,
             gint64      height,
             gint64      width)
{
  if (height == width)
    g_string_append_printf (text, "%s=%" PRId64, letter, height);
  else
    g_string_append_printf (text, "%s=%" PRId64 "×%" PRId64, letter, height, width);
}

/* "F=3, S=2, same", or per axis where they differ: "F=3×5, S=1×2, P=1×2". */
static char *
solution_to_string (const NsSolution *solution)
{
  const NsSolveChoice *h = &solution->axis[0], *w = &solution->axis[1];
  GString *text;

  if (choice_equal (h, w))
    return ns_solve_choice_to_string (h);

  text = g_string_new (NULL);
  append_axes (text, "F", h->kernel, w->kernel);
  append_axes (text, ", S", h->stride, w->stride);
  if (h->padding == NS_PADDING_EXPLICIT)
    append_axes (text, ", P", h->pad, w->pad);
  else
    g_string_append (text, h->padding == NS_PADDING_SAME ? ", same" : ", valid");
  if (h->output_padding >= 0)
    append_axes (text, ", OP", h->output_padding, w->output_padding);
  return g_string_free (text, FALSE);
}

/* Both axes at once: the same choice on each where one fits both, otherwise
 * the per-axis choices paired where they agree on the padding notation,
 * simplest pairs first. */
static void
solve (NsInspector  *self,
       const gint64  input[2],
       const gint64  want[2])
{
  g_autoptr(GArray) h = ns_solve_output_size (self->solve_kind, input[0], want[0], MAX_KERNEL, MAX_STRIDE);
  g_autoptr(GArray) w = ns_solve_output_size (self->solve_kind, input[1], want[1], MAX_KERNEL, MAX_STRIDE);

  g_array_set_size (self->solutions, 0);
  for (guint i = 0; i < h->len; i++)
    for (guint j = 0; j < w->len; j++)
      if (choice_equal (&g_array_index (h, NsSolveChoice, i), &g_array_index (w, NsSolveChoice, j)))
        {
          NsSolution solution = { { g_array_index (h, NsSolveChoice, i), g_array_index (h, NsSolveChoice, i) } };

          g_array_append_val (self->solutions, solution);
          break;
        }
  if (self->solutions->len > 0 || h->len == 0 || w->len == 0)
    return;

  for (guint sum = 0; sum <= h->len + w->len - 2 && self->solutions->len < MAX_SHOWN; sum++)
    for (guint i = 0; i <= sum && i < h->len && self->solutions->len < MAX_SHOWN; i++)
      {
        NsSolution solution;

        if (sum - i >= w->len)
          continue;
        solution.axis[0] = g_array_index (h, NsSolveChoice, i);
        solution.axis[1] = g_array_index (w, NsSolveChoice, sum - i);
        if (solution.axis[0].padding == solution.axis[1].padding &&
            (solution.axis[0].output_padding < 0) == (solution.axis[1].output_padding < 0))
          g_array_append_val (self->solutions, solution);
      }
}

static void
clear_list (NsInspector *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->solver_list))) != NULL)
    gtk_list_box_remove (self->solver_list, child);
}

static void
fill_list (NsInspector *self)
{
  guint shown = MIN (self->solutions->len, self->solver_show_all ? MAX_SHOWN : FIRST_SHOWN);

  clear_list (self);
  for (guint i = 0; i < shown; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *current = gtk_image_new_from_icon_name ("object-select-symbolic");
      g_autofree char *text = solution_to_string (&g_array_index (self->solutions, NsSolution, i));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Use these settings"));
      gtk_widget_add_css_class (row, "numeric");
      gtk_widget_set_tooltip_text (current, _("The layer’s current settings"));
      gtk_widget_set_visible (current, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), current);
      g_object_set_data (G_OBJECT (row), "ns-current", current);
      g_object_set_data (G_OBJECT (row), "ns-solution", GUINT_TO_POINTER (i + 1));
      gtk_list_box_append (self->solver_list, row);
    }
  if (shown < MIN (self->solutions->len, MAX_SHOWN))
    {
      GtkWidget *row = adw_action_row_new ();
      guint more = MIN (self->solutions->len, MAX_SHOWN) - shown;
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show %u More Choice",
                                                             "Show %u More Choices", more),
                                                more);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_add_css_class (row, "dim-label");
      g_object_set_data (G_OBJECT (row), "ns-show-more", GUINT_TO_POINTER (TRUE));
      gtk_list_box_append (self->solver_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->solver_list), self->solutions->len > 0);
}

/* Marks the choice the layer has now. */
static void
mark_current (NsInspector *self,
              const char  *kernel_key)
{
  NsSolution now;
  gboolean known = current_choice (self->layer, kernel_key, 0, &now.axis[0]) &&
                   current_choice (self->layer, kernel_key, 1, &now.axis[1]);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->solver_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ns-solution"));
      const NsSolution *solution;

      if (index == 0)
        continue;
      solution = &g_array_index (self->solutions, NsSolution, index - 1);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "ns-current"),
                              known &&
                              choice_equal (&now.axis[0], &solution->axis[0]) &&
                              choice_equal (&now.axis[1], &solution->axis[1]));
    }
}

static void
set_status (NsInspector *self,
            const char  *text)
{
  gtk_label_set_text (self->solver_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->solver_status), text != NULL);
}

void
ns_inspector_solver_update (NsInspector *self,
                            gboolean     reset)
{
  const char *kernel_key;
  gint64 input[2], want[2];
  g_autofree char *key = NULL;
  g_autofree char *status = NULL;
  gboolean known;

  kernel_key = self->layer != NULL
               ? solver_kernel_key (ns_layer_get_layer_type (self->layer), &self->solve_kind)
               : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->solver_group), kernel_key != NULL);
  if (kernel_key == NULL)
    {
      g_clear_pointer (&self->solver_key, g_free);
      clear_list (self);
      return;
    }

  known = input_size (self->layer, input);
  if (reset)
    {
      const NsLayerInfo *info = ns_layer_get_info (self->layer);
      gboolean ok = info->state == NS_LAYER_OK && info->output.rank == 3 &&
                    info->output.dims[0] >= 1 && info->output.dims[1] >= 1;

      /* The question starts from the answer the layer gives now. */
      self->syncing++;
      for (guint i = 0; i < 2; i++)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->want_spins[i]),
                                   (double) (ok ? info->output.dims[i] : known ? input[i] : 1));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->want_link),
                                    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->want_spins[0])) ==
                                    gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->want_spins[1])));
      self->syncing--;
      self->solver_show_all = FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      want[i] = (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->want_spins[i]));
      gtk_widget_set_sensitive (self->want_spins[i], known);
    }

  if (!known)
    {
      g_clear_pointer (&self->solver_key, g_free);
      clear_list (self);
      gtk_widget_set_visible (GTK_WIDGET (self->solver_list), FALSE);
      set_status (self, _("Connect an input of known height and width to solve for a size"));
      return;
    }

  /* The list depends on these only; edits elsewhere just move the mark. */
  key = g_strdup_printf ("%p %d %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %d",
                         (gpointer) self->layer, self->solve_kind, input[0], input[1],
                         want[0], want[1], self->solver_show_all);
  if (g_strcmp0 (key, self->solver_key) != 0)
    {
      g_free (self->solver_key);
      self->solver_key = g_steal_pointer (&key);
      solve (self, input, want);
      fill_list (self);
    }
  mark_current (self, kernel_key);

  if (self->solutions->len == 0)
    status = g_strdup_printf (_("No kernel up to %d and stride up to %d turns %" PRId64 "×%" PRId64
                                " into %" PRId64 "×%" PRId64),
                              MAX_KERNEL, MAX_STRIDE, input[0], input[1], want[0], want[1]);
  else
    status = g_strdup_printf (_("From the input’s %" PRId64 "×%" PRId64 ", with dilation 1"),
                              input[0], input[1]);
  set_status (self, status);
}

static gboolean
set_if_changed (NsInspector  *self,
                const char   *key,
                NsValue      *value,
                GError      **error)
{
  if (ns_value_equal (value, ns_layer_get_value (self->layer, key)))
    return TRUE;
  return ns_history_set_value (self->history, self->layer, key, value, error);
}

static void
apply_solution (NsInspector      *self,
                const NsSolution *solution)
{
  const char *kernel_key = solver_kernel_key (ns_layer_get_layer_type (self->layer), &self->solve_kind);
  NsValue kernel = *ns_layer_get_value (self->layer, kernel_key);
  NsValue strides = *ns_layer_get_value (self->layer, "strides");
  NsValue padding = *ns_layer_get_value (self->layer, "padding");
  const NsValue *output_padding = ns_layer_get_value (self->layer, "output_padding");
  const NsValue *dilation = ns_layer_get_value (self->layer, "dilation_rate");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  kernel.is_null = strides.is_null = padding.is_null = FALSE;
  padding.padding.mode = solution->axis[0].padding;
  for (guint i = 0; i < 2; i++)
    {
      kernel.pair[i] = solution->axis[i].kernel;
      strides.pair[i] = solution->axis[i].stride;
      if (padding.padding.mode == NS_PADDING_EXPLICIT)
        padding.padding.explicit_hw[i] = solution->axis[i].pad;
    }

  /* One click, one undo step. */
  ns_history_begin (self->history, _("Set Kernel, Stride and Padding"));
  ok = set_if_changed (self, kernel_key, &kernel, &error) &&
       set_if_changed (self, "strides", &strides, &error) &&
       set_if_changed (self, "padding", &padding, &error);
  if (ok && output_padding != NULL)
    {
      NsValue value = *output_padding;

      value.is_null = solution->axis[0].output_padding < 0;
      for (guint i = 0; i < 2 && !value.is_null; i++)
        value.pair[i] = solution->axis[i].output_padding;
      ok = set_if_changed (self, "output_padding", &value, &error);
    }
  /* The solver counts with dilation 1. */
  if (ok && dilation != NULL)
    {
      NsValue value = *dilation;

      value.pair[0] = value.pair[1] = 1;
      ok = set_if_changed (self, "dilation_rate", &value, &error);
    }
  ns_history_end (self->history);

  if (!ok)
    set_status (self, error->message);
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  NsInspector   *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ns-solution"));

  if (self->layer == NULL || self->history == NULL)
    return;
  if (g_object_get_data (G_OBJECT (row), "ns-show-more") != NULL)
    {
      self->solver_show_all = TRUE;
      ns_inspector_solver_update (self, FALSE);
      return;
    }
  if (index > 0 && index <= self->solutions->len)
    apply_solution (self, &g_array_index (self->solutions, NsSolution, index - 1));
}

static void
on_want_changed (GtkWidget   *spin,
                 NsInspector *self)
{
  if (self->syncing > 0)
    return;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->want_link)))
    {
      GtkWidget *other = spin == self->want_spins[0] ? self->want_spins[1] : self->want_spins[0];

      self->syncing++;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (other), gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)));
      self->syncing--;
    }
  self->solver_show_all = FALSE;
  ns_inspector_solver_update (self, FALSE);
}

static void
on_want_link_toggled (NsInspector *self)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->want_link)))
    on_want_changed (self->want_spins[0], self);
}

void
ns_inspector_solver_init (NsInspector *self)
{
  GtkWidget *pair = ns_inspector_pair_box_new (_("Wanted output"), 1, 65536,
                                               self->want_spins, &self->want_link);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *status = gtk_label_new (NULL);

  self->solutions = g_array_new (FALSE, FALSE, sizeof (NsSolution));
  for (guint i = 0; i < 2; i++)
    g_signal_connect (self->want_spins[i], "value-changed", G_CALLBACK (on_want_changed), self);
  g_signal_connect_swapped (self->want_link, "toggled", G_CALLBACK (on_want_link_toggled), self);
  adw_preferences_group_add (self->solver_group,
                             ns_inspector_wide_row_new (_("I want output"), NULL, pair));

  self->solver_list = GTK_LIST_BOX (list);
  gtk_list_box_set_selection_mode (self->solver_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Size solver choices"),
                                  -1);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_row_activated), self);
  adw_preferences_group_add (self->solver_group, list);

  self->solver_status = GTK_LABEL (status);
  gtk_label_set_xalign (self->solver_status, 0);
  gtk_label_set_wrap (self->solver_status, TRUE);
  gtk_widget_set_margin_top (status, 6);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_add_css_class (status, "caption");
  adw_preferences_group_add (self->solver_group, status);
}

void
ns_inspector_solver_dispose (NsInspector *self)
{
  g_clear_pointer (&self->solutions, g_array_unref);
  g_clear_pointer (&self->solver_key, g_free);
}
