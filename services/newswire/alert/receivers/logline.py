"""The log receiver: one structured line per notice."""

from __future__ import annotations

import logging

from newswire.alert.rules import LogConfig, Retry
from newswire.contracts import Alert
from newswire.observability import log

__all__ = ["LogReceiver"]

_log = log("alert.notice")


class LogReceiver:
    def __init__(self, name: str, config: LogConfig) -> None:
        self.name = name
        self.retry = Retry(attempts=1)
        self._level = logging.WARNING if config.level == "warning" else logging.INFO

    async def send(self, alert: Alert) -> None:
        _log.log(
            self._level,
            "ALERT %s: %s",
            alert.state.value,
            alert.title,
            extra={
                "alert_id": alert.id,
                "rule": alert.rule,
                "severity": alert.severity,
                "event_id": alert.event_id,
                "source_count": alert.source_count,
                "sources": [s.url or s.article_id for s in alert.sources],
            },
        )
