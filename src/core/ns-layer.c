/* ns-layer.c: one layer: type, config, position, connections, inferred figures. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-graph.h"
#include "ns-layer-private.h"

G_DEFINE_FINAL_TYPE (NsLayer, ns_layer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_X,
  PROP_Y,
  N_PROPS
};

enum {
  INFERRED,
  CONFIG_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ns_layer_finalize (GObject *object)
{
  NsLayer *self = NS_LAYER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->values);
  g_ptr_array_unref (self->inputs);
  g_ptr_array_unref (self->consumers);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->weights, g_ptr_array_unref);
  g_clear_object (&self->subgraph);
  ns_layer_info_clear (&self->info);

  G_OBJECT_CLASS (ns_layer_parent_class)->finalize (object);
}

static void
ns_layer_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  NsLayer *self = NS_LAYER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_X:
      g_value_set_double (value, self->x);
      break;
    case PROP_Y:
      g_value_set_double (value, self->y);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_layer_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  NsLayer *self = NS_LAYER (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_X:
      ns_layer_set_position (self, g_value_get_double (value), self->y);
      break;
    case PROP_Y:
      ns_layer_set_position (self, self->x, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_layer_class_init (NsLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ns_layer_finalize;
  object_class->get_property = ns_layer_get_property;
  object_class->set_property = ns_layer_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Renames go through ns_graph_rename_layer, which keeps names unique. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_X] =
    g_param_spec_double ("x", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_Y] =
    g_param_spec_double ("y", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the inferred figures (shape, counts, state) changed. */
  signals[INFERRED] =
    g_signal_new ("inferred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted after a config value changed; the detail and argument are its key. */
  signals[CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ns_layer_init (NsLayer *self)
{
  self->inputs = g_ptr_array_new ();
  self->consumers = g_ptr_array_new ();
  self->info.state = NS_LAYER_WAITING;
}

NsLayer *
ns_layer_new (const NsLayerType *type,
              const char        *id,
              const char        *name)
{
  NsLayer *self;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  self = g_object_new (NS_TYPE_LAYER, "id", id, NULL);
  self->type = type;
  self->name = g_strdup (name);
  self->values = g_new (NsValue, MAX (type->n_props, 1));
  memcpy (self->values, ns_layer_type_get_defaults (type), type->n_props * sizeof (NsValue));
  return self;
}

const NsLayerType *
ns_layer_get_layer_type (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->type;
}

const char *
ns_layer_get_id (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->id;
}

const char *
ns_layer_get_name (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->name;
}

NsGraph *
ns_layer_get_graph (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->graph;
}

void
ns_layer_get_position (NsLayer *self,
                       double  *x,
                       double  *y)
{
  g_return_if_fail (NS_IS_LAYER (self));
  if (x != NULL)
    *x = self->x;
  if (y != NULL)
    *y = self->y;
}

void
ns_layer_set_position (NsLayer *self,
                       double   x,
                       double   y)
{
  g_return_if_fail (NS_IS_LAYER (self));

  if (self->x != x)
    {
      self->x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X]);
    }
  if (self->y != y)
    {
      self->y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y]);
    }
}

const NsValue *
ns_layer_get_values (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->values;
}

const NsValue *
ns_layer_get_value (NsLayer    *self,
                    const char *key)
{
  int index;

  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  index = ns_layer_type_find_prop (self->type, key);
  return index < 0 ? NULL : &self->values[index];
}

NsLayer *
ns_layer_get_input (NsLayer *self,
                    guint    port)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return port < self->inputs->len ? g_ptr_array_index (self->inputs, port) : NULL;
}

guint
ns_layer_get_n_inputs (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), 0);
  return self->inputs->len;
}

guint
ns_layer_get_n_consumers (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), 0);
  return self->consumers->len;
}

NsLayer *
ns_layer_get_consumer (NsLayer *self,
                       guint    index)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  g_return_val_if_fail (index < self->consumers->len, NULL);
  return g_ptr_array_index (self->consumers, index);
}

const NsLayerInfo *
ns_layer_get_info (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return &self->info;
}

void
ns_layer_get_infer_input (NsLayer        *self,
                          const NsShape **shapes,
                          NsInferInput   *in)
{
  guint n = 0;

  for (guint port = 0; port < self->inputs->len; port++)
    {
      NsLayer *source = g_ptr_array_index (self->inputs, port);
      if (source != NULL)
        shapes[n++] = &source->info.output;
    }
  in->type = self->type;
  in->values = self->values;
  in->inputs = shapes;
  in->n_inputs = n;
  in->subgraph = self->subgraph;
}

