/* ns-screenshot.h: a window rendered to PNG, as GTK draws it: the test
 * screenshots and `netsketch --screenshot`, which makes the AppStream and
 * README pictures under Xvfb. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget's window (with its frame) into a PNG at @path. */
gboolean ns_widget_save_png          (GtkWidget    *widget,
                                      const char   *path,
                                      GError      **error);
/* Once @window has been drawn and has settled, saves it to @path and quits
 * @app; failures are printed on stderr. */
void     ns_screenshot_when_settled  (GtkWindow    *window,
                                      const char   *path,
                                      GApplication *app);

G_END_DECLS
