/* ui-helpers.h: what the UI tests share: waiting for GTK, finding widgets,
 * screenshots into the build folder. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The application the tests open windows in, registered; non-unique so that
 * a running Netsketch does not take the test's windows, and without
 * animations so that what a test finds is what is shown. */
GtkApplication *ui_app_new      (void);

/* Lets GTK map, lay out and paint what is pending. */
void       ui_settle            (void);
void       ui_wait_until_mapped (GtkWidget   *widget);
/* Iterates the main loop until @done(@data) or @seconds pass; the result of @done. */
gboolean   ui_wait_for          (gboolean   (*done) (gpointer data),
                                 gpointer     data,
                                 double       seconds);
/* A mapped label under @root showing @text (with @prefix, starting with it). */
GtkWidget *ui_find_label        (GtkWidget   *root,
                                 const char  *text,
                                 gboolean     prefix);
/* Renders @widget's window into <build dir>/@name. */
void       ui_save_screenshot   (GtkWidget   *widget,
                                 const char  *name);
/* Destroys @window and checks nothing keeps it alive. */
void       ui_close_window      (GtkWindow   *window);

G_END_DECLS
