/* ns-document.c: the .netsketch format: loading with exact error positions, canonical saving. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ns-document.h"

/* Deeper nesting than any real document has; json-glib recurses per level and
 * would overflow the stack on a hostile file long before running out of data. */
#define MAX_DEPTH 100

/* Top-level keys that the graph does not hold are kept here for saving. */
#define GRAPH_EXTRA_KEY "ns-document-extra"

typedef struct {
  const char *data;
  gsize       length;
  const char *display_name;
  GArray     *line_starts;     /* gsize byte offset of every line */
  gsize       first_token;     /* offset of the first non-blank byte */
  gsize       last_token;      /* offset where the last token starts */
  gsize       end;             /* offset just past the last non-blank byte */
  char        open_at_end;     /* '}', ']' or '"' still expected at the end, or 0 */

  JsonParser *parser;
  GArray     *starts;          /* gsize: opening brackets not yet closed */
  GHashTable *positions;       /* JsonObject*, JsonArray* or scalar JsonNode* → offset + 1 */
  GHashTable *member_counts;   /* JsonObject* → members announced so far */
  char       *duplicate_key;   /* the first key seen twice in one object */
  gsize       duplicate_offset;
} LoadContext;

static void
load_context_clear (LoadContext *ctx)
{
  g_clear_pointer (&ctx->line_starts, g_array_unref);
  g_clear_pointer (&ctx->starts, g_array_unref);
  g_clear_pointer (&ctx->positions, g_hash_table_unref);
  g_clear_pointer (&ctx->member_counts, g_hash_table_unref);
  g_clear_pointer (&ctx->duplicate_key, g_free);
  g_clear_object (&ctx->parser);
}

/* --- positions -------------------------------------------------------- */

/* 1-based line and column; columns count characters, as editors show them. */
static void
offset_to_line_column (LoadContext *ctx,
                       gsize        offset,
                       guint       *line,
                       guint       *column)
{
  guint lo = 0, hi = ctx->line_starts->len;
  gsize start;

  offset = MIN (offset, ctx->length);
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (ctx->line_starts, gsize, mid) <= offset)
        lo = mid;
      else
        hi = mid;
    }
  start = g_array_index (ctx->line_starts, gsize, lo);
  *line = lo + 1;
  /* Invalid UTF-8 only reaches here as the offending byte itself. */
  *column = g_utf8_validate (ctx->data + start, offset - start, NULL)
            ? (guint) g_utf8_strlen (ctx->data + start, offset - start) + 1
            : (guint) (offset - start) + 1;
}

/* json-glib's scanner reports 1-based lines and byte columns. */
static gsize
scanner_to_offset (LoadContext *ctx,
                   guint        line,
                   guint        byte_column)
{
  gsize offset;

  if (line == 0 || line > ctx->line_starts->len)
    return ctx->end;
  offset = g_array_index (ctx->line_starts, gsize, line - 1) + MAX (byte_column, 1) - 1;
  return MIN (offset, ctx->length > 0 ? ctx->length - 1 : 0);
}

static gsize
lookup_offset (LoadContext   *ctx,
               gconstpointer  key)
{
  gsize stored = GPOINTER_TO_SIZE (g_hash_table_lookup (ctx->positions, key));
  return stored > 0 ? stored - 1 : ctx->first_token;
}

