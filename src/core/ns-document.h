/* ns-document.h: the .netsketch file format: versioned JSON, loaded and saved through GIO. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"
#include "ns-json-source.h"

G_BEGIN_DECLS

#define NS_DOCUMENT_FORMAT  "netsketch"
#define NS_DOCUMENT_VERSION 1

/* Parses a document. @display_name (usually the file's basename) starts every
 * error message: "net.netsketch:12:7: layers[3].config.filters: expected an
 * integer from 1 to 65536, got \"64\"". The graph is fully inferred. */
NsGraph  *ns_document_load_from_data (const char    *data,
                                      gssize         length,
                                      const char    *display_name,
                                      GError       **error);
/* The same over a document already parsed (ns-json-source.h). */
NsGraph  *ns_document_load_from_source (NsJsonSource *source,
                                        GError      **error);
NsGraph  *ns_document_load           (GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);
/* Pretty-printed JSON, ending in a newline. */
char     *ns_document_to_data        (NsGraph       *graph,
                                      gsize         *length);
/* Atomic: the old file stays whole until the new one is complete. */
gboolean  ns_document_save           (NsGraph       *graph,
                                      GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
