"""Topic creation and the client versions we pin, against the real broker."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from packaging.requirements import Requirement

from newswire.kafka import Topics, ensure_topics
from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


async def test_topics_created_once_with_explicit_partitions(settings: Settings) -> None:
    created = await ensure_topics(settings)
    assert sorted(created) == sorted(Topics.from_settings(settings).all())
    assert await ensure_topics(settings) == []  # second start: nothing to do, no error
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(created)
    finally:
        await admin.close()
    assert {d["topic"]: len(d["partitions"]) for d in described} == {t: 2 for t in created}


def test_topic_prefix_names_every_topic() -> None:
    t = Topics.from_settings(Settings(topic_prefix="desk1"))
    assert t.all() == [
        "desk1.articles.raw",
        "desk1.articles.enriched",
        "desk1.events",
        "desk1.alerts",
        "desk1.deadletter",
    ]


def test_installed_kafka_clients_are_in_the_pinned_range() -> None:
    """The worker tests in this folder run faust + aiokafka at these versions on the real broker."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {Requirement(d).name: Requirement(d) for d in deps}
    for name in ("faust-streaming", "aiokafka"):
        assert pins[name].specifier.contains(version(name)), (name, version(name), str(pins[name].specifier))