static gsize
node_offset (LoadContext *ctx,
             JsonNode    *node)
{
  if (node == NULL)
    return ctx->first_token;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return lookup_offset (ctx, json_node_get_object (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return lookup_offset (ctx, json_node_get_array (node));
  return lookup_offset (ctx, node);
}

static void
set_offset (LoadContext   *ctx,
            gconstpointer  key,
            gsize          offset)
{
  g_hash_table_insert (ctx->positions, (gpointer) key, GSIZE_TO_POINTER (offset + 1));
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The scanner has just read a scalar and sits on its last byte, or on the
 * ',', ']' or '}' after it: walk back to where the scalar starts. */
static gsize
scalar_start (LoadContext *ctx,
              gsize        offset)
{
  const char *d = ctx->data;
  gsize i = offset;

  if (d[i] == ',' || d[i] == ']' || d[i] == '}')
    {
      while (i > 0 && (d[i] == ',' || d[i] == ']' || d[i] == '}' || is_blank (d[i])))
        i--;
    }
  if (d[i] == '"')
    {
      for (gsize j = i; j > 0; j--)
        {
          gsize backslashes = 0;

          if (d[j - 1] != '"')
            continue;
          while (j - 1 > backslashes && d[j - 2 - backslashes] == '\\')
            backslashes++;
          if (backslashes % 2 == 0)
            return j - 1;
        }
      return 0;
    }
  while (i > 0 && (g_ascii_isalnum (d[i - 1]) || d[i - 1] == '.' ||
                   d[i - 1] == '-' || d[i - 1] == '+'))
    i--;
  return i;
}

static gsize
current_offset (LoadContext *ctx)
{
  return scanner_to_offset (ctx, json_parser_get_current_line (ctx->parser),
                            json_parser_get_current_pos (ctx->parser));
}

static void
on_container_start (JsonParser  *parser,
                    LoadContext *ctx)
{
  gsize offset = current_offset (ctx);
  g_array_append_val (ctx->starts, offset);
}

static void
on_container_end (JsonParser    *parser,
                  gconstpointer  container,
                  LoadContext   *ctx)
{
  g_return_if_fail (ctx->starts->len > 0);
  set_offset (ctx, container, g_array_index (ctx->starts, gsize, ctx->starts->len - 1));
  g_array_set_size (ctx->starts, ctx->starts->len - 1);
}

static void
note_scalar (LoadContext *ctx,
             JsonNode    *node)
{
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    set_offset (ctx, node, scalar_start (ctx, current_offset (ctx)));
}

static void
on_object_member (JsonParser  *parser,
                  JsonObject  *object,
                  const char  *name,
                  LoadContext *ctx)
{
  JsonNode *node = json_object_get_member (object, name);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->member_counts, object)) + 1;

  note_scalar (ctx, node);
  g_hash_table_insert (ctx->member_counts, object, GUINT_TO_POINTER (count));
  /* json-glib silently lets a repeated key replace the first one. */
  if (json_object_get_size (object) < count && ctx->duplicate_key == NULL)
    {
      ctx->duplicate_key = g_strdup (name);
      ctx->duplicate_offset = node_offset (ctx, node);
    }
}

static void
on_array_element (JsonParser  *parser,
                  JsonArray   *array,
                  int          index,
                  LoadContext *ctx)
{
  note_scalar (ctx, json_array_get_element (array, index));
}

/* --- errors ----------------------------------------------------------- */

static void fail_at (LoadContext *ctx,
                     GError     **error,
                     int          code,
                     gsize        offset,
                     const char  *path,
                     const char  *format,
                     ...) G_GNUC_PRINTF (6, 7);

/* "name:line:column: path: message"; the path is left out at the top level. */
static void
fail_at (LoadContext *ctx,
         GError     **error,
         int          code,
         gsize        offset,
         const char  *path,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  guint line, column;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  offset_to_line_column (ctx, offset, &line, &column);
  if (path != NULL)
    g_set_error (error, NS_ERROR, code, "%s:%u:%u: %s: %s",
                 ctx->display_name, line, column, path, message);
  else
    g_set_error (error, NS_ERROR, code, "%s:%u:%u: %s",
                 ctx->display_name, line, column, message);
}

/* Adds where to an error that says what (from ns_value or NsGraph). */
static void
prefix_at (LoadContext *ctx,
           GError     **error,
           gsize        offset,
           const char  *path)
{
  guint line, column;

  offset_to_line_column (ctx, offset, &line, &column);
  g_prefix_error (error, "%s:%u:%u: %s: ", ctx->display_name, line, column, path);
}

/* What a node holds, for "got …": JSON text for scalars. */
static char *
describe_node (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("an object"));
  text = json_to_string (node, FALSE);
  if (JSON_NODE_HOLDS_ARRAY (node) && g_utf8_strlen (text, -1) > 40)
    return g_strdup (_("a list"));
  if (g_utf8_strlen (text, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 37);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* --- lexical checks before json-glib ---------------------------------- */

static gboolean
prescan_number (LoadContext *ctx,
                gsize       *i,
                GError     **error)
{
  gsize start = *i, end = start;
  gboolean integral = TRUE;

  while (end < ctx->length && (g_ascii_isdigit (ctx->data[end]) || strchr ("+-.eE", ctx->data[end])))
    {
      if (strchr (".eE", ctx->data[end]))
        integral = FALSE;
      end++;
    }
  *i = end;
  if (integral)
    {
      g_autofree char *text = g_strndup (ctx->data + start, end - start);
      g_autoptr(GError) local_error = NULL;

      /* json-glib wraps such integers around without a word. */
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, &local_error) &&
          g_error_matches (local_error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        {
          fail_at (ctx, error, NS_ERROR_PARSE, start, NULL,
                   _("the integer %s is too large: integers must fit in 64 bits"), text);
          return FALSE;
        }
    }
  return TRUE;
}

/* Finds line starts, bad UTF-8, empty documents, absurd nesting, integers
 * past int64, text after the document, and where a truncated one ends. */
static gboolean
prescan (LoadContext *ctx,
         GError     **error)
{
  g_autoptr(GString) open = g_string_new (NULL);
  gboolean seen_root = FALSE, in_string = FALSE;
  const char *invalid = NULL;
  gsize zero = 0, i = 0;

  ctx->line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_array_append_val (ctx->line_starts, zero);
  for (gsize k = 0; k < ctx->length; k++)
    if (ctx->data[k] == '\n')
      {
        gsize next = k + 1;
        g_array_append_val (ctx->line_starts, next);
      }

  ctx->first_token = ctx->end = ctx->last_token = 0;
  if (!g_utf8_validate (ctx->data, ctx->length, &invalid))
    {
      fail_at (ctx, error, NS_ERROR_PARSE, invalid - ctx->data, NULL,
               _("the text is not valid UTF-8"));
      return FALSE;
    }

  while (i < ctx->length && is_blank (ctx->data[i]))
    i++;
  if (i == ctx->length)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, 0, NULL, _("the document is empty"));
      return FALSE;
    }
  ctx->first_token = i;

  for (i = ctx->first_token; i < ctx->length; )
    {
      char c = ctx->data[i];

      if (is_blank (c))
        {
          i++;
          continue;
        }
      if (seen_root && open->len == 0)
        {
          fail_at (ctx, error, NS_ERROR_PARSE, i, NULL,
                   _("unexpected text after the end of the document"));
          return FALSE;
        }
      ctx->last_token = i;
      if (c == '"')
        {
          in_string = TRUE;
          for (i++; i < ctx->length; i++)
            {
              if (ctx->data[i] == '\\')
                i++;
              else if (ctx->data[i] == '"')
                {
                  in_string = FALSE;
                  i++;
                  break;
                }
            }
        }
      else if (c == '{' || c == '[')
        {
          g_string_append_c (open, c == '{' ? '}' : ']');
          if (open->len > MAX_DEPTH)
            {
              fail_at (ctx, error, NS_ERROR_PARSE, i, NULL,
                       _("the document nests deeper than %d levels"), MAX_DEPTH);
              return FALSE;
            }
          seen_root = TRUE;
          i++;
        }
      else if (c == '}' || c == ']')
        {
          if (open->len > 0)
            g_string_truncate (open, open->len - 1);
          i++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!prescan_number (ctx, &i, error))
            return FALSE;
        }
      else if (g_ascii_isalpha (c))
        {
          while (i < ctx->length && (g_ascii_isalnum (ctx->data[i]) || ctx->data[i] == '_'))
            i++;
        }
      else
        i++;
      ctx->end = MIN (i, ctx->length);
    }

  ctx->open_at_end = in_string ? '"' : open->len > 0 ? open->str[open->len - 1] : 0;
  return TRUE;
}

