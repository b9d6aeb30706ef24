/* ns-graph.c: the network model: layers, connections, validation and
 * incremental inference. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-graph-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NsGraph, ns_graph, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

enum {
  INFERRED,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
list_get_item_type (GListModel *model)
{
  return NS_TYPE_LAYER;
}

static guint
list_get_n_items (GListModel *model)
{
  return NS_GRAPH (model)->layers->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  NsGraph *self = NS_GRAPH (model);

  if (position >= self->layers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->layers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
ns_graph_dispose (GObject *object)
{
  NsGraph *self = NS_GRAPH (object);

  for (guint i = 0; i < self->layers->len; i++)
    ns_layer_set_graph (g_ptr_array_index (self->layers, i), NULL);
  g_ptr_array_set_size (self->layers, 0);
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->by_name);
  g_ptr_array_set_size (self->sorted, 0);
  g_ptr_array_set_size (self->seeds, 0);

  G_OBJECT_CLASS (ns_graph_parent_class)->dispose (object);
}

static void
ns_graph_finalize (GObject *object)
{
  NsGraph *self = NS_GRAPH (object);

  g_free (self->name);
  g_free (self->model_class);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->outputs, g_ptr_array_unref);
  g_ptr_array_unref (self->layers);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->name_counters);
  g_ptr_array_unref (self->sorted);
  g_ptr_array_unref (self->seeds);

  G_OBJECT_CLASS (ns_graph_parent_class)->finalize (object);
}

static void
ns_graph_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, NS_GRAPH (object)->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_graph_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_NAME:
      ns_graph_set_name (NS_GRAPH (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_graph_class_init (NsGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ns_graph_dispose;
  object_class->finalize = ns_graph_finalize;
  object_class->get_property = ns_graph_get_property;
  object_class->set_property = ns_graph_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "model",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After an inference pass; layers whose figures changed emitted "inferred" first. */
  signals[INFERRED] =
    g_signal_new ("inferred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* After any edit of the document: layers, connections, config, names. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ns_graph_init (NsGraph *self)
{
  self->name = g_strdup ("model");
  self->model_class = g_strdup ("Functional");
  self->layers = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->name_counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sorted = g_ptr_array_new ();
  self->seeds = g_ptr_array_new ();
  self->next_id = 1;
}

void
ns_graph_emit_inferred (NsGraph *self)
{
  g_signal_emit (self, signals[INFERRED], 0);
}

NsGraph *
ns_graph_new (void)
{
  return g_object_new (NS_TYPE_GRAPH, NULL);
}

const char *
ns_graph_get_name (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return self->name;
}

void
ns_graph_set_name (NsGraph    *self,
                   const char *name)
{
  g_return_if_fail (NS_IS_GRAPH (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "model");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
seed (NsGraph *self,
      NsLayer *layer)
{
  if (layer->graph == self)
    g_ptr_array_add (self->seeds, layer);
}

static void
edited (NsGraph *self)
{
  ns_graph_run_inference (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
ns_graph_freeze_inference (NsGraph *self)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  self->freeze_count++;
}

void
ns_graph_thaw_inference (NsGraph *self)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count == 0)
    ns_graph_run_inference (self);
}

const char *
ns_graph_get_model_class (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return self->model_class;
}

void
ns_graph_set_model_class (NsGraph    *self,
                          const char *model_class)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  g_return_if_fail (model_class != NULL);

  g_free (self->model_class);
  self->model_class = g_strdup (model_class);
}

static GPtrArray *
copy_or_collect (NsGraph   *self,
                 GPtrArray *explicit_order,
                 gboolean   want_inputs)
{
  GPtrArray *result;

  if (explicit_order != NULL)
    return g_ptr_array_copy (explicit_order, NULL, NULL);
  result = g_ptr_array_new ();
  for (guint i = 0; i < self->layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (self->layers, i);

      if (want_inputs ? layer->type->max_inputs == 0 : layer->consumers->len == 0)
        g_ptr_array_add (result, layer);
    }
  return result;
}

GPtrArray *
ns_graph_get_inputs (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return copy_or_collect (self, self->inputs, TRUE);
}

GPtrArray *
ns_graph_get_outputs (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return copy_or_collect (self, self->outputs, FALSE);
}

static void
set_layer_list (NsGraph    *self,
                GPtrArray **list,
                GPtrArray  *layers)
{
  g_clear_pointer (list, g_ptr_array_unref);
  if (layers == NULL)
    return;
  for (guint i = 0; i < layers->len; i++)
    g_return_if_fail (((NsLayer *) g_ptr_array_index (layers, i))->graph == self);
  /* Not g_ptr_array_copy (): it would take the caller's free function too. */
  *list = g_ptr_array_sized_new (layers->len);
  for (guint i = 0; i < layers->len; i++)
    g_ptr_array_add (*list, g_ptr_array_index (layers, i));
}

void
ns_graph_set_inputs (NsGraph   *self,
                     GPtrArray *layers)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  set_layer_list (self, &self->inputs, layers);
}

