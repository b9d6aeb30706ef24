/* ns-keras-import-private.h: what the Keras importer's files share: the
 * import context, and helpers that read Keras' many spellings of a key. */
#pragma once

#include <glib/gi18n-lib.h>

#include "ns-keras-import.h"

G_BEGIN_DECLS

/* Nested models deeper than this are refused rather than recursed into. */
#define NS_KERAS_MAX_DEPTH 32

typedef struct {
  NsJsonSource *source;
  const char   *display_name;
  guint         depth;            /* of nested models being built */
  gboolean      keras3;           /* the file uses Keras 3's layout */
  guint         next_id;
} NsKerasImport;

/* One layer entry's member @key, also under tfjs' camelCase spelling
 * ("batch_input_shape" or "batchInputShape"); NULL when absent. */
JsonNode   *ns_keras_member         (JsonObject    *object,
                                     const char    *key);
JsonObject *ns_keras_member_object  (JsonObject    *object,
                                     const char    *key);
JsonArray  *ns_keras_member_array   (JsonObject    *object,
                                     const char    *key);
const char *ns_keras_member_string  (JsonObject    *object,
                                     const char    *key);
/* Fails with "NAME:LINE:COL: PATH: message" at @at (a JsonNode*, JsonObject*
 * or JsonArray* of the document). */
void        ns_keras_fail           (NsKerasImport *ctx,
                                     GError       **error,
                                     int            code,
                                     gconstpointer  at,
                                     const char    *path,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (6, 7);
/* What ns_keras_fail() can point at for @node: its object or array, which
 * is what positions are recorded for, or the scalar node itself. */
static inline gconstpointer
ns_keras_at (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  return node;
}

/* "layers[3] (conv2d)" */
char       *ns_keras_layer_path     (const char    *parent,
                                     guint          index,
                                     const char    *name);

/* The batch input shape a layer or model entry declares (batch_input_shape,
 * batch_shape, batchInputShape, input_shape, build_config), without the
 * batch dimension; FALSE when it declares none. */
gboolean    ns_keras_find_input_shape (NsKerasImport *ctx,
                                       JsonObject    *layer,
                                       const char    *layer_path,
                                       NsShape       *shape,
                                       GError       **error);

/* A layer entry's name: its own "name", or its config's. */
const char *ns_keras_entry_name     (JsonObject    *entry);
/* Layer entry @index of @layers, or NULL with an error when it is not one. */
JsonObject *ns_keras_require_entry  (NsKerasImport *ctx,
                                     JsonArray     *layers,
                                     guint          index,
                                     const char    *path,
                                     GError       **error);
/* Adds an InputLayer named @name taking @shape. */
gboolean    ns_keras_add_input_layer (NsKerasImport *ctx,
                                      NsGraph       *graph,
                                      const char    *name,
                                      const NsShape *shape,
                                      NsLayer      **out,
                                      GError       **error);
/* Fills @graph from a Functional model entry (see ns-keras-import-functional.c). */
gboolean    ns_keras_build_functional (NsKerasImport *ctx,
                                       NsGraph       *graph,
                                       JsonObject    *model,
                                       const char    *path,
                                       GError       **error);

/* Whether @layer (a {"class_name", "config"} entry) is a whole model. */
gboolean    ns_keras_is_model       (JsonObject    *layer);
/* Builds the model @model ({"class_name": "Sequential"|"Functional"|"Model",
 * "config": …}) into a new graph, inferred. @path prefixes error paths. */
NsGraph    *ns_keras_build_model    (NsKerasImport *ctx,
                                     JsonObject    *model,
                                     const char    *path,
                                     GError       **error);
/* Creates the layer a Keras layer entry describes and adds it to @graph
 * under @name, with its config read. @call_kwargs are the node's kwargs
 * (TFOpLambda reads its op arguments there); may be NULL. */
NsLayer    *ns_keras_add_layer      (NsKerasImport *ctx,
                                     NsGraph       *graph,
                                     JsonObject    *layer,
                                     const char    *name,
                                     guint          n_inputs,
                                     JsonObject    *call_kwargs,
                                     const char    *path,
                                     GError       **error);

/* Whether the unknown layer @entry keeps its input's shape (AddLoss,
 * AddMetric, x * 0.5…): its output shape is then filled in. */
gboolean    ns_keras_is_pass_through (JsonObject   *entry);

G_END_DECLS
