/* ns-render-hit.c: what the renderer drew at a point: nodes, ports, wires and
 * error badges, for the editor's pointer. Same geometry as ns-render.c. */
#include "config.h"

#include <math.h>

#include "ns-layout.h"
#include "ns-render.h"

/* Segments a wire's cubic is cut into for hit-testing: at the widest bend
 * the chord stays within a pixel of the curve. */
#define WIRE_SEGMENTS 24

void
ns_renderer_get_wire_curve (double    x0,
                            double    y0,
                            double    x1,
                            double    y1,
                            gboolean  vertical,
                            double   *cx0,
                            double   *cy0,
                            double   *cx1,
                            double   *cy1)
{
  double bend = MAX (40.0, ABS (vertical ? y1 - y0 : x1 - x0) / 2);

  if (vertical)
    {
      *cx0 = x0;
      *cy0 = y0 + bend;
      *cx1 = x1;
      *cy1 = y1 - bend;
    }
  else
    {
      *cx0 = x0 + bend;
      *cy0 = y0;
      *cx1 = x1 - bend;
      *cy1 = y1;
    }
}

guint
ns_renderer_get_n_input_ports (NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);

  if (type->max_inputs == 0)
    return 0;
  return MAX (type->min_inputs, ns_layer_get_n_inputs (layer));
}

NsLayer *
ns_renderer_node_at (NsGraph *graph,
                     double   x,
                     double   y)
{
  GListModel *model = G_LIST_MODEL (graph);

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  /* Later layers are drawn over earlier ones: the topmost is the last. */
  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double lx, ly;

      ns_layer_get_position (layer, &lx, &ly);
      if (x >= lx && x < lx + NS_LAYOUT_NODE_WIDTH && y >= ly && y < ly + NS_LAYOUT_NODE_HEIGHT)
        return layer;
    }
  return NULL;
}

NsLayer *
ns_renderer_badge_at (NsGraph *graph,
                      double   x,
                      double   y)
{
  GListModel *model = G_LIST_MODEL (graph);

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double bx, by;

      if (ns_layer_get_info (layer)->state != NS_LAYER_ERROR)
        continue;
      ns_layer_get_position (layer, &bx, &by);
      bx += NS_LAYOUT_NODE_WIDTH - NS_RENDER_BADGE_INSET;
      by += NS_RENDER_BADGE_INSET;
      if (hypot (x - bx, y - by) <= NS_RENDER_BADGE_RADIUS)
        return layer;
    }
  return NULL;
}

NsLayer *
ns_renderer_output_port_at (NsGraph  *graph,
                            double    x,
                            double    y,
                            double    radius,
                            gboolean  vertical)
{
  GListModel *model = G_LIST_MODEL (graph);
  NsLayer *best = NULL;
  double best_distance = radius;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double px, py, distance;

      ns_renderer_get_output_port (layer, vertical, &px, &py);
      if (ABS (x - px) > radius || ABS (y - py) > radius)
        continue;
      distance = hypot (x - px, y - py);
      if (distance <= best_distance)
        {
          best = layer;
          best_distance = distance;
        }
    }
  return best;
}

/* The ports a wire may end at: those drawn, and for merge layers whose
 * ports are all taken the next one, where connecting appends. */
static guint
n_candidate_ports (NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  guint drawn = ns_renderer_get_n_input_ports (layer);

  if (type->max_inputs == NS_INPUTS_MANY && ns_layer_get_n_inputs (layer) >= drawn)
    return drawn + 1;
  return drawn;
}

NsLayer *
ns_renderer_input_port_at (NsGraph  *graph,
                           double    x,
                           double    y,
                           double    radius,
                           gboolean  vertical,
                           guint    *port)
{
  GListModel *model = G_LIST_MODEL (graph);
  NsLayer *best = NULL;
  double best_distance = radius;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      guint n = n_candidate_ports (layer);
      double lx, ly;

      /* Every input port lies on the node's leading edge: skip far nodes. */
      ns_layer_get_position (layer, &lx, &ly);
      if (n == 0 || x < lx - radius || y < ly - radius ||
          x > lx + (vertical ? NS_LAYOUT_NODE_WIDTH : 0) + radius ||
          y > ly + (vertical ? 0 : NS_LAYOUT_NODE_HEIGHT) + radius)
        continue;
      for (guint p = 0; p < n; p++)
        {
          double px, py, distance;

          ns_renderer_get_input_port (layer, p, vertical, &px, &py);
          distance = hypot (x - px, y - py);
          if (distance <= best_distance)
            {
              best = layer;
              best_distance = distance;
              if (port != NULL)
                *port = p;
            }
        }
    }
  return best;
}

