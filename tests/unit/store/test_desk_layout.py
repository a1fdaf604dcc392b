"""The desk's pure parts: the graph layout and the evidence highlighter."""

from __future__ import annotations

import datetime as dt
import math

from newswire.store.meetings import GraphEdge, GraphNode
from newswire.store.web.highlight import Run, article_text, runs
from newswire.store.web.layout import HEIGHT, WIDTH, layout, recency
from newswire.store.web.render import web_url


def _node(i: int, meetings: int) -> GraphNode:
    return GraphNode(id=f"Q{i}", name=f"Leader {i}", country=None, meetings=meetings)


def _edge(a: int, b: int, weight: int, last: dt.date) -> GraphEdge:
    return GraphEdge(source=f"Q{a}", target=f"Q{b}", weight=weight, last=last, event_ids=["e"] * weight)


END = dt.date(2024, 6, 30)


def test_layout_is_deterministic_inside_the_drawing_and_sized_by_meetings() -> None:
    nodes = [_node(i, 10 - i) for i in range(8)]
    edges = [_edge(0, 1, 8, END), _edge(2, 5, 1, dt.date(2023, 1, 1)), _edge(0, 99, 1, END)]
    placed, lines = layout(nodes, edges, end=END)
    assert (placed, lines) == layout(nodes, edges, end=END)
    assert [p.node.id for p in placed] == [n.id for n in nodes]
    assert placed[0].x == WIDTH / 2 and placed[0].y < HEIGHT / 2  # most met at twelve o'clock
    assert all(0 < p.x < WIDTH and 0 < p.y < HEIGHT for p in placed)
    radii = [p.r for p in placed]
    assert radii == sorted(radii, reverse=True) and radii[0] > radii[-1]
    distinct = {(p.x, p.y) for p in placed}
    assert len(distinct) == len(placed)
    # An edge to a leader not drawn is left out; the heavy, recent edge is drawn last (on top).
    assert [(ln.edge.source, ln.edge.target) for ln in lines] == [("Q2", "Q5"), ("Q0", "Q1")]
    assert lines[1].width > lines[0].width and (lines[1].recency, lines[0].recency) == ("r0", "r3")


def test_two_leaders_face_each_other_and_one_sits_in_the_middle() -> None:
    (a, b), _ = layout([_node(1, 1), _node(2, 1)], [], end=END)
    assert a.y == b.y and math.isclose(a.x + b.x, WIDTH)
    (only,), _ = layout([_node(1, 1)], [], end=END)
    assert (only.x, only.y) == (WIDTH / 2, HEIGHT / 2)


def test_recency_buckets() -> None:
    assert [recency(END - dt.timedelta(days=d), END) for d in (0, 7, 8, 30, 31, 180, 181, 5000)] == [
        "r0", "r0", "r1", "r1", "r2", "r2", "r3", "r3"]  # fmt: skip


def test_evidence_runs_cover_the_text_and_mark_each_sentence() -> None:
    text = article_text("Title", "One sentence. Xi met Putin. Another one. Xi met Putin.")
    start = text.index("Xi met Putin.")
    cut, missing = runs(text, [("Xi met Putin.", start, start + 13), ("Another one.", 0, 5)])
    assert "".join(r.text for r in cut) == text and missing == []
    # The second span's offsets are wrong: it is found by its text.
    assert [r.text for r in cut if r.marked] == ["Xi met Putin.", "Another one."]


def test_overlapping_spans_merge_and_absent_sentences_are_reported() -> None:
    text = "abcdefghij"
    cut, missing = runs(text, [("cde", 2, 5), ("def", 3, 6), ("zzz", 0, 3)])
    assert cut == [Run("ab", False), Run("cdef", True), Run("ghij", False)] and missing == ["zzz"]
    assert runs("", []) == ([], [])


def test_a_crowded_ring_keeps_circles_apart_and_turns_names_outwards() -> None:
    placed, _ = layout([_node(i, 40 - i) for i in range(40)], [], end=END)
    for a, b in zip(placed, placed[1:] + placed[:1], strict=True):
        assert math.dist((a.x, a.y), (b.x, b.y)) > a.r + b.r
    assert placed[0].rotate == -90.0 and placed[0].anchor == "start"  # twelve o'clock reads upwards
    left = [p for p in placed if p.x < WIDTH / 2]
    assert left and all(p.anchor == "end" for p in left)  # read left to right on both sides


def test_only_web_pages_become_links() -> None:
    assert web_url("https://example.test/a?b=1") == "https://example.test/a?b=1"
    assert web_url("http://example.test/") == "http://example.test/"
    assert [web_url(u) for u in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "", None)] == [
        None] * 5  # fmt: skip
