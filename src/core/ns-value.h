/* ns-value.h: a layer type's config properties (declaration) and their values. */
#pragma once

#include <json-glib/json-glib.h>

#include "ns-shape.h"

G_BEGIN_DECLS

typedef enum {
  NS_PROP_INT,        /* one integer in [min, max] */
  NS_PROP_PAIR,       /* (height, width); Keras also accepts one int for both */
  NS_PROP_DOUBLE,     /* a real number in [min_real, max_real] */
  NS_PROP_BOOL,
  NS_PROP_CHOICE,     /* one of decl->choices, stored as its index */
  NS_PROP_PADDING,    /* "valid", "same" or explicit [ph, pw] (Netsketch extension) */
  NS_PROP_MARGINS,    /* ((top, bottom), (left, right)): ZeroPadding2D, Cropping2D */
  NS_PROP_INTS,       /* a list of integers: target_shape, dims, shared_axes, shape */
  NS_PROP_STRING,     /* free text (an unknown layer's class name), kept interned */
} NsPropKind;

typedef enum {
  NS_PROP_FLAG_NONE     = 0,
  NS_PROP_FLAG_NULLABLE = 1 << 0,   /* JSON null is allowed (ReLU max_value, noise_shape) */
  NS_PROP_FLAG_INT_AXIS = 1 << 1,   /* an INT or INTS may also be a single int: axis */
  NS_PROP_FLAG_ADVANCED = 1 << 2,   /* the inspector tucks it away */
  NS_PROP_FLAG_NONE_DIM = 1 << 3,   /* INTS items may be null: an unknown dim (NS_DIM_NONE) */
} NsPropFlags;

typedef enum {
  NS_PADDING_VALID,
  NS_PADDING_SAME,
  NS_PADDING_EXPLICIT,
} NsPaddingMode;

struct _NsPropDecl {
  const char         *key;          /* the Keras config key */
  const char         *label;        /* N_() marked; shown in the inspector */
  NsPropKind          kind;
  gint64              min, max;     /* INT, PAIR, MARGINS, INTS items, explicit padding */
  double              min_real, max_real;
  const char * const *choices;      /* CHOICE: NULL-terminated Keras strings */
  const char         *default_json; /* the default, written as Keras writes it */
  NsPropFlags         flags;
};

struct _NsValue {
  NsPropKind kind;
  gboolean   is_null;               /* only with NS_PROP_FLAG_NULLABLE */
  union {
    gint64   integer;
    double   real;
    const char *string;             /* g_intern_string(): values stay plain data */
    gboolean boolean;
    guint    choice;
    gint64   pair[2];               /* height, width */
    gint64   margins[4];            /* top, bottom, left, right */
    struct {
      NsPaddingMode mode;
      gint64        explicit_hw[2]; /* per side, for NS_PADDING_EXPLICIT */
    } padding;
    struct {
      guint  len;
      gint64 items[NS_MAX_RANK];
    } ints;
  };
};

/* Reads a Keras-style JSON value into @value, checking type and range. The
 * error message says what was expected ("an integer from 1 to 65536", …);
 * callers add where. */
gboolean  ns_value_from_json (const NsPropDecl *decl,
                              JsonNode         *node,
                              NsValue          *value,
                              GError          **error);
JsonNode *ns_value_to_json   (const NsPropDecl *decl,
                              const NsValue    *value);
gboolean  ns_value_equal     (const NsValue    *a,
                              const NsValue    *b);
/* Checks a value made in code (inspector, solver) against the declaration. */
gboolean  ns_value_validate  (const NsPropDecl *decl,
                              const NsValue    *value,
                              GError          **error);
/* Short text for the value: "3×3", "same", "[1, 1]", "relu". */
char     *ns_value_to_string (const NsPropDecl *decl,
                              const NsValue    *value);
/* What a valid value looks like, for error messages: "an integer from 1 to 65536". */
char     *ns_prop_decl_describe_expected (const NsPropDecl *decl);

G_END_DECLS
