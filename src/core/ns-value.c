/* ns-value.c: reading, checking and writing layer config values. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ns-value.h"

static char *
describe_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("an object"));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("a list"));
  /* Scalars: show the JSON text itself, "64" and 64 differ. */
  return json_to_string (node, FALSE);
}

char *
ns_prop_decl_describe_expected (const NsPropDecl *decl)
{
  switch (decl->kind)
    {
    case NS_PROP_INT:
      return g_strdup_printf (_("an integer from %" PRId64 " to %" PRId64),
                              decl->min, decl->max);
    case NS_PROP_PAIR:
      return g_strdup_printf (_("an integer from %" PRId64 " to %" PRId64
                                " or a pair of them"), decl->min, decl->max);
    case NS_PROP_DOUBLE:
      return g_strdup_printf (_("a number from %g to %g"), decl->min_real, decl->max_real);
    case NS_PROP_BOOL:
      return g_strdup (_("true or false"));
    case NS_PROP_CHOICE:
      {
        g_autofree char *list = g_strjoinv ("\", \"", (char **) decl->choices);
        return g_strdup_printf (_("one of \"%s\""), list);
      }
    case NS_PROP_PADDING:
      return g_strdup_printf (_("\"valid\", \"same\" or a pair of integers from 0 to %" PRId64),
                              decl->max);
    case NS_PROP_MARGINS:
      return g_strdup_printf (_("an integer from 0 to %" PRId64
                                ", a pair of them or a pair of pairs"), decl->max);
    case NS_PROP_INTS:
      return g_strdup_printf (_("a list of at most %d integers from %" PRId64
                                " to %" PRId64), NS_MAX_RANK, decl->min, decl->max);
    case NS_PROP_STRING:
      return g_strdup (_("a text"));
    default:
      g_assert_not_reached ();
    }
}

static gboolean
fail_expected (const NsPropDecl *decl,
               JsonNode         *node,
               GError          **error)
{
  g_autofree char *expected = ns_prop_decl_describe_expected (decl);
  g_autofree char *got = describe_node (node);

  g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
               _("expected %s, got %s"), expected, got);
  return FALSE;
}

