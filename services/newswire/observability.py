"""Structured logs (one JSON object per line) and Prometheus metrics shared by every service."""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter, Histogram

__all__ = [
    "DEADLETTERS",
    "MESSAGES",
    "STAGE_SECONDS",
    "JsonFormatter",
    "configure_logging",
    "log",
    "logging_config",
    "serve_metrics",
]

MESSAGES = Counter("newswire_messages_total", "Records handled", ["service", "outcome"])
DEADLETTERS = Counter("newswire_deadletters_total", "Records sent to the dead-letter topic", ["service"])
STAGE_SECONDS = Histogram(
    "newswire_stage_seconds",
    "Time spent per batch in a processing stage",
    ["service", "stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_CHATTY = ("aiokafka", "faust", "mode", "httpx", "httpcore", "alembic")
_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def logging_config(level: str = "INFO", fmt: str = "json") -> dict[str, Any]:
    """A logging.dictConfig: one stderr handler, JSON or text. faust's Worker takes it as is."""
    level = level.upper()
    quiet = logging.getLevelName(max(logging.WARNING, logging.getLevelName(level)))
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        # While the broker is away, the Kafka clients' retry lines are held back (kafka/connectivity.py).
        "filters": {"outage": {"()": "newswire.kafka.connectivity.OutageFilter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "stream": "ext://sys.stderr",
                "filters": ["outage"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        # faust, aiokafka, httpx and alembic are chatty at INFO; their warnings still come through.
        "loggers": {name: {"level": quiet} for name in _CHATTY},
    }


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    logging.config.dictConfig(logging_config(level, fmt))


def serve_metrics(port: int) -> None:
    """Expose this process's Prometheus metrics on all interfaces on `port` (0 = off), and
    GET /healthz: 200 {"status": "ok"}, or 503 {"status": "broker unreachable", ...}.

    For workers without an HTTP server of their own (enrich, store); the others serve /metrics."""
    if not port:
        return
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from newswire.kafka.connectivity import health

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] == "/healthz":
                state = health()
                body, kind = json.dumps(state).encode(), "application/json"
                self.send_response(200 if state["status"] == "ok" else 503)
            else:
                body, kind = generate_latest(), CONTENT_TYPE_LATEST
                self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # scrapes are not log lines
            pass

    server = ThreadingHTTPServer(("", port), Handler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()


def log(name: str) -> logging.Logger:
    return logging.getLogger(f"newswire.{name}")
