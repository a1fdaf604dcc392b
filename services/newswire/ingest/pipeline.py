"""Every door ends here: normalise -> validate -> dedup -> sink, with counts and dead letters.

A door turns its input into `Candidate`s (RawArticle fields not yet cleaned, plus where they came
from); `Ingestor.submit` does the rest and returns a `Report`. Bad input is reported as
"where: reason", counted and dead-lettered; it never stops the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from newswire.contracts import RawArticle
from newswire.errors import BadMessage, TransientError
from newswire.ingest.dedup import SeenSet, dedup_keys
from newswire.ingest.metrics import ARTICLES
from newswire.ingest.normalise import normalise
from newswire.observability import MESSAGES, log

__all__ = [
    "Candidate",
    "Ingestor",
    "InvalidArticle",
    "Prepared",
    "Report",
    "Sink",
    "prepare",
    "prepare_many",
    "validation_reason",
]

_log = log("ingest")


class Sink(Protocol):
    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        """Deliver; one entry per article: None once acknowledged, else the (BadMessage or
        TransientError) reason it was not."""
        ...

    async def dead_letter(self, *, origin: str, line: int | None, payload: bytes, error: str) -> None: ...


@dataclass(frozen=True)
class Candidate:
    origin: str  # "seeds/a.jsonl", "feed:ap-world", "http"
    fields: Mapping[str, Any] | None  # None when `error` already says why there is no article
    raw: bytes = b""  # the input exactly as received, for the dead letter
    line: int | None = None
    error: str | None = None
    language: str | None = None  # the door's language hint

    @property
    def where(self) -> str:
        return f"{self.origin}:{self.line}" if self.line is not None else self.origin


@dataclass
class Report:
    produced: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    def merge(self, other: Report) -> Report:
        self.produced += other.produced
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        return self

    def summary(self) -> str:
        return (
            f"produced {len(self.produced)}, duplicates {len(self.duplicates)}, rejected {len(self.rejected)}"
        )


class InvalidArticle(BadMessage):
    """Fails the RawArticle contract; `errors` holds {"loc": [...], "msg": ...} per field."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors

    def __reduce__(self) -> tuple[type[InvalidArticle], tuple[str, list[dict[str, Any]]]]:
        return (InvalidArticle, (str(self), self.errors))  # crosses process boundaries (workers.py)


def validation_reason(err: ValidationError, limit: int = 5) -> str:
    parts = [f"{'.'.join(str(x) for x in e['loc']) or '(root)'}: {e['msg']}" for e in err.errors()[:limit]]
    more = err.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def prepare(candidate: Candidate) -> RawArticle:
    """Clean and validate one candidate, or raise BadMessage with a reason a human can act on."""
    if candidate.error is not None or candidate.fields is None:
        raise BadMessage(candidate.error or "no article")
    try:
        return RawArticle.model_validate(normalise(candidate.fields, language=candidate.language))
    except ValidationError as e:
        fields = [{"loc": list(x["loc"]), "msg": x["msg"]} for x in e.errors()]
        raise InvalidArticle(f"invalid RawArticle: {validation_reason(e)}", fields) from None


Prepared = tuple[Candidate, RawArticle | BadMessage]


def prepare_many(candidates: Sequence[Candidate]) -> list[Prepared]:
    """`prepare` over a chunk; a failure comes back as a value (it pickles), not as a raise."""
    out: list[Prepared] = []
    for c in candidates:
        try:
            out.append((c, prepare(c)))
        except BadMessage as e:
            out.append((c, e))
    return out


class Ingestor:
    def __init__(self, sink: Sink, seen: SeenSet | None) -> None:
        self.sink = sink
        self.seen = seen  # None: --no-dedup

    def prepare(self, candidate: Candidate) -> RawArticle:
        return prepare(candidate)

    async def submit(self, candidates: Sequence[Candidate], door: str) -> Report:
        return await self.submit_prepared(prepare_many(candidates), door)

    async def submit_prepared(self, prepared: Sequence[Prepared], door: str) -> Report:
        """Like `submit`, for candidates already through `prepare` (in a worker process)."""
        report, articles = Report(), []
        for candidate, result in prepared:
            if isinstance(result, BadMessage):
                await self.reject(candidate, str(result), door, report)
            else:
                articles.append(result)
        return report.merge(await self.ingest(articles, door))

    async def reject(self, candidate: Candidate, reason: str, door: str, report: Report) -> None:
        report.rejected.append((candidate.where, reason))
        ARTICLES.labels(door, "rejected").inc()
        MESSAGES.labels("ingest", "rejected").inc()
        _log.warning("rejected", extra={"door": door, "where": candidate.where, "error": reason})
        try:
            await self.sink.dead_letter(
                origin=candidate.origin, line=candidate.line, payload=candidate.raw, error=reason
            )
        except (
            Exception
        ) as e:  # the reason is reported and logged already; the dead-letter topic is best effort
            _log.error("dead letter not delivered", extra={"where": candidate.where, "error": repr(e)})

    async def ingest(self, articles: Sequence[RawArticle], door: str) -> Report:
        """Produce the articles not seen before; mark them seen once acknowledged.

        Raises TransientError when some could not be delivered: those stay unseen, so a retry
        of the same input produces exactly them.
        """
        report, fresh, keys = Report(), [], []
        for article in articles:
            k = dedup_keys(article)
            if self.seen is not None and not self.seen.reserve(k):
                report.duplicates.append(article.id)
                continue
            fresh.append(article)
            keys.append(k)
        outcomes = await self.sink.send_many(fresh) if fresh else []
        delivered, failed = [], []
        for article, k, error in zip(fresh, keys, outcomes, strict=True):
            if error is None:
                report.produced.append(article.id)
                delivered.append(k)
            else:
                if self.seen is not None:
                    self.seen.release(k)
                if isinstance(error, TransientError):
                    failed.append(error)
                else:
                    report.rejected.append((f"{door}:{article.id}", str(error)))
                    _log.error("not produced", extra={"door": door, "id": article.id, "error": str(error)})
        if self.seen is not None:
            self.seen.commit(delivered)
        counts = (
            ("produced", report.produced),
            ("duplicate", report.duplicates),
            ("rejected", report.rejected),
        )
        for outcome, items in counts:
            if n := len(items):
                ARTICLES.labels(door, outcome).inc(n)
                MESSAGES.labels("ingest", outcome).inc(n)
        if failed:
            raise TransientError(f"{len(failed)} of {len(fresh)} articles not delivered: {failed[0]}")
        return report