void
ns_graph_set_outputs (NsGraph   *self,
                      GPtrArray *layers)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  set_layer_list (self, &self->outputs, layers);
}

gboolean
ns_graph_has_explicit_io (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  return self->inputs != NULL || self->outputs != NULL;
}

/* ---- Edits -------------------------------------------------------------- */

gboolean
ns_graph_add_layer (NsGraph  *self,
                    NsLayer  *layer,
                    GError  **error)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  return ns_graph_insert_layer (self, layer, self->layers->len, error);
}

gboolean
ns_graph_insert_layer (NsGraph  *self,
                       NsLayer  *layer,
                       guint     position,
                       GError  **error)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (layer), FALSE);
  g_return_val_if_fail (layer->graph == NULL, FALSE);

  if (g_hash_table_contains (self->by_id, layer->id))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("two layers have the id “%s”"), layer->id);
      return FALSE;
    }
  if (g_hash_table_contains (self->by_name, layer->name))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("two layers are named “%s”"), layer->name);
      return FALSE;
    }

  position = MIN (position, self->layers->len);
  ns_layer_set_graph (layer, self);
  g_ptr_array_insert (self->layers, position, g_object_ref (layer));
  for (guint i = position; i < self->layers->len; i++)
    ((NsLayer *) g_ptr_array_index (self->layers, i))->list_index = i;
  g_hash_table_insert (self->by_id, layer->id, layer);
  g_hash_table_insert (self->by_name, layer->name, layer);
  self->sorted_valid = FALSE;

  seed (self, layer);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  edited (self);
  return TRUE;
}

char *
ns_graph_new_layer_id (NsGraph *self)
{
  char *id = NULL;

  do
    {
      g_free (id);
      id = g_strdup_printf ("n%" G_GUINT64_FORMAT, self->next_id++);
    }
  while (g_hash_table_contains (self->by_id, id));
  return id;
}

static char *
unique_name (NsGraph    *self,
             const char *prefix)
{
  guint n;

  if (!g_hash_table_contains (self->by_name, prefix))
    return g_strdup (prefix);
  /* Keras counts conv2d, conv2d_1, conv2d_2, …; remember where the count got
   * to so that adding many layers stays linear. */
  for (n = GPOINTER_TO_UINT (g_hash_table_lookup (self->name_counters, prefix)) + 1;; n++)
    {
      char *name = g_strdup_printf ("%s_%u", prefix, n);

      if (!g_hash_table_contains (self->by_name, name))
        {
          g_hash_table_insert (self->name_counters, g_strdup (prefix), GUINT_TO_POINTER (n));
          return name;
        }
      g_free (name);
    }
}

NsLayer *
ns_graph_add_new_layer (NsGraph            *self,
                        const NsLayerType  *type,
                        const char         *name,
                        GError            **error)
{
  g_autoptr(NsLayer) layer = NULL;
  g_autofree char *auto_name = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  if (name == NULL)
    name = auto_name = unique_name (self, type->default_name);
  id = ns_graph_new_layer_id (self);

  layer = ns_layer_new (type, id, name);
  if (!ns_graph_add_layer (self, layer, error))
    return NULL;
  return layer;
}

static void
detach_input (NsLayer *to,
              guint    port)
{
  NsLayer *from = g_ptr_array_index (to->inputs, port);

  g_ptr_array_remove (from->consumers, to);
  /* Merges keep their inputs contiguous; single-port layers keep the slot. */
  if (to->type->max_inputs == NS_INPUTS_MANY)
    g_ptr_array_remove_index (to->inputs, port);
  else
    to->inputs->pdata[port] = NULL;
  while (to->inputs->len > 0 && g_ptr_array_index (to->inputs, to->inputs->len - 1) == NULL)
    g_ptr_array_set_size (to->inputs, to->inputs->len - 1);
}

