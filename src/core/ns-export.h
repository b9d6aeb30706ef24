/* ns-export.h: every export format by name, written the same way by the CLI's
 * `export` and the editor's Export menu. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"

G_BEGIN_DECLS

typedef enum {
  NS_EXPORT_KERAS_JSON,
  NS_EXPORT_KERAS3_JSON,
  NS_EXPORT_TFJS,
  NS_EXPORT_NETSKETCH,
  NS_EXPORT_PYTORCH,
  NS_EXPORT_KERAS_PY,
  NS_EXPORT_SUMMARY_JSON,
  NS_EXPORT_MARKDOWN,
  NS_EXPORT_PNG,          /* the diagram, drawn by the canvas' renderer */
  NS_EXPORT_SVG,
  NS_EXPORT_PDF,
  NS_EXPORT_SUMMARY_PNG,  /* the summary table as an image */
} NsExportFormat;

/* "keras-json", "png", …: the CLI's --to names. */
gboolean    ns_export_format_from_name (const char     *name,
                                        NsExportFormat *format);
const char *ns_export_format_get_name  (NsExportFormat  format);
/* The file name suffix a saved export gets: ".json", ".py", ".png"; "" for
 * tfjs, which writes a folder. */
const char *ns_export_format_get_suffix (NsExportFormat format);
/* Whether the format is text (ns_export_to_text can make it). */
gboolean    ns_export_format_is_text   (NsExportFormat  format);
/* Images show layers in error as they are; the other formats refuse them. */
gboolean    ns_export_format_is_image  (NsExportFormat  format);

/* The text of a text format; fails for a graph with errors. */
char       *ns_export_to_text          (NsGraph        *graph,
                                        NsExportFormat  format,
                                        GError        **error);
/* Writes @graph to @file atomically. @scale multiplies PNG pixels (0.25–8).
 * tfjs: @file ending in ".json" gets "<stem>.weights.bin" beside it; any
 * other @file is a folder (made if needed) with model.json and
 * group1-shard1of1.bin, as tfjs' converter names them. */
gboolean    ns_export_to_file          (NsGraph        *graph,
                                        NsExportFormat  format,
                                        double          scale,
                                        GFile          *file,
                                        GError        **error);

G_END_DECLS
