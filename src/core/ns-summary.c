/* ns-summary.c: the model summary of a graph as Keras-style text, JSON and Markdown. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ns-summary.h"

/* The text table's columns. Their minimum widths put the columns where
 * tf.keras 2 puts them (29, 55, 65, 98); wider content widens a column so
 * that long names still line up. */
enum {
  COL_LAYER,
  COL_SHAPE,
  COL_PARAMS,
  COL_CONNECTED,
  N_COLS
};

G_STATIC_ASSERT (N_COLS == NS_SUMMARY_N_COLUMNS);

static const guint min_widths[N_COLS] = { 26, 24, 8, 33 };

/* Error messages in the shape column wrap rather than push the table wide. */
#define MAX_SHAPE_WIDTH 40

/* What every format shows of one layer, computed once. */
typedef struct {
  NsLayer           *layer;
  const NsLayerInfo *info;
  char              *shape_text;   /* Keras' "(None, 128, 128, 64)", or the problem */
  GPtrArray         *inputs;       /* of const char *: names of the input layers */
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->shape_text, g_free);
  g_clear_pointer (&row->inputs, g_ptr_array_unref);
}

static const char *
graph_name (NsGraph *graph)
{
  const char *name = ns_graph_get_name (graph);

  return name != NULL && *name != '\0' ? name : "model";
}

static char *
describe_problem (const NsLayerInfo *info)
{
  const char *message = info->message != NULL ? info->message : "";

  if (info->state == NS_LAYER_ERROR)
    return g_strdup_printf (_("error: %s"), message);
  /* The graph words the waiting message itself ("waiting on con1"). */
  return g_strdup (message);
}

static GArray *
collect_rows (NsGraph *graph)
{
  GPtrArray *layers = ns_graph_get_sorted_layers (graph);
  GArray *rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), layers->len);
  /* Keras' summary of a Sequential model does not list its InputLayer. */
  gboolean sequential = g_strcmp0 (ns_graph_get_model_class (graph), "Sequential") == 0;

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      guint n_inputs = ns_layer_get_n_inputs (layer);
      Row row = { layer, ns_layer_get_info (layer), NULL, NULL };

      if (sequential && ns_layer_get_layer_type (layer)->min_inputs == 0 &&
          g_strcmp0 (ns_layer_get_layer_type (layer)->keras_class, "InputLayer") == 0)
        continue;

      if (row.info->state == NS_LAYER_OK)
        row.shape_text = ns_shape_to_keras (&row.info->output);
      else
        row.shape_text = describe_problem (row.info);

      row.inputs = g_ptr_array_sized_new (n_inputs);
      for (guint port = 0; port < n_inputs; port++)
        {
          NsLayer *input = ns_layer_get_input (layer, port);

          if (input != NULL)
            g_ptr_array_add (row.inputs, (gpointer) ns_layer_get_name (input));
        }
      g_array_append_val (rows, row);
    }
  return rows;
}

static void
count_problems (GArray *rows,
                guint  *n_errors,
                guint  *n_waiting)
{
  *n_errors = *n_waiting = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      if (row->info->state == NS_LAYER_ERROR)
        (*n_errors)++;
      else if (row->info->state == NS_LAYER_WAITING)
        (*n_waiting)++;
    }
}

/* "1,434,451,968 (1.43 G)"; the short form only where it says something. */
static char *
format_macs (gint64 macs)
{
  g_autofree char *count = ns_format_count (macs);
  g_autofree char *si = NULL;

  if (macs < 1000)
    return g_steal_pointer (&count);
  si = ns_format_si ((double) macs);
  return g_strdup_printf ("%s (%s)", count, si);
}

/* Says how many layers the totals could not count, when there are any. */
static void
append_problem_counts (GString    *out,
                       const char *prefix,
                       guint       n_errors,
                       guint       n_waiting)
{
  if (n_errors > 0)
    {
      g_string_append (out, prefix);
      g_string_append_printf (out, _("Layers with errors: %u"), n_errors);
      g_string_append_c (out, '\n');
    }
  if (n_waiting > 0)
    {
      g_string_append (out, prefix);
      g_string_append_printf (out, _("Layers waiting on them: %u"), n_waiting);
      g_string_append_c (out, '\n');
    }
}

/* ---- Text ---------------------------------------------------------------- */

/* Terminal columns taken by @len bytes of @text: CJK (translations, names)
 * takes two. */
