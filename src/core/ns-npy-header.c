/* ns-npy-header.c: the header of a .npy file: a Python dict literal, parsed
 * as one (any key order, any spacing, trailing commas, Python 2 longs) rather
 * than matched against the text np.save happens to write. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-npy-private.h"
#include "ns-types.h"

typedef struct {
  const char *text;
  gsize       len;
  gsize       pos;
  const char *name;       /* the file, for messages */
  GError    **error;
} Parser;


static gboolean
parse_fail (Parser     *parser,
            const char *what)
{
  /* The first failure is the one to report. */
  if (parser->error != NULL && *parser->error != NULL)
    return FALSE;
  g_set_error (parser->error, NS_ERROR, NS_ERROR_PARSE,
               _("%s: the .npy header cannot be read at character %u: %s"),
               parser->name, (guint) parser->pos + 1, what);
  return FALSE;
}

static void
skip_space (Parser *parser)
{
  while (parser->pos < parser->len && strchr (" \t\r\n", parser->text[parser->pos]) != NULL &&
         parser->text[parser->pos] != '\0')
    parser->pos++;
}

/* Skips spaces, then reports whether the next character is @c (consuming it). */
static gboolean
accept (Parser *parser,
        char    c)
{
  skip_space (parser);
  if (parser->pos < parser->len && parser->text[parser->pos] == c)
    {
      parser->pos++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
expect (Parser *parser,
        char    c)
{
  g_autofree char *what = NULL;

  if (accept (parser, c))
    return TRUE;
  what = g_strdup_printf (_("expected “%c”"), c);
  return parse_fail (parser, what);
}

/* A Python string literal in single or double quotes. */
static char *
parse_string (Parser *parser)
{
  GString *value;
  char quote;

  skip_space (parser);
  if (parser->pos >= parser->len ||
      (parser->text[parser->pos] != '\'' && parser->text[parser->pos] != '"'))
    {
      parse_fail (parser, _("expected a quoted string"));
      return NULL;
    }
  quote = parser->text[parser->pos++];
  value = g_string_new (NULL);
  while (parser->pos < parser->len && parser->text[parser->pos] != quote)
    {
      if (parser->text[parser->pos] == '\\' && parser->pos + 1 < parser->len)
        parser->pos++;
      g_string_append_c (value, parser->text[parser->pos++]);
    }
  if (parser->pos >= parser->len)
    {
      g_string_free (value, TRUE);
      parse_fail (parser, _("a string is not closed"));
      return NULL;
    }
  parser->pos++;
  return g_string_free (value, FALSE);
}

static gboolean
parse_bool (Parser   *parser,
            gboolean *value)
{
  skip_space (parser);
  if (parser->len - parser->pos >= 4 && strncmp (parser->text + parser->pos, "True", 4) == 0)
    {
      parser->pos += 4;
      *value = TRUE;
      return TRUE;
    }
  if (parser->len - parser->pos >= 5 && strncmp (parser->text + parser->pos, "False", 5) == 0)
    {
      parser->pos += 5;
      *value = FALSE;
      return TRUE;
    }
  return parse_fail (parser, _("expected True or False"));
}

/* A non-negative Python int; the "L" of Python 2's longs is allowed, as numpy
 * allows it in version 1.0 and 2.0 headers. */
static gboolean
parse_int (Parser *parser,
           gint64 *value)
{
  gint64 v = 0;
  gsize start;

  skip_space (parser);
  start = parser->pos;
  while (parser->pos < parser->len && g_ascii_isdigit (parser->text[parser->pos]))
    {
      if (!ns_checked_mul (v, 10, &v) || !ns_checked_add (v, parser->text[parser->pos] - '0', &v))
        {
          parser->pos = start;
          return parse_fail (parser, _("a dimension is too large"));
        }
      parser->pos++;
    }
  if (parser->pos == start)
    return parse_fail (parser, _("expected a dimension (a whole number ≥ 0)"));
  if (parser->pos < parser->len && (parser->text[parser->pos] == 'L' || parser->text[parser->pos] == 'l'))
    parser->pos++;
  *value = v;
  return TRUE;
}

/* "()", "(5,)", "(1, 2, 3)", "(1, 2, 3,)"; "(5)" is an int in Python, not a shape. */
static gboolean
parse_shape (Parser      *parser,
             NsNpyHeader *header)
{
  guint n_commas = 0;
  gsize start;

  skip_space (parser);
  start = parser->pos;
  if (!expect (parser, '('))
    return FALSE;
  header->rank = 0;
  while (!accept (parser, ')'))
    {
      gint64 dim = 0;

      if (!parse_int (parser, &dim))
        return FALSE;
      if (header->rank == G_N_ELEMENTS (header->dims))
        {
          g_set_error (parser->error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("%s holds an array of more than %u dimensions; Netsketch reads at most %u "
                         "(the batch and %u more)"),
                       parser->name, (guint) G_N_ELEMENTS (header->dims),
                       (guint) G_N_ELEMENTS (header->dims), NS_MAX_RANK);
          return FALSE;
        }
      header->dims[header->rank++] = dim;
      if (accept (parser, ','))
        n_commas++;
      else if (!accept (parser, ')'))
        return parse_fail (parser, _("expected “,” or “)” in the shape"));
      else
        break;
    }
  if (header->rank == 1 && n_commas == 0)
    {
      parser->pos = start;
      return parse_fail (parser, _("the shape is a number in parentheses, not a tuple"));
    }
  return TRUE;
}

/* @key_start: where the key was, for messages about it. */
static gboolean
parse_value (Parser      *parser,
             const char  *key,
             gsize        key_start,
             NsNpyHeader *header)
{
  gboolean *seen;
  g_autofree char *what = NULL;

  if (g_str_equal (key, "descr"))
    seen = &header->has_descr;
  else if (g_str_equal (key, "fortran_order"))
    seen = &header->has_fortran_order;
  else if (g_str_equal (key, "shape"))
    seen = &header->has_shape;
  else
    {
      g_autofree char *valid = g_utf8_make_valid (key, -1);

      what = g_strdup_printf (_("unexpected key “%s” (a .npy header has “descr”, "
                                "“fortran_order” and “shape”)"), valid);
      parser->pos = key_start;
      return parse_fail (parser, what);
    }
  if (*seen)
    {
      what = g_strdup_printf (_("“%s” is given twice"), key);
      parser->pos = key_start;
      return parse_fail (parser, what);
    }
  *seen = TRUE;

  if (g_str_equal (key, "descr"))
    {
      skip_space (parser);
      /* A list describes a structured dtype: skip it, its type is refused later. */
      if (parser->pos < parser->len && parser->text[parser->pos] == '[')
        {
          guint depth = 0;

          for (; parser->pos < parser->len; parser->pos++)
            {
              char c = parser->text[parser->pos];

              if (c == '[' || c == '(')
                depth++;
              else if ((c == ']' || c == ')') && --depth == 0)
                break;
            }
          if (parser->pos >= parser->len)
            return parse_fail (parser, _("a list is not closed"));
          parser->pos++;
          return TRUE;
        }
      header->descr = parse_string (parser);
      return header->descr != NULL;
    }
  if (g_str_equal (key, "fortran_order"))
    return parse_bool (parser, &header->fortran_order);
  return parse_shape (parser, header);
}

static gboolean
parse_header (Parser      *parser,
              NsNpyHeader *header)
{
  if (!expect (parser, '{'))
    return FALSE;
  while (!accept (parser, '}'))
    {
      g_autofree char *key = NULL;
      gsize key_start;

      skip_space (parser);
      key_start = parser->pos;
      key = parse_string (parser);
      if (key == NULL || !expect (parser, ':') || !parse_value (parser, key, key_start, header))
        return FALSE;
      if (!accept (parser, ','))
        {
          if (!accept (parser, '}'))
            return parse_fail (parser, _("expected “,” or “}” after a value"));
          break;
        }
    }
  skip_space (parser);
  if (parser->pos < parser->len)
    return parse_fail (parser, _("unexpected text after the dict"));

  for (guint i = 0; i < 3; i++)
    {
      static const char *const keys[] = { "descr", "fortran_order", "shape" };
      const gboolean seen[] = { header->has_descr, header->has_fortran_order, header->has_shape };

      if (!seen[i])
        {
          g_set_error (parser->error, NS_ERROR, NS_ERROR_PARSE,
                       _("%s: the .npy header has no “%s”"), parser->name, keys[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* "float64", "big-endian float32", "int32": what a NumPy type string holds. */
static char *
describe_dtype (const char *descr)
{
  static const struct {
    char        kind;
    const char *name;
    gboolean    sized;     /* NumPy's name ends in the bits: "float" + "64" */
  } kinds[] = {
    { 'f', "float", TRUE },
    { 'i', "int", TRUE },
    { 'u', "uint", TRUE },
    { 'c', "complex", TRUE },
    { 'b', "bool", FALSE },
    { 'U', N_("unicode strings"), FALSE },
    { 'S', N_("byte strings"), FALSE },
    { 'a', N_("byte strings"), FALSE },
    { 'O', N_("Python objects"), FALSE },
    { 'M', "datetime64", FALSE },
    { 'm', "timedelta64", FALSE },
    { 'V', N_("raw bytes"), FALSE },
  };
  const char *p = descr;
  gboolean big_endian = FALSE;
  guint64 size = 0;
  char *end = NULL;

  if (*p == '<' || *p == '>' || *p == '|' || *p == '=')
    big_endian = *p++ == '>';
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (*p == kinds[i].kind)
      {
        g_autofree char *name = NULL;

        if (g_ascii_isdigit (p[1]))
          size = g_ascii_strtoull (p + 1, &end, 10);
        if (kinds[i].sized)
          {
            if (end == NULL || *end != '\0' || size == 0 || size > 64)
              break;
            name = g_strdup_printf ("%s%u", kinds[i].name, (guint) size * 8);
          }
        else
          name = g_strdup (_(kinds[i].name));
        /* Translators: %s is a NumPy data type such as “float64”. */
        return big_endian && size > 1 ? g_strdup_printf (_("big-endian %s"), name)
                                      : g_steal_pointer (&name);
      }
  return g_strdup (_("an unknown dtype"));
}

char *
ns_npy_format_shape (guint         rank,
                     const gint64 *dims)
{
  GString *text = g_string_new ("(");

  for (guint i = 0; i < rank; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", dims[i]);
  if (rank == 1)
    g_string_append_c (text, ',');
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

gboolean
ns_npy_header_check (const NsNpyHeader  *header,
                     const char         *name,
                     gint64             *n_values,
                     GError            **error)
{
  g_autofree char *shape = ns_npy_format_shape (header->rank, header->dims);

  if (header->descr == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s holds a structured array; Netsketch reads float32 ('<f4')"), name);
      return FALSE;
    }
  if (!g_str_equal (header->descr, "<f4"))
    {
      g_autofree char *descr = g_utf8_make_valid (header->descr, -1);
      g_autofree char *kind = describe_dtype (descr);

      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s holds %s ('%s'); Netsketch reads float32 ('<f4')"), name, kind, descr);
      return FALSE;
    }
  if (header->fortran_order)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s is stored in Fortran order; Netsketch reads C order "
                     "(save numpy.ascontiguousarray of the array)"), name);
      return FALSE;
    }
  if (header->rank == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s holds a single number; Netsketch reads arrays with the batch first"), name);
      return FALSE;
    }

  *n_values = 1;
  for (guint i = 0; i < header->rank; i++)
    {
      if (header->dims[i] == 0)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("%s holds no values: its shape is %s"), name, shape);
          return FALSE;
        }
      /* Four bytes a value, and the count must fit a gint64 and a gsize. */
      if (!ns_checked_mul (*n_values, header->dims[i], n_values) ||
          *n_values > (gint64) (MIN ((guint64) G_MAXINT64, (guint64) G_MAXSIZE) / sizeof (float)))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                       _("%s: shape %s is too large to load"), name, shape);
          return FALSE;
        }
    }
  return TRUE;
}

void
ns_npy_header_clear (NsNpyHeader *header)
{
  g_clear_pointer (&header->descr, g_free);
}

gboolean
ns_npy_header_parse (const char   *text,
                     gsize         length,
                     const char   *name,
                     NsNpyHeader  *header,
                     GError      **error)
{
  Parser parser = { text, length, 0, name, error };

  return parse_header (&parser, header);
}
