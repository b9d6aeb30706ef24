/* ns-summary-view.c: NsSummaryView: the live model summary as a GtkColumnView,
 * one row per layer in graph order, selected together with the canvas. Every
 * figure comes from the core's inference. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-summary-view.h"

struct _NsSummaryView
{
  GtkWidget          parent_instance;

  NsGraph           *graph;
  NsSelection       *selection;
  GListStore        *rows;        /* NsLayer, topological order */
  GtkMultiSelection *model;
  GtkColumnView     *view;
  gboolean           syncing;     /* copying one selection into the other */
  NsShapeOrder       shape_order;
};

G_DEFINE_FINAL_TYPE (NsSummaryView, ns_summary_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHAPE_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  COLUMN_NAME,
  COLUMN_TYPE,
  COLUMN_SHAPE,
  COLUMN_PARAMS,
  COLUMN_MACS,
  COLUMN_MEMORY,
  COLUMN_CONNECTED,
  N_COLUMNS
} Column;

static const struct {
  const char *title;
  gboolean    numeric;
  gboolean    expand;
} columns[N_COLUMNS] = {
  [COLUMN_NAME]      = { N_("Layer"), FALSE, FALSE },
  [COLUMN_TYPE]      = { N_("Type"), FALSE, FALSE },
  [COLUMN_SHAPE]     = { N_("Output Shape"), TRUE, FALSE },
  [COLUMN_PARAMS]    = { N_("Params"), TRUE, FALSE },
  [COLUMN_MACS]      = { N_("MACs"), TRUE, FALSE },
  [COLUMN_MEMORY]    = { N_("Memory"), TRUE, FALSE },
  [COLUMN_CONNECTED] = { N_("Connected To"), FALSE, TRUE },
};

static char *
connected_text (NsLayer *layer)
{
  GString *text = g_string_new (NULL);

  for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
    {
      NsLayer *input = ns_layer_get_input (layer, port);

      if (input == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, ns_layer_get_name (input));
    }
  return g_string_free (text, FALSE);
}

/* The text of @column for @layer; a layer in error shows its message under
 * "Output Shape" and dashes for the figures it has not got. */
static char *
cell_text (NsSummaryView *self,
           NsLayer       *layer,
           Column         column)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  gboolean ok = info->state == NS_LAYER_OK;

  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (ns_layer_get_name (layer));
    case COLUMN_TYPE:
      return g_strdup (ns_layer_get_class_name (layer));
    case COLUMN_SHAPE:
      return ok ? ns_shape_to_display_string (&info->output, self->shape_order) : g_strdup (info->message);
    case COLUMN_PARAMS:
      return ok ? ns_format_count (info->params) : g_strdup ("–");
    case COLUMN_MACS:
      return ok ? ns_format_si (info->macs) : g_strdup ("–");
    case COLUMN_MEMORY:
      return ok ? ns_format_bytes (info->activation_bytes) : g_strdup ("–");
    case COLUMN_CONNECTED:
      return connected_text (layer);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Each column's factory carries its column; the view comes as user data. */
static Column
factory_column (GtkSignalListItemFactory *factory)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "ns-column"));
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            NsSummaryView            *self)
{
  Column column = factory_column (factory);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].numeric && column != COLUMN_SHAPE ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* A short header ("输出形状") would let the view squeeze shapes: keep
   * "(None, 128, 128, 128)" whole; only error messages are cut. */
  if (column == COLUMN_SHAPE)
    gtk_label_set_width_chars (GTK_LABEL (label), 21);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COLUMN_TYPE || column == COLUMN_CONNECTED)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           NsSummaryView            *self)
{
  Column column = factory_column (factory);
  NsLayer *layer = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (self, layer, column);
  gboolean failed = ns_layer_get_info (layer)->state != NS_LAYER_OK;

  gtk_label_set_text (GTK_LABEL (label), text);
  /* Long shapes and messages are cut; the tooltip keeps them whole. */
  gtk_widget_set_tooltip_text (label, column == COLUMN_SHAPE || column == COLUMN_CONNECTED ? text : NULL);
  if (column == COLUMN_SHAPE && failed)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

/* Rows follow the graph's order; a splice rebinds every visible cell, which
 * is what a re-inference needs too. */
static void
refill (NsSummaryView *self)
{
  GPtrArray *sorted;

  self->syncing = TRUE;
  if (self->graph == NULL)
    g_list_store_remove_all (self->rows);
  else
    {
      sorted = ns_graph_get_sorted_layers (self->graph);
      g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                           sorted->pdata, sorted->len);
    }
  self->syncing = FALSE;
}

