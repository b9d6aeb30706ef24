/* ns-preferences.c: NsPreferences: the Preferences window. Its controls are
 * bound to NsSettings both ways; nothing waits for an Apply. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-preferences.h"

struct _NsPreferences
{
  AdwPreferencesWindow  parent_instance;

  NsSettings           *settings;
  GBindingGroup        *bindings;    /* settings ↔ the controls */

  /* Template widgets */
  AdwComboRow          *shape_order_row;
  GtkSpinButton        *seed_spin;
  GtkSwitch            *autosave_switch;
  GtkSpinButton        *interval_spin;
  AdwActionRow         *recent_row;
  GtkButton            *clear_recent_button;
};

G_DEFINE_FINAL_TYPE (NsPreferences, ns_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row's items are in NsShapeOrder's order. */
static gboolean
order_to_selected (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_order (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected > NS_SHAPE_ORDER_NCHW)
    return FALSE;
  g_value_set_enum (to, (int) selected);
  return TRUE;
}

/* Autosave is one key, 0 meaning off: the switch says whether it is on, the
 * spin keeps the interval to go back to while it is off. */
static gboolean
interval_to_active (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_uint (from) > 0);
  return TRUE;
}

static gboolean
active_to_interval (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  NsPreferences *self = user_data;

  g_value_set_uint (to, g_value_get_boolean (from)
                          ? (guint) gtk_spin_button_get_value_as_int (self->interval_spin)
                          : 0);
  return TRUE;
}

static gboolean
interval_to_value (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  guint seconds = g_value_get_uint (from);

  if (seconds == 0)
    return FALSE;
  g_value_set_double (to, seconds);
  return TRUE;
}

static gboolean
value_to_interval (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  NsPreferences *self = user_data;

  if (!gtk_switch_get_active (self->autosave_switch))
    return FALSE;
  g_value_set_uint (to, (guint) g_value_get_double (from));
  return TRUE;
}

static void
update_recent (NsPreferences *self)
{
  guint n = g_strv_length ((char **) ns_settings_get_recent_files (self->settings));
  g_autofree char *subtitle = NULL;

  if (n == 0)
    subtitle = g_strdup (_("None listed under the Open button"));
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u network listed under the Open button",
                                             "%u networks listed under the Open button", n),
                                n);
  adw_action_row_set_subtitle (self->recent_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_recent_button), n > 0);
}

static void
on_clear_recent (NsPreferences *self)
{
  ns_settings_clear_recent_files (self->settings);
}

static void
ns_preferences_constructed (GObject *object)
{
  NsPreferences *self = NS_PREFERENCES (object);
  GtkAdjustment *seed = gtk_spin_button_get_adjustment (self->seed_spin);
  GtkAdjustment *interval = gtk_spin_button_get_adjustment (self->interval_spin);

  G_OBJECT_CLASS (ns_preferences_parent_class)->constructed (object);

  /* A group, so that disposing the window ends every binding at once. */
  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "shape-order", self->shape_order_row, "selected",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             order_to_selected, selected_to_order, NULL, NULL);
  g_binding_group_bind (self->bindings, "default-seed", seed, "value",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* The spin first, so that switching on finds the interval to go back to. */
  g_binding_group_bind_full (self->bindings, "autosave-interval", interval, "value",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             interval_to_value, value_to_interval, self, NULL);
  g_binding_group_bind_full (self->bindings, "autosave-interval", self->autosave_switch, "active",
                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                             interval_to_active, active_to_interval, self, NULL);
  g_binding_group_set_source (self->bindings, self->settings);

  g_signal_connect_swapped (self->settings, "notify::recent-files", G_CALLBACK (update_recent), self);
  update_recent (self);
}

static void
ns_preferences_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  NsPreferences *self = NS_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_preferences_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  NsPreferences *self = NS_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_preferences_dispose (GObject *object)
{
  NsPreferences *self = NS_PREFERENCES (object);

  /* The transforms read template children: unbind before they go. */
  g_clear_object (&self->bindings);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NS_TYPE_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ns_preferences_parent_class)->dispose (object);
}

static void
ns_preferences_class_init (NsPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ns_preferences_constructed;
  object_class->get_property = ns_preferences_get_property;
  object_class->set_property = ns_preferences_set_property;
  object_class->dispose = ns_preferences_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, NS_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/netsketch/Netsketch/ns-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, shape_order_row);
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, autosave_switch);
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, recent_row);
  gtk_widget_class_bind_template_child (widget_class, NsPreferences, clear_recent_button);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_recent);
}

static void
ns_preferences_init (NsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NsPreferences *
ns_preferences_new (NsSettings *settings)
{
  g_return_val_if_fail (NS_IS_SETTINGS (settings), NULL);

  return g_object_new (NS_TYPE_PREFERENCES, "settings", settings, NULL);
}

GtkWidget *
ns_preferences_get_part (NsPreferences *self,
                         const char    *name)
{
  const struct {
    const char *name;
    gpointer    widget;
  } parts[] = {
    { "shape-order", self->shape_order_row },
    { "seed", self->seed_spin },
    { "autosave", self->autosave_switch },
    { "autosave-interval", self->interval_spin },
    { "recent", self->recent_row },
    { "clear-recent", self->clear_recent_button },
  };

  g_return_val_if_fail (NS_IS_PREFERENCES (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (parts[i].name, name))
      return GTK_WIDGET (parts[i].widget);
  return NULL;
}
