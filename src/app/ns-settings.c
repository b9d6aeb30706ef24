/* ns-settings.c: NsSettings: typed properties over the application's GSettings. */
#include "config.h"

#include "ns-settings.h"

#define MAX_RECENT 10
/* The schema's defaults, for a build tree without it. */
#define DEFAULT_AUTOSAVE_INTERVAL 30
#define MAX_AUTOSAVE_INTERVAL 3600

struct _NsSettings
{
  GObject       parent_instance;

  GSettings    *settings;        /* NULL without the installed schema */
  NsShapeOrder  shape_order;
  guint         default_seed;
  guint         autosave_interval;
  char        **recent_files;
};

G_DEFINE_FINAL_TYPE (NsSettings, ns_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHAPE_ORDER,
  PROP_DEFAULT_SEED,
  PROP_AUTOSAVE_INTERVAL,
  PROP_RECENT_FILES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

NsSettings *
ns_settings_new (void)
{
  return g_object_new (NS_TYPE_SETTINGS, NULL);
}

gboolean
ns_settings_is_persistent (NsSettings *self)
{
  g_return_val_if_fail (NS_IS_SETTINGS (self), FALSE);
  return self->settings != NULL;
}

void
ns_settings_bind (NsSettings         *self,
                  const char         *key,
                  gpointer            object,
                  const char         *property,
                  GSettingsBindFlags  flags)
{
  g_return_if_fail (NS_IS_SETTINGS (self));
  g_return_if_fail (G_IS_OBJECT (object));

  if (self->settings != NULL)
    g_settings_bind (self->settings, key, object, property, flags);
}

NsShapeOrder
ns_settings_get_shape_order (NsSettings *self)
{
  g_return_val_if_fail (NS_IS_SETTINGS (self), NS_SHAPE_ORDER_NHWC);
  return self->shape_order;
}

void
ns_settings_set_shape_order (NsSettings   *self,
                             NsShapeOrder  order)
{
  g_return_if_fail (NS_IS_SETTINGS (self));
  g_return_if_fail (order == NS_SHAPE_ORDER_NHWC || order == NS_SHAPE_ORDER_NCHW);

  if (self->shape_order == order)
    return;
  self->shape_order = order;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_ORDER]);
}

guint
ns_settings_get_default_seed (NsSettings *self)
{
  g_return_val_if_fail (NS_IS_SETTINGS (self), 0);
  return self->default_seed;
}

void
ns_settings_set_default_seed (NsSettings *self,
                              guint       seed)
{
  g_return_if_fail (NS_IS_SETTINGS (self));

  if (self->default_seed == seed)
    return;
  self->default_seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_SEED]);
}

guint
ns_settings_get_autosave_interval (NsSettings *self)
{
  g_return_val_if_fail (NS_IS_SETTINGS (self), 0);
  return self->autosave_interval;
}

void
ns_settings_set_autosave_interval (NsSettings *self,
                                   guint       seconds)
{
  g_return_if_fail (NS_IS_SETTINGS (self));
  g_return_if_fail (seconds <= MAX_AUTOSAVE_INTERVAL);

  if (self->autosave_interval == seconds)
    return;
  self->autosave_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSAVE_INTERVAL]);
}

const char * const *
ns_settings_get_recent_files (NsSettings *self)
{
  g_return_val_if_fail (NS_IS_SETTINGS (self), NULL);
  return (const char * const *) self->recent_files;
}

static void
set_recent_files (NsSettings         *self,
                  const char * const *uris)
{
  static const char *const none[] = { NULL };

  if (uris == NULL)
    uris = none;
  if (g_strv_equal (uris, (const char * const *) self->recent_files))
    return;
  g_strfreev (self->recent_files);
  self->recent_files = g_strdupv ((char **) uris);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_FILES]);
}

