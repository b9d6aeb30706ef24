/* ns-palette.c: NsPalette: one row per layer type, under a header per
 * category, filtered by a search entry. The rows come from the core's
 * catalog, so a new layer type shows up here without touching this file. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ns-canvas.h"
#include "ns-palette.h"
#include "ns-render.h"

struct _NsPalette
{
  GtkWidget       parent_instance;

  GtkSearchEntry *search_entry;
  GtkListBox     *list;
  GtkStack       *stack;
  char           *query;      /* casefolded search text, or NULL */
};

G_DEFINE_FINAL_TYPE (NsPalette, ns_palette, GTK_TYPE_WIDGET)

enum { TYPE_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const NsLayerType *
row_get_type (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "ns-layer-type");
}

static gboolean
matches (const NsLayerType *type,
         const char        *query)
{
  const char *fields[] = {
    ns_layer_type_get_label (type),
    type->keras_class,
    type->description != NULL ? g_dgettext (GETTEXT_PACKAGE, type->description) : NULL,
    ns_category_get_label (type->category),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = NULL;

      if (fields[i] == NULL)
        continue;
      /* g_str_match_string also finds words after accents are stripped. */
      if (g_str_match_string (query, fields[i], TRUE))
        return TRUE;
      folded = g_utf8_casefold (fields[i], -1);
      if (strstr (folded, query) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  NsPalette *self = user_data;

  return self->query == NULL || matches (row_get_type (row), self->query);
}

/* A category heading above the first visible row of each category. */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const NsLayerType *type = row_get_type (row);
  GtkWidget *header;

  if (before != NULL && row_get_type (before)->category == type->category)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (ns_category_get_label (type->category));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "ns-palette-heading");
  gtk_list_box_row_set_header (row, header);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  const NsLayerType *type = row_get_type (GTK_LIST_BOX_ROW (row));
  g_autofree char *payload = g_strconcat (NS_LAYER_TYPE_DRAG_PREFIX, type->keras_class, NULL);

  return gdk_content_provider_new_typed (G_TYPE_STRING, payload);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static GtkWidget *
create_swatch (NsCategory category)
{
  GtkWidget *swatch = gtk_image_new ();
  g_autofree char *css_class = g_strconcat ("ns-category-", ns_category_get_id (category), NULL);

  gtk_widget_set_size_request (swatch, 6, 28);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "ns-swatch");
  gtk_widget_add_css_class (swatch, css_class);
  return swatch;
}

static GtkWidget *
create_row (const NsLayerType *type)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (ns_layer_type_get_label (type));
  GtkWidget *subtitle = gtk_label_new (type->keras_class);
  GtkDragSource *source = gtk_drag_source_new ();

  g_object_set_data (G_OBJECT (row), "ns-layer-type", (gpointer) type);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), create_swatch (type->category));
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_add_css_class (box, "ns-palette-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  if (type->description != NULL)
    gtk_widget_set_tooltip_text (row, g_dgettext (GETTEXT_PACKAGE, type->description));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, ns_layer_type_get_label (type),
                                  -1);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  return row;
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  NsPalette     *self)
{
  g_signal_emit (self, signals[TYPE_ACTIVATED], 0, row_get_type (row));
}

static GtkListBoxRow *
first_visible_row (NsPalette *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
on_search_changed (GtkSearchEntry *entry,
                   NsPalette      *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_clear_pointer (&self->query, g_free);
  if (text[0] != '\0')
    self->query = g_utf8_casefold (text, -1);
  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_invalidate_headers (self->list);
  gtk_stack_set_visible_child_name (self->stack,
                                    first_visible_row (self) != NULL ? "list" : "empty");
}

/* Enter in the search entry adds the first match, as in GNOME's launchers. */
static void
on_search_activate (GtkSearchEntry *entry,
                    NsPalette      *self)
{
  GtkListBoxRow *row = first_visible_row (self);

  if (row != NULL)
    on_row_activated (self->list, row, self);
}

static void
on_stop_search (GtkSearchEntry *entry,
                NsPalette      *self)
{
  ns_palette_reset (self);
}

static void
fill_list (NsPalette *self)
{
  guint n_types;
  const NsLayerType *const *types = ns_layer_types_get_all (&n_types);

  /* The catalog lists types in palette order; group by category, stable. */
  for (guint category = 0; category < NS_N_CATEGORIES; category++)
    for (guint i = 0; i < n_types; i++)
      if (types[i]->category == category && g_strcmp0 (types[i]->keras_class, "OpaqueLayer") != 0)
        gtk_list_box_append (self->list, create_row (types[i]));
}

static void
ns_palette_dispose (GObject *object)
{
  NsPalette *self = NS_PALETTE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ns_palette_parent_class)->dispose (object);
}

static void
ns_palette_finalize (GObject *object)
{
  g_free (NS_PALETTE (object)->query);
  G_OBJECT_CLASS (ns_palette_parent_class)->finalize (object);
}

static void
ns_palette_class_init (NsPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ns_palette_dispose;
  object_class->finalize = ns_palette_finalize;

  signals[TYPE_ACTIVATED] =
    g_signal_new ("type-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nspalette");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ns_palette_init (NsPalette *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);
  g_object_set (self->search_entry,
                "placeholder-text", _("Search layers"),
                NULL);
  gtk_widget_set_margin_start (GTK_WIDGET (self->search_entry), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->search_entry), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->search_entry), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->search_entry), 6);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (on_search_activate), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
  gtk_widget_set_parent (GTK_WIDGET (self->search_entry), GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->list, FALSE);
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_list_box_set_header_func (self->list, update_header, self, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Layer types"),
                                  -1);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  fill_list (self);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "edit-find-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Matching Layers"));
  gtk_widget_add_css_class (empty, "compact");

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
}

GtkWidget *
ns_palette_new (void)
{
  return g_object_new (NS_TYPE_PALETTE, NULL);
}

void
ns_palette_focus_search (NsPalette *self)
{
  g_return_if_fail (NS_IS_PALETTE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
ns_palette_reset (NsPalette *self)
{
  g_return_if_fail (NS_IS_PALETTE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* For the swatches: one CSS class per category, in the renderer's colours. */
char *
ns_palette_get_category_css (void)
{
  GString *css = g_string_new (NULL);

  for (guint category = 0; category < NS_N_CATEGORIES; category++)
    {
      double r, g, b;

      ns_render_category_colour (category, &r, &g, &b);
      g_string_append_printf (css, ".ns-category-%s { background-color: rgb(%d, %d, %d); }\n",
                              ns_category_get_id (category),
                              (int) (r * 255 + .5), (int) (g * 255 + .5), (int) (b * 255 + .5));
    }
  return g_string_free (css, FALSE);
}
