/* ns-application.h: the Netsketch application: one window per open network. */
#pragma once

#include <adwaita.h>

#include "ns-settings.h"

G_BEGIN_DECLS

#define NS_TYPE_APPLICATION (ns_application_get_type ())
G_DECLARE_FINAL_TYPE (NsApplication, ns_application, NS, APPLICATION, AdwApplication)

/* @flags are added to G_APPLICATION_HANDLES_OPEN; tests pass
 * G_APPLICATION_NON_UNIQUE so that a running instance does not take over. */
NsApplication *ns_application_new              (const char        *application_id,
                                                GApplicationFlags  flags);
/* The network opened when none is given: article.netsketch in
 * $NETSKETCH_EXAMPLES_DIR (set for build-tree runs) or PKGDATADIR/examples.
 * NULL when it is not there. */
GFile         *ns_application_get_default_example (void);
/* The settings every window follows. */
NsSettings    *ns_application_get_settings     (NsApplication     *self);
/* The user guide the Help menu opens: HTML, or Markdown where the build
 * could not convert it; $NETSKETCH_HELP_DIR for build-tree runs. NULL when
 * it is not installed. */
GFile         *ns_application_get_help_file      (void);

G_END_DECLS