void
ns_graph_remove_layer (NsGraph *self,
                       NsLayer *layer)
{
  g_autoptr(NsLayer) keep = NULL;
  guint position;

  g_return_if_fail (NS_IS_GRAPH (self));
  g_return_if_fail (NS_IS_LAYER (layer) && layer->graph == self);

  keep = g_object_ref (layer);
  while (layer->inputs->len > 0)
    {
      if (g_ptr_array_index (layer->inputs, layer->inputs->len - 1) == NULL)
        g_ptr_array_set_size (layer->inputs, layer->inputs->len - 1);
      else
        detach_input (layer, layer->inputs->len - 1);
    }
  while (layer->consumers->len > 0)
    {
      NsLayer *consumer = g_ptr_array_index (layer->consumers, 0);
      guint port;

      for (port = 0; g_ptr_array_index (consumer->inputs, port) != layer; port++)
        ;
      detach_input (consumer, port);
      seed (self, consumer);
    }

  /* Later calls of a shared layer whose first call goes become layers of their own. */
  for (guint i = 0; i < self->layers->len; i++)
    {
      NsLayer *other = g_ptr_array_index (self->layers, i);

      if (other->weights_of == layer)
        {
          other->weights_of = NULL;
          seed (self, other);
        }
    }
  layer->weights_of = NULL;
  if (self->inputs != NULL)
    while (g_ptr_array_remove (self->inputs, layer))
      ;
  if (self->outputs != NULL)
    while (g_ptr_array_remove (self->outputs, layer))
      ;
  position = layer->list_index;
  g_hash_table_remove (self->by_id, layer->id);
  g_hash_table_remove (self->by_name, layer->name);
  g_ptr_array_remove (self->seeds, layer);
  ns_layer_set_graph (layer, NULL);
  g_ptr_array_remove_index (self->layers, position);
  for (guint i = position; i < self->layers->len; i++)
    ((NsLayer *) g_ptr_array_index (self->layers, i))->list_index = i;
  self->sorted_valid = FALSE;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  edited (self);
}

static gboolean
reaches (NsLayer *from,
         NsLayer *target)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_ptr_array_add (stack, from);
  while (stack->len > 0)
    {
      NsLayer *layer = g_ptr_array_steal_index (stack, stack->len - 1);

      if (layer == target)
        return TRUE;
      if (!g_hash_table_add (seen, layer))
        continue;
      for (guint c = 0; c < layer->consumers->len; c++)
        g_ptr_array_add (stack, g_ptr_array_index (layer->consumers, c));
    }
  return FALSE;
}

gboolean
ns_graph_can_connect (NsGraph  *self,
                      NsLayer  *from,
                      NsLayer  *to,
                      guint     port,
                      GError  **error)
{
  const NsLayerType *type;

  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (from) && from->graph == self, FALSE);
  g_return_val_if_fail (NS_IS_LAYER (to) && to->graph == self, FALSE);

  type = to->type;
  if (type->max_inputs == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("%s is an input layer and takes no inputs"), to->name);
      return FALSE;
    }
  if (port >= type->max_inputs)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s takes %u input; there is no port %u",
                                "%s takes %u inputs; there is no port %u",
                                type->max_inputs),
                   to->name, type->max_inputs, port);
      return FALSE;
    }
  if (type->max_inputs == NS_INPUTS_MANY && port > to->inputs->len)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("%s takes its inputs in order: the next free port is %u, not %u"),
                   to->name, to->inputs->len, port);
      return FALSE;
    }
  if (port < to->inputs->len && g_ptr_array_index (to->inputs, port) != NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("input %u of %s is already connected to %s"),
                   port, to->name, ((NsLayer *) g_ptr_array_index (to->inputs, port))->name);
      return FALSE;
    }
  if (from == to || reaches (to, from))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("connecting %s to %s would make a cycle"), from->name, to->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_graph_connect (NsGraph  *self,
                  NsLayer  *from,
                  NsLayer  *to,
                  guint     port,
                  GError  **error)
{
  if (!ns_graph_can_connect (self, from, to, port, error))
    return FALSE;

  if (port >= to->inputs->len)
    g_ptr_array_set_size (to->inputs, port + 1);
  to->inputs->pdata[port] = from;
  g_ptr_array_add (from->consumers, to);
  self->sorted_valid = FALSE;

  seed (self, to);
  edited (self);
  return TRUE;
}

gboolean
ns_graph_disconnect (NsGraph *self,
                     NsLayer *to,
                     guint    port)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (to) && to->graph == self, FALSE);

  if (port >= to->inputs->len || g_ptr_array_index (to->inputs, port) == NULL)
    return FALSE;

  detach_input (to, port);
  self->sorted_valid = FALSE;
  seed (self, to);
  edited (self);
  return TRUE;
}

