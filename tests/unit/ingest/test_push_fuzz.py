"""Fuzz POST /articles from its own OpenAPI spec (schemathesis, in-process over ASGI): bodies that
fit the contract and bodies that break it, with and without a key, while the sink sometimes fails.
No 5xx but the documented 503, every answer matches the documented codes and schemas, and what
the door answered 202 for is exactly what reached the sink."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newswire.apikeys import ApiKeys
from newswire.contracts import RawArticle
from newswire.errors import TransientError
from newswire.ingest.config import IngestConfig
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.push import create_app
from unit.ingest.fakes import ListSink

CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


class EveryFifthFails(ListSink):
    """A broker that refuses one delivery in five: the door must answer 503, not 500."""

    calls = 0

    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        self.calls += 1
        if self.calls % 5 == 0:
            return [TransientError("broker down")] * len(articles)
        return await super().send_many(articles)


def test_post_articles_never_errors_and_matches_its_spec() -> None:
    sink = EveryFifthFails()
    keys = ApiKeys.of(admin=("s3cret",), read=("reader",))
    # No dedup: with it, a generated article seen before is a duplicate, not a delivery.
    app = create_app(Ingestor(sink, None), IngestConfig(ingest_max_batch=20), api_keys=keys)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    (operation,) = [r.ok() for r in schema.get_all_operations() if r.ok().path == "/articles"]
    codes: dict[int, int] = {}
    accepted: list[str] = []

    def fuzzer(mode: GenerationMode, key: str | None) -> Any:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: Any) -> None:
            case.headers = {**(case.headers or {}), **({"X-API-Key": key} if key else {})}
            response = case.call_and_validate(checks=CHECKS)
            codes[response.status_code] = codes.get(response.status_code, 0) + 1
            assert response.status_code in {202, 401, 403, 413, 422, 503}, response.text
            if response.status_code == 202:
                accepted.extend(response.json()["ids"])

        return fuzz

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for key in ("s3cret", "reader", None):
            fuzzer(mode, key)()

    assert codes.get(202, 0) >= 20 and codes.get(422, 0) >= 20, codes  # both sides were reached
    assert codes.get(401, 0) and codes.get(403, 0), codes
    assert accepted == [a.id for a in sink.articles]  # 202 means delivered; a 503 delivered nothing
