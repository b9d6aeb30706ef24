/* ns-history-edits.c: the edits NsHistory records: each makes its change
 * through the graph and records how to undo it, or records nothing when the
 * graph refuses it. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-history-private.h"
#include "ns-layout.h"

static gboolean
in_graph (NsHistory *self,
          NsLayer   *layer)
{
  return NS_IS_LAYER (layer) && ns_layer_get_graph (layer) == self->graph;
}

NsLayer *
ns_history_add_layer (NsHistory          *self,
                      const NsLayerType  *type,
                      double              x,
                      double              y,
                      GError            **error)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  NsLayer *layer;

  g_return_val_if_fail (NS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  layer = ns_graph_add_new_layer (self->graph, type, NULL, error);
  if (layer == NULL)
    return NULL;
  ns_layer_set_position (layer, x, y);
  g_ptr_array_add (layers, layer);
  ns_history_record_layers (self, ns_layer_set_capture (self->graph, layers), TRUE,
                            /* Translators: what an undo step does, after "Undo"; %s is a layer name. */
                            g_strdup_printf (_("Add %s"), ns_layer_get_name (layer)));
  return layer;
}

void
ns_history_remove_layers (NsHistory *self,
                          GPtrArray *layers)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();
  NsLayerSet *set;
  char *label;

  g_return_if_fail (NS_IS_HISTORY (self));
  g_return_if_fail (layers != NULL);

  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);

      g_return_if_fail (in_graph (self, layer));
      if (g_hash_table_add (seen, layer))
        g_ptr_array_add (unique, layer);
    }
  if (unique->len == 0)
    return;

  if (unique->len == 1)
    /* Translators: what an undo step does, after "Undo"; %s is a layer name. */
    label = g_strdup_printf (_("Delete %s"), ns_layer_get_name (g_ptr_array_index (unique, 0)));
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u Layer", "Delete %u Layers", unique->len),
                             unique->len);
  set = ns_layer_set_capture (self->graph, unique);
  ns_graph_freeze_inference (self->graph);
  ns_layer_set_remove (set, self->graph);
  ns_graph_thaw_inference (self->graph);
  ns_history_record_layers (self, set, FALSE, label);
}

/* Records that @layer's inputs went from @before to what they are now. */
static void
record_inputs (NsHistory *self,
               NsLayer   *layer,
               GPtrArray *before,
               char      *label)
{
  NsCommand *command = ns_history_command_new (NS_COMMAND_INPUTS, layer, label);

  command->inputs.before = before;
  command->inputs.after = ns_history_snapshot_inputs (layer);
  ns_history_record (self, command);
}

gboolean
ns_history_connect (NsHistory  *self,
                    NsLayer    *from,
                    NsLayer    *to,
                    guint       port,
                    GError    **error)
{
  g_autoptr(GPtrArray) before = NULL;

  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (in_graph (self, from) && in_graph (self, to), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  before = ns_history_snapshot_inputs (to);
  if (!ns_graph_connect (self->graph, from, to, port, error))
    return FALSE;
  record_inputs (self, to, g_steal_pointer (&before),
                 /* Translators: what an undo step does, after "Undo"; %s are layer names. */
                 g_strdup_printf (_("Connect %s to %s"), ns_layer_get_name (from), ns_layer_get_name (to)));
  return TRUE;
}

gboolean
ns_history_disconnect (NsHistory *self,
                       NsLayer   *to,
                       guint      port)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autofree char *from_name = NULL;
  NsLayer *from;

  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (in_graph (self, to), FALSE);

  from = ns_layer_get_input (to, port);
  if (from == NULL)
    return FALSE;
  from_name = g_strdup (ns_layer_get_name (from));
  before = ns_history_snapshot_inputs (to);
  if (!ns_graph_disconnect (self->graph, to, port))
    return FALSE;
  record_inputs (self, to, g_steal_pointer (&before),
                 /* Translators: what an undo step does, after "Undo"; %s are layer names. */
                 g_strdup_printf (_("Disconnect %s from %s"), from_name, ns_layer_get_name (to)));
  return TRUE;
}

