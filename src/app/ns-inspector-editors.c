/* ns-inspector-editors.c: the parameter editors, generated from the layer
 * type's declaration: spin buttons with the declared ranges, dropdowns for
 * choices, switches, height × width pairs with a link toggle, text for lists
 * and reals. Every change goes through the history. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ns-inspector-private.h"

typedef struct {
  NsInspector      *inspector;
  NsLayer          *layer;        /* what it edits; editors go with their layer */
  const NsPropDecl *decl;
  GtkWidget        *row;
  GtkWidget        *editor;       /* what ns_inspector_get_editor gives */
  GtkWidget        *spins[4];     /* pair: height, width; margins: t, b, l, r */
  GtkWidget        *link;         /* pair and explicit padding */
  GtkWidget        *none;         /* nullable INT and PAIR: the "None" check */
  GtkWidget        *mode;         /* padding: valid, same, explicit */
  GtkWidget        *detail;       /* padding: the explicit sizes */
  GtkWidget        *message;      /* wide rows: an error under the editor */
} NsEditor;

/* ---- Reading and writing values ----------------------------------------- */

static const NsValue *
editor_value (NsEditor *editor)
{
  return ns_layer_get_value (editor->layer, editor->decl->key);
}

static gint64
spin_get (GtkWidget *spin)
{
  return (gint64) llround (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)));
}

static void
spin_set (GtkWidget *spin,
          gint64     value)
{
  if (spin_get (spin) != value)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) value);
}

static void
editor_show_error (NsEditor   *editor,
                   const char *message)
{
  gtk_widget_set_tooltip_text (editor->editor, message);
  if (message != NULL)
    gtk_widget_add_css_class (editor->editor, "error");
  else
    gtk_widget_remove_css_class (editor->editor, "error");

  if (ADW_IS_ACTION_ROW (editor->row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (editor->row), message != NULL ? message : "");
  else
    {
      gtk_label_set_text (GTK_LABEL (editor->message), message != NULL ? message : "");
      gtk_widget_set_visible (editor->message, message != NULL);
    }
  if (message != NULL)
    gtk_widget_add_css_class (editor->row, "ns-invalid");
  else
    gtk_widget_remove_css_class (editor->row, "ns-invalid");
}

static void
editor_commit (NsEditor      *editor,
               const NsValue *value)
{
  NsInspector *self = editor->inspector;
  g_autoptr(GError) error = NULL;

  if (self->syncing > 0 || self->history == NULL)
    return;
  if (!ns_value_equal (value, editor_value (editor)) &&
      !ns_history_set_value (self->history, editor->layer, editor->decl->key, value, &error))
    {
      editor_show_error (editor, error->message);
      return;
    }
  editor_show_error (editor, NULL);
}

/* ---- Showing the layer's values ----------------------------------------- */

static void
editor_sync (NsEditor *editor)
{
  const NsPropDecl *decl = editor->decl;
  const NsValue *value = editor_value (editor);

  if (editor->none != NULL)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (editor->none), value->is_null);
      for (guint i = 0; i < 2; i++)
        if (editor->spins[i] != NULL)
          gtk_widget_set_sensitive (editor->spins[i], !value->is_null);
      if (editor->link != NULL)
        gtk_widget_set_sensitive (editor->link, !value->is_null);
      if (value->is_null)
        return;
    }

  switch (decl->kind)
    {
    case NS_PROP_INT:
      spin_set (editor->spins[0], value->integer);
      break;
    case NS_PROP_PAIR:
      spin_set (editor->spins[0], value->pair[0]);
      spin_set (editor->spins[1], value->pair[1]);
      if (value->pair[0] != value->pair[1])
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor->link), FALSE);
      break;
    case NS_PROP_PADDING:
      gtk_drop_down_set_selected (GTK_DROP_DOWN (editor->mode), value->padding.mode);
      gtk_widget_set_visible (editor->detail, value->padding.mode == NS_PADDING_EXPLICIT);
      if (value->padding.mode == NS_PADDING_EXPLICIT)
        {
          spin_set (editor->spins[0], value->padding.explicit_hw[0]);
          spin_set (editor->spins[1], value->padding.explicit_hw[1]);
          if (value->padding.explicit_hw[0] != value->padding.explicit_hw[1])
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor->link), FALSE);
        }
      break;
    case NS_PROP_MARGINS:
      for (guint i = 0; i < 4; i++)
        spin_set (editor->spins[i], value->margins[i]);
      break;
    case NS_PROP_BOOL:
      gtk_switch_set_active (GTK_SWITCH (editor->editor), value->boolean);
      break;
    case NS_PROP_CHOICE:
      gtk_drop_down_set_selected (GTK_DROP_DOWN (editor->editor), value->choice);
      break;
    case NS_PROP_DOUBLE:
    case NS_PROP_INTS:
    case NS_PROP_STRING:
      {
        g_autofree char *text = ns_inspector_value_to_text (decl, value);

        if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editor->editor)), text) != 0)
          gtk_editable_set_text (GTK_EDITABLE (editor->editor), text);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ns_inspector_sync_editors (NsInspector *self,
                           const char  *key)
{
  self->syncing++;
  for (guint i = 0; i < self->editors->len; i++)
    {
      NsEditor *editor = g_ptr_array_index (self->editors, i);

      if (key == NULL || g_str_equal (key, editor->decl->key))
        {
          editor_sync (editor);
          editor_show_error (editor, NULL);
        }
    }
  self->syncing--;
}

