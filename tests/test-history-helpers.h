/* test-history-helpers.h: building networks through the history, and
 * assertions on layers and the history, for the history's tests. */
#pragma once

#include "ns-history.h"

/* These edit through the history and fail the test on an error. */
void       history_set               (NsHistory   *history,
                                      NsLayer     *layer,
                                      const char  *key,
                                      const char  *json);
NsLayer   *history_add               (NsHistory   *history,
                                      const char  *keras_class,
                                      double       x,
                                      double       y);
void       history_wire              (NsHistory   *history,
                                      NsLayer     *from,
                                      NsLayer     *to,
                                      guint        port);
/* input [8, 8, 3] → conv2d (4 filters) → conv2d_1 (2 filters) → activation,
 * built through a new history; @layers gets the four in that order. */
NsGraph   *history_build_chain       (NsHistory  **history_out,
                                      NsLayer    **layers);

/* "a,b,c": the names of @layer's inputs by port, "-" for a free one. */
char      *history_inputs_of         (NsLayer     *layer);
/* The layers' names in list order, comma-separated. */
char      *history_names_of          (NsGraph     *graph);

void       history_assert_undo_label (NsHistory   *history,
                                      const char  *expected);
void       history_assert_redo_label (NsHistory   *history,
                                      const char  *expected);
void       history_assert_position   (NsLayer     *layer,
                                      double       x,
                                      double       y);
/* The layer is OK and counts these parameters. */
void       history_assert_params     (NsLayer     *layer,
                                      gint64       params,
                                      gint64       trainable);
/* No layer has an error and the totals are these. */
void       history_assert_totals     (NsGraph     *graph,
                                      gint64       params,
                                      gint64       trainable,
                                      gint64       non_trainable);
/* Drops both and checks that they are finalized: the history kept no
 * stray references. */
void       history_finish            (NsHistory   *history,
                                      NsGraph     *graph);

#define assert_inputs(layer, expected) \
  G_STMT_START { g_autofree char *got_ = history_inputs_of (layer); g_assert_cmpstr (got_, ==, expected); } G_STMT_END
#define assert_names(graph, expected) \
  G_STMT_START { g_autofree char *got_ = history_names_of (graph); g_assert_cmpstr (got_, ==, expected); } G_STMT_END

/* A one-layer list for the calls that take several. */
#define ONE(layer) (&(GPtrArray) { .pdata = (gpointer *) &(layer), .len = 1 })
