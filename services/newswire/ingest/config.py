"""Ingest knobs that `Settings` does not (yet) carry, with their defaults.

`IngestConfig.from_settings` takes each field from `Settings` when it has an attribute of the
same name, so folding these fields into settings.py later changes no code here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from newswire.settings import Settings

__all__ = ["IngestConfig"]


class IngestConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    feeds_file: Path | None = Field(default=None, description="Feeds YAML; the poller runs when set.")
    ingest_watch_dir: Path | None = Field(default=None, description="Directory watched for dropped files.")
    ingest_state_dir: Path | None = Field(
        default=None, description="Seen-set and watch ledger; default data_dir/ingest."
    )
    ingest_dedup_capacity: int = Field(
        default=1_000_000, ge=1_000, description="Seen-set keys kept (2 per article)."
    )
    ingest_max_request_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1_024, description="POST /articles body limit."
    )
    ingest_max_batch: int = Field(default=1_000, ge=1, description="Articles per POST /articles.")
    ingest_fetch_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1_024, description="Feed or page size limit."
    )
    ingest_fetch_timeout: float = Field(default=15.0, gt=0, description="Connect/read timeout per fetch (s).")
    ingest_fetch_total_timeout: float = Field(
        default=60.0, gt=0, description="Whole fetch, body included (s)."
    )
    ingest_max_redirects: int = Field(default=5, ge=0)
    ingest_fetch_concurrency: int = Field(default=8, ge=1, description="Feed and page fetches in flight.")
    ingest_backoff_max: float = Field(
        default=3_600.0, gt=0, description="Longest wait after repeated feed errors (s)."
    )
    ingest_user_agent: str = Field(
        default="newswire-ingest/0.1 (+https://github.com/newswire; feed poller)",
        description="Sent with every feed and page fetch.",
    )
    ingest_cpu_workers: int = Field(
        default=1, ge=0, description="Processes that parse and normalise feeds; 0: a thread of the service."
    )
    ingest_watch_interval: float = Field(
        default=1.0, gt=0, description="Seconds between scans of the watch dir."
    )

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> IngestConfig:
        values = {name: getattr(settings, name) for name in cls.model_fields if hasattr(settings, name)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        config = cls(**values)
        if config.ingest_state_dir is None:
            config = config.model_copy(update={"ingest_state_dir": Path(settings.data_dir) / "ingest"})
        return config

    @property
    def state_path(self) -> Path:
        assert self.ingest_state_dir is not None  # set by from_settings
        return self.ingest_state_dir / "ingest.sqlite3"
