"""The enrich worker as its own process on the real broker: good articles are enriched, bad records
are dead-lettered with a reason, the worker keeps running and commits past them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from kafka_helpers import committed_offsets, end_offsets, produce, read_topic, wait_until
from newswire.contracts import DeadLetter, EnrichedArticle, Event, RawArticle
from newswire.kafka import Topics, encode, encode_key, ensure_topics
from newswire.processes import ServiceGroup
from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


async def test_enrich_worker_enriches_and_dead_letters(settings: Settings, tmp_path: Path) -> None:
    topics = Topics.from_settings(settings)
    await ensure_topics(settings)
    seed = RawArticle.model_validate_json((ROOT / "seeds" / "2024-05-16_xi-putin-beijing.jsonl").read_text())
    bad = [
        (b"k1", b"\xff\xfe not utf-8"),
        (b"k2", b'{"title": "no body"'),
        (b"k3", json.dumps({"title": "no body", "published_at": "2024-05-16T09:00:00Z"}).encode()),
    ]
    await produce(settings.kafka_bootstrap, topics.raw, [*bad, (encode_key(seed.id), encode(seed))])

    group = ServiceGroup(settings, log_dir=tmp_path / "logs")
    group.start("enrich")
    try:
        letters = await read_topic(settings.kafka_bootstrap, topics.deadletter, until=lambda r: len(r) >= 3)
        enriched = await read_topic(settings.kafka_bootstrap, topics.enriched, until=lambda r: len(r) >= 1)
        events = await read_topic(settings.kafka_bootstrap, topics.events, until=lambda r: len(r) >= 1)
        assert group.dead() == {}, group.log_tail("enrich")

        reasons = {
            DeadLetter.model_validate_json(r.value).key: DeadLetter.model_validate_json(r.value)
            for r in letters
        }
        assert len(letters) == 3, group.log_tail("enrich")
        by_key = {base64.b64decode(k or "").decode(): v for k, v in reasons.items()}
        assert by_key["k1"].error.startswith("not UTF-8")
        assert by_key["k2"].error.startswith("not JSON")
        assert by_key["k3"].error.startswith("invalid RawArticle: body")
        assert base64.b64decode(by_key["k1"].payload) == bad[0][1]  # the exact bytes are kept
        assert all(v.service == "enrich" and v.topic == topics.raw for v in by_key.values())

        [art] = [EnrichedArticle.model_validate_json(r.value) for r in enriched]
        assert art.article == seed and enriched[0].key == seed.id.encode()
        meets = [Event.model_validate_json(r.value) for r in events]
        assert any({p.name for p in e.participants} == {"Xi Jinping", "Vladimir Putin"} for e in meets)
        assert all(r.key == Event.model_validate_json(r.value).id.encode() for r in events)

        # committed past every record, bad ones included
        ends = await end_offsets(settings.kafka_bootstrap, topics.raw)

        async def caught_up() -> bool:
            done = await committed_offsets(settings.kafka_bootstrap, f"{settings.topic_prefix}-enrich")
            return all(done.get(tp, 0) >= end for tp, end in ends.items())

        assert await wait_until(caught_up, timeout=30), (ends, group.log_tail("enrich"))
    finally:
        codes = group.stop()
    assert codes["enrich"] in (0, -15), group.log_tail("enrich")
