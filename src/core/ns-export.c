/* ns-export.c: the export formats by name and one entry point that writes any
 * of them, so that the CLI and the editor cannot drift apart. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-atomic-write.h"
#include "ns-code-export.h"
#include "ns-document.h"
#include "ns-export.h"
#include "ns-keras-export.h"
#include "ns-render.h"
#include "ns-summary.h"
#include "ns-tfjs-export.h"
#include "ns-types.h"

static const struct {
  const char *name;
  const char *suffix;
} formats[] = {
  [NS_EXPORT_KERAS_JSON]   = { "keras-json", ".json" },
  [NS_EXPORT_KERAS3_JSON]  = { "keras3-json", ".json" },
  [NS_EXPORT_TFJS]         = { "tfjs", "" },
  [NS_EXPORT_NETSKETCH]    = { "netsketch", ".netsketch" },
  [NS_EXPORT_PYTORCH]      = { "pytorch", ".py" },
  [NS_EXPORT_KERAS_PY]     = { "keras-py", ".py" },
  [NS_EXPORT_SUMMARY_JSON] = { "summary-json", ".json" },
  [NS_EXPORT_MARKDOWN]     = { "markdown", ".md" },
  [NS_EXPORT_PNG]          = { "png", ".png" },
  [NS_EXPORT_SVG]          = { "svg", ".svg" },
  [NS_EXPORT_PDF]          = { "pdf", ".pdf" },
  [NS_EXPORT_SUMMARY_PNG]  = { "summary-png", ".png" },
};

gboolean
ns_export_format_from_name (const char     *name,
                            NsExportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (name, formats[i].name) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ns_export_format_get_name (NsExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].name;
}

const char *
ns_export_format_get_suffix (NsExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].suffix;
}

gboolean
ns_export_format_is_image (NsExportFormat format)
{
  return format == NS_EXPORT_PNG || format == NS_EXPORT_SVG ||
         format == NS_EXPORT_PDF || format == NS_EXPORT_SUMMARY_PNG;
}

gboolean
ns_export_format_is_text (NsExportFormat format)
{
  return !ns_export_format_is_image (format) && format != NS_EXPORT_TFJS;
}

char *
ns_export_to_text (NsGraph        *graph,
                   NsExportFormat  format,
                   GError        **error)
{
  g_return_val_if_fail (ns_export_format_is_text (format), NULL);

  /* Exporters check too; asking here words it once for every format. */
  if (!ns_export_check_graph (graph, error))
    return NULL;

  switch (format)
    {
    case NS_EXPORT_KERAS_JSON:
      return ns_keras_export_to_data (graph, NS_KERAS_LAYOUT_TF_KERAS_2, NULL, error);
    case NS_EXPORT_KERAS3_JSON:
      return ns_keras_export_to_data (graph, NS_KERAS_LAYOUT_KERAS_3, NULL, error);
    case NS_EXPORT_NETSKETCH:
      return ns_document_to_data (graph, NULL);
    case NS_EXPORT_PYTORCH:
      return ns_code_export_pytorch (graph, error);
    case NS_EXPORT_KERAS_PY:
      return ns_code_export_keras_py (graph, error);
    case NS_EXPORT_SUMMARY_JSON:
      return ns_summary_format (graph, NS_SUMMARY_JSON);
    case NS_EXPORT_MARKDOWN:
      return ns_summary_format (graph, NS_SUMMARY_MARKDOWN);
    case NS_EXPORT_TFJS:
    case NS_EXPORT_PNG:
    case NS_EXPORT_SVG:
    case NS_EXPORT_PDF:
    case NS_EXPORT_SUMMARY_PNG:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
export_tfjs (NsGraph  *graph,
             GFile    *file,
             GError  **error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) model_file = NULL;
  g_autoptr(GFile) weights_file = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!ns_export_check_graph (graph, error))
    return FALSE;

  if (g_str_has_suffix (basename, ".json"))
    {
      g_autofree char *stem = g_strndup (basename, strlen (basename) - strlen (".json"));
      g_autofree char *weights = g_strconcat (stem, ".weights.bin", NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      model_file = g_object_ref (file);
      weights_file = g_file_get_child (parent, weights);
      return ns_tfjs_export (graph, model_file, weights_file, error);
    }

  if (!g_file_make_directory_with_parents (file, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  model_file = g_file_get_child (file, "model.json");
  weights_file = g_file_get_child (file, "group1-shard1of1.bin");
  return ns_tfjs_export (graph, model_file, weights_file, error);
}

gboolean
ns_export_to_file (NsGraph        *graph,
                   NsExportFormat  format,
                   double          scale,
                   GFile          *file,
                   GError        **error)
{
  g_autofree char *text = NULL;

  switch (format)
    {
    case NS_EXPORT_PNG:
      return ns_render_export (graph, NS_RENDER_PNG, scale, file, error);
    case NS_EXPORT_SVG:
      return ns_render_export (graph, NS_RENDER_SVG, scale, file, error);
    case NS_EXPORT_PDF:
      return ns_render_export (graph, NS_RENDER_PDF, scale, file, error);
    case NS_EXPORT_SUMMARY_PNG:
      return ns_render_summary_export (graph, scale, file, error);
    case NS_EXPORT_TFJS:
      return export_tfjs (graph, file, error);
    case NS_EXPORT_KERAS_JSON:
    case NS_EXPORT_KERAS3_JSON:
    case NS_EXPORT_NETSKETCH:
    case NS_EXPORT_PYTORCH:
    case NS_EXPORT_KERAS_PY:
    case NS_EXPORT_SUMMARY_JSON:
    case NS_EXPORT_MARKDOWN:
    default:
      text = ns_export_to_text (graph, format, error);
      if (text == NULL)
        return FALSE;
      return ns_atomic_write (file, text, strlen (text), NULL, error);
    }
}