/* The token starting at @offset, shortened for messages. */
static char *
token_at (LoadContext *ctx,
          gsize        offset)
{
  const char *d = ctx->data;
  gsize end = offset + 1;

  if (d[offset] == '"')
    {
      while (end < ctx->length && d[end] != '"' && d[end] != '\n' && end - offset < 32)
        end += d[end] == '\\' && end + 1 < ctx->length ? 2 : 1;
      end = MIN (end + 1, ctx->length);
    }
  else if (g_ascii_isalnum (d[offset]) || strchr ("-+.", d[offset]))
    {
      while (end < ctx->length && end - offset < 32 &&
             (g_ascii_isalnum (d[end]) || strchr ("-+._", d[end])))
        end++;
    }
  else
    end = g_utf8_next_char (d + offset) - d;
  return g_strndup (d + offset, MIN (end, ctx->length) - offset);
}

/* json-glib's English for what it expected, in our words; NULL when unknown. */
static const char *
describe_expected (const char *json_glib_text)
{
  static const struct { const char *theirs, *ours; } table[] = {
    { "string constant", N_("a key in double quotes") },
    { "value", N_("a value") },
    { "character `,'", N_("“,”") },
    { "character `:'", N_("“:”") },
    { "character `]'", N_("“]”") },
    { "character `}'", N_("“}”") },
  };
  const char *found = json_glib_text ? strstr (json_glib_text, ", expected ") : NULL;

  if (found == NULL)
    return NULL;
  found += strlen (", expected ");
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (found, table[i].theirs))
      return _(table[i].ours);
  return NULL;
}

/* json-glib reports "<data>:3:5: Parse error: unexpected X, expected Y" where
 * 3:5 and X are the last token it accepted, not the one it choked on: point at
 * the next token instead, and name it. */