static void
copy_selection_to_view (NsSummaryView *self)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));

  if (self->selection == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (ns_selection_contains (self->selection, layer))
        gtk_bitset_add (selected, i);
    }
  mask = gtk_bitset_new_range (0, n);
  self->syncing = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->model), selected, mask);
  self->syncing = FALSE;
}

static void
on_graph_changed (NsSummaryView *self)
{
  refill (self);
  copy_selection_to_view (self);
}

static void
on_selection_changed (NsSelection   *selection,
                      NsSummaryView *self)
{
  if (!self->syncing)
    copy_selection_to_view (self);
}

static void
on_view_selection_changed (GtkSelectionModel *model,
                           guint              position,
                           guint              n_items,
                           NsSummaryView     *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint index;

  if (self->syncing || self->selection == NULL)
    return;
  selected = gtk_selection_model_get_selection (model);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &index);
       more;
       more = gtk_bitset_iter_next (&iter, &index))
    g_ptr_array_add (layers, g_list_model_get_item (G_LIST_MODEL (self->rows), index));

  self->syncing = TRUE;
  ns_selection_set_layers (self->selection, layers);
  self->syncing = FALSE;
}

static void
on_activate (GtkColumnView *view,
             guint          position,
             NsSummaryView *self)
{
  g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  g_signal_emit_by_name (self, "layer-activated", layer);
}

static void
disconnect_document (NsSummaryView *self)
{
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->graph);
  g_clear_object (&self->selection);
}

void
ns_summary_view_set_document (NsSummaryView *self,
                              NsGraph       *graph,
                              NsSelection   *selection)
{
  g_return_if_fail (NS_IS_SUMMARY_VIEW (self));

  disconnect_document (self);
  if (graph != NULL)
    {
      self->graph = g_object_ref (graph);
      self->selection = g_object_ref (selection);
      /* "inferred" follows every edit that can change a figure or the order. */
      g_signal_connect_swapped (graph, "inferred", G_CALLBACK (on_graph_changed), self);
      g_signal_connect_swapped (graph, "changed", G_CALLBACK (on_graph_changed), self);
      g_signal_connect (selection, "changed", G_CALLBACK (on_selection_changed), self);
    }
  on_graph_changed (self);
}

GtkColumnView *
ns_summary_view_get_column_view (NsSummaryView *self)
{
  return self->view;
}

char *
ns_summary_view_get_cell_text (NsSummaryView *self,
                               guint          row,
                               guint          column)
{
  g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->rows), row);

  g_return_val_if_fail (column < N_COLUMNS, NULL);
  return layer != NULL ? cell_text (self, layer, column) : NULL;
}

NsShapeOrder
ns_summary_view_get_shape_order (NsSummaryView *self)
{
  g_return_val_if_fail (NS_IS_SUMMARY_VIEW (self), NS_SHAPE_ORDER_NHWC);
  return self->shape_order;
}

void
ns_summary_view_set_shape_order (NsSummaryView *self,
                                 NsShapeOrder   order)
{
  g_return_if_fail (NS_IS_SUMMARY_VIEW (self));

  if (self->shape_order == order)
    return;
  self->shape_order = order;
  /* Refilling rebinds every cell; the selection is put back. */
  on_graph_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_ORDER]);
}

static void
ns_summary_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NsSummaryView *self = NS_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      g_value_set_enum (value, self->shape_order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_summary_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NsSummaryView *self = NS_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      ns_summary_view_set_shape_order (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_summary_view_dispose (GObject *object)
{
  NsSummaryView *self = NS_SUMMARY_VIEW (object);
  GtkWidget *child;

  disconnect_document (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (ns_summary_view_parent_class)->dispose (object);
}

static void
ns_summary_view_class_init (NsSummaryViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ns_summary_view_dispose;
  G_OBJECT_CLASS (klass)->get_property = ns_summary_view_get_property;
  G_OBJECT_CLASS (klass)->set_property = ns_summary_view_set_property;

  properties[PROP_SHAPE_ORDER] =
    g_param_spec_enum ("shape-order", NULL, NULL, NS_TYPE_SHAPE_ORDER, NS_SHAPE_ORDER_NHWC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  g_signal_new ("layer-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, NS_TYPE_LAYER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nssummaryview");
}

static void
ns_summary_view_init (NsSummaryView *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->rows = g_list_store_new (NS_TYPE_LAYER);
  self->model = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  g_signal_connect (self->model, "selection-changed", G_CALLBACK (on_view_selection_changed), self);

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->model))));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Model summary"),
                                  -1);
  g_signal_connect (self->view, "activate", G_CALLBACK (on_activate), self);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "ns-column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (self->view, column);
    }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
}

GtkWidget *
ns_summary_view_new (void)
{
  return g_object_new (NS_TYPE_SUMMARY_VIEW, NULL);
}