static guint
display_width (const char *text,
               gsize       len)
{
  const char *end = text + len;
  guint width = 0;

  for (const char *p = text; p < end && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* Where the first line of a cell ends when the column is @width wide: the
 * piece is @piece_len bytes, the next line starts @skip bytes in. Like
 * Keras, lists break after each "'," so that every input gets a line;
 * other text wraps at a space, or is cut when a word is too long. */
static void
next_piece (const char *text,
            guint       width,
            gboolean    keras_breaks,
            gsize      *piece_len,
            gsize      *skip)
{
  const char *fit_end = text;
  guint used = 0;
  const char *space = NULL;

  while (*fit_end != '\0')
    {
      gunichar c = g_utf8_get_char (fit_end);
      guint w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + w > width && fit_end != text)
        break;
      used += w;
      fit_end = g_utf8_next_char (fit_end);
    }

  if (keras_breaks)
    {
      static const char *const marks[] = { "),", "},", "],", "',", };
      gsize best = G_MAXSIZE;

      for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
        {
          const char *found = g_strstr_len (text, fit_end - text, marks[i]);

          if (found != NULL)
            best = MIN (best, (gsize) (found - text) + 2);
        }
      if (best != G_MAXSIZE)
        {
          *piece_len = *skip = best;
          return;
        }
    }

  if (*fit_end == '\0')
    {
      *piece_len = *skip = fit_end - text;
      return;
    }

  for (const char *p = text; p < fit_end; p++)
    if (*p == ' ' && p != text)
      space = p;
  if (space != NULL)
    {
      *piece_len = space - text;
      *skip = *piece_len + 1;
      return;
    }
  *piece_len = *skip = fit_end - text;
}

/* The widest line a cell needs when nothing forces a wrap. */
static guint
natural_width (const char *text,
               gboolean    keras_breaks)
{
  guint widest = 0;

  while (*text != '\0')
    {
      gsize piece, skip;

      next_piece (text, G_MAXUINT / 2, keras_breaks, &piece, &skip);
      widest = MAX (widest, display_width (text, piece));
      text += skip;
    }
  return widest;
}

static void
append_spaces (GString *out,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

static void
append_repeated (GString *out,
                  char     c,
                  guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, c);
  g_string_append_c (out, '\n');
}

/* One table row, over as many lines as its tallest cell needs; every line is
 * padded to the full width, as Keras pads it. */
static void
append_text_row (GString          *out,
                 const char *const cells[N_COLS],
                 const guint       widths[N_COLS])
{
  const char *rest[N_COLS];
  gboolean more;

  for (guint col = 0; col < N_COLS; col++)
    rest[col] = cells[col];

  do
    {
      more = FALSE;
      g_string_append_c (out, ' ');
      for (guint col = 0; col < N_COLS; col++)
        {
          gsize piece, skip;

          if (col > 0)
            append_spaces (out, 2);
          next_piece (rest[col], widths[col], col == COL_CONNECTED, &piece, &skip);
          g_string_append_len (out, rest[col], piece);
          append_spaces (out, widths[col] - MIN (widths[col], display_width (rest[col], piece)));
          rest[col] += skip;
          if (*rest[col] != '\0')
            more = TRUE;
        }
      g_string_append_c (out, '\n');
    }
  while (more);
}

/* "['activation[0][0]', 'up1[0][0]']" as Keras 2 lists inbound nodes. */
static char *
keras_connections (GPtrArray *inputs)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < inputs->len; i++)
    g_string_append_printf (s, "%s'%s[0][0]'", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (inputs, i));
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

