/* ns-document-private.h: what loading and saving .netsketch files share. */
#pragma once

#include "ns-document.h"

G_BEGIN_DECLS

/* Top-level keys that the graph does not hold, kept on it as object data for saving. */
#define NS_DOCUMENT_GRAPH_EXTRA_KEY "ns-document-extra"

G_END_DECLS
