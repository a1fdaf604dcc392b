"""HTTP push: `POST /articles` with one RawArticle object or a list of them.

202 {"ids": [...], "produced": n, "duplicates": m} once the broker acknowledged them;
401 without a known X-API-Key, 403 with a read-only one (when keys are configured); 413 over the size limit;
422 {"detail": [{"index", "loc", "msg"}]} for invalid bodies, and then nothing of the batch is
produced; 503 when Kafka cannot take them (retry). Also /healthz and /metrics.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from newswire.apikeys import Access, ApiKeys, Verdict
from newswire.contracts import RawArticle
from newswire.errors import BadMessage, TransientError
from newswire.ingest.config import IngestConfig
from newswire.ingest.metrics import ARTICLES
from newswire.ingest.pipeline import Candidate, Ingestor, InvalidArticle
from newswire.kafka import connectivity

__all__ = ["create_app"]


def _error(status: int, detail: Any, **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _openapi() -> dict[str, Any]:
    """The body is read by hand (size limit first, then per-item errors), so FastAPI cannot infer
    its schema: it is spelled out here, from the contract, for clients and for the fuzz test."""
    article = RawArticle.model_json_schema(mode="validation")  # flat: no $defs to place
    error = {"type": "object", "required": ["detail"], "properties": {"detail": {}}}
    accepted = {
        "type": "object",
        "required": ["ids", "produced", "duplicates"],
        "properties": {
            "ids": {"type": "array", "items": {"type": "string"}},
            "produced": {"type": "integer", "minimum": 0},
            "duplicates": {"type": "integer", "minimum": 0},
        },
    }

    def answer(what: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"description": what, "content": {"application/json": {"schema": schema}}}

    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"anyOf": [article, {"type": "array", "items": article}]},
                }
            },
        },
        "responses": {
            "202": answer("acknowledged by the broker", accepted),
            "401": answer("missing or wrong X-API-Key", error),
            "403": answer("a read-only key", error),
            "413": answer("body or batch over the limit", error),
            "422": answer("invalid: per item, index, loc and msg; nothing of the batch is produced", error),
            "503": answer("Kafka cannot take them now: retry after Retry-After seconds", error),
        },
    }


def create_app(ingestor: Ingestor, config: IngestConfig, *, api_keys: ApiKeys | None = None) -> FastAPI:
    keys = api_keys or ApiKeys()
    app = FastAPI(title="newswire ingest", docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> Response:
        state = connectivity.health()  # 503 "broker unreachable" while the broker is away
        return JSONResponse(state, status_code=200 if state["status"] == "ok" else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.post("/articles", status_code=202, openapi_extra=_openapi(), response_class=JSONResponse)
    async def post_articles(request: Request) -> Response:
        verdict = keys.check(request.headers.get("x-api-key"), Access.ADMIN)
        if verdict is Verdict.UNAUTHENTICATED:
            return _error(401, "missing or wrong X-API-Key")
        if verdict is Verdict.FORBIDDEN:
            return _error(403, "ingest needs an admin key; this one is read-only")
        body = await _read_limited(request, config.ingest_max_request_bytes)
        if body is None:
            return _error(413, f"request body larger than {config.ingest_max_request_bytes} bytes")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            return _error(422, [{"index": None, "loc": ["body"], "msg": f"not JSON: {e}"}])
        except RecursionError:  # nested thousands deep: Python's parser gives up
            return _error(
                422, [{"index": None, "loc": ["body"], "msg": "not JSON we can read: nested too deeply"}]
            )
        items = data if isinstance(data, list) else [data]
        if not items:
            return _error(422, [{"index": None, "loc": ["body"], "msg": "empty list"}])
        if len(items) > config.ingest_max_batch:
            return _error(413, f"{len(items)} articles in one request; at most {config.ingest_max_batch}")
        articles, errors = [], []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                errors.append(
                    {"index": i, "loc": [], "msg": f"expected an object, got {type(item).__name__}"}
                )
                continue
            try:
                articles.append(ingestor.prepare(Candidate("http", item)))
            except InvalidArticle as e:
                errors += [{"index": i, **field} for field in e.errors]
            except BadMessage as e:
                errors.append({"index": i, "loc": [], "msg": str(e)})
        if errors:
            ARTICLES.labels("http", "rejected").inc(len({e["index"] for e in errors}))
            return _error(422, errors)
        try:
            report = await ingestor.ingest(articles, "http")
        except TransientError as e:
            return _error(503, f"not delivered, retry: {e}", **{"Retry-After": "5"})
        if report.rejected:
            return _error(422, [{"index": None, "loc": [], "msg": f"{w}: {r}"} for w, r in report.rejected])
        return JSONResponse(
            {
                "ids": [a.id for a in articles],
                "produced": len(report.produced),
                "duplicates": len(report.duplicates),
            },
            status_code=202,
        )

    return app
