"""Fakes behind the ingest ports (no Kafka)."""

from __future__ import annotations

from collections.abc import Sequence

from newswire.contracts import RawArticle
from newswire.errors import TransientError


class ListSink:
    """Collects what would be produced (tests of the doors that do not need Kafka)."""

    def __init__(self) -> None:
        self.articles: list[RawArticle] = []
        self.dead: list[tuple[str, int | None, str]] = []

    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        self.articles += articles
        return [None] * len(articles)

    async def dead_letter(self, *, origin: str, line: int | None, payload: bytes, error: str) -> None:
        self.dead.append((origin, line, error))


class FlakySink(ListSink):
    """Fails the first `failures` deliveries with a TransientError, as a broker that is down would."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        if self.failures > 0:
            self.failures -= 1
            return [TransientError("broker down")] * len(articles)
        return await super().send_many(articles)