/* ---- Handlers ------------------------------------------------------------ */

static void
on_int_changed (NsEditor *editor)
{
  NsValue value = *editor_value (editor);

  value.is_null = FALSE;
  value.integer = spin_get (editor->spins[0]);
  editor_commit (editor, &value);
}

/* A pair, or the explicit sizes of a padding: linked, both follow @spin. */
static void
on_pair_changed (GtkWidget *spin,
                 NsEditor  *editor)
{
  NsValue value = *editor_value (editor);
  gint64 hw[2];

  if (editor->inspector->syncing > 0)
    return;
  hw[0] = spin_get (editor->spins[0]);
  hw[1] = spin_get (editor->spins[1]);
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (editor->link)))
    {
      GtkWidget *other = spin == editor->spins[0] ? editor->spins[1] : editor->spins[0];

      hw[0] = hw[1] = spin_get (spin);
      editor->inspector->syncing++;
      spin_set (other, hw[0]);
      editor->inspector->syncing--;
    }

  value.is_null = FALSE;
  if (editor->decl->kind == NS_PROP_PADDING)
    {
      value.padding.mode = NS_PADDING_EXPLICIT;
      value.padding.explicit_hw[0] = hw[0];
      value.padding.explicit_hw[1] = hw[1];
    }
  else
    {
      value.pair[0] = hw[0];
      value.pair[1] = hw[1];
    }
  editor_commit (editor, &value);
}

static void
on_link_toggled (NsEditor *editor)
{
  /* Linking two different sizes makes them one: the height wins. */
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (editor->link)))
    on_pair_changed (editor->spins[0], editor);
}

static void
on_none_toggled (NsEditor *editor)
{
  NsValue value = *editor_value (editor);

  value.is_null = gtk_check_button_get_active (GTK_CHECK_BUTTON (editor->none));
  if (editor->decl->kind == NS_PROP_INT)
    value.integer = spin_get (editor->spins[0]);
  else
    {
      value.pair[0] = spin_get (editor->spins[0]);
      value.pair[1] = spin_get (editor->spins[1]);
    }
  editor_commit (editor, &value);
}