static void
fail_syntax (LoadContext  *ctx,
             const GError *json_error,
             GError      **error)
{
  const char *message = json_error->message;
  gsize offset = ctx->end;
  guint line = 0, column = 0;
  int consumed = 0;
  g_autofree char *token = NULL;
  const char *expected;

  if (g_str_has_prefix (message, "<data>:") &&
      sscanf (message + strlen ("<data>:"), "%u:%u:%n", &line, &column, &consumed) == 2 &&
      consumed > 0)
    offset = scanner_to_offset (ctx, line, column);

  /* A file cut short makes json-glib complain about its last token. */
  if (ctx->open_at_end != 0 && offset >= ctx->last_token)
    {
      if (ctx->open_at_end == '"')
        fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL,
                 _("the document ends inside a string; it may have been cut short"));
      else
        fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL,
                 _("the document ends early: expected “%c”; it may have been cut short"),
                 ctx->open_at_end);
      return;
    }

  if (g_error_matches (json_error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_BAREWORD))
    {
      /* Here the reported token is the culprit itself; the scanner sits on its end. */
      while (offset > 0 && (g_ascii_isalnum (ctx->data[offset - 1]) || ctx->data[offset - 1] == '_'))
        offset--;
      token = token_at (ctx, offset);
      fail_at (ctx, error, NS_ERROR_PARSE, offset, NULL,
               _("“%s” is not a JSON value; text needs double quotes"), token);
      return;
    }

  if (offset < ctx->length)
    offset++;
  while (offset < ctx->length && is_blank (ctx->data[offset]))
    offset++;
  if (offset >= ctx->length)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL, _("the document ends early"));
      return;
    }
  token = token_at (ctx, offset);
  expected = describe_expected (message);
  if (expected != NULL)
    fail_at (ctx, error, NS_ERROR_PARSE, offset, NULL,
             _("unexpected “%s”, expected %s"), token, expected);
  else
    fail_at (ctx, error, NS_ERROR_PARSE, offset, NULL, _("unexpected “%s”"), token);
}

/* --- building the graph ----------------------------------------------- */

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
read_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

/* A required non-empty string member. */
static const char *
require_string (LoadContext *ctx,
                JsonObject  *object,
                const char  *key,
                const char  *parent_path,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strdup_printf ("%s.%s", parent_path, key);

  if (node == NULL)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, object), path,
               _("missing, expected a string"));
      return NULL;
    }
  if (!is_string (node) || *json_node_get_string (node) == '\0')
    {
      g_autofree char *got = describe_node (node);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, node), path,
               _("expected a non-empty string, got %s"), got);
      return NULL;
    }
  return json_node_get_string (node);
}

/* Lower case without underscores: how a misspelt class name is matched. */
static char *
normalize_type_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_auto(GStrv) parts = g_strsplit (lower, "_", -1);

  return g_strjoinv ("", parts);
}

/* Case and underscores aside, "conv2d" and "batch_normalization" are plain
 * misspellings of a known class; anything further is not guessed at: Conv3D
 * is a real Keras layer, not a typo of Conv2D. */
static const char *
suggest_type (const char *given)
{
  g_autofree char *want = normalize_type_name (given);
  const NsLayerType *const *types;
  guint n_types = 0;

  types = ns_layer_types_get_all (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autofree char *by_class = normalize_type_name (types[i]->keras_class);
      g_autofree char *by_name = types[i]->default_name
                                 ? normalize_type_name (types[i]->default_name) : NULL;

      if (g_str_equal (want, by_class) || g_strcmp0 (want, by_name) == 0)
        return types[i]->keras_class;
    }
  return NULL;
}

static gboolean
is_known_key (const char        *key,
              const char *const *known)
{
  return g_strv_contains (known, key);
}

/* Unknown members of @object, in file order, or NULL when there are none. */
static JsonObject *
collect_extra (JsonObject        *object,
               const char *const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);
  JsonObject *extra = NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (is_known_key (l->data, known))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
    }
  return extra;
}

static gboolean
load_config (LoadContext *ctx,
             NsGraph     *graph,
             NsLayer     *layer,
             JsonObject  *config,
             const char  *layer_path,
             JsonObject **extra_config,
             GError     **error)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  g_autoptr(GList) members = json_object_get_members (config);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (config, key);
      int index = ns_layer_type_find_prop (type, key);
      g_autofree char *path = NULL;
      NsValue value;

      if (index < 0)
        {
          /* A setting this Netsketch does not know: keep it for saving. */
          if (*extra_config == NULL)
            *extra_config = json_object_new ();
          json_object_set_member (*extra_config, key, json_node_copy (node));
          continue;
        }
      path = g_strdup_printf ("%s.config.%s", layer_path, key);
      if (!ns_value_from_json (&type->props[index], node, &value, error) ||
          (!ns_value_equal (&value, &ns_layer_get_values (layer)[index]) &&
           !ns_graph_set_value (graph, layer, key, &value, error)))
        {
          prefix_at (ctx, error, node_offset (ctx, node), path);
          return FALSE;
        }
    }
  return TRUE;
}