/* An integral JSON number (Keras writes 64, some writers 64.0). */
static gboolean
read_int (JsonNode *node,
          gint64   *out)
{
  GType vt;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  vt = json_node_get_value_type (node);
  if (vt == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (vt == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      if (d != floor (d) || d < -9.2e18 || d > 9.2e18)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_int_in_range (const NsPropDecl *decl,
                   JsonNode         *node,
                   gint64            min,
                   gint64           *out)
{
  return read_int (node, out) && *out >= min && *out <= decl->max;
}

/* Reads up to @max_len ints of [min, max] from an array node. */
static gboolean
read_int_list (const NsPropDecl *decl,
               JsonNode         *node,
               gint64            min,
               guint             max_len,
               gint64           *items,
               guint            *len)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  *len = json_array_get_length (array);
  if (*len > max_len)
    return FALSE;
  for (guint i = 0; i < *len; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if ((decl->flags & NS_PROP_FLAG_NONE_DIM) && JSON_NODE_HOLDS_NULL (item))
        items[i] = NS_DIM_NONE;
      else if (!read_int_in_range (decl, item, min, &items[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
ns_value_from_json (const NsPropDecl *decl,
                    JsonNode         *node,
                    NsValue          *value,
                    GError          **error)
{
  guint len = 0;

  memset (value, 0, sizeof *value);
  value->kind = decl->kind;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (decl->flags & NS_PROP_FLAG_NULLABLE)
        {
          value->is_null = TRUE;
          return TRUE;
        }
      return fail_expected (decl, node, error);
    }

  switch (decl->kind)
    {
    case NS_PROP_INT:
      if (!read_int_in_range (decl, node, decl->min, &value->integer))
        return fail_expected (decl, node, error);
      return TRUE;

    case NS_PROP_PAIR:
      if (read_int_in_range (decl, node, decl->min, &value->pair[0]))
        {
          value->pair[1] = value->pair[0];
          return TRUE;
        }
      if (!read_int_list (decl, node, decl->min, 2, value->pair, &len) || len != 2)
        return fail_expected (decl, node, error);
      return TRUE;

    case NS_PROP_DOUBLE:
      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
           json_node_get_value_type (node) != G_TYPE_INT64))
        return fail_expected (decl, node, error);
      value->real = json_node_get_double (node);
      if (!(value->real >= decl->min_real && value->real <= decl->max_real))
        return fail_expected (decl, node, error);
      return TRUE;

    case NS_PROP_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fail_expected (decl, node, error);
      value->boolean = json_node_get_boolean (node);
      return TRUE;

    case NS_PROP_CHOICE:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          for (guint i = 0; decl->choices[i] != NULL; i++)
            if (g_ascii_strcasecmp (s, decl->choices[i]) == 0)
              {
                value->choice = i;
                return TRUE;
              }
        }
      return fail_expected (decl, node, error);

    case NS_PROP_PADDING:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          if (g_ascii_strcasecmp (s, "valid") == 0)
            value->padding.mode = NS_PADDING_VALID;
          else if (g_ascii_strcasecmp (s, "same") == 0)
            value->padding.mode = NS_PADDING_SAME;
          else
            return fail_expected (decl, node, error);
          return TRUE;
        }
      value->padding.mode = NS_PADDING_EXPLICIT;
      if (read_int_in_range (decl, node, 0, &value->padding.explicit_hw[0]))
        {
          value->padding.explicit_hw[1] = value->padding.explicit_hw[0];
          return TRUE;
        }
      if (!read_int_list (decl, node, 0, 2, value->padding.explicit_hw, &len) || len != 2)
        return fail_expected (decl, node, error);
      return TRUE;

    case NS_PROP_MARGINS:
      /* Keras: p, (ph, pw) or ((top, bottom), (left, right)). */
      if (read_int_in_range (decl, node, 0, &value->margins[0]))
        {
          value->margins[1] = value->margins[2] = value->margins[3] = value->margins[0];
          return TRUE;
        }
      if (read_int_list (decl, node, 0, 2, value->margins, &len) && len == 2)
        {
          gint64 h = value->margins[0], w = value->margins[1];
          value->margins[0] = value->margins[1] = h;
          value->margins[2] = value->margins[3] = w;
          return TRUE;
        }
      if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 2)
        {
          JsonArray *outer = json_node_get_array (node);
          for (guint axis = 0; axis < 2; axis++)
            if (!read_int_list (decl, json_array_get_element (outer, axis), 0, 2,
                                &value->margins[2 * axis], &len) || len != 2)
              return fail_expected (decl, node, error);
          return TRUE;
        }
      return fail_expected (decl, node, error);

    case NS_PROP_INTS:
      if ((decl->flags & NS_PROP_FLAG_INT_AXIS) &&
          read_int_in_range (decl, node, decl->min, &value->ints.items[0]))
        {
          value->ints.len = 1;
          return TRUE;
        }
      if (!read_int_list (decl, node, decl->min, NS_MAX_RANK, value->ints.items, &value->ints.len))
        return fail_expected (decl, node, error);
      return TRUE;

    case NS_PROP_STRING:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return fail_expected (decl, node, error);
      value->string = g_intern_string (json_node_get_string (node));
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
int_list_node (const gint64 *items,
               guint         len,
               gboolean      none_as_null)
{
  JsonArray *array = json_array_sized_new (len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < len; i++)
    {
      if (none_as_null && items[i] == NS_DIM_NONE)
        json_array_add_null_element (array);
      else
        json_array_add_int_element (array, items[i]);
    }
  json_node_take_array (node, array);
  return node;
}

JsonNode *
ns_value_to_json (const NsPropDecl *decl,
                  const NsValue    *value)
{
  JsonNode *node;

  if (value->is_null)
    return json_node_new (JSON_NODE_NULL);

  switch (decl->kind)
    {
    case NS_PROP_INT:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, value->integer);
      return node;
    case NS_PROP_PAIR:
      return int_list_node (value->pair, 2, FALSE);
    case NS_PROP_DOUBLE:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, value->real);
      return node;
    case NS_PROP_BOOL:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, value->boolean);
      return node;
    case NS_PROP_CHOICE:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, decl->choices[value->choice]);
      return node;
    case NS_PROP_PADDING:
      if (value->padding.mode == NS_PADDING_EXPLICIT)
        return int_list_node (value->padding.explicit_hw, 2, FALSE);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value->padding.mode == NS_PADDING_SAME ? "same" : "valid");
      return node;
    case NS_PROP_MARGINS:
      {
        JsonArray *outer = json_array_sized_new (2);
        node = json_node_new (JSON_NODE_ARRAY);
        json_array_add_element (outer, int_list_node (&value->margins[0], 2, FALSE));
        json_array_add_element (outer, int_list_node (&value->margins[2], 2, FALSE));
        json_node_take_array (node, outer);
        return node;
      }
    case NS_PROP_INTS:
      return int_list_node (value->ints.items, value->ints.len,
                            (decl->flags & NS_PROP_FLAG_NONE_DIM) != 0);
    case NS_PROP_STRING:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value->string);
      return node;
    default:
      g_assert_not_reached ();
    }
}

