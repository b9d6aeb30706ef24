/* ns-inspector-widgets.c: the pieces the inspector's editors and its size
 * solver share: spin buttons that leave scrolling alone, height × width
 * pairs, rows with their editor under the title, and the text of values. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-inspector-private.h"

static gboolean
on_spin_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double step = 1;

  if (scrolled == NULL || (gtk_widget_get_state_flags (spin) & GTK_STATE_FLAG_FOCUS_WITHIN))
    return GDK_EVENT_PROPAGATE;

  /* GtkScrolledWindow's own wheel step. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    step = pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);
  return GDK_EVENT_STOP;
}

GtkWidget *
ns_inspector_spin_new (gint64 min,
                       gint64 max)
{
  GtkWidget *spin = gtk_spin_button_new_with_range ((double) min, (double) max, 1);
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_autofree char *widest = g_strdup_printf ("%" PRId64, max);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  /* Room for 2²⁴ filters, and more text than buttons: a click in the middle
   * edits the number rather than stepping it. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), CLAMP ((int) strlen (widest), 7, 8));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_spin_scroll), NULL);
  gtk_widget_add_controller (spin, scroll);
  return spin;
}

GtkWidget *
ns_inspector_pair_box_new (const char  *label,
                           gint64       min,
                           gint64       max,
                           GtkWidget  **spins,
                           GtkWidget  **link)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *times = gtk_label_new ("×");
  g_autofree char *height = g_strdup_printf (_("%s: height"), label);
  g_autofree char *width = g_strdup_printf (_("%s: width"), label);

  for (guint i = 0; i < 2; i++)
    {
      spins[i] = ns_inspector_spin_new (min, max);
      /* They share the line and take what it has: a narrow inspector fits. */
      gtk_editable_set_width_chars (GTK_EDITABLE (spins[i]), 2);
      gtk_widget_set_hexpand (spins[i], TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spins[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, i == 0 ? height : width,
                                      -1);
    }
  gtk_widget_add_css_class (times, "dim-label");

  *link = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (*link), "ns-link-symbolic");
  gtk_widget_set_valign (*link, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (*link, _("Same height and width"));
  gtk_widget_add_css_class (*link, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (*link),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Same height and width"),
                                  -1);

  gtk_box_append (GTK_BOX (box), spins[0]);
  gtk_box_append (GTK_BOX (box), times);
  gtk_box_append (GTK_BOX (box), spins[1]);
  gtk_box_append (GTK_BOX (box), *link);
  return box;
}

GtkWidget *
ns_inspector_wide_row_new (const char *title,
                           GtkWidget  *header_extra,
                           GtkWidget  *content)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (header), label);
  if (header_extra != NULL)
    gtk_box_append (GTK_BOX (header), header_extra);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), content);
  gtk_widget_add_css_class (box, "ns-wide-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* The text an entry shows for lists, reals and strings; "" for None. */
char *
ns_inspector_value_to_text (const NsPropDecl *decl,
                            const NsValue    *value)
{
  if (value->is_null)
    return g_strdup ("");
  if (decl->kind == NS_PROP_DOUBLE)
    {
      GString *text = g_string_new (NULL);

      ns_append_shortest_double (text, value->real);
      return g_string_free (text, FALSE);
    }
  return ns_value_to_string (decl, value);
}

/* Reads what a person types as Python or JSON: "(128, 128, 3)", "128, 128,
 * 3", "[None, 10]", "1e-3"; the core checks kind and range. */
gboolean
ns_inspector_text_to_value (const NsPropDecl  *decl,
                            const char        *text,
                            NsValue           *value,
                            GError           **error)
{
  g_autofree char *json = g_strstrip (g_strdup (text));
  g_autoptr(JsonNode) node = NULL;
  gsize len = strlen (json);

  if (len == 0 || g_str_equal (json, "None"))
    node = json_node_new (JSON_NODE_NULL);
  else if (decl->kind == NS_PROP_STRING)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, json);
    }
  else
    {
      g_autoptr(GRegex) none = g_regex_new ("\\bNone\\b", 0, 0, NULL);
      g_autoptr(GRegex) trailing = g_regex_new (",\\s*\\]", 0, 0, NULL);
      g_autofree char *nulls = NULL;

      if (json[0] == '(' && json[len - 1] == ')')
        json[0] = '[', json[len - 1] = ']';
      else if (json[0] != '[' && strchr (json, ',') != NULL)
        {
          char *wrapped = g_strdup_printf ("[%s]", json);

          g_free (json);
          json = wrapped;
        }
      nulls = g_regex_replace_literal (none, json, -1, 0, "null", 0, NULL);
      g_free (json);
      json = g_regex_replace_literal (trailing, nulls, -1, 0, "]", 0, NULL);
      node = json_from_string (json, NULL);
      if (node == NULL)
        {
          g_autofree char *expected = ns_prop_decl_describe_expected (decl);

          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE, _("expected %s"), expected);
          return FALSE;
        }
    }
  return ns_value_from_json (decl, node, value, error);
}
