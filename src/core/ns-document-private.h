/* ns-document-private.h: what loading and saving .netsketch files share. */
#pragma once

#include "ns-document.h"
#include "ns-json-source.h"

G_BEGIN_DECLS

/* Top-level keys that the graph does not hold, kept on it as object data for saving. */
#define NS_DOCUMENT_GRAPH_EXTRA_KEY "ns-document-extra"

/* How many models may nest inside one another: far more than transfer
 * learning uses, and few enough that a hostile file cannot make every edit
 * re-infer a tower of graphs. The JSON reader's 100 levels would allow 32. */
#define NS_DOCUMENT_MAX_MODEL_DEPTH 16

/* ns-document.c */
gboolean     ns_document_is_string         (JsonNode     *node);
const char  *ns_document_require_string    (NsJsonSource *source,
                                            JsonObject   *object,
                                            const char   *key,
                                            const char   *parent_path,
                                            GError      **error);

/* ns-document-write.c */
void         ns_document_append_indent     (GString      *out,
                                            guint         depth);
void         ns_document_append_string     (GString      *out,
                                            const char   *s);
void         ns_document_append_key        (GString      *out,
                                            guint         depth,
                                            const char   *key);

/* ns-document-weights.c */
/* Reads a layer's "weights" list (@node) into @layer. */
gboolean     ns_document_load_weights      (NsJsonSource *source,
                                            NsLayer      *layer,
                                            JsonNode     *node,
                                            const char   *layer_path,
                                            GError      **error);
/* Writes the "weights" member (value only) of a layer whose members sit at @depth. */
void         ns_document_write_weights     (GString      *out,
                                            GPtrArray    *weights,
                                            guint         depth);
/* Bytes the weights of @graph and its nested models take in a saved document. */
gsize        ns_document_weights_text_size (NsGraph      *graph);

G_END_DECLS
