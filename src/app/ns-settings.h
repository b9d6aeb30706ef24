/* ns-settings.h: NsSettings: the application's settings in one object, its
 * properties bound to the GSettings keys of the same names. */
#pragma once

#include <gio/gio.h>

#include "ns-shape.h"

G_BEGIN_DECLS

#define NS_TYPE_SETTINGS (ns_settings_get_type ())
G_DECLARE_FINAL_TYPE (NsSettings, ns_settings, NS, SETTINGS, GObject)

/* Properties, each following its key both ways:
 *  "shape-order" (NsShapeOrder): how views write shapes ("nhwc", "nchw").
 *  "default-seed" (guint): the seed new windows' previews start with.
 *  "autosave-interval" (guint): seconds between autosaves, 0 for none.
 *  "recent-files" (GStrv): URIs of recently opened networks, newest first.
 * Without the installed schema (a build tree) the values live in memory for
 * the session, and ns_settings_bind binds nothing. */
NsSettings   *ns_settings_new                   (void);
/* Whether values are kept in GSettings, i.e. the schema is installed. */
gboolean      ns_settings_is_persistent         (NsSettings         *self);
/* g_settings_bind of another object's property (window size, panels) to
 * @key; nothing without the schema. */
void          ns_settings_bind                  (NsSettings         *self,
                                                 const char         *key,
                                                 gpointer            object,
                                                 const char         *property,
                                                 GSettingsBindFlags  flags);

NsShapeOrder  ns_settings_get_shape_order       (NsSettings         *self);
void          ns_settings_set_shape_order       (NsSettings         *self,
                                                 NsShapeOrder        order);
guint         ns_settings_get_default_seed      (NsSettings         *self);
void          ns_settings_set_default_seed      (NsSettings         *self,
                                                 guint               seed);
guint         ns_settings_get_autosave_interval (NsSettings         *self);
void          ns_settings_set_autosave_interval (NsSettings         *self,
                                                 guint               seconds);
const char * const *ns_settings_get_recent_files (NsSettings        *self);
/* Puts @file first in the recent files, keeping the ten newest. */
void          ns_settings_add_recent_file       (NsSettings         *self,
                                                 GFile              *file);
void          ns_settings_clear_recent_files    (NsSettings         *self);

G_END_DECLS