NsExplanation *
ns_layer_explain (NsLayer *self)
{
  const NsShape **shapes;
  NsInferInput in;
  NsInferResult out = { 0 };
  NsExplanation *explanation;

  g_return_val_if_fail (NS_IS_LAYER (self), NULL);

  if (self->info.state != NS_LAYER_OK || self->type->explain == NULL)
    return NULL;

  shapes = g_newa (const NsShape *, self->inputs->len + 1);
  ns_layer_get_infer_input (self, shapes, &in);
  /* Re-run inference for the type's own intermediate figures; it succeeded before. */
  if (!self->type->infer (&in, &out, NULL))
    return NULL;
  explanation = ns_explanation_new ();
  self->type->explain (&in, &out, explanation);
  return explanation;
}

char *
ns_layer_describe (NsLayer *self)
{
  const NsShape **shapes;
  NsInferInput in;

  g_return_val_if_fail (NS_IS_LAYER (self), NULL);

  if (self->type->describe == NULL)
    return g_strdup ("");
  shapes = g_newa (const NsShape *, self->inputs->len + 1);
  ns_layer_get_infer_input (self, shapes, &in);
  return self->type->describe (&in);
}

GPtrArray *
ns_layer_get_weights (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->weights;
}

void
ns_layer_set_weights (NsLayer   *self,
                      GPtrArray *weights)
{
  g_return_if_fail (NS_IS_LAYER (self));

  if (weights != NULL)
    g_ptr_array_ref (weights);
  g_clear_pointer (&self->weights, g_ptr_array_unref);
  self->weights = weights;
}

gboolean
ns_layer_get_trainable (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), TRUE);
  return !self->frozen;
}

NsLayer *
ns_layer_get_weights_owner (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->weights_of;
}

const char *
ns_layer_get_class_name (NsLayer *self)
{
  int index;

  g_return_val_if_fail (NS_IS_LAYER (self), NULL);

  if (self->subgraph != NULL)
    return ns_graph_get_model_class (self->subgraph);
  index = ns_layer_type_find_prop (self->type, "class_name");
  if (index >= 0 && self->type->props[index].kind == NS_PROP_STRING)
    return self->values[index].string;
  return self->type->keras_class;
}

NsGraph *
ns_layer_get_subgraph (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->subgraph;
}

void
ns_layer_set_subgraph (NsLayer *self,
                       NsGraph *subgraph)
{
  g_return_if_fail (NS_IS_LAYER (self));
  g_return_if_fail (self->graph == NULL);

  g_set_object (&self->subgraph, subgraph);
}

JsonObject *
ns_layer_get_extra (NsLayer *self)
{
  g_return_val_if_fail (NS_IS_LAYER (self), NULL);
  return self->extra;
}

void
ns_layer_set_extra (NsLayer    *self,
                    JsonObject *extra)
{
  g_return_if_fail (NS_IS_LAYER (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

void
ns_layer_set_graph (NsLayer *self,
                    NsGraph *graph)
{
  self->graph = graph;
}

void
ns_layer_set_name_internal (NsLayer    *self,
                            const char *name)
{
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
ns_layer_info_clear (NsLayerInfo *info)
{
  g_clear_pointer (&info->message, g_free);
}

static gboolean
info_equal (const NsLayerInfo *a,
            const NsLayerInfo *b)
{
  return a->state == b->state &&
         g_strcmp0 (a->message, b->message) == 0 &&
         ns_shape_equal (&a->output, &b->output) &&
         a->trainable_params == b->trainable_params &&
         a->non_trainable_params == b->non_trainable_params &&
         a->macs == b->macs &&
         a->flops == b->flops &&
         a->activation_bytes == b->activation_bytes &&
         a->receptive_field[0] == b->receptive_field[0] &&
         a->receptive_field[1] == b->receptive_field[1] &&
         a->effective_stride[0] == b->effective_stride[0] &&
         a->effective_stride[1] == b->effective_stride[1] &&
         a->rf_global == b->rf_global;
}

gboolean
ns_layer_update_info (NsLayer     *self,
                      NsLayerInfo *info)
{
  if (info_equal (&self->info, info))
    {
      ns_layer_info_clear (info);
      return FALSE;
    }
  ns_layer_info_clear (&self->info);
  self->info = *info;   /* takes the message */
  info->message = NULL;
  return TRUE;
}

void
ns_layer_emit_inferred (NsLayer *self)
{
  g_signal_emit (self, signals[INFERRED], 0);
}

void
ns_layer_emit_config_changed (NsLayer    *self,
                              const char *key)
{
  g_signal_emit (self, signals[CONFIG_CHANGED], g_quark_from_string (key), key);
}
