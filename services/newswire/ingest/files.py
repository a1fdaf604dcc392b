"""File drop readers: JSONL of RawArticle, plain text (first line title) and news XML.

`read_path` turns a file into `Candidate`s, one per JSONL line, text file or XML news item; a
line or file that cannot be read becomes a Candidate carrying the error, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from newswire.ingest.normalise import parse_dateline
from newswire.ingest.pipeline import Candidate, Ingestor, Report
from newswire.ingest.xmlnews import read_xml

__all__ = ["SUFFIXES", "ingest_path", "iter_files", "read_jsonl", "read_path", "read_text"]

SUFFIXES = (".jsonl", ".ndjson", ".txt", ".xml", ".nitf", ".newsml")
_TITLE_MAX = 200
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iter_files(path: Path) -> list[Path]:
    """The readable files at PATH: the file itself, or a directory's files (sorted, not recursive)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and is_candidate_file(p))
    return [path]


def is_candidate_file(path: Path) -> bool:
    name = path.name
    if name.startswith((".", "~")) or name.endswith(("~", ".tmp", ".part", ".partial")):
        return False  # being written, or an editor's
    return path.suffix.lower() in SUFFIXES


def read_path(path: Path) -> Iterator[Candidate]:
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as lines:  # streamed: a JSONL file may be larger than memory
                yield from read_jsonl(lines, origin)
            return
        data = path.read_bytes()
    except OSError as e:
        yield Candidate(origin, None, error=f"cannot read: {e.strerror or e}")
        return
    if suffix == ".txt":
        yield read_text(data, origin, published=_published_for(path))
    elif suffix in (".xml", ".nitf", ".newsml"):
        yield from read_xml(data, origin)
    else:
        yield Candidate(origin, None, raw=data[:4096], error=f"unsupported file type {suffix or '(none)'!r}")


def read_jsonl(lines: Iterable[bytes], origin: str) -> Iterator[Candidate]:
    for n, line in enumerate(lines, start=1):
        raw = line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            fields = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            yield Candidate(origin, None, raw=raw, line=n, error=f"not UTF-8: {e.reason} at byte {e.start}")
            continue
        except json.JSONDecodeError as e:
            yield Candidate(origin, None, raw=raw, line=n, error=f"not JSON: {e.msg} at column {e.colno}")
            continue
        except RecursionError:  # nested thousands deep
            yield Candidate(origin, None, raw=raw, line=n, error="not JSON we can read: nested too deeply")
            continue
        if not isinstance(fields, dict):
            yield Candidate(
                origin, None, raw=raw, line=n, error=f"not a JSON object but {type(fields).__name__}"
            )
            continue
        yield Candidate(origin, fields, raw=raw, line=n)


def read_text(data: bytes, origin: str, *, published: datetime) -> Candidate:
    """First line is the title, unless it reads as the lead paragraph: it opens with a wire
    dateline, or it is long (> 200 chars) or ends with a full stop without a blank line after it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # legacy Windows files; never fails
    lines = text.strip().splitlines()
    title = ""
    if len(lines) > 1 and _is_title(lines[0].strip(), blank_after=not lines[1].strip()):
        title, lines = lines[0].strip(), lines[1:]
    fields = {"source": "file", "title": title, "body": "\n".join(lines).strip(), "published_at": published}
    return Candidate(origin, fields, raw=data[:65536])


def _is_title(line: str, *, blank_after: bool) -> bool:
    if parse_dateline(line)[0] is not None:
        return False
    return blank_after or (len(line) <= _TITLE_MAX and not line.endswith("."))


def _published_for(path: Path) -> datetime:
    """A YYYY-MM-DD in the file name (midnight UTC), else the file's modification time."""
    m = _DATE_IN_NAME.search(path.name)
    if m:
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


_CHUNK = 500  # candidates per submit: bounded memory, and the event loop gets a turn in between


async def ingest_path(
    ingestor: Ingestor, path: Path, *, door: str = "file", advance: Callable[[int], None] | None = None
) -> Report:
    """Read every file at PATH (a file or a directory) and submit its articles; `advance(n)` after
    each submitted chunk (a progress bar)."""
    _advance = advance or (lambda n: None)
    report = Report()
    for file in iter_files(path):
        batch: list[Candidate] = []
        for candidate in read_path(file):
            batch.append(candidate)
            if len(batch) >= _CHUNK:
                report.merge(await ingestor.submit(batch, door))
                _advance(len(batch))
                batch = []
        if batch:
            report.merge(await ingestor.submit(batch, door))
            _advance(len(batch))
    return report
