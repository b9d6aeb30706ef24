/* ns-layout.h: a layered automatic layout of a graph's layers, for imported
 * models and the editor's "Arrange" command. */
#pragma once

#include "ns-graph.h"

G_BEGIN_DECLS

typedef enum {
  NS_LAYOUT_LEFT_TO_RIGHT,
  NS_LAYOUT_TOP_DOWN,
} NsLayoutDirection;

/* The box a node takes on the canvas, in canvas units; the renderer draws
 * nodes this size, so the layout leaves room for them. */
#define NS_LAYOUT_NODE_WIDTH  200.0
#define NS_LAYOUT_NODE_HEIGHT  76.0
#define NS_LAYOUT_RANK_GAP    100.0   /* between successive layers along the flow */
#define NS_LAYOUT_NODE_GAP     28.0   /* between side-by-side layers */
#define NS_LAYOUT_MARGIN       40.0

/* Places every layer: each sits one rank past its deepest input (longest
 * path), ranks run along @direction, and layers within a rank are ordered
 * to keep wires short (barycentre sweeps). Positions are top-left corners. */
void ns_layout_graph (NsGraph           *graph,
                      NsLayoutDirection  direction);

G_END_DECLS