gboolean
ns_history_set_value (NsHistory      *self,
                      NsLayer        *layer,
                      const char     *key,
                      const NsValue  *value,
                      GError        **error)
{
  const NsLayerType *type;
  const NsValue *current;
  NsValue before = { 0 };
  NsCommand *command;

  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (in_graph (self, layer), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  current = ns_layer_get_value (layer, key);
  if (current != NULL)
    before = *current;
  /* The graph says what is wrong with an unknown key or a bad value. */
  if (!ns_graph_set_value (self->graph, layer, key, value, error))
    return FALSE;
  if (ns_value_equal (&before, value))
    return TRUE;

  type = ns_layer_get_layer_type (layer);
  command = ns_history_command_new (NS_COMMAND_VALUE, layer,
                         /* Translators: what an undo step does, after "Undo": "Change Filters of conv2d_1". */
                         g_strdup_printf (_("Change %s of %s"),
                                          _(type->props[ns_layer_type_find_prop (type, key)].label),
                                          ns_layer_get_name (layer)));
  command->value.key = g_intern_string (key);
  command->value.before = before;
  command->value.after = *value;
  ns_history_record (self, command);
  return TRUE;
}

gboolean
ns_history_rename (NsHistory   *self,
                   NsLayer     *layer,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *before = NULL;
  NsCommand *command;

  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (in_graph (self, layer), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  before = g_strdup (ns_layer_get_name (layer));
  if (!ns_graph_rename_layer (self->graph, layer, name, error))
    return FALSE;
  if (g_str_equal (before, name))
    return TRUE;

  /* Translators: what an undo step does, after "Undo"; old and new layer name. */
  command = ns_history_command_new (NS_COMMAND_RENAME, layer, g_strdup_printf (_("Rename %s to %s"), before, name));
  command->rename.before = g_steal_pointer (&before);
  command->rename.after = g_strdup (name);
  ns_history_record (self, command);
  return TRUE;
}

void
ns_history_set_trainable (NsHistory *self,
                          NsLayer   *layer,
                          gboolean   trainable)
{
  NsCommand *command;

  g_return_if_fail (NS_IS_HISTORY (self));
  g_return_if_fail (in_graph (self, layer));

  trainable = !!trainable;
  if (ns_layer_get_trainable (layer) == trainable)
    return;
  ns_graph_set_trainable (self->graph, layer, trainable);
  command = ns_history_command_new (NS_COMMAND_TRAINABLE, layer,
                         /* Translators: what an undo step does, after "Undo"; %s is a layer name. */
                         g_strdup_printf (trainable ? _("Unfreeze %s") : _("Freeze %s"),
                                          ns_layer_get_name (layer)));
  command->trainable = trainable;
  ns_history_record (self, command);
}

static double *
get_positions (GPtrArray *layers)
{
  double *positions = g_new (double, 2 * MAX (layers->len, 1));

  for (guint i = 0; i < layers->len; i++)
    ns_layer_get_position (g_ptr_array_index (layers, i), &positions[2 * i], &positions[2 * i + 1]);
  return positions;
}

/* Records a move of @layers (taken) from @before (taken) to where they are
 * now; nothing when none of them moved. */
static void
record_positions (NsHistory *self,
                  GPtrArray *layers,
                  double    *before,
                  char      *label)
{
  double *after = get_positions (layers);
  NsCommand *command;

  if (memcmp (before, after, 2 * layers->len * sizeof (double)) == 0)
    {
      g_ptr_array_unref (layers);
      g_free (before);
      g_free (after);
      g_free (label);
      return;
    }
  command = ns_history_command_new (NS_COMMAND_MOVE, NULL, label);
  command->move.layers = layers;
  command->move.before = before;
  command->move.after = after;
  ns_history_record (self, command);
}

void
ns_history_record_move (NsHistory    *self,
                        GPtrArray    *layers,
                        const double *old_positions)
{
  GPtrArray *moved;
  char *label;

  g_return_if_fail (NS_IS_HISTORY (self));
  g_return_if_fail (layers != NULL);
  g_return_if_fail (old_positions != NULL || layers->len == 0);

  for (guint i = 0; i < layers->len; i++)
    g_return_if_fail (in_graph (self, g_ptr_array_index (layers, i)));
  if (layers->len == 0)
    return;
  moved = g_ptr_array_new_full (layers->len, g_object_unref);
  for (guint i = 0; i < layers->len; i++)
    g_ptr_array_add (moved, g_object_ref (g_ptr_array_index (layers, i)));

  if (moved->len == 1)
    /* Translators: what an undo step does, after "Undo"; %s is a layer name. */
    label = g_strdup_printf (_("Move %s"), ns_layer_get_name (g_ptr_array_index (moved, 0)));
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Move %u Layer", "Move %u Layers", moved->len),
                             moved->len);
  record_positions (self, moved, g_memdup2 (old_positions, 2 * moved->len * sizeof (double)), label);
}

void
ns_history_auto_layout (NsHistory *self,
                        gboolean   vertical)
{
  GListModel *model;
  GPtrArray *layers;
  double *before;

  g_return_if_fail (NS_IS_HISTORY (self));

  model = G_LIST_MODEL (self->graph);
  layers = g_ptr_array_new_full (g_list_model_get_n_items (model), g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (layers, g_list_model_get_item (model, i));
  before = get_positions (layers);
  ns_layout_graph (self->graph, vertical ? NS_LAYOUT_TOP_DOWN : NS_LAYOUT_LEFT_TO_RIGHT);
  /* Translators: what an undo step does, after "Undo". */
  record_positions (self, layers, before, g_strdup (_("Arrange Layers")));
}
