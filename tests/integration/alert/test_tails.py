"""`newswire events tail` / `alerts tail`: a subscriber's filtered view of the stream, as its own
process, that joins no consumer group (so it can never steal partitions from a worker)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from aiokafka.admin import AIOKafkaAdminClient

from kafka_helpers import produce
from newswire.contracts import Event, Evidence, Participant
from newswire.kafka import Topics, encode, encode_key, ensure_topics
from newswire.processes import env_for
from newswire.settings import Settings

EVIDENCE = [Evidence(article_id="a1", sentence="s", start=0, end=1)]
PUTIN = Participant(id="Q7747", name="Vladimir Putin", country="RU")
XI = Participant(id="Q15031", name="Xi Jinping", country="CN")
ORBAN = Participant(id="nw:viktor-orban", name="Viktor Orbán", country="HU")


def event(eid: str, type_: str, status: str, *people: Participant) -> Event:
    return Event(
        id=eid, type=type_, status=status, participants=list(people), evidence=EVIDENCE, confidence=0.9
    )


def _lines(proc: subprocess.Popen[str], want: int, timeout: float) -> list[str]:
    out: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while len(out) < want and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            out.append(line)
    return out


async def test_events_tail_filters_and_joins_no_group(settings: Settings) -> None:
    await ensure_topics(settings)
    topic = Topics.from_settings(settings).events
    events = [
        event("e-call", "CALL", "occurred", PUTIN, XI),
        event("e-other", "MEET", "occurred", XI, ORBAN),
        event("e-planned", "MEET", "planned", PUTIN, XI),
        event("e-hit", "MEET", "occurred", PUTIN, XI),
    ]
    records = [(b"bad", b"{not json")] + [(encode_key(e.id), encode(e)) for e in events]
    await produce(settings.kafka_bootstrap, topic, records)

    cmd = [sys.executable, "-m", "newswire", "events", "tail", "--participant", "Putin",
           "--type", "MEET", "--status", "occurred", "--from-beginning"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, env=env_for(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = _lines(proc, want=1, timeout=60)
        time.sleep(2)  # anything else that matched would have arrived by now
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
        await admin.start()
        try:
            groups = [g[0] for g in await admin.list_consumer_groups()]
        finally:
            await admin.close()
    finally:
        proc.terminate()
        rest, err = proc.communicate(timeout=30)
    ids = [json.loads(line)["id"] for line in lines + rest.splitlines() if line.strip()]
    assert ids == ["e-hit"], err
    assert "skipped" in err and "not JSON" in err  # a bad record is reported, not fatal
    assert not [g for g in groups if g.startswith(settings.topic_prefix)]
