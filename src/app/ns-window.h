/* ns-window.h: NsWindow: the main window, showing one network's layers and totals. */
#pragma once

#include <adwaita.h>

#include "ns-application.h"
#include "ns-graph.h"

G_BEGIN_DECLS

#define NS_TYPE_WINDOW (ns_window_get_type ())
G_DECLARE_FINAL_TYPE (NsWindow, ns_window, NS, WINDOW, AdwApplicationWindow)

NsWindow   *ns_window_new            (NsApplication *application);
/* Loads @file and shows it. A failure is shown in the window: a status page
 * when nothing was open, a toast (keeping the open network) otherwise. */
void        ns_window_open           (NsWindow      *self,
                                      GFile         *file);
/* The open network and its file, or NULL. */
NsGraph    *ns_window_get_graph      (NsWindow      *self);
GFile      *ns_window_get_file       (NsWindow      *self);

/* For tests: which page shows ("empty", "error" or "network"), and the row
 * of the layer called @name (an AdwActionRow), or NULL. */
const char *ns_window_get_page_name  (NsWindow      *self);
GtkWidget  *ns_window_get_layer_row  (NsWindow      *self,
                                      const char    *name);

G_END_DECLS