void
ns_settings_add_recent_file (NsSettings *self,
                             GFile      *file)
{
  g_autofree char *uri = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  guint n = 1;

  g_return_if_fail (NS_IS_SETTINGS (self));
  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  g_strv_builder_add (builder, uri);
  for (guint i = 0; self->recent_files[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (self->recent_files[i], uri))
      {
        g_strv_builder_add (builder, self->recent_files[i]);
        n++;
      }
  uris = g_strv_builder_end (builder);
  set_recent_files (self, (const char * const *) uris);
}

void
ns_settings_clear_recent_files (NsSettings *self)
{
  g_return_if_fail (NS_IS_SETTINGS (self));
  set_recent_files (self, NULL);
}

static void
ns_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NsSettings *self = NS_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      g_value_set_enum (value, self->shape_order);
      break;
    case PROP_DEFAULT_SEED:
      g_value_set_uint (value, self->default_seed);
      break;
    case PROP_AUTOSAVE_INTERVAL:
      g_value_set_uint (value, self->autosave_interval);
      break;
    case PROP_RECENT_FILES:
      g_value_set_boxed (value, self->recent_files);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NsSettings *self = NS_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_SHAPE_ORDER:
      ns_settings_set_shape_order (self, g_value_get_enum (value));
      break;
    case PROP_DEFAULT_SEED:
      ns_settings_set_default_seed (self, g_value_get_uint (value));
      break;
    case PROP_AUTOSAVE_INTERVAL:
      ns_settings_set_autosave_interval (self, g_value_get_uint (value));
      break;
    case PROP_RECENT_FILES:
      set_recent_files (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ns_settings_dispose (GObject *object)
{
  NsSettings *self = NS_SETTINGS (object);

  /* A binding holds the GSettings: unbinding lets it go with this object. */
  if (self->settings != NULL)
    for (guint i = 1; i < N_PROPS; i++)
      g_settings_unbind (self, g_param_spec_get_name (properties[i]));
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ns_settings_parent_class)->dispose (object);
}

static void
ns_settings_finalize (GObject *object)
{
  NsSettings *self = NS_SETTINGS (object);

  g_strfreev (self->recent_files);

  G_OBJECT_CLASS (ns_settings_parent_class)->finalize (object);
}

static void
ns_settings_constructed (GObject *object)
{
  NsSettings *self = NS_SETTINGS (object);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_OBJECT_CLASS (ns_settings_parent_class)->constructed (object);

  /* Run from a build tree without the schema, g_settings_new would abort. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; settings last for this session only", APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  for (guint i = 1; i < N_PROPS; i++)
    {
      const char *name = g_param_spec_get_name (properties[i]);

      g_settings_bind (self->settings, name, self, name, G_SETTINGS_BIND_DEFAULT);
    }
}

static void
ns_settings_class_init (NsSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ns_settings_get_property;
  object_class->set_property = ns_settings_set_property;
  object_class->constructed = ns_settings_constructed;
  object_class->dispose = ns_settings_dispose;
  object_class->finalize = ns_settings_finalize;

  /* Named as the keys, so that binding is by name. */
  properties[PROP_SHAPE_ORDER] =
    g_param_spec_enum ("shape-order", NULL, NULL,
                       NS_TYPE_SHAPE_ORDER, NS_SHAPE_ORDER_NHWC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_SEED] =
    g_param_spec_uint ("default-seed", NULL, NULL,
                       0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOSAVE_INTERVAL] =
    g_param_spec_uint ("autosave-interval", NULL, NULL,
                       0, MAX_AUTOSAVE_INTERVAL, DEFAULT_AUTOSAVE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECENT_FILES] =
    g_param_spec_boxed ("recent-files", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ns_settings_init (NsSettings *self)
{
  self->shape_order = NS_SHAPE_ORDER_NHWC;
  self->autosave_interval = DEFAULT_AUTOSAVE_INTERVAL;
  self->recent_files = g_new0 (char *, 1);
}