static void
on_padding_mode_changed (NsEditor *editor)
{
  NsValue value = *editor_value (editor);
  guint mode = gtk_drop_down_get_selected (GTK_DROP_DOWN (editor->mode));
  int kernel = ns_layer_type_find_prop (ns_layer_get_layer_type (editor->layer), "kernel_size");

  if (mode == GTK_INVALID_LIST_POSITION)
    return;
  value.padding.mode = mode;
  if (mode == NS_PADDING_EXPLICIT &&
      value.padding.explicit_hw[0] == 0 && value.padding.explicit_hw[1] == 0)
    {
      /* Start from what keeps the size at stride 1, as PyTorch users write it. */
      for (guint i = 0; i < 2; i++)
        value.padding.explicit_hw[i] =
          kernel >= 0 ? MAX ((ns_layer_get_values (editor->layer)[kernel].pair[i] - 1) / 2, 1) : 1;
    }
  gtk_widget_set_visible (editor->detail, mode == NS_PADDING_EXPLICIT);
  editor_commit (editor, &value);
}

static void
on_margin_changed (NsEditor *editor)
{
  NsValue value = *editor_value (editor);

  for (guint i = 0; i < 4; i++)
    value.margins[i] = spin_get (editor->spins[i]);
  editor_commit (editor, &value);
}

static void
on_switch_changed (NsEditor *editor)
{
  NsValue value = *editor_value (editor);

  value.boolean = gtk_switch_get_active (GTK_SWITCH (editor->editor));
  editor_commit (editor, &value);
}

static void
on_choice_changed (NsEditor *editor)
{
  NsValue value = *editor_value (editor);
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (editor->editor));

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  value.choice = selected;
  editor_commit (editor, &value);
}

static void
on_text_commit (NsEditor *editor)
{
  g_autoptr(GError) error = NULL;
  NsValue value;

  if (editor->inspector->syncing > 0)
    return;
  if (!ns_inspector_text_to_value (editor->decl, gtk_editable_get_text (GTK_EDITABLE (editor->editor)),
                                   &value, &error))
    {
      /* The text stays as typed, so it can be corrected. */
      editor_show_error (editor, error->message);
      return;
    }
  editor_commit (editor, &value);
}

/* ---- Building ------------------------------------------------------------ */

static GtkWidget *
action_row_new (const char *title,
                GtkWidget  *suffix,
                GtkWidget  *activatable)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  if (activatable != NULL)
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), activatable);
  return row;
}

static GtkWidget *
none_check_new (NsEditor *editor)
{
  editor->none = gtk_check_button_new_with_label ("None");
  gtk_widget_set_tooltip_text (editor->none, _("Not set: Keras decides (None)"));
  g_signal_connect_swapped (editor->none, "toggled", G_CALLBACK (on_none_toggled), editor);
  return editor->none;
}

static GtkWidget *
pair_editor_new (NsEditor   *editor,
                 const char *label,
                 gint64      min,
                 gint64      max)
{
  GtkWidget *box = ns_inspector_pair_box_new (label, min, max, editor->spins, &editor->link);

  for (guint i = 0; i < 2; i++)
    g_signal_connect (editor->spins[i], "value-changed", G_CALLBACK (on_pair_changed), editor);
  g_signal_connect_swapped (editor->link, "toggled", G_CALLBACK (on_link_toggled), editor);
  return box;
}