NsSummaryTable *
ns_summary_table_new (NsGraph *graph)
{
  g_autoptr(GArray) rows = NULL;
  const char *const header[N_COLS] = {
    _("Layer (type)"), _("Output Shape"), _("Param #"), _("Connected to"),
  };
  g_autofree char *total = NULL;
  g_autofree char *trainable = NULL;
  g_autofree char *non_trainable = NULL;
  g_autofree char *macs = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GString) problem_text = g_string_new (NULL);
  NsSummaryTable *table;
  NsGraphTotals totals;
  guint n_errors, n_waiting;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  rows = collect_rows (graph);
  table = g_new0 (NsSummaryTable, 1);
  table->title = g_strdup_printf (_("Model: \"%s\""), graph_name (graph));
  table->header = g_ptr_array_new_with_free_func (g_free);
  table->cells = g_ptr_array_new_with_free_func (g_free);
  table->layers = g_ptr_array_new_with_free_func (g_object_unref);
  table->totals = g_ptr_array_new_with_free_func (g_free);

  for (guint col = 0; col < N_COLS; col++)
    g_ptr_array_add (table->header, g_strdup (header[col]));
  /* Four cells per layer, in column order. */
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      g_ptr_array_add (table->cells, g_strdup_printf ("%s (%s)", ns_layer_get_name (row->layer),
                                                      ns_layer_get_class_name (row->layer)));
      g_ptr_array_add (table->cells, g_strdup (row->shape_text));
      g_ptr_array_add (table->cells, row->info->state == NS_LAYER_OK
                                     ? ns_format_count (row->info->params) : g_strdup ("?"));
      g_ptr_array_add (table->cells, keras_connections (row->inputs));
      g_ptr_array_add (table->layers, g_object_ref (row->layer));
    }

  ns_graph_get_totals (graph, &totals);
  total = ns_format_count (totals.params);
  trainable = ns_format_count (totals.trainable_params);
  non_trainable = ns_format_count (totals.non_trainable_params);
  macs = format_macs (totals.macs);
  g_ptr_array_add (table->totals, g_strdup_printf (_("Total params: %s"), total));
  g_ptr_array_add (table->totals, g_strdup_printf (_("Trainable params: %s"), trainable));
  g_ptr_array_add (table->totals, g_strdup_printf (_("Non-trainable params: %s"), non_trainable));
  g_ptr_array_add (table->totals, g_strdup_printf (_("Total MACs: %s"), macs));

  count_problems (rows, &n_errors, &n_waiting);
  append_problem_counts (problem_text, "", n_errors, n_waiting);
  problems = g_strsplit (problem_text->str, "\n", -1);
  for (guint i = 0; problems[i] != NULL; i++)
    if (*problems[i] != '\0')
      g_ptr_array_add (table->totals, g_strdup (problems[i]));
  return table;
}

void
ns_summary_table_free (NsSummaryTable *table)
{
  if (table == NULL)
    return;
  g_free (table->title);
  g_ptr_array_unref (table->header);
  g_ptr_array_unref (table->cells);
  g_ptr_array_unref (table->layers);
  g_ptr_array_unref (table->totals);
  g_free (table);
}

static char *
format_text (NsGraph *graph)
{
  g_autoptr(NsSummaryTable) table = ns_summary_table_new (graph);
  GPtrArray *cells = table->cells;
  GString *out = g_string_new (NULL);
  guint widths[N_COLS];
  guint line_length = 1;
  guint n_rows = table->layers->len;

  for (guint col = 0; col < N_COLS; col++)
    {
      const char *title = g_ptr_array_index (table->header, col);

      widths[col] = MAX (min_widths[col], display_width (title, strlen (title)));
      for (guint i = col; i < cells->len; i += N_COLS)
        widths[col] = MAX (widths[col], natural_width (g_ptr_array_index (cells, i),
                                                       col == COL_CONNECTED));
      if (col == COL_SHAPE)
        widths[col] = MIN (widths[col], MAX_SHAPE_WIDTH);
      line_length += widths[col] + (col > 0 ? 2 : 0);
    }

  g_string_append (out, table->title);
  g_string_append_c (out, '\n');
  append_repeated (out, '_', line_length);
  append_text_row (out, (const char *const *) table->header->pdata, widths);
  append_repeated (out, '=', line_length);
  for (guint i = 0; i < n_rows; i++)
    {
      append_text_row (out, (const char *const *) &cells->pdata[i * N_COLS], widths);
      append_repeated (out, ' ', line_length);
    }
  append_repeated (out, '=', line_length);

  for (guint i = 0; i < table->totals->len; i++)
    {
      g_string_append (out, g_ptr_array_index (table->totals, i));
      g_string_append_c (out, '\n');
    }
  append_repeated (out, '_', line_length);

  return g_string_free (out, FALSE);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_layer_json (JsonBuilder *builder,
                const Row   *row)
{
  const NsLayerInfo *info = row->info;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, ns_layer_get_name (row->layer));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, ns_layer_get_class_name (row->layer));

  /* The batch dimension first, as Keras lists it; unknown dims are null. */
  json_builder_set_member_name (builder, "output_shape");
  if (info->state == NS_LAYER_OK)
    {
      json_builder_begin_array (builder);
      json_builder_add_null_value (builder);
      for (guint d = 0; d < info->output.rank; d++)
        {
          if (info->output.dims[d] == NS_DIM_NONE)
            json_builder_add_null_value (builder);
          else
            json_builder_add_int_value (builder, info->output.dims[d]);
        }
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_member_int (builder, "params", info->params);
  add_member_int (builder, "trainable_params", info->trainable_params);
  add_member_int (builder, "non_trainable_params", info->non_trainable_params);
  add_member_int (builder, "macs", info->macs);

  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < row->inputs->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (row->inputs, i));
  json_builder_end_array (builder);

  if (info->state != NS_LAYER_OK)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, info->message != NULL ? info->message : "");
    }
  json_builder_end_object (builder);
}