gboolean
ns_value_equal (const NsValue *a,
                const NsValue *b)
{
  if (a->kind != b->kind || a->is_null != b->is_null)
    return FALSE;
  if (a->is_null)
    return TRUE;

  switch (a->kind)
    {
    case NS_PROP_INT:
      return a->integer == b->integer;
    case NS_PROP_PAIR:
      return a->pair[0] == b->pair[0] && a->pair[1] == b->pair[1];
    case NS_PROP_DOUBLE:
      return a->real == b->real;
    case NS_PROP_BOOL:
      return !a->boolean == !b->boolean;
    case NS_PROP_CHOICE:
      return a->choice == b->choice;
    case NS_PROP_PADDING:
      return a->padding.mode == b->padding.mode &&
             (a->padding.mode != NS_PADDING_EXPLICIT ||
              (a->padding.explicit_hw[0] == b->padding.explicit_hw[0] &&
               a->padding.explicit_hw[1] == b->padding.explicit_hw[1]));
    case NS_PROP_MARGINS:
      return memcmp (a->margins, b->margins, sizeof a->margins) == 0;
    case NS_PROP_INTS:
      return a->ints.len == b->ints.len &&
             memcmp (a->ints.items, b->ints.items, a->ints.len * sizeof (gint64)) == 0;
    case NS_PROP_STRING:
      return a->string == b->string;   /* interned */
    default:
      g_assert_not_reached ();
    }
}

gboolean
ns_value_validate (const NsPropDecl *decl,
                   const NsValue    *value,
                   GError          **error)
{
  g_autoptr(JsonNode) node = NULL;
  NsValue check;

  if (value->kind != decl->kind)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s: a value of the wrong kind"), decl->key);
      return FALSE;
    }
  if (decl->kind == NS_PROP_CHOICE && !value->is_null &&
      value->choice >= g_strv_length ((char **) decl->choices))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%s: choice %u does not exist"), decl->key, value->choice);
      return FALSE;
    }
  /* The JSON reader holds every range rule; one place decides what is valid. */
  node = ns_value_to_json (decl, value);
  if (!ns_value_from_json (decl, node, &check, error))
    {
      g_prefix_error (error, "%s: ", decl->key);
      return FALSE;
    }
  return TRUE;
}

char *
ns_value_to_string (const NsPropDecl *decl,
                    const NsValue    *value)
{
  if (value->is_null)
    return g_strdup ("None");

  switch (decl->kind)
    {
    case NS_PROP_INT:
      return g_strdup_printf ("%" PRId64, value->integer);
    case NS_PROP_PAIR:
      return g_strdup_printf ("%" PRId64 "×%" PRId64, value->pair[0], value->pair[1]);
    case NS_PROP_DOUBLE:
      return g_strdup_printf ("%g", value->real);
    case NS_PROP_BOOL:
      return g_strdup (value->boolean ? "true" : "false");
    case NS_PROP_CHOICE:
      return g_strdup (decl->choices[value->choice]);
    case NS_PROP_PADDING:
      if (value->padding.mode == NS_PADDING_EXPLICIT)
        return g_strdup_printf ("[%" PRId64 ", %" PRId64 "]",
                                value->padding.explicit_hw[0], value->padding.explicit_hw[1]);
      return g_strdup (value->padding.mode == NS_PADDING_SAME ? "same" : "valid");
    case NS_PROP_MARGINS:
      return g_strdup_printf ("((%" PRId64 ", %" PRId64 "), (%" PRId64
                              ", %" PRId64 "))", value->margins[0], value->margins[1],
                              value->margins[2], value->margins[3]);
    case NS_PROP_STRING:
      return g_strdup (value->string);
    case NS_PROP_INTS:
      {
        GString *s = g_string_new ("[");
        for (guint i = 0; i < value->ints.len; i++)
          {
            if (i > 0)
              g_string_append (s, ", ");
            if ((decl->flags & NS_PROP_FLAG_NONE_DIM) && value->ints.items[i] == NS_DIM_NONE)
              g_string_append (s, "None");
            else
              g_string_append_printf (s, "%" PRId64, value->ints.items[i]);
          }
        g_string_append_c (s, ']');
        return g_string_free (s, FALSE);
      }
    default:
      g_assert_not_reached ();
    }
}
