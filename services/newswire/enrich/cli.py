"""`newswire extract`: RawArticle JSON lines in, EnrichedArticle JSON lines out, no Kafka."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from pydantic import ValidationError

from newswire.contracts import RawArticle
from newswire.settings import Settings

from .pipeline import Enricher

__all__ = ["extract_lines"]

BATCH = 64


def _reason(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, er['loc'])) or 'line'}: {er['msg']}" for er in e.errors())


def extract_lines(
    settings: Settings, src: Iterable[str], out: TextIO, *, enricher: Enricher | None = None
) -> int:
    """Returns the number of bad lines; each one is reported on stderr as 'line N: reason' and skipped."""
    enricher = enricher or Enricher.from_settings(settings)
    bad = 0
    batch: list[RawArticle] = []

    def flush() -> None:
        for enriched in enricher.enrich(batch):
            out.write(enriched.model_dump_json() + "\n")
        batch.clear()

    for n, line in enumerate(src, start=1):
        if not line.strip():
            continue
        try:
            batch.append(RawArticle.model_validate_json(line))
        except ValidationError as e:
            bad += 1
            print(f"line {n}: {_reason(e)}", file=sys.stderr)
            continue
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    out.flush()
    return bad