static char *
format_json (NsGraph *graph)
{
  g_autoptr(GArray) rows = collect_rows (graph);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  NsGraphTotals totals;

  ns_graph_get_totals (graph, &totals);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model_name");
  json_builder_add_string_value (builder, graph_name (graph));
  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_layer_json (builder, &g_array_index (rows, Row, i));
  json_builder_end_array (builder);
  add_member_int (builder, "total_params", totals.params);
  add_member_int (builder, "trainable_params", totals.trainable_params);
  add_member_int (builder, "non_trainable_params", totals.non_trainable_params);
  add_member_int (builder, "total_macs", totals.macs);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* ---- Markdown ------------------------------------------------------------ */

/* Makes @text safe inside a GitHub table cell: a "|" would end the cell,
 * and a few characters would start formatting. */
static void
append_markdown_escaped (GString    *out,
                         const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (strchr ("\\|`*<>[]", *p) != NULL)
        g_string_append_c (out, '\\');
      if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
}

static void
append_markdown_cell (GString    *out,
                      const char *text)
{
  g_string_append_c (out, ' ');
  append_markdown_escaped (out, text);
  g_string_append (out, " |");
}

static char *
format_markdown (NsGraph *graph)
{
  g_autoptr(GArray) rows = collect_rows (graph);
  GString *out = g_string_new (NULL);
  NsGraphTotals totals;
  g_autofree char *total = NULL;
  g_autofree char *trainable = NULL;
  g_autofree char *non_trainable = NULL;
  g_autofree char *macs = NULL;
  guint n_errors, n_waiting;

  g_string_append_printf (out, "**%s** ", _("Model:"));
  append_markdown_escaped (out, graph_name (graph));
  g_string_append (out, "\n\n|");
  append_markdown_cell (out, _("Layer"));
  append_markdown_cell (out, _("Type"));
  append_markdown_cell (out, _("Output shape"));
  append_markdown_cell (out, _("Params"));
  append_markdown_cell (out, _("MACs"));
  append_markdown_cell (out, _("Connected to"));
  g_string_append (out, "\n| --- | --- | --- | ---: | ---: | --- |\n");

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      gboolean ok = row->info->state == NS_LAYER_OK;
      g_autofree char *params = ok ? ns_format_count (row->info->params) : g_strdup ("?");
      g_autofree char *layer_macs = ok ? ns_format_count (row->info->macs) : g_strdup ("?");
      GString *connected = g_string_new (NULL);

      for (guint j = 0; j < row->inputs->len; j++)
        g_string_append_printf (connected, "%s%s", j > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (row->inputs, j));

      g_string_append_c (out, '|');
      append_markdown_cell (out, ns_layer_get_name (row->layer));
      append_markdown_cell (out, ns_layer_get_class_name (row->layer));
      append_markdown_cell (out, row->shape_text);
      append_markdown_cell (out, params);
      append_markdown_cell (out, layer_macs);
      append_markdown_cell (out, connected->str);
      g_string_append_c (out, '\n');
      g_string_free (connected, TRUE);
    }

  ns_graph_get_totals (graph, &totals);
  total = ns_format_count (totals.params);
  trainable = ns_format_count (totals.trainable_params);
  non_trainable = ns_format_count (totals.non_trainable_params);
  macs = format_macs (totals.macs);
  g_string_append (out, "\n- ");
  g_string_append_printf (out, _("Total params: %s"), total);
  g_string_append (out, "\n- ");
  g_string_append_printf (out, _("Trainable params: %s"), trainable);
  g_string_append (out, "\n- ");
  g_string_append_printf (out, _("Non-trainable params: %s"), non_trainable);
  g_string_append (out, "\n- ");
  g_string_append_printf (out, _("Total MACs: %s"), macs);
  g_string_append_c (out, '\n');

  count_problems (rows, &n_errors, &n_waiting);
  append_problem_counts (out, "- ", n_errors, n_waiting);
  return g_string_free (out, FALSE);
}

char *
ns_summary_format (NsGraph         *graph,
                   NsSummaryFormat  format)
{
  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  switch (format)
    {
    case NS_SUMMARY_TEXT:
      return format_text (graph);
    case NS_SUMMARY_JSON:
      return format_json (graph);
    case NS_SUMMARY_MARKDOWN:
      return format_markdown (graph);
    default:
      g_return_val_if_reached (NULL);
    }
}
