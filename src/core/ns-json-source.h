/* ns-json-source.h: JSON parsed with the position of every value, for loaders
 * whose errors say "file:line:column: path: what was expected". */
#pragma once

#include <json-glib/json-glib.h>

#include "ns-types.h"

G_BEGIN_DECLS

typedef struct _NsJsonSource NsJsonSource;

/* Parses @data (which must outlive the source). Syntax errors, nesting past
 * 100 levels, invalid UTF-8, integers past int64 and keys given twice in one
 * object fail with NS_ERROR_PARSE as "NAME:LINE:COLUMN: message". */
NsJsonSource *ns_json_source_parse           (const char    *data,
                                              gssize         length,
                                              const char    *display_name,
                                              GError       **error);
void          ns_json_source_free            (NsJsonSource  *source);
JsonNode     *ns_json_source_get_root        (NsJsonSource  *source);
/* Byte offset where a JsonObject*, JsonArray* or scalar JsonNode* starts; the
 * document's first token for anything unknown (NULL included). */
gsize         ns_json_source_lookup_offset   (NsJsonSource  *source,
                                              gconstpointer  value);
gsize         ns_json_source_node_offset     (NsJsonSource  *source,
                                              JsonNode      *node);
/* Sets @error to "NAME:LINE:COLUMN: PATH: message"; @path may be NULL. */
void          ns_json_source_fail_at         (NsJsonSource  *source,
                                              GError       **error,
                                              int            code,
                                              gsize          offset,
                                              const char    *path,
                                              const char    *format,
                                              ...) G_GNUC_PRINTF (6, 7);
/* Prefixes an error that says what with where: "NAME:LINE:COLUMN: PATH: ". */
void          ns_json_source_prefix_at       (NsJsonSource  *source,
                                              GError       **error,
                                              gsize          offset,
                                              const char    *path);
/* What a node holds, for "got …": JSON text for scalars, "an object", … */
char         *ns_json_describe_node          (JsonNode      *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsJsonSource, ns_json_source_free)

G_END_DECLS
