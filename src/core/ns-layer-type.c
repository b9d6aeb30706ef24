/* ns-layer-type.c: the catalog of layer types, built from the family tables. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "layers/ns-layers-private.h"

G_DEFINE_QUARK (ns-error-quark, ns_error)

static const struct {
  const char *id;
  const char *label;
} categories[NS_N_CATEGORIES] = {
  [NS_CATEGORY_INPUT]         = { "input",         N_("Input") },
  [NS_CATEGORY_CONVOLUTION]   = { "convolution",   N_("Convolution") },
  [NS_CATEGORY_POOLING]       = { "pooling",       N_("Pooling") },
  [NS_CATEGORY_RESHAPING]     = { "reshaping",     N_("Reshaping") },
  [NS_CATEGORY_MERGE]         = { "merge",         N_("Merge") },
  [NS_CATEGORY_NORMALIZATION] = { "normalization", N_("Normalization") },
  [NS_CATEGORY_ACTIVATION]    = { "activation",    N_("Activation") },
  [NS_CATEGORY_CORE]          = { "core",          N_("Core") },
};

const char *
ns_category_get_label (NsCategory category)
{
  g_return_val_if_fail (category < NS_N_CATEGORIES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, categories[category].label);
}

const char *
ns_category_get_id (NsCategory category)
{
  g_return_val_if_fail (category < NS_N_CATEGORIES, NULL);
  return categories[category].id;
}

typedef struct {
  GPtrArray  *types;      /* const NsLayerType*, palette order */
  GHashTable *by_class;   /* class name or alias → type */
  GHashTable *defaults;   /* type → NsValue[] */
} Catalog;

static Catalog *
catalog_build (void)
{
  const NsLayerType *const *families[] = {
    ns_core_layer_types,
    ns_conv_layer_types,
    ns_pooling_layer_types,
    ns_resize_layer_types,
    ns_reshape_layer_types,
    ns_norm_layer_types,
    ns_activation_layer_types,
    ns_merge_layer_types,
    ns_model_layer_types,
  };
  Catalog *catalog = g_new0 (Catalog, 1);

  catalog->types = g_ptr_array_new ();
  catalog->by_class = g_hash_table_new (g_str_hash, g_str_equal);
  catalog->defaults = g_hash_table_new (NULL, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    for (guint i = 0; families[f][i] != NULL; i++)
      {
        const NsLayerType *type = families[f][i];
        NsValue *defaults = g_new0 (NsValue, MAX (type->n_props, 1));

        for (guint p = 0; p < type->n_props; p++)
          {
            const NsPropDecl *decl = &type->props[p];
            g_autoptr(JsonNode) node = json_from_string (decl->default_json, NULL);
            g_autoptr(GError) error = NULL;

            /* A bad default is a bug in a declaration: fail loudly in tests. */
            if (!ns_value_from_json (decl, node, &defaults[p], &error))
              g_error ("%s.%s: default %s: %s", type->keras_class, decl->key,
                       decl->default_json, error->message);
          }
        g_hash_table_insert (catalog->defaults, (gpointer) type, defaults);
        g_ptr_array_add (catalog->types, (gpointer) type);
        g_hash_table_insert (catalog->by_class, (gpointer) type->keras_class, (gpointer) type);
        for (guint a = 0; type->aliases != NULL && type->aliases[a] != NULL; a++)
          g_hash_table_insert (catalog->by_class, (gpointer) type->aliases[a], (gpointer) type);
      }
  return catalog;
}

static Catalog *
catalog_get (void)
{
  static Catalog *catalog;

  if (g_once_init_enter (&catalog))
    g_once_init_leave (&catalog, catalog_build ());
  return catalog;
}

const NsLayerType *const *
ns_layer_types_get_all (guint *n_types)
{
  Catalog *catalog = catalog_get ();

  if (n_types != NULL)
    *n_types = catalog->types->len;
  return (const NsLayerType *const *) catalog->types->pdata;
}

const NsLayerType *
ns_layer_types_lookup (const char *keras_class)
{
  g_return_val_if_fail (keras_class != NULL, NULL);
  return g_hash_table_lookup (catalog_get ()->by_class, keras_class);
}

int
ns_layer_type_find_prop (const NsLayerType *type,
                         const char        *key)
{
  g_return_val_if_fail (type != NULL && key != NULL, -1);

  for (guint p = 0; p < type->n_props; p++)
    if (strcmp (type->props[p].key, key) == 0)
      return (int) p;
  return -1;
}

const NsValue *
ns_layer_type_get_defaults (const NsLayerType *type)
{
  return g_hash_table_lookup (catalog_get ()->defaults, type);
}

const char *
ns_layer_type_get_label (const NsLayerType *type)
{
  return g_dgettext (GETTEXT_PACKAGE, type->label);
}