/* Returns the layer added (owned by the graph), or NULL. */
static NsLayer *
load_layer (LoadContext *ctx,
            NsGraph     *graph,
            guint        index,
            JsonNode    *node,
            GError     **error)
{
  static const char *const known[] = { "id", "type", "name", "position", "config", NULL };
  g_autofree char *path = g_strdup_printf ("layers[%u]", index);
  g_autoptr(NsLayer) layer = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(JsonObject) extra_config = NULL;
  const NsLayerType *type;
  const char *id, *type_name, *name;
  JsonObject *object;
  JsonNode *position, *config;
  double x = 0, y = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = describe_node (node);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, node), path,
               _("expected a layer (an object), got %s"), got);
      return NULL;
    }
  object = json_node_get_object (node);

  if ((id = require_string (ctx, object, "id", path, error)) == NULL ||
      (type_name = require_string (ctx, object, "type", path, error)) == NULL ||
      (name = require_string (ctx, object, "name", path, error)) == NULL)
    return NULL;

  type = ns_layer_types_lookup (type_name);
  if (type == NULL)
    {
      const char *suggestion = suggest_type (type_name);
      g_autofree char *type_path = g_strdup_printf ("%s.type", path);
      gsize offset = node_offset (ctx, json_object_get_member (object, "type"));

      if (suggestion != NULL)
        fail_at (ctx, error, NS_ERROR_UNKNOWN_TYPE, offset, type_path,
                 _("unknown layer type “%s”; did you mean “%s”?"), type_name, suggestion);
      else
        fail_at (ctx, error, NS_ERROR_UNKNOWN_TYPE, offset, type_path,
                 _("unknown layer type “%s”; this version of Netsketch cannot use it"),
                 type_name);
      return NULL;
    }

  position = json_object_get_member (object, "position");
  if (position != NULL &&
      (!JSON_NODE_HOLDS_ARRAY (position) ||
       json_array_get_length (json_node_get_array (position)) != 2 ||
       !read_number (json_array_get_element (json_node_get_array (position), 0), &x) ||
       !read_number (json_array_get_element (json_node_get_array (position), 1), &y)))
    {
      g_autofree char *got = describe_node (position);
      g_autofree char *position_path = g_strdup_printf ("%s.position", path);

      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, position), position_path,
               _("expected two numbers [x, y], got %s"), got);
      return NULL;
    }

  config = json_object_get_member (object, "config");
  if (config != NULL && !JSON_NODE_HOLDS_OBJECT (config))
    {
      g_autofree char *got = describe_node (config);
      g_autofree char *config_path = g_strdup_printf ("%s.config", path);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, config), config_path,
               _("expected an object of settings, got %s"), got);
      return NULL;
    }

  layer = ns_layer_new (type, id, name);
  ns_layer_set_position (layer, x, y);
  if (!ns_graph_add_layer (graph, layer, error))
    {
      /* Say which of the two clashes, pointing at the clashing value. */
      const char *key = ns_graph_find_by_id (graph, id) != NULL ? "id"
                        : ns_graph_find_by_name (graph, name) != NULL ? "name" : NULL;
      g_autofree char *key_path = key ? g_strdup_printf ("%s.%s", path, key) : g_strdup (path);

      prefix_at (ctx, error,
                 key ? node_offset (ctx, json_object_get_member (object, key))
                     : lookup_offset (ctx, object),
                 key_path);
      return NULL;
    }

  if (config != NULL &&
      !load_config (ctx, graph, layer, json_node_get_object (config), path, &extra_config, error))
    return NULL;

  extra = collect_extra (object, known);
  if (extra_config != NULL)
    {
      /* "config" is a known key, so it cannot clash with a kept one. */
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_object_member (extra, "config", g_steal_pointer (&extra_config));
    }
  if (extra != NULL)
    ns_layer_set_extra (layer, extra);
  return layer;
}

typedef struct {
  guint    index;       /* in the file */
  guint    target;      /* the target layer's place in the file */
  guint    port;
  NsLayer *from;
  NsLayer *to;
} Connection;

static int
compare_connections (gconstpointer a,
                     gconstpointer b)
{
  const Connection *ca = a, *cb = b;

  if (ca->target != cb->target)
    return ca->target < cb->target ? -1 : 1;
  if (ca->port != cb->port)
    return ca->port < cb->port ? -1 : 1;
  return ca->index < cb->index ? -1 : ca->index > cb->index;
}

static NsLayer *
read_endpoint (LoadContext *ctx,
               NsGraph     *graph,
               JsonObject  *object,
               const char  *key,
               const char  *parent_path,
               GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", parent_path, key);
  JsonNode *node = json_object_get_member (object, key);
  NsLayer *layer;

  if (node == NULL)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, object), path,
               _("missing, expected a layer id"));
      return NULL;
    }
  if (!is_string (node))
    {
      g_autofree char *got = describe_node (node);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, node), path,
               _("expected a layer id (a string), got %s"), got);
      return NULL;
    }
  layer = ns_graph_find_by_id (graph, json_node_get_string (node));
  if (layer == NULL)
    fail_at (ctx, error, NS_ERROR_GRAPH, node_offset (ctx, node), path,
             _("no layer has id “%s”"), json_node_get_string (node));
  return layer;
}