gboolean
ns_graph_set_value (NsGraph        *self,
                    NsLayer        *layer,
                    const char     *key,
                    const NsValue  *value,
                    GError        **error)
{
  int index;

  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (layer) && layer->graph == self, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  index = ns_layer_type_find_prop (layer->type, key);
  if (index < 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s has no setting “%s”"), layer->type->keras_class, key);
      return FALSE;
    }
  if (!ns_value_validate (&layer->type->props[index], value, error))
    return FALSE;
  if (ns_value_equal (&layer->values[index], value))
    return TRUE;

  layer->values[index] = *value;
  ns_layer_emit_config_changed (layer, key);
  seed (self, layer);
  edited (self);
  return TRUE;
}

gboolean
ns_graph_rename_layer (NsGraph     *self,
                       NsLayer     *layer,
                       const char  *name,
                       GError     **error)
{
  NsLayer *other;

  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (layer) && layer->graph == self, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (*name == '\0')
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE, _("a layer needs a name"));
      return FALSE;
    }
  other = g_hash_table_lookup (self->by_name, name);
  if (other == layer)
    return TRUE;
  if (other != NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("another layer is already named “%s”"), name);
      return FALSE;
    }

  g_hash_table_remove (self->by_name, layer->name);
  ns_layer_set_name_internal (layer, name);
  g_hash_table_insert (self->by_name, layer->name, layer);
  /* Only "waiting on NAME" messages mention names; refresh those downstream. */
  if (layer->info.state == NS_LAYER_ERROR)
    for (guint c = 0; c < layer->consumers->len; c++)
      seed (self, g_ptr_array_index (layer->consumers, c));
  edited (self);
  return TRUE;
}

void
ns_graph_set_trainable (NsGraph  *self,
                        NsLayer  *layer,
                        gboolean  trainable)
{
  g_return_if_fail (NS_IS_GRAPH (self));
  g_return_if_fail (NS_IS_LAYER (layer) && layer->graph == self);

  if (layer->frozen == !trainable)
    return;
  layer->frozen = !trainable;
  seed (self, layer);
  edited (self);
}

gboolean
ns_graph_share_weights (NsGraph  *self,
                        NsLayer  *layer,
                        NsLayer  *owner,
                        GError  **error)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (NS_IS_LAYER (layer) && layer->graph == self, FALSE);
  g_return_val_if_fail (owner == NULL || (NS_IS_LAYER (owner) && owner->graph == self), FALSE);

  if (owner != NULL && (owner == layer || owner->type != layer->type || owner->weights_of != NULL))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   _("%s cannot share the weights of %s: a shared layer’s calls are of one type, "
                     "and the weights belong to its first call"),
                   layer->name, owner->name);
      return FALSE;
    }
  if (layer->weights_of == owner)
    return TRUE;
  layer->weights_of = owner;
  seed (self, layer);
  edited (self);
  return TRUE;
}

NsLayer *
ns_graph_find_by_name (NsGraph    *self,
                       const char *name)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return g_hash_table_lookup (self->by_name, name);
}

NsLayer *
ns_graph_find_by_id (NsGraph    *self,
                     const char *id)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);
  return g_hash_table_lookup (self->by_id, id);
}

void
ns_graph_get_totals (NsGraph       *self,
                     NsGraphTotals *totals)
{
  g_return_if_fail (NS_IS_GRAPH (self));

  memset (totals, 0, sizeof *totals);
  for (guint i = 0; i < self->layers->len; i++)
    {
      const NsLayerInfo *info = &((NsLayer *) g_ptr_array_index (self->layers, i))->info;

      if (info->state != NS_LAYER_OK)
        {
          totals->n_errors += info->state == NS_LAYER_ERROR;
          continue;
        }
      /* Saturate rather than wrap: each figure fits, a sum of many may not. */
      if (!ns_checked_add (totals->params, info->params, &totals->params))
        totals->params = G_MAXINT64;
      if (!ns_checked_add (totals->trainable_params, info->trainable_params, &totals->trainable_params))
        totals->trainable_params = G_MAXINT64;
      if (!ns_checked_add (totals->non_trainable_params, info->non_trainable_params,
                           &totals->non_trainable_params))
        totals->non_trainable_params = G_MAXINT64;
      if (!ns_checked_add (totals->macs, info->macs, &totals->macs))
        totals->macs = G_MAXINT64;
      if (!ns_checked_add (totals->flops, info->flops, &totals->flops))
        totals->flops = G_MAXINT64;
      if (!ns_checked_add (totals->activation_bytes, info->activation_bytes,
                           &totals->activation_bytes))
        totals->activation_bytes = G_MAXINT64;
    }
}
