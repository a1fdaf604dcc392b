"""Progress bars for long CLI work (`extract`, `evaluate`, `ingest file`).

A bar is drawn on stderr only when stderr is a terminal: a pipe, a file or a CI log gets not one
byte, so captured output stays clean. `beside` names a stream the work writes to at the same time
(stdout of `extract`); when that is the same terminal its lines would tear the bar, so none is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["Advance", "in_batches", "progress", "shown", "track", "track_lines"]

T = TypeVar("T")
R = TypeVar("R")
Advance = Callable[[int], None]


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


def shown(to: TextIO | None = None, *, beside: TextIO | None = None) -> bool:
    """Whether a bar would be drawn on `to` (default: stderr)."""
    return _is_terminal(sys.stderr if to is None else to) and not _is_terminal(beside)


def _ignore(n: int = 1) -> None:
    return None


@contextmanager
def progress(
    description: str,
    *,
    total: int | None = None,
    unit: str = "articles",
    to: TextIO | None = None,
    beside: TextIO | None = None,
) -> Iterator[Advance]:
    """Yields `advance(n)`; a no-op unless a bar is shown. Without a total the bar pulses and counts."""
    out = sys.stderr if to is None else to
    if not shown(out, beside=beside):
        yield _ignore
        return
    columns: list[ProgressColumn] = [TextColumn("{task.description}"), BarColumn()]
    if total is not None:
        columns += [MofNCompleteColumn(), TextColumn(unit), TaskProgressColumn(), TimeRemainingColumn()]
    else:
        columns += [TextColumn(f"{{task.completed}} {unit}"), TimeElapsedColumn()]
    # force_terminal: `out` said it is one; rich's own check also looks at the environment.
    with Progress(*columns, console=Console(file=out, force_terminal=True)) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def track(
    items: Iterable[T],
    description: str,
    *,
    total: int | None = None,
    unit: str = "articles",
    to: TextIO | None = None,
    beside: TextIO | None = None,
) -> Iterator[T]:
    """The items, unchanged, advancing the bar after each one."""
    with progress(description, total=total, unit=unit, to=to, beside=beside) as advance:
        for item in items:
            yield item
            advance(1)


def _lines_in(src: TextIO) -> int | None:
    """Lines left in a regular file (one fast pass, then back); None for a pipe or stdin."""
    try:
        if not src.seekable():
            return None
        at = src.tell()
        n = sum(1 for _ in src)
        src.seek(at)
        return n
    except (OSError, ValueError):
        return None


def track_lines(
    src: TextIO, description: str, *, to: TextIO | None = None, beside: TextIO | None = None
) -> Iterator[str]:
    """The lines of `src`; the total is counted first only when a bar is shown and `src` can seek."""
    total = _lines_in(src) if shown(to, beside=beside) else None
    return track(src, description, total=total, unit="lines", to=to, beside=beside)


def in_batches(
    fn: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    description: str,
    *,
    size: int = 32,  # NEWSWIRE_ENRICH_BATCH_SIZE's default: one nlp.pipe batch per step of the bar
    unit: str = "articles",
    to: TextIO | None = None,
) -> list[R]:
    """`fn` over `items` in slices of `size`, results in order: what `fn(items)` returns for a `fn`
    that treats each item on its own (as `Enricher.enrich` does), with a bar between slices."""
    results: list[R] = []
    with progress(description, total=len(items), unit=unit, to=to) as advance:
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            results.extend(fn(chunk))
            advance(len(chunk))
    return results