static GtkWidget *
margins_editor_new (NsEditor   *editor,
                    const char *label)
{
  static const char *const sides[] = { N_("Top"), N_("Bottom"), N_("Left"), N_("Right") };
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  for (guint i = 0; i < 4; i++)
    {
      GtkWidget *side = gtk_label_new (_(sides[i]));
      g_autofree char *name = g_strdup_printf ("%s: %s", label, _(sides[i]));

      editor->spins[i] = ns_inspector_spin_new (editor->decl->min, editor->decl->max);
      gtk_editable_set_width_chars (GTK_EDITABLE (editor->spins[i]), 2);
      gtk_widget_set_hexpand (editor->spins[i], TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (editor->spins[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      g_signal_connect_swapped (editor->spins[i], "value-changed", G_CALLBACK (on_margin_changed), editor);
      gtk_label_set_xalign (GTK_LABEL (side), 0);
      gtk_widget_add_css_class (side, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), side, (i % 2) * 2, i / 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), editor->spins[i], (i % 2) * 2 + 1, i / 2, 1, 1);
    }
  return grid;
}

/* A wide row: @content under the title, and an error line under that. */
static GtkWidget *
editor_wide_row (NsEditor   *editor,
                 const char *label,
                 GtkWidget  *header_extra,
                 GtkWidget  *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  editor->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (editor->message), 0);
  gtk_label_set_wrap (GTK_LABEL (editor->message), TRUE);
  gtk_widget_add_css_class (editor->message, "error");
  gtk_widget_add_css_class (editor->message, "caption");
  gtk_widget_set_visible (editor->message, FALSE);
  gtk_box_append (GTK_BOX (box), content);
  gtk_box_append (GTK_BOX (box), editor->message);
  return ns_inspector_wide_row_new (label, header_extra, box);
}

static GtkWidget *
text_editor_new (NsEditor *editor)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  if (editor->decl->flags & NS_PROP_FLAG_NULLABLE)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "None");
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (on_text_commit), editor);
  /* Leaving the entry keeps what was typed, as a spin button does. */
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_text_commit), editor);
  gtk_widget_add_controller (entry, focus);
  return entry;
}

static NsEditor *
editor_new (NsInspector      *self,
            const NsPropDecl *decl)
{
  NsEditor *editor = g_new0 (NsEditor, 1);
  const char *label = _(decl->label);
  gboolean nullable = (decl->flags & NS_PROP_FLAG_NULLABLE) != 0;

  editor->inspector = self;
  editor->layer = self->layer;
  editor->decl = decl;

  switch (decl->kind)
    {
    case NS_PROP_INT:
      editor->editor = editor->spins[0] = ns_inspector_spin_new (decl->min, decl->max);
      g_signal_connect_swapped (editor->editor, "value-changed", G_CALLBACK (on_int_changed), editor);
      if (nullable)
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

          gtk_box_append (GTK_BOX (box), editor->editor);
          gtk_box_append (GTK_BOX (box), none_check_new (editor));
          editor->row = action_row_new (label, box, NULL);
        }
      else
        editor->row = action_row_new (label, editor->editor, editor->editor);
      break;

    case NS_PROP_PAIR:
      {
        GtkWidget *pair = pair_editor_new (editor, label, decl->min, decl->max);

        editor->editor = editor->spins[0];
        editor->row = editor_wide_row (editor, label, nullable ? none_check_new (editor) : NULL, pair);
      }
      break;

    case NS_PROP_PADDING:
      {
        const char *modes[] = { "valid", "same", _("explicit"), NULL };
        GtkWidget *pair = pair_editor_new (editor, label, decl->min, decl->max);

        editor->editor = editor->mode = gtk_drop_down_new_from_strings (modes);
        gtk_widget_set_valign (editor->mode, GTK_ALIGN_CENTER);
        gtk_accessible_update_property (GTK_ACCESSIBLE (editor->mode),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        -1);
        g_signal_connect_swapped (editor->mode, "notify::selected",
                                  G_CALLBACK (on_padding_mode_changed), editor);
        editor->detail = pair;
        editor->row = editor_wide_row (editor, label, editor->mode, pair);
      }
      break;

    case NS_PROP_MARGINS:
      editor->row = editor_wide_row (editor, label, NULL, margins_editor_new (editor, label));
      editor->editor = editor->spins[0];
      break;

    case NS_PROP_BOOL:
      editor->editor = gtk_switch_new ();
      g_signal_connect_swapped (editor->editor, "notify::active", G_CALLBACK (on_switch_changed), editor);
      editor->row = action_row_new (label, editor->editor, editor->editor);
      break;

    case NS_PROP_CHOICE:
      editor->editor = gtk_drop_down_new_from_strings ((const char *const *) decl->choices);
      g_signal_connect_swapped (editor->editor, "notify::selected", G_CALLBACK (on_choice_changed), editor);
      editor->row = action_row_new (label, editor->editor, editor->editor);
      break;

    case NS_PROP_DOUBLE:
      editor->editor = text_editor_new (editor);
      gtk_editable_set_width_chars (GTK_EDITABLE (editor->editor), 8);
      gtk_editable_set_alignment (GTK_EDITABLE (editor->editor), 1);
      gtk_entry_set_input_purpose (GTK_ENTRY (editor->editor), GTK_INPUT_PURPOSE_NUMBER);
      editor->row = action_row_new (label, editor->editor, editor->editor);
      break;

    case NS_PROP_INTS:
    case NS_PROP_STRING:
      editor->editor = text_editor_new (editor);
      editor->row = editor_wide_row (editor, label, NULL, editor->editor);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!GTK_IS_SPIN_BUTTON (editor->editor) || decl->kind == NS_PROP_INT)
    gtk_accessible_update_property (GTK_ACCESSIBLE (editor->editor),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  /* The row owns the editor's state; handlers only run while it lives. */
  g_object_set_data_full (G_OBJECT (editor->row), "ns-editor", editor, g_free);
  return editor;
}

