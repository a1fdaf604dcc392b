"""Progress bars: drawn on a terminal, not one byte on a pipe or file, never changing the work."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

from newswire.ingest.files import ingest_path
from newswire.ingest.pipeline import Ingestor
from newswire.progress import in_batches, progress, shown, track, track_lines
from unit.ingest.fakes import ListSink


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_a_pipe_gets_nothing_and_the_items_pass_unchanged() -> None:
    err = io.StringIO()
    assert list(track(range(5), "extract", total=5, to=err)) == [0, 1, 2, 3, 4]
    assert err.getvalue() == ""
    assert not shown(err)


def test_a_terminal_gets_a_bar_that_ends_full() -> None:
    err = Terminal()
    assert list(track("abc", "extract", total=3, to=err)) == ["a", "b", "c"]
    out = err.getvalue()
    assert "extract" in out and "3/3" in out
    assert "\x1b[" in out  # drawn with terminal escapes


def test_without_a_total_it_counts() -> None:
    err = Terminal()
    with progress("ingest seeds/", to=err) as advance:
        advance(500)
        advance(2)
    assert "502 articles" in err.getvalue()


def test_no_bar_when_the_output_shares_the_terminal() -> None:
    err = Terminal()
    assert list(track(range(3), "extract", to=err, beside=Terminal())) == [0, 1, 2]
    assert err.getvalue() == ""
    assert shown(err, beside=io.StringIO())


def test_closed_or_odd_streams_count_as_no_terminal() -> None:
    closed = io.StringIO()
    closed.close()
    assert not shown(closed)
    assert shown(Terminal(), beside=closed)  # a closed output cannot tear the bar


def test_track_lines_counts_a_file_first_only_for_a_bar(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("a\nb\n\nc\n")
    err = Terminal()
    with path.open() as src:
        assert list(track_lines(src, "extract", to=err)) == ["a\n", "b\n", "\n", "c\n"]
    assert "4/4" in err.getvalue() and "lines" in err.getvalue()
    quiet = io.StringIO()
    assert list(track_lines(io.StringIO("x\ny\n"), "extract", to=quiet)) == ["x\n", "y\n"]
    assert quiet.getvalue() == ""


def test_in_batches_returns_what_one_call_returns() -> None:
    calls: list[int] = []

    def double(chunk: Sequence[int]) -> list[int]:
        calls.append(len(chunk))
        return [2 * x for x in chunk]

    items = list(range(10))
    for err in (io.StringIO(), Terminal()):
        calls.clear()
        assert in_batches(double, items, "evaluate", size=4, to=err) == [2 * x for x in items]
        assert calls == [4, 4, 2]
    assert "10/10" in err.getvalue()
    assert in_batches(double, [], "evaluate", to=io.StringIO()) == []


async def test_ingest_file_advances_once_per_submitted_chunk(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": f"T{i}", "body": f"Body {i}.", "published_at": "2024-05-16T09:00:00Z"})
        for i in range(1203)
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    seen: list[int] = []
    sink = ListSink()
    report = await ingest_path(Ingestor(sink, None), tmp_path, advance=seen.append)
    assert seen == [500, 500, 203]
    assert len(sink.articles) == 1203 and not report.rejected
