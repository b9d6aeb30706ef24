/* test-helpers.h: small builders shared by the core tests. */
#pragma once

#include "ns-graph.h"

/* Adds a layer of @keras_class named @name, failing the test on error. */
NsLayer *test_add_layer   (NsGraph    *graph,
                           const char *keras_class,
                           const char *name);
/* The value of @key of @layer's type from JSON text ("[3, 3]", "\"same\"", "64"). */
NsValue  test_value       (NsLayer    *layer,
                           const char *key,
                           const char *json);
/* Sets @key of @layer from JSON text. */
void     test_set         (NsGraph    *graph,
                           NsLayer    *layer,
                           const char *key,
                           const char *json);
void     test_connect     (NsGraph    *graph,
                           NsLayer    *from,
                           NsLayer    *to,
                           guint       port);
/* An InputLayer of the given shape, as JSON text "[128, 128, 3]". */
NsLayer *test_add_input   (NsGraph    *graph,
                           const char *name,
                           const char *shape_json);
/* Asserts the layer is OK and its output prints as Keras would: "(None, 128, 128, 64)". */
void     test_assert_shape (NsLayer   *layer,
                            const char *keras_shape);
/* The tutorial article's network (input_1 → con1 → … → mer2), built through
 * the graph API as its Keras code does; BatchNormalization and Activation get
 * Keras' automatic names. */
NsGraph *test_build_article (void);
/* tf.keras 2 JSON of a Functional chain of @n_layers: an InputLayer of 4
 * features, then Dense(4) and Activation("relu") alternating, each reading the
 * one before; layers are named l0, l1, … (bench-import uses it too). */
char    *test_keras_chain (guint n_layers);
/* input_1 (8×8×3) → conv (Conv2D) → pool (MaxPooling2D), with defaults. */
NsGraph *test_small_chain (void);
