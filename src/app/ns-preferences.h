/* ns-preferences.h: NsPreferences: the Preferences window, its controls bound
 * to NsSettings so that every change applies at once. */
#pragma once

#include <adwaita.h>

#include "ns-settings.h"

G_BEGIN_DECLS

#define NS_TYPE_PREFERENCES (ns_preferences_get_type ())
G_DECLARE_FINAL_TYPE (NsPreferences, ns_preferences, NS, PREFERENCES, AdwPreferencesWindow)

NsPreferences *ns_preferences_new      (NsSettings    *settings);
/* For tests: a control by name: "shape-order" (AdwComboRow), "seed",
 * "autosave-interval" (GtkSpinButton), "autosave" (GtkSwitch),
 * "recent" (AdwActionRow), "clear-recent" (GtkButton). */
GtkWidget     *ns_preferences_get_part (NsPreferences *self,
                                        const char    *name);

G_END_DECLS