static gboolean
load_connections (LoadContext *ctx,
                  NsGraph     *graph,
                  JsonArray   *array,
                  GHashTable  *layer_index,
                  GError     **error)
{
  guint n = json_array_get_length (array);
  g_autofree Connection *connections = g_new0 (Connection, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("connections[%u]", i);
      Connection *c = &connections[i];
      JsonObject *object;
      JsonNode *port;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *got = describe_node (node);
          fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, node), path,
                   _("expected a connection {\"from\", \"to\", \"port\"}, got %s"), got);
          return FALSE;
        }
      object = json_node_get_object (node);
      c->index = i;
      if ((c->from = read_endpoint (ctx, graph, object, "from", path, error)) == NULL ||
          (c->to = read_endpoint (ctx, graph, object, "to", path, error)) == NULL)
        return FALSE;
      c->target = GPOINTER_TO_UINT (g_hash_table_lookup (layer_index, c->to));

      port = json_object_get_member (object, "port");
      if (port == NULL || !is_integer (port) ||
          json_node_get_int (port) < 0 || json_node_get_int (port) > G_MAXINT)
        {
          g_autofree char *port_path = g_strconcat (path, ".port", NULL);
          g_autofree char *got = port ? describe_node (port) : NULL;

          if (port == NULL)
            fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, object), port_path,
                     _("missing, expected an input port number from 0 up"));
          else
            fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, port), port_path,
                     _("expected an input port number from 0 up, got %s"), got);
          return FALSE;
        }
      c->port = (guint) json_node_get_int (port);
    }

  /* Merge layers fill their ports in order, whatever order the file lists them in. */
  qsort (connections, n, sizeof (Connection), compare_connections);
  for (guint i = 0; i < n; i++)
    {
      Connection *c = &connections[i];

      if (!ns_graph_connect (graph, c->from, c->to, c->port, error))
        {
          g_autofree char *path = g_strdup_printf ("connections[%u]", c->index);
          prefix_at (ctx, error, node_offset (ctx, json_array_get_element (array, c->index)), path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_header (LoadContext *ctx,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");
  gint64 number;

  if (format == NULL)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, root), "format",
               _("missing, expected \"%s\""), NS_DOCUMENT_FORMAT);
      return FALSE;
    }
  if (!is_string (format) || !g_str_equal (json_node_get_string (format), NS_DOCUMENT_FORMAT))
    {
      g_autofree char *got = describe_node (format);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, format), "format",
               _("expected \"%s\", got %s"), NS_DOCUMENT_FORMAT, got);
      return FALSE;
    }
  if (version == NULL)
    {
      fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, root), "version",
               _("missing, expected the integer %d"), NS_DOCUMENT_VERSION);
      return FALSE;
    }
  if (!is_integer (version))
    {
      g_autofree char *got = describe_node (version);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, version), "version",
               _("expected the integer %d, got %s"), NS_DOCUMENT_VERSION, got);
      return FALSE;
    }
  number = json_node_get_int (version);
  if (number > NS_DOCUMENT_VERSION)
    {
      fail_at (ctx, error, NS_ERROR_VERSION, node_offset (ctx, version), "version",
               _("this document was written by a newer Netsketch (format version %" G_GINT64_FORMAT
                 "); this one reads version %d"), number, NS_DOCUMENT_VERSION);
      return FALSE;
    }
  if (number < NS_DOCUMENT_VERSION)
    {
      fail_at (ctx, error, NS_ERROR_VERSION, node_offset (ctx, version), "version",
               _("there is no format version %" G_GINT64_FORMAT "; this Netsketch reads version %d"),
               number, NS_DOCUMENT_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
build_graph (LoadContext *ctx,
             NsGraph     *graph,
             JsonNode    *root_node,
             GError     **error)
{
  static const char *const known[] = { "format", "version", "name", "layers", "connections", NULL };
  g_autoptr(GHashTable) layer_index = g_hash_table_new (NULL, NULL);
  JsonObject *root, *extra;
  JsonNode *name, *layers, *connections;
  JsonArray *array;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_autofree char *got = describe_node (root_node);
      fail_at (ctx, error, NS_ERROR_PARSE, ctx->first_token, NULL,
               _("expected a Netsketch document (a JSON object), got %s"), got);
      return FALSE;
    }
  root = json_node_get_object (root_node);
  if (!check_header (ctx, root, error))
    return FALSE;

  name = json_object_get_member (root, "name");
  if (name != NULL && !is_string (name))
    {
      g_autofree char *got = describe_node (name);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, name), "name",
               _("expected a string, got %s"), got);
      return FALSE;
    }
  if (name != NULL)
    ns_graph_set_name (graph, json_node_get_string (name));

  layers = json_object_get_member (root, "layers");
  if (layers == NULL || !JSON_NODE_HOLDS_ARRAY (layers))
    {
      g_autofree char *got = describe_node (layers);
      if (layers == NULL)
        fail_at (ctx, error, NS_ERROR_PARSE, lookup_offset (ctx, root), "layers",
                 _("missing, expected a list of layers"));
      else
        fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, layers), "layers",
                 _("expected a list of layers, got %s"), got);
      return FALSE;
    }
  array = json_node_get_array (layers);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      NsLayer *layer = load_layer (ctx, graph, i, json_array_get_element (array, i), error);

      if (layer == NULL)
        return FALSE;
      g_hash_table_insert (layer_index, layer, GUINT_TO_POINTER (i));
    }

  connections = json_object_get_member (root, "connections");
  if (connections != NULL && !JSON_NODE_HOLDS_ARRAY (connections))
    {
      g_autofree char *got = describe_node (connections);
      fail_at (ctx, error, NS_ERROR_PARSE, node_offset (ctx, connections), "connections",
               _("expected a list of connections, got %s"), got);
      return FALSE;
    }
  if (connections != NULL &&
      !load_connections (ctx, graph, json_node_get_array (connections), layer_index, error))
    return FALSE;

  extra = collect_extra (root, known);
  if (extra != NULL)
    g_object_set_data_full (G_OBJECT (graph), GRAPH_EXTRA_KEY, extra,
                            (GDestroyNotify) json_object_unref);
  return TRUE;
}

