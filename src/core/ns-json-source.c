/* ns-json-source.c: JSON parsed with the line and column of every value, so
 * that loaders can say exactly where a file is wrong. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "ns-json-source.h"

/* Deeper nesting than any real document has; json-glib recurses per level and
 * would overflow the stack on a hostile file long before running out of data. */
#define MAX_DEPTH 100

struct _NsJsonSource {
  const char *data;
  gsize       length;
  char       *display_name;
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
};

void
ns_json_source_free (NsJsonSource *ctx)
{
  if (ctx == NULL)
    return;
  g_free (ctx->display_name);
  g_clear_pointer (&ctx->line_starts, g_array_unref);
  g_clear_pointer (&ctx->starts, g_array_unref);
  g_clear_pointer (&ctx->positions, g_hash_table_unref);
  g_clear_pointer (&ctx->member_counts, g_hash_table_unref);
  g_clear_pointer (&ctx->duplicate_key, g_free);
  g_clear_object (&ctx->parser);
  g_free (ctx);
}

/* --- positions -------------------------------------------------------- */

/* 1-based line and column; columns count characters, as editors show them. */
static void
offset_to_line_column (NsJsonSource *ctx,
                       gsize         offset,
                       guint        *line,
                       guint        *column)
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
scanner_to_offset (NsJsonSource *ctx,
                   guint         line,
                   guint         byte_column)
{
  gsize offset;

  if (line == 0 || line > ctx->line_starts->len)
    return ctx->end;
  offset = g_array_index (ctx->line_starts, gsize, line - 1) + MAX (byte_column, 1) - 1;
  return MIN (offset, ctx->length > 0 ? ctx->length - 1 : 0);
}

gsize
ns_json_source_lookup_offset (NsJsonSource   *ctx,
                              gconstpointer  key)
{
  gsize stored = GPOINTER_TO_SIZE (g_hash_table_lookup (ctx->positions, key));
  return stored > 0 ? stored - 1 : ctx->first_token;
}

gsize
ns_json_source_node_offset (NsJsonSource *ctx,
                            JsonNode     *node)
{
  if (node == NULL)
    return ctx->first_token;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return ns_json_source_lookup_offset (ctx, json_node_get_object (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return ns_json_source_lookup_offset (ctx, json_node_get_array (node));
  return ns_json_source_lookup_offset (ctx, node);
}

static void
set_offset (NsJsonSource   *ctx,
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
scalar_start (NsJsonSource *ctx,
              gsize         offset)
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
current_offset (NsJsonSource *ctx)
{
  return scanner_to_offset (ctx, json_parser_get_current_line (ctx->parser),
                            json_parser_get_current_pos (ctx->parser));
}

static void
on_container_start (JsonParser  *parser,
                    NsJsonSource *ctx)
{
  gsize offset = current_offset (ctx);
  g_array_append_val (ctx->starts, offset);
}

static void
on_container_end (JsonParser    *parser,
                  gconstpointer  container,
                  NsJsonSource   *ctx)
{
  g_return_if_fail (ctx->starts->len > 0);
  set_offset (ctx, container, g_array_index (ctx->starts, gsize, ctx->starts->len - 1));
  g_array_set_size (ctx->starts, ctx->starts->len - 1);
}

static void
note_scalar (NsJsonSource *ctx,
             JsonNode     *node)
{
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    set_offset (ctx, node, scalar_start (ctx, current_offset (ctx)));
}

static void
on_object_member (JsonParser  *parser,
                  JsonObject  *object,
                  const char  *name,
                  NsJsonSource *ctx)
{
  JsonNode *node = json_object_get_member (object, name);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->member_counts, object)) + 1;

  note_scalar (ctx, node);
  g_hash_table_insert (ctx->member_counts, object, GUINT_TO_POINTER (count));
  /* json-glib silently lets a repeated key replace the first one. */
  if (json_object_get_size (object) < count && ctx->duplicate_key == NULL)
    {
      ctx->duplicate_key = g_strdup (name);
      ctx->duplicate_offset = ns_json_source_node_offset (ctx, node);
    }
}

static void
on_array_element (JsonParser  *parser,
                  JsonArray   *array,
                  int          index,
                  NsJsonSource *ctx)
{
  note_scalar (ctx, json_array_get_element (array, index));
}

/* --- errors ----------------------------------------------------------- */

/* "name:line:column: path: message"; the path is left out at the top level. */
void
ns_json_source_fail_at (NsJsonSource *ctx,
                        GError      **error,
                        int           code,
                        gsize         offset,
                        const char   *path,
                        const char   *format,
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
void
ns_json_source_prefix_at (NsJsonSource *ctx,
                          GError      **error,
                          gsize         offset,
                          const char   *path)
{
  guint line, column;

  offset_to_line_column (ctx, offset, &line, &column);
  g_prefix_error (error, "%s:%u:%u: %s: ", ctx->display_name, line, column, path);
}

/* What a node holds, for "got …": JSON text for scalars. */
char *
ns_json_describe_node (JsonNode *node)
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
prescan_number (NsJsonSource *ctx,
                gsize        *i,
                GError      **error)
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
          ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, start, NULL,
                                  _("the integer %s is too large: integers must fit in 64 bits"), text);
          return FALSE;
        }
    }
  return TRUE;
}

