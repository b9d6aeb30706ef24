/* ns-history.c: NsHistory: the undo and redo stacks, grouping, the saved
 * point and the properties that report them. The edits themselves are in
 * ns-history-edits.c, copy and paste in ns-history-clipboard.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-history-private.h"

G_DEFINE_FINAL_TYPE (NsHistory, ns_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Commands ------------------------------------------------------------ */

NsCommand *
ns_history_command_new (NsCommandKind  kind,
                        NsLayer       *layer,
                        char          *label)
{
  NsCommand *command = g_new0 (NsCommand, 1);

  command->kind = kind;
  command->layer = layer != NULL ? g_object_ref (layer) : NULL;
  command->label = label;
  return command;
}

void
ns_history_command_free (gpointer data)
{
  NsCommand *command = data;

  switch (command->kind)
    {
    case NS_COMMAND_GROUP:
      g_ptr_array_unref (command->children);
      break;
    case NS_COMMAND_LAYERS:
      ns_layer_set_free (command->layers.set);
      break;
    case NS_COMMAND_INPUTS:
      g_ptr_array_unref (command->inputs.before);
      g_ptr_array_unref (command->inputs.after);
      break;
    case NS_COMMAND_RENAME:
      g_free (command->rename.before);
      g_free (command->rename.after);
      break;
    case NS_COMMAND_MOVE:
      g_ptr_array_unref (command->move.layers);
      g_free (command->move.before);
      g_free (command->move.after);
      break;
    case NS_COMMAND_VALUE:
    case NS_COMMAND_TRAINABLE:
    default:
      break;
    }
  g_clear_object (&command->layer);
  g_free (command->label);
  g_free (command);
}

static void
set_positions (GPtrArray    *layers,
               const double *positions)
{
  for (guint i = 0; i < layers->len; i++)
    ns_layer_set_position (g_ptr_array_index (layers, i), positions[2 * i], positions[2 * i + 1]);
}

/* Runs @command forward (do, redo) or backward (undo). The graph is in the
 * state the command left (or found), so every step succeeds; a refusal is a
 * bug and warns. */
static void
command_run (NsCommand  *command,
             NsGraph  *graph,
             gboolean  forward)
{
  g_autoptr(GError) error = NULL;

  switch (command->kind)
    {
    case NS_COMMAND_GROUP:
      for (guint i = 0; i < command->children->len; i++)
        command_run (g_ptr_array_index (command->children, forward ? i : command->children->len - 1 - i),
                     graph, forward);
      break;
    case NS_COMMAND_LAYERS:
      if (forward == command->layers.added)
        ns_layer_set_restore (command->layers.set, graph);
      else
        ns_layer_set_remove (command->layers.set, graph);
      break;
    case NS_COMMAND_INPUTS:
      ns_history_restore_inputs (graph, command->layer,
                                 forward ? command->inputs.after : command->inputs.before);
      break;
    case NS_COMMAND_VALUE:
      if (!ns_graph_set_value (graph, command->layer, command->value.key,
                               forward ? &command->value.after : &command->value.before, &error))
        g_warning ("Cannot set %s again: %s", command->value.key, error->message);
      break;
    case NS_COMMAND_RENAME:
      if (!ns_graph_rename_layer (graph, command->layer,
                                  forward ? command->rename.after : command->rename.before, &error))
        g_warning ("Cannot rename again: %s", error->message);
      break;
    case NS_COMMAND_TRAINABLE:
      ns_graph_set_trainable (graph, command->layer, forward ? command->trainable : !command->trainable);
      break;
    case NS_COMMAND_MOVE:
      set_positions (command->move.layers, forward ? command->move.after : command->move.before);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- State and properties ------------------------------------------------ */

static NsCommand *
stack_top (GPtrArray *stack)
{
  return stack->len > 0 ? g_ptr_array_index (stack, stack->len - 1) : NULL;
}

static guint64
current_serial (NsHistory *self)
{
  NsCommand *top = stack_top (self->undo_stack);

  return top != NULL ? top->serial : 0;
}

static void
update_flag (NsHistory *self,
             gboolean  *field,
             gboolean   value,
             guint      prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_label (NsHistory *self,
              char     **field,
              char      *value,
              guint      prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Recomputes the properties after the stacks changed; notifies those that differ. */
static void
update_state (NsHistory *self)
{
  NsCommand *undo = stack_top (self->undo_stack);
  NsCommand *redo = stack_top (self->redo_stack);

  g_object_freeze_notify (G_OBJECT (self));
  update_flag (self, &self->can_undo, undo != NULL, PROP_CAN_UNDO);
  update_flag (self, &self->can_redo, redo != NULL, PROP_CAN_REDO);
  /* Serials are never reused, so once new edits drop the saved state from
   * the redo stack no state equals it again until the next save. */
  update_flag (self, &self->modified, current_serial (self) != self->saved_serial, PROP_MODIFIED);
  /* Translators: a menu item; %s is what is undone, "Delete conv2d_1". */
  update_label (self, &self->undo_label, undo != NULL ? g_strdup_printf (_("Undo %s"), undo->label) : NULL,
                PROP_UNDO_LABEL);
  /* Translators: a menu item; %s is what is redone, "Delete conv2d_1". */
  update_label (self, &self->redo_label, redo != NULL ? g_strdup_printf (_("Redo %s"), redo->label) : NULL,
                PROP_REDO_LABEL);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
ns_history_dispose (GObject *object)
{
  NsHistory *self = NS_HISTORY (object);

  /* The commands hold the layers, which may hold graphs. */
  g_ptr_array_set_size (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);
  self->group = NULL;
  g_clear_object (&self->graph);

  G_OBJECT_CLASS (ns_history_parent_class)->dispose (object);
}

static void
ns_history_finalize (GObject *object)
{
  NsHistory *self = NS_HISTORY (object);

  g_ptr_array_unref (self->undo_stack);
  g_ptr_array_unref (self->redo_stack);
  g_free (self->group_label);
  g_free (self->undo_label);
  g_free (self->redo_label);

  G_OBJECT_CLASS (ns_history_parent_class)->finalize (object);
}

static void
ns_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NsHistory *self = NS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, self->undo_label);
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, self->redo_label);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  NsHistory *self = NS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      self->graph = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_history_class_init (NsHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ns_history_dispose;
  object_class->finalize = ns_history_finalize;
  object_class->get_property = ns_history_get_property;
  object_class->set_property = ns_history_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, NS_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, read_only);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, read_only);
  /* NULL when there is nothing to undo (redo). */
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, read_only);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, read_only);
  properties[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ns_history_init (NsHistory *self)
{
  self->undo_stack = g_ptr_array_new_with_free_func (ns_history_command_free);
  self->redo_stack = g_ptr_array_new_with_free_func (ns_history_command_free);
}

NsHistory *
ns_history_new (NsGraph *graph)
{
  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);
  return g_object_new (NS_TYPE_HISTORY, "graph", graph, NULL);
}

