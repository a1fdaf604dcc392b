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
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level},
        # faust, aiokafka, httpx and alembic are chatty at INFO; their warnings still come through.
        "loggers": {name: {"level": quiet} for name in _CHATTY},
    }


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    logging.config.dictConfig(logging_config(level, fmt))


def serve_metrics(port: int) -> None:
    """Expose this process's Prometheus metrics on all interfaces on `port` (0 = off).

    For workers without an HTTP server of their own (enrich, store); the others serve /metrics."""
    if port:
        from prometheus_client import start_http_server

        start_http_server(port)


def log(name: str) -> logging.Logger:
    return logging.getLogger(f"newswire.{name}")