NsGraph *
ns_document_load_from_data (const char  *data,
                            gssize       length,
                            const char  *display_name,
                            GError     **error)
{
  LoadContext ctx = { 0 };
  g_autoptr(GError) json_error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ctx.data = data != NULL ? data : "";
  ctx.length = length < 0 ? strlen (ctx.data) : (gsize) length;
  ctx.display_name = display_name != NULL ? display_name : _("document");

  if (!prescan (&ctx, error))
    {
      load_context_clear (&ctx);
      return NULL;
    }

  ctx.parser = json_parser_new ();
  ctx.starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  ctx.positions = g_hash_table_new (NULL, NULL);
  ctx.member_counts = g_hash_table_new (NULL, NULL);
  g_signal_connect (ctx.parser, "object-start", G_CALLBACK (on_container_start), &ctx);
  g_signal_connect (ctx.parser, "array-start", G_CALLBACK (on_container_start), &ctx);
  g_signal_connect (ctx.parser, "object-end", G_CALLBACK (on_container_end), &ctx);
  g_signal_connect (ctx.parser, "array-end", G_CALLBACK (on_container_end), &ctx);
  g_signal_connect (ctx.parser, "object-member", G_CALLBACK (on_object_member), &ctx);
  g_signal_connect (ctx.parser, "array-element", G_CALLBACK (on_array_element), &ctx);

  ok = json_parser_load_from_data (ctx.parser, ctx.data, ctx.length, &json_error);
  if (!ok || ctx.open_at_end != 0)
    {
      if (json_error == NULL)
        json_error = g_error_new_literal (JSON_PARSER_ERROR, JSON_PARSER_ERROR_UNKNOWN, "");
      fail_syntax (&ctx, json_error, error);
      load_context_clear (&ctx);
      return NULL;
    }
  if (ctx.duplicate_key != NULL)
    {
      fail_at (&ctx, error, NS_ERROR_PARSE, ctx.duplicate_offset, NULL,
               _("the key “%s” appears twice in the same object"), ctx.duplicate_key);
      load_context_clear (&ctx);
      return NULL;
    }

  graph = ns_graph_new ();
  ns_graph_freeze_inference (graph);
  ok = build_graph (&ctx, graph, json_parser_get_root (ctx.parser), error);
  load_context_clear (&ctx);
  if (!ok)
    return NULL;   /* dropped still frozen: no point inferring half a graph */

  ns_graph_thaw_inference (graph);
  return g_steal_pointer (&graph);
}

NsGraph *
ns_document_load (GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;
  display_name = g_file_get_basename (file);
  return ns_document_load_from_data (contents, length, display_name, error);
}

/* --- saving ----------------------------------------------------------- */

static void
write_indent (GString *out,
              guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double; integral values keep
 * a ".0" unless @integral_as_int, so a real stays a real across a round trip. */
static void
write_double (GString  *out,
              double    value,
              gboolean  integral_as_int)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_ascii_formatd (buffer, sizeof buffer, integral_as_int ? "%.0f" : "%.1f", value);
      g_string_append (out, strcmp (buffer, "-0") == 0 ? "0" : buffer);
      return;
    }
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static gboolean
is_scalar (JsonNode *node)
{
  return !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node);
}

static void write_node (GString  *out,
                        JsonNode *node,
                        guint     depth);

/* Members are written with the separator before them, so that the last one
 * needs no look-ahead: ",\n" after the first, "\n" before it. */
static void
write_member (GString    *out,
              const char *key,
              JsonNode   *node,
              guint       depth,
              gboolean    first)
{
  g_string_append (out, first ? "\n" : ",\n");
  write_indent (out, depth);
  write_string (out, key);
  g_string_append (out, ": ");
  write_node (out, node, depth);
}

/* Lists of scalars stay on one line ([128, 128, 3]); everything else is one
 * member or element per line. */
