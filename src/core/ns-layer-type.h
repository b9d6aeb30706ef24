/* ns-layer-type.h: the declaration of a layer type: the one place that says
 * what a type is configured with and how it infers, counts and explains. */
#pragma once

#include "ns-value.h"
#include "ns-explain.h"

G_BEGIN_DECLS

/* max_inputs of merge layers: any number from min_inputs up. */
#define NS_INPUTS_MANY G_MAXUINT

/* How the executor runs a type: its kernels live in src/core/exec/. */
typedef struct _NsForwardOp NsForwardOp;

/* What inference gets: the layer's config and the output shapes of its inputs. */
typedef struct {
  const NsLayerType    *type;
  const NsValue        *values;    /* one per type->props, in declaration order */
  const NsShape *const *inputs;    /* one per connected input port, in port order */
  guint                 n_inputs;
  NsGraph              *subgraph;  /* a nested model's layers; NULL for other types */
} NsInferInput;

/* What inference gives, per sample (batch of one). */
typedef struct {
  NsShape  output;
  gint64   trainable_params;
  gint64   non_trainable_params;
  gint64   macs;            /* multiply–accumulates in weight layers */
  gint64   extra_flops;     /* elementwise and pooling work beyond 2·MACs */
  /* How one output position widens its view of the input, per spatial axis
   * (height, width): the window in input positions and the step between
   * neighbouring outputs in input positions (2 for stride 2, ½ for 2×
   * upsampling). Left zeroed, the layer is pointwise: window 1, step 1. */
  gint64   rf_window[2];
  double   rf_step[2];
  gboolean rf_global;       /* every output sees the whole input: Flatten, Dense, global pooling */
} NsInferResult;

/* One learned tensor of a layer, as Keras names and shapes it, and the
 * initializer that fills it when the layer carries none. */
typedef struct {
  const char *name;          /* "kernel", "moving_variance" */
  NsShape     shape;
  const char *initializer;   /* Keras' name: "glorot_uniform", "zeros", "ones", … */
} NsWeightSpec;

struct _NsLayerType {
  const char        *keras_class;    /* "Conv2D": the name in files and Keras */
  const char *const *aliases;        /* other class names accepted on import, NULL-terminated */
  const char        *label;          /* N_() marked: "2D convolution" */
  const char        *description;    /* N_() marked: one line for the palette */
  const char        *default_name;   /* prefix of Keras' automatic names: "conv2d" */
  NsCategory         category;
  guint              min_inputs;
  guint              max_inputs;     /* NS_INPUTS_MANY for merges */
  const NsPropDecl  *props;
  guint              n_props;

  /* Fills @out or fails with an NS_ERROR that names the offending numbers.
   * @out arrives zeroed. Never called with an input of unknown rank. */
  gboolean (*infer)    (const NsInferInput *in,
                        NsInferResult      *out,
                        GError            **error);
  /* Adds the formulas with the numbers put in; called after infer succeeded. */
  void     (*explain)  (const NsInferInput  *in,
                        const NsInferResult *out,
                        NsExplanation       *explanation);
  /* One line of key settings for the canvas: "64 @ 3×3 /1 same, relu". Optional. */
  char    *(*describe) (const NsInferInput *in);
  /* Appends the layer's weights (NsWeightSpec) in Keras' order; FALSE when
   * the config and inputs do not tell them (an unknown channel count). NULL
   * for types without weights. */
  gboolean (*weights)  (const NsInferInput *in,
                        GArray             *specs);
  /* How its forward pass runs; NULL when it cannot run (an opaque layer).
   * Nested models run their subgraph and need none. */
  const NsForwardOp *forward;
};

/* The catalog: every type Netsketch knows, in palette order. */
const NsLayerType *const *ns_layer_types_get_all     (guint       *n_types);
/* Looks up a Keras class name or import alias ("Deconvolution2D"). */
const NsLayerType        *ns_layer_types_lookup      (const char  *keras_class);
/* Index of @key in @type's props, or -1. */
int                       ns_layer_type_find_prop    (const NsLayerType *type,
                                                      const char        *key);
/* The declared defaults, parsed once and kept for the process' lifetime. */
const NsValue            *ns_layer_type_get_defaults (const NsLayerType *type);
const char               *ns_layer_type_get_label    (const NsLayerType *type);

G_END_DECLS
