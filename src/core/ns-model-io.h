/* ns-model-io.h: loading a model from any file Netsketch reads, telling the format by content. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ns-graph.h"

G_BEGIN_DECLS

typedef enum {
  NS_MODEL_FORMAT_UNKNOWN,
  NS_MODEL_FORMAT_NETSKETCH,   /* "format": "netsketch" */
  NS_MODEL_FORMAT_KERAS,       /* model.to_json(): "class_name" and "config" */
  NS_MODEL_FORMAT_TFJS,        /* TensorFlow.js model.json: "modelTopology" */
} NsModelFormat;

/* Tells the format of a parsed JSON document; UNKNOWN when it is none of them. */
NsModelFormat ns_model_detect_format   (JsonNode      *root);
/* Loads a model from memory. @display_name starts every error message:
 * "net.netsketch:12:7: …", "x.json: not a Netsketch, Keras or TensorFlow.js
 * model". The graph is fully inferred. */
NsGraph      *ns_model_load_from_data  (const char    *data,
                                        gssize         length,
                                        const char    *display_name,
                                        GError       **error);
/* The same, with @base_dir the folder the data came from: a TensorFlow.js
 * model.json's weight shards are read from there (NULL: weights left out). */
NsGraph      *ns_model_load_from_data_in (const char    *data,
                                          gssize         length,
                                          const char    *display_name,
                                          GFile         *base_dir,
                                          GError       **error);
/* Reads @file and loads it, with a TensorFlow.js model's weights from the
 * same folder, and the config.json of a .keras archive. @display_name may be
 * NULL for the file's basename. */
NsGraph      *ns_model_load            (GFile         *file,
                                        const char    *display_name,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
