"""Where the who-met-whom graph draws things: a deterministic circular layout, no I/O.

Leaders sit on one circle, most-met first from twelve o'clock clockwise, so the same data draws the
same picture on every reload and every machine. Sizes and colours are the encodings a reader is told
about in the legend: node radius ~ sqrt(meetings), edge width ~ log2(meetings of the pair), edge
colour by how recent the pair's last meeting is.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from newswire.store.meetings import GraphEdge, GraphNode

__all__ = ["RECENCY", "Placed", "PlacedEdge", "layout", "recency"]

WIDTH, HEIGHT = 960, 700
# Past this many leaders the names turn to point away from the centre, so neighbours do not collide.
RADIAL_LABELS = 12
# (days before the period's end, label, CSS class): the first bucket an edge's last meeting fits.
RECENCY: tuple[tuple[int, str, str], ...] = (
    (7, "last 7 days", "r0"),
    (30, "last 30 days", "r1"),
    (180, "last 6 months", "r2"),
    (10**6, "older", "r3"),
)


@dataclass(frozen=True)
class Placed:
    node: GraphNode
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str
    rotate: float  # degrees about (label_x, label_y); 0 for upright labels


@dataclass(frozen=True)
class PlacedEdge:
    edge: GraphEdge
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    recency: str


def recency(last: dt.date, end: dt.date) -> str:
    age = (end - last).days
    return next(css for days, _, css in RECENCY if age <= days)


def layout(
    nodes: list[GraphNode], edges: list[GraphEdge], *, end: dt.date
) -> tuple[list[Placed], list[PlacedEdge]]:
    cx, cy = WIDTH / 2, HEIGHT / 2
    n = len(nodes)
    radial = n > RADIAL_LABELS
    ring = min(WIDTH, HEIGHT) / 2 - (140 if radial else 90)  # room for the names outside the ring
    # Circles never overlap their neighbours on the ring; the most met gets the largest.
    biggest = min(24.0, 0.42 * 2 * math.pi * ring / n) if n > 1 else 24.0
    most = max((node.meetings for node in nodes), default=1) or 1
    placed: dict[str, Placed] = {}
    for i, node in enumerate(nodes):
        # Two leaders face each other across the page; more go round from twelve o'clock.
        angle = math.pi * (1 - i) if n == 2 else -math.pi / 2 + 2 * math.pi * i / n
        radius = 0.0 if n == 1 else ring
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        r = max(4.0, biggest * math.sqrt(node.meetings / most))
        ux, uy = (math.cos(angle), math.sin(angle)) if n > 1 else (0.0, -1.0)
        if radial:
            lx, ly = x + ux * (r + 6), y + uy * (r + 6)
            anchor = "start" if ux >= 0 else "end"
            rotate = math.degrees(angle) + (0 if ux >= 0 else 180)
        else:
            lx, ly = x + ux * (r + 10), y + uy * (r + 10) + 5
            anchor = "middle" if abs(ux) < 0.3 else ("start" if ux > 0 else "end")
            rotate = 0.0
        placed[node.id] = Placed(
            node, round(x, 1), round(y, 1), round(r, 1), round(lx, 1), round(ly, 1), anchor, round(rotate, 1)
        )
    lines = [
        PlacedEdge(
            edge=e,
            x1=placed[e.source].x,
            y1=placed[e.source].y,
            x2=placed[e.target].x,
            y2=placed[e.target].y,
            width=round(min(10.0, 2.0 + 2.5 * math.log2(e.weight)), 1),
            recency=recency(e.last, end),
        )
        for e in edges
        if e.source in placed and e.target in placed
    ]
    # Lightest first, so heavy and recent edges are drawn on top.
    lines.sort(key=lambda p: (p.edge.weight, p.edge.last))
    return list(placed.values()), lines
