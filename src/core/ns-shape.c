/* ns-shape.c: tensor shapes and checked int64 arithmetic. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-shape.h"

void
ns_shape_init (NsShape      *shape,
               guint         rank,
               const gint64 *dims)
{
  g_return_if_fail (rank <= NS_MAX_RANK);

  memset (shape, 0, sizeof *shape);
  shape->rank = rank;
  if (dims != NULL)
    memcpy (shape->dims, dims, rank * sizeof (gint64));
}

gboolean
ns_shape_equal (const NsShape *a,
                const NsShape *b)
{
  if (a->rank != b->rank)
    return FALSE;
  for (guint i = 0; i < a->rank; i++)
    if (a->dims[i] != b->dims[i])
      return FALSE;
  return TRUE;
}

gboolean
ns_shape_is_known (const NsShape *shape)
{
  for (guint i = 0; i < shape->rank; i++)
    if (shape->dims[i] == NS_DIM_NONE)
      return FALSE;
  return TRUE;
}

gboolean
ns_shape_elements (const NsShape *shape,
                   gint64        *out_elements)
{
  gint64 n = 1;

  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        {
          *out_elements = NS_DIM_NONE;
          return TRUE;
        }
      if (!ns_checked_mul (n, shape->dims[i], &n))
        return FALSE;
    }
  *out_elements = n;
  return TRUE;
}

char *
ns_shape_to_keras (const NsShape *shape)
{
  GString *s = g_string_new ("(None");

  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        g_string_append (s, ", None");
      else
        g_string_append_printf (s, ", %" PRId64, shape->dims[i]);
    }
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

char *
ns_shape_to_compact (const NsShape *shape)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < shape->rank; i++)
    {
      if (i > 0)
        g_string_append (s, "×");
      if (shape->dims[i] == NS_DIM_NONE)
        g_string_append_c (s, '?');
      else
        g_string_append_printf (s, "%" PRId64, shape->dims[i]);
    }
  return g_string_free (s, FALSE);
}

G_DEFINE_ENUM_TYPE (NsShapeOrder, ns_shape_order,
                    G_DEFINE_ENUM_VALUE (NS_SHAPE_ORDER_NHWC, "nhwc"),
                    G_DEFINE_ENUM_VALUE (NS_SHAPE_ORDER_NCHW, "nchw"))

void
ns_shape_reorder (const NsShape *shape,
                  NsShapeOrder   order,
                  NsShape       *out)
{
  NsShape copy = *shape;

  *out = copy;
  /* Rank 1 is (None, features): Dense and Flatten read the same in both. */
  if (order != NS_SHAPE_ORDER_NCHW || copy.rank < 2)
    return;
  out->dims[0] = copy.dims[copy.rank - 1];
  memcpy (&out->dims[1], &copy.dims[0], (copy.rank - 1) * sizeof (gint64));
}

char *
ns_shape_to_display_string (const NsShape *shape,
                            NsShapeOrder   order)
{
  NsShape shown;

  ns_shape_reorder (shape, order, &shown);
  return ns_shape_to_keras (&shown);
}

char *
ns_shape_to_display_compact (const NsShape *shape,
                             NsShapeOrder   order)
{
  NsShape shown;

  ns_shape_reorder (shape, order, &shown);
  return ns_shape_to_compact (&shown);
}

void
ns_shape_append_json (const NsShape *shape,
                      GString       *out)
{
  g_string_append (out, "[null");
  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        g_string_append (out, ",null");
      else
        g_string_append_printf (out, ",%" PRId64, shape->dims[i]);
    }
  g_string_append_c (out, ']');
}

char *
ns_format_count (gint64 value)
{
  char digits[32];
  GString *s = g_string_new (NULL);
  int len, lead;

  /* Group by hand: the locale's grouping is often empty in C.UTF-8. */
  len = g_snprintf (digits, sizeof digits, "%" PRIu64,
                    value < 0 ? (guint64) 0 - (guint64) value : (guint64) value);
  if (value < 0)
    g_string_append_c (s, '-');
  lead = len % 3 == 0 ? 3 : len % 3;
  g_string_append_len (s, digits, lead);
  for (int i = lead; i < len; i += 3)
    {
      g_string_append_c (s, ',');
      g_string_append_len (s, digits + i, 3);
    }
  return g_string_free (s, FALSE);
}

char *
ns_format_si (double value)
{
  static const char *const units[] = { "", " k", " M", " G", " T", " P", " E" };
  guint u = 0;

  while (ABS (value) >= 1000.0 && u + 1 < G_N_ELEMENTS (units))
    {
      value /= 1000.0;
      u++;
    }
  if (u == 0)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf (ABS (value) < 10 ? "%.2f%s" : ABS (value) < 100 ? "%.1f%s" : "%.0f%s",
                          value, units[u]);
}

char *
ns_format_bytes (gint64 bytes)
{
  return g_format_size_full ((guint64) MAX (bytes, 0), G_FORMAT_SIZE_IEC_UNITS);
}

void
ns_append_shortest_double (GString *out,
                           double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

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