NsGraph *
ns_history_get_graph (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), NULL);
  return self->graph;
}

/* ---- Recording ----------------------------------------------------------- */

static void
push (NsHistory *self,
      NsCommand   *command)
{
  g_ptr_array_set_size (self->redo_stack, 0);
  command->serial = ++self->last_serial;
  g_ptr_array_add (self->undo_stack, command);
}

void
ns_history_record (NsHistory *self,
                   NsCommand *command)
{
  if (self->group_depth == 0)
    push (self, command);
  else
    {
      /* The group goes on the stack with its first edit, so that the
       * properties follow the graph while it is open (a wire being dragged). */
      if (self->group == NULL)
        {
          char *label = self->group_label != NULL ? g_steal_pointer (&self->group_label)
                                                  : g_strdup (command->label);

          self->group = ns_history_command_new (NS_COMMAND_GROUP, NULL, label);
          self->group->children = g_ptr_array_new_with_free_func (ns_history_command_free);
          push (self, self->group);
        }
      g_ptr_array_add (self->group->children, command);
      /* Each edit is a new state, even after a save in the middle of the group. */
      self->group->serial = ++self->last_serial;
    }
  update_state (self);
}

void
ns_history_record_layers (NsHistory  *self,
                          NsLayerSet *set,
                          gboolean    added,
                          char       *label)
{
  NsCommand *command = ns_history_command_new (NS_COMMAND_LAYERS, NULL, label);

  command->layers.set = set;
  command->layers.added = added;
  ns_history_record (self, command);
}

void
ns_history_begin (NsHistory  *self,
                  const char *label)
{
  g_return_if_fail (NS_IS_HISTORY (self));

  if (self->group_depth++ > 0)
    return;
  self->group = NULL;
  g_free (self->group_label);
  self->group_label = g_strdup (label);
}

void
ns_history_end (NsHistory *self)
{
  g_return_if_fail (NS_IS_HISTORY (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;
  /* A group nothing went into leaves no step. */
  self->group = NULL;
  g_clear_pointer (&self->group_label, g_free);
}

gboolean
ns_history_can_undo (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  return self->can_undo;
}

gboolean
ns_history_can_redo (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  return self->can_redo;
}

/* Moves the top command of @from to @to, running it @forward. */
static gboolean
step (NsHistory *self,
      GPtrArray *from,
      GPtrArray *to,
      gboolean   forward)
{
  NsCommand *command;

  /* An open group is an edit in progress; it cannot be half undone. */
  if (from->len == 0 || self->group_depth > 0)
    return FALSE;

  command = g_ptr_array_steal_index (from, from->len - 1);
  /* One inference pass for the whole step, however many edits it holds. */
  ns_graph_freeze_inference (self->graph);
  command_run (command, self->graph, forward);
  ns_graph_thaw_inference (self->graph);
  g_ptr_array_add (to, command);
  update_state (self);
  return TRUE;
}

gboolean
ns_history_undo (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  return step (self, self->undo_stack, self->redo_stack, FALSE);
}

gboolean
ns_history_redo (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  return step (self, self->redo_stack, self->undo_stack, TRUE);
}

gboolean
ns_history_get_modified (NsHistory *self)
{
  g_return_val_if_fail (NS_IS_HISTORY (self), FALSE);
  return self->modified;
}

void
ns_history_mark_saved (NsHistory *self)
{
  g_return_if_fail (NS_IS_HISTORY (self));

  self->saved_serial = current_serial (self);
  update_state (self);
}

void
ns_history_mark_unsaved (NsHistory *self)
{
  g_return_if_fail (NS_IS_HISTORY (self));

  /* Serials count up from 1 and never get this far. */
  self->saved_serial = G_MAXUINT64;
  update_state (self);
}