/* Distance from (@x, @y) to the segment (@ax, @ay)–(@bx, @by). */
static double
segment_distance (double x,
                  double y,
                  double ax,
                  double ay,
                  double bx,
                  double by)
{
  double dx = bx - ax, dy = by - ay;
  double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / length2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (x - (ax + t * dx), y - (ay + t * dy));
}

static double
curve_distance (double       x,
                double       y,
                const double p[8])
{
  double best = G_MAXDOUBLE, px = p[0], py = p[1];

  for (guint i = 1; i <= WIRE_SEGMENTS; i++)
    {
      double t = (double) i / WIRE_SEGMENTS, s = 1 - t;
      double a = s * s * s, b = 3 * s * s * t, c = 3 * s * t * t, d = t * t * t;
      double qx = a * p[0] + b * p[2] + c * p[4] + d * p[6];
      double qy = a * p[1] + b * p[3] + c * p[5] + d * p[7];

      best = MIN (best, segment_distance (x, y, px, py, qx, qy));
      px = qx;
      py = qy;
    }
  return best;
}

NsLayer *
ns_renderer_wire_at (NsGraph  *graph,
                     double    x,
                     double    y,
                     double    tolerance,
                     gboolean  vertical,
                     guint    *port)
{
  GListModel *model = G_LIST_MODEL (graph);
  NsLayer *best = NULL;
  double best_distance = tolerance;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);

      for (guint p = 0; p < ns_layer_get_n_inputs (layer); p++)
        {
          NsLayer *from = ns_layer_get_input (layer, p);
          double curve[8], distance;

          if (from == NULL)
            continue;
          ns_renderer_get_output_port (from, vertical, &curve[0], &curve[1]);
          ns_renderer_get_input_port (layer, p, vertical, &curve[6], &curve[7]);
          ns_renderer_get_wire_curve (curve[0], curve[1], curve[6], curve[7], vertical,
                                      &curve[2], &curve[3], &curve[4], &curve[5]);
          /* The curve lies inside the hull of its control points. */
          if (x < MIN (MIN (curve[0], curve[2]), MIN (curve[4], curve[6])) - tolerance ||
              x > MAX (MAX (curve[0], curve[2]), MAX (curve[4], curve[6])) + tolerance ||
              y < MIN (MIN (curve[1], curve[3]), MIN (curve[5], curve[7])) - tolerance ||
              y > MAX (MAX (curve[1], curve[3]), MAX (curve[5], curve[7])) + tolerance)
            continue;
          distance = curve_distance (x, y, curve);
          if (distance <= best_distance)
            {
              best = layer;
              best_distance = distance;
              if (port != NULL)
                *port = p;
            }
        }
    }
  return best;
}

GPtrArray *
ns_renderer_nodes_in_rectangle (NsGraph *graph,
                                double   x,
                                double   y,
                                double   width,
                                double   height)
{
  GListModel *model = G_LIST_MODEL (graph);
  GPtrArray *layers = g_ptr_array_new ();
  double x0 = MIN (x, x + width), x1 = MAX (x, x + width);
  double y0 = MIN (y, y + height), y1 = MAX (y, y + height);

  g_return_val_if_fail (NS_IS_GRAPH (graph), layers);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (model, i);
      double lx, ly;

      ns_layer_get_position (layer, &lx, &ly);
      if (lx < x1 && lx + NS_LAYOUT_NODE_WIDTH > x0 && ly < y1 && ly + NS_LAYOUT_NODE_HEIGHT > y0)
        g_ptr_array_add (layers, layer);
    }
  return layers;
}
