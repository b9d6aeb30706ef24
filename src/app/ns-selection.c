/* ns-selection.c: NsSelection: a set of layers with a primary one. It watches
 * the graph's list so that deleted layers drop out of the selection. */
#include "config.h"

#include "ns-selection.h"

struct _NsSelection
{
  GObject     parent_instance;

  NsGraph    *graph;
  GHashTable *set;       /* NsLayer* (a reference) → itself */
  NsLayer    *primary;   /* in set, or NULL */
};

G_DEFINE_FINAL_TYPE (NsSelection, ns_selection, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
emit_changed (NsSelection *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Drops layers that left the graph; removals only shrink the selection. */
static void
on_items_changed (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  NsSelection *self)
{
  GHashTableIter iter;
  gpointer layer;
  gboolean changed = FALSE;

  if (removed == 0 || g_hash_table_size (self->set) == 0)
    return;
  g_hash_table_iter_init (&iter, self->set);
  while (g_hash_table_iter_next (&iter, &layer, NULL))
    if (ns_layer_get_graph (layer) != self->graph)
      {
        if (layer == self->primary)
          self->primary = NULL;
        g_hash_table_iter_remove (&iter);
        changed = TRUE;
      }
  if (changed)
    emit_changed (self);
}

static void
ns_selection_dispose (GObject *object)
{
  NsSelection *self = NS_SELECTION (object);

  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_data (self->graph, self);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->set, g_hash_table_unref);
  self->primary = NULL;
  G_OBJECT_CLASS (ns_selection_parent_class)->dispose (object);
}

static void
ns_selection_class_init (NsSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ns_selection_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ns_selection_init (NsSelection *self)
{
  self->set = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

NsSelection *
ns_selection_new (NsGraph *graph)
{
  NsSelection *self = g_object_new (NS_TYPE_SELECTION, NULL);

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  self->graph = g_object_ref (graph);
  g_signal_connect (graph, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}

gboolean
ns_selection_contains (NsSelection *self,
                       NsLayer     *layer)
{
  return layer != NULL && g_hash_table_contains (self->set, layer);
}

GHashTable *
ns_selection_get_set (NsSelection *self)
{
  return self->set;
}

GPtrArray *
ns_selection_get_layers (NsSelection *self)
{
  GPtrArray *layers = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->graph));

  for (guint i = 0; i < n && layers->len < g_hash_table_size (self->set); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->graph), i);

      if (g_hash_table_contains (self->set, layer))
        g_ptr_array_add (layers, layer);
    }
  return layers;
}

guint
ns_selection_get_n_layers (NsSelection *self)
{
  return g_hash_table_size (self->set);
}

NsLayer *
ns_selection_get_primary (NsSelection *self)
{
  return self->primary;
}

static void
insert (NsSelection *self,
        NsLayer     *layer)
{
  if (!g_hash_table_contains (self->set, layer))
    g_hash_table_add (self->set, g_object_ref (layer));
  self->primary = layer;
}

void
ns_selection_set (NsSelection *self,
                  NsLayer     *layer)
{
  if (layer != NULL && self->primary == layer && g_hash_table_size (self->set) == 1)
    return;
  if (layer == NULL && g_hash_table_size (self->set) == 0)
    return;
  g_hash_table_remove_all (self->set);
  self->primary = NULL;
  if (layer != NULL)
    insert (self, layer);
  emit_changed (self);
}

void
ns_selection_set_layers (NsSelection *self,
                         GPtrArray   *layers)
{
  g_hash_table_remove_all (self->set);
  self->primary = NULL;
  for (guint i = 0; layers != NULL && i < layers->len; i++)
    insert (self, g_ptr_array_index (layers, i));
  emit_changed (self);
}

void
ns_selection_add (NsSelection *self,
                  NsLayer     *layer)
{
  if (self->primary == layer)
    return;
  insert (self, layer);
  emit_changed (self);
}

void
ns_selection_toggle (NsSelection *self,
                     NsLayer     *layer)
{
  if (g_hash_table_contains (self->set, layer))
    {
      if (self->primary == layer)
        self->primary = NULL;
      g_hash_table_remove (self->set, layer);
    }
  else
    insert (self, layer);
  emit_changed (self);
}

void
ns_selection_select_all (NsSelection *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->graph));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->graph), i);

      if (!g_hash_table_contains (self->set, layer))
        g_hash_table_add (self->set, g_object_ref (layer));
    }
  emit_changed (self);
}
