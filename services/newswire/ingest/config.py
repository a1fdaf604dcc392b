"""The ingest service's view of the settings: the `ingest_*`/feeds fields of `Settings`.

The fields are taken from `Settings` itself (same definitions, defaults and limits), so there is
one source of truth; this model only lets the ingest code and its tests carry just what they use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, create_model

from newswire.settings import Settings

__all__ = ["IngestConfig"]

_FIELDS = (
    "feeds_file",
    "ingest_watch_dir",
    "ingest_state_dir",
    "ingest_dedup_capacity",
    "ingest_max_request_bytes",
    "ingest_max_batch",
    "ingest_fetch_max_bytes",
    "ingest_fetch_timeout",
    "ingest_fetch_total_timeout",
    "ingest_max_redirects",
    "ingest_fetch_concurrency",
    "ingest_backoff_max",
    "ingest_user_agent",
    "ingest_cpu_workers",
    "ingest_watch_interval",
)


class _IngestConfigBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    if TYPE_CHECKING:  # the field comes from Settings through create_model, below
        ingest_state_dir: Path | None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> IngestConfig:  # type: ignore[valid-type]
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


IngestConfig = create_model(  # type: ignore[call-overload]
    "IngestConfig",
    __base__=_IngestConfigBase,
    **{name: (Settings.model_fields[name].annotation, Settings.model_fields[name]) for name in _FIELDS},
)