void
ns_inspector_build_editors (NsInspector *self)
{
  const NsLayerType *type = ns_layer_get_layer_type (self->layer);
  const NsValue *values = ns_layer_get_values (self->layer);
  GtkWidget *group = adw_preferences_group_new ();
  guint n_advanced = 0;

  g_assert (self->editors->len == 0);

  /* Building sets values and toggles: nothing of it is an edit. */
  self->syncing++;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Settings"));
  for (guint i = 0; i < type->n_props; i++)
    if (type->props[i].flags & NS_PROP_FLAG_ADVANCED)
      n_advanced++;
  if (n_advanced > 0)
    {
      self->advanced_row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advanced_row), _("Advanced"));
    }

  for (guint i = 0; i < type->n_props; i++)
    {
      const NsPropDecl *decl = &type->props[i];
      NsEditor *editor = editor_new (self, decl);

      if (decl->flags & NS_PROP_FLAG_ADVANCED)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (self->advanced_row), editor->row);
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), editor->row);
      g_ptr_array_add (self->editors, editor);

      /* Linked while the two sizes agree, as most networks have them. */
      if (editor->link != NULL)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor->link),
                                      decl->kind == NS_PROP_PAIR
                                      ? values[i].is_null || values[i].pair[0] == values[i].pair[1]
                                      : values[i].padding.explicit_hw[0] == values[i].padding.explicit_hw[1]);
    }
  if (self->advanced_row != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->advanced_row);
  if (type->n_props == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("This layer type has no settings"));

  self->settings_group = group;
  gtk_box_append (self->editors_box, group);
  self->syncing--;
  ns_inspector_sync_editors (self, NULL);
}

void
ns_inspector_clear_editors (NsInspector *self)
{
  /* Rows going away may still report (a spin button commits on focus out):
   * nothing is recorded meanwhile. */
  self->syncing++;
  g_ptr_array_set_size (self->editors, 0);
  if (self->settings_group != NULL)
    gtk_box_remove (self->editors_box, self->settings_group);
  self->settings_group = NULL;
  self->advanced_row = NULL;
  self->syncing--;
}

GtkWidget *
ns_inspector_find_editor (NsInspector *self,
                          const char  *key)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      NsEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_str_equal (editor->decl->key, key))
        return editor->editor;
    }
  return NULL;
}

GtkWidget *
ns_inspector_first_editor (NsInspector *self)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      NsEditor *editor = g_ptr_array_index (self->editors, i);

      if (!(editor->decl->flags & NS_PROP_FLAG_ADVANCED))
        return editor->editor;
    }
  return NULL;
}
