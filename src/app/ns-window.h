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
