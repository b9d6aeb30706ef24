/* ns-types.h: forward declarations and small shared enums of the core library. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NsGraph       NsGraph;
typedef struct _NsLayer       NsLayer;
typedef struct _NsLayerType   NsLayerType;
typedef struct _NsPropDecl    NsPropDecl;
typedef struct _NsValue       NsValue;
typedef struct _NsShape       NsShape;
typedef struct _NsExplanation NsExplanation;

/* Where a layer type sits in the palette; also colours it on the canvas. */
typedef enum {
  NS_CATEGORY_INPUT,
  NS_CATEGORY_CONVOLUTION,
  NS_CATEGORY_POOLING,
  NS_CATEGORY_RESHAPING,
  NS_CATEGORY_MERGE,
  NS_CATEGORY_NORMALIZATION,
  NS_CATEGORY_ACTIVATION,
  NS_CATEGORY_CORE,
  NS_N_CATEGORIES
} NsCategory;

#define NS_ERROR (ns_error_quark ())

typedef enum {
  NS_ERROR_INVALID_VALUE,     /* a config value out of range or of the wrong type */
  NS_ERROR_SHAPE,             /* inputs a layer cannot take */
  NS_ERROR_OVERFLOW,          /* a size past int64 */
  NS_ERROR_GRAPH,             /* cycle, occupied port, wrong input count */
  NS_ERROR_PARSE,             /* malformed document */
  NS_ERROR_VERSION,           /* document from a newer Netsketch */
  NS_ERROR_UNKNOWN_TYPE,      /* layer class Netsketch does not know */
  NS_ERROR_TOO_LARGE,         /* a forward pass would need more memory than allowed */
} NsError;

GQuark      ns_error_quark        (void);
const char *ns_category_get_label (NsCategory category);
const char *ns_category_get_id    (NsCategory category);

G_END_DECLS
