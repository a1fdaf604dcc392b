"""Shared fixtures. Integration tests run against a real Kafka broker started here on free ports;
nothing is mocked. The broker jars are cached (~/.cache/newswire/kafka), fetched once by mvn."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newswire.kafka.local_broker import LocalBroker
from newswire.settings import Settings

# A real PostgreSQL server (session) and a fresh database per test: fixtures `postgres_server`, `pg_url`.
pytest_plugins = ["pg_fixture"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    """One real single-node KRaft broker for the whole test session."""
    home = Path(os.environ.get("NEWSWIRE_BROKER_HOME", Path.home() / ".cache" / "newswire" / "kafka"))
    broker = LocalBroker(
        home=home,
        port=free_port(),
        controller_port=free_port(),
        heap="512m",
        state=tmp_path_factory.mktemp("kafka"),
    )
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def settings(kafka_broker: LocalBroker, tmp_path: Path) -> Settings:
    """Settings for one test: its own topic prefix (so tests never see each other's records),
    its own SQLite file and faust data dir, the session broker."""
    return Settings(
        kafka_bootstrap=kafka_broker.bootstrap,
        topic_prefix=f"t{uuid.uuid4().hex[:10]}",
        topic_partitions=2,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'store.db'}",
        data_dir=tmp_path / "state",
        enrich_batch_seconds=0.2,
        store_batch_seconds=0.2,
        log_format="text",
    )