/* Finds line starts, bad UTF-8, empty documents, absurd nesting, integers
 * past int64, text after the document, and where a truncated one ends. */
static gboolean
prescan (NsJsonSource *ctx,
         GError      **error)
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
      ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, invalid - ctx->data, NULL,
                              _("the text is not valid UTF-8"));
      return FALSE;
    }

  while (i < ctx->length && is_blank (ctx->data[i]))
    i++;
  if (i == ctx->length)
    {
      ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, 0, NULL, _("the document is empty"));
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
          ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, i, NULL,
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
              ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, i, NULL,
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
token_at (NsJsonSource *ctx,
          gsize         offset)
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
fail_syntax (NsJsonSource  *ctx,
             const GError *json_error,
             GError      **error)
{
  const char *message = json_error->message;
  gsize offset = ctx->end;
  guint line = 0, column = 0;
  int consumed = 0;
  static const char *const json_words[] = { "true", "false", "null", NULL };
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
        ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL,
                                _("the document ends inside a string; it may have been cut short"));
      else
        ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL,
                                _("the document ends early: expected “%c”; it may have been cut short"),
                                ctx->open_at_end);
      return;
    }

  /* An unquoted word is the culprit itself, and the scanner sits on its end. */
  if (offset < ctx->length && g_ascii_isalpha (ctx->data[offset]))
    {
      gsize start = offset;

      while (start > 0 && (g_ascii_isalnum (ctx->data[start - 1]) || ctx->data[start - 1] == '_'))
        start--;
      token = token_at (ctx, start);
      if (!g_ascii_isdigit (ctx->data[start]) && !g_strv_contains (json_words, token))
        {
          ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, start, NULL,
                                  _("“%s” is not a JSON value; text needs double quotes"), token);
          return;
        }
      g_clear_pointer (&token, g_free);
    }

  if (offset < ctx->length)
    offset++;
  while (offset < ctx->length && is_blank (ctx->data[offset]))
    offset++;
  if (offset >= ctx->length)
    {
      ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, ctx->end, NULL, _("the document ends early"));
      return;
    }
  token = token_at (ctx, offset);
  expected = describe_expected (message);
  if (expected != NULL)
    ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, offset, NULL,
                            _("unexpected “%s”, expected %s"), token, expected);
  else
    ns_json_source_fail_at (ctx, error, NS_ERROR_PARSE, offset, NULL, _("unexpected “%s”"), token);
}

/* --- building the graph ----------------------------------------------- */

NsJsonSource *
ns_json_source_parse (const char  *data,
                      gssize       length,
                      const char  *display_name,
                      GError     **error)
{
  NsJsonSource *source = g_new0 (NsJsonSource, 1);
  g_autoptr(GError) json_error = NULL;
  gboolean ok;

  source->data = data != NULL ? data : "";
  source->length = length < 0 ? strlen (source->data) : (gsize) length;
  source->display_name = g_strdup (display_name);
  /* Some Windows editors start UTF-8 with a byte order mark; editors hide it,
   * so columns are counted after it. */
  if (source->length >= 3 && memcmp (source->data, "\xef\xbb\xbf", 3) == 0)
    {
      source->data += 3;
      source->length -= 3;
    }

  if (!prescan (source, error))
    {
      ns_json_source_free (source);
      return NULL;
    }

  source->parser = json_parser_new ();
  source->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  source->positions = g_hash_table_new (NULL, NULL);
  source->member_counts = g_hash_table_new (NULL, NULL);
  g_signal_connect (source->parser, "object-start", G_CALLBACK (on_container_start), source);
  g_signal_connect (source->parser, "array-start", G_CALLBACK (on_container_start), source);
  g_signal_connect (source->parser, "object-end", G_CALLBACK (on_container_end), source);
  g_signal_connect (source->parser, "array-end", G_CALLBACK (on_container_end), source);
  g_signal_connect (source->parser, "object-member", G_CALLBACK (on_object_member), source);
  g_signal_connect (source->parser, "array-element", G_CALLBACK (on_array_element), source);

  ok = json_parser_load_from_data (source->parser, source->data, source->length, &json_error);
  if (!ok || source->open_at_end != 0)
    {
      if (json_error == NULL)
        json_error = g_error_new_literal (JSON_PARSER_ERROR, JSON_PARSER_ERROR_UNKNOWN, "");
      fail_syntax (source, json_error, error);
      ns_json_source_free (source);
      return NULL;
    }
  if (source->duplicate_key != NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, source->duplicate_offset, NULL,
                              _("the key “%s” appears twice in the same object"), source->duplicate_key);
      ns_json_source_free (source);
      return NULL;
    }

  return source;
}

JsonNode *
ns_json_source_get_root (NsJsonSource *source)
{
  return json_parser_get_root (source->parser);
}