static void
write_node (GString  *out,
            JsonNode *node,
            guint     depth)
{
  if (JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null");
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        write_double (out, json_node_get_double (node), FALSE);
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        write_string (out, json_node_get_string (node));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      gboolean flat = TRUE;

      for (guint i = 0; i < n; i++)
        flat = flat && is_scalar (json_array_get_element (array, i));
      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (flat)
            g_string_append (out, i > 0 ? ", " : "");
          else
            {
              g_string_append (out, i > 0 ? ",\n" : "\n");
              write_indent (out, depth + 1);
            }
          write_node (out, json_array_get_element (array, i), depth + 1);
        }
      if (!flat && n > 0)
        {
          g_string_append_c (out, '\n');
          write_indent (out, depth);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        write_member (out, l->data, json_object_get_member (object, l->data),
                      depth + 1, l == members);
      if (members != NULL)
        {
          g_string_append_c (out, '\n');
          write_indent (out, depth);
        }
      g_string_append_c (out, '}');
    }
}

/* The unknown members kept in @extra (but @skip), after members already written. */
static void
write_extra (GString    *out,
             JsonObject *extra,
             const char *skip,
             guint       depth)
{
  g_autoptr(GList) members = extra ? json_object_get_members (extra) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (skip == NULL || !g_str_equal (l->data, skip))
      write_member (out, l->data, json_object_get_member (extra, l->data), depth, FALSE);
}

static void
write_layer (GString *out,
             NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsValue *values = ns_layer_get_values (layer);
  JsonObject *extra = ns_layer_get_extra (layer);
  JsonObject *extra_config = NULL;
  double x, y;

  if (extra != NULL && json_object_has_member (extra, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (extra, "config")))
    extra_config = json_object_get_object_member (extra, "config");

  ns_layer_get_position (layer, &x, &y);
  g_string_append (out, "    {\n      \"id\": ");
  write_string (out, ns_layer_get_id (layer));
  g_string_append (out, ",\n      \"type\": ");
  write_string (out, type->keras_class);
  g_string_append (out, ",\n      \"name\": ");
  write_string (out, ns_layer_get_name (layer));
  g_string_append (out, ",\n      \"position\": [");
  write_double (out, x, TRUE);
  g_string_append (out, ", ");
  write_double (out, y, TRUE);
  g_string_append (out, "],\n      \"config\": {");

  for (guint i = 0; i < type->n_props; i++)
    {
      g_autoptr(JsonNode) node = ns_value_to_json (&type->props[i], &values[i]);
      write_member (out, type->props[i].key, node, 4, i == 0);
    }
  if (extra_config != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (extra_config);

      for (GList *l = members; l != NULL; l = l->next)
        write_member (out, l->data, json_object_get_member (extra_config, l->data), 4,
                      type->n_props == 0 && l == members);
    }
  if (type->n_props > 0 || (extra_config != NULL && json_object_get_size (extra_config) > 0))
    g_string_append (out, "\n      }");
  else
    g_string_append_c (out, '}');

  write_extra (out, extra, "config", 3);
  g_string_append (out, "\n    }");
}

char *
ns_document_to_data (NsGraph *graph,
                     gsize   *length)
{
  GListModel *model = G_LIST_MODEL (graph);
  JsonObject *extra = g_object_get_data (G_OBJECT (graph), GRAPH_EXTRA_KEY);
  guint n_layers = g_list_model_get_n_items (model);
  gboolean any_connection = FALSE;
  GString *out;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  out = g_string_new ("{\n  \"format\": ");
  write_string (out, NS_DOCUMENT_FORMAT);
  g_string_append_printf (out, ",\n  \"version\": %d,\n  \"name\": ", NS_DOCUMENT_VERSION);
  write_string (out, ns_graph_get_name (graph) ? ns_graph_get_name (graph) : "");

  g_string_append (out, ",\n  \"layers\": [");
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      g_string_append (out, i > 0 ? ",\n" : "\n");
      write_layer (out, layer);
    }
  g_string_append (out, n_layers > 0 ? "\n  ],\n" : "],\n");

  /* By target in layer order, then by port: the order a reader expects. */
  g_string_append (out, "  \"connections\": [");
  for (guint i = 0; i < n_layers; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        {
          NsLayer *source = ns_layer_get_input (layer, port);

          if (source == NULL)
            continue;
          g_string_append (out, any_connection ? ",\n    {\"from\": " : "\n    {\"from\": ");
          write_string (out, ns_layer_get_id (source));
          g_string_append (out, ", \"to\": ");
          write_string (out, ns_layer_get_id (layer));
          g_string_append_printf (out, ", \"port\": %u}", port);
          any_connection = TRUE;
        }
    }
  g_string_append (out, any_connection ? "\n  ]" : "]");

  write_extra (out, extra, NULL, 1);
  g_string_append (out, "\n}\n");

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
ns_document_save (NsGraph       *graph,
                  GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = ns_document_to_data (graph, &length);
  /* GIO writes a temporary file beside the old one and renames it over it
   * once complete, so a crash or a full disk never leaves half a document. */
  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, cancellable, error);
}
