/* ns-window.h: NsWindow: the editor window for one network. */
#pragma once

#include <adwaita.h>

#include "ns-application.h"
#include "ns-history.h"
#include "ns-selection.h"

G_BEGIN_DECLS

#define NS_TYPE_WINDOW (ns_window_get_type ())
G_DECLARE_FINAL_TYPE (NsWindow, ns_window, NS, WINDOW, AdwApplicationWindow)

NsWindow    *ns_window_new            (NsApplication *application);
/* Loads @file (a .netsketch, Keras JSON or TensorFlow.js model) and shows it,
 * first asking about unsaved changes. A failure is shown in the window: a
 * status page when nothing was open, a toast (keeping the network) otherwise. */
void         ns_window_open           (NsWindow      *self,
                                       GFile         *file);
/* Writes the network as the Export menu's @target ("png", "png@2", "svg",
 * "summary-json", …) to @file, and says how that went in a toast; the menu
 * calls it once the file chooser has picked @file. */
void         ns_window_export         (NsWindow      *self,
                                       const char    *target,
                                       GFile         *file);
/* Saves to the window's file, atomically; FALSE with @error on failure. */
gboolean     ns_window_save_to        (NsWindow      *self,
                                       GFile         *file,
                                       GError       **error);
/* Writes the unsaved changes not yet autosaved to the window's autosave
 * entry now (when autosave is on; the application does so on quit). FALSE
 * with @error when that fails; the network stays as it is. */
gboolean     ns_window_autosave       (NsWindow      *self,
                                       GError       **error);
/* Looks for networks an earlier run autosaved and never saved (it crashed or
 * was killed) and offers them in a dialog over @self: Recover shows them,
 * unsaved, the first in @self if it shows nothing of the user's; Discard
 * deletes them; Escape leaves them for the next start. Returns the dialog,
 * or NULL when there is nothing to recover. */
GtkWindow   *ns_window_offer_recovery (NsWindow      *self);
/* The open network, its history, selection and .netsketch file, or NULL. */
NsGraph     *ns_window_get_graph      (NsWindow      *self);
NsHistory   *ns_window_get_history    (NsWindow      *self);
NsSelection *ns_window_get_selection  (NsWindow      *self);
GFile       *ns_window_get_file       (NsWindow      *self);

/* For tests: which page shows ("empty", "error" or "network"), and a part of
 * the window by name: "canvas", "palette", "inspector", "summary", "totals",
 * "preview". */
const char  *ns_window_get_page_name  (NsWindow      *self);
GtkWidget   *ns_window_get_part       (NsWindow      *self,
                                       const char    *name);

G_END_DECLS
