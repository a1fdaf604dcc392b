"""The engine with a fake clock: grouping, dedup, min_sources, group_wait, repeat, inhibition, silences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswire.alert.engine import Engine
from newswire.alert.names import StaticResolver
from newswire.alert.rules import parse_rules
from newswire.alert.silences import Matcher, Silence
from newswire.alert.state import MemoryStore
from newswire.contracts import AlertState, Event

T0 = datetime(2024, 5, 16, 8, 0, tzinfo=UTC)
KB = StaticResolver({"Xi Jinping": ["Xi"], "Vladimir Putin": ["Putin"], "Kim Jong Un": ["Kim Jong-un"]})


def ev(eid: str = "e1", art: str = "a1", outlet: str = "AP", status: str = "occurred", type_: str = "MEET",
       names: tuple[str, ...] = ("Xi Jinping", "Vladimir Putin"), conf: float = 0.9) -> Event:  # fmt: skip
    return Event.model_validate({
        "id": eid, "type": type_, "status": status, "confidence": conf, "date": "2024-05-16",
        "participants": [{"id": f"name:{n}", "name": n, "country": "CN"} for n in names],
        "location": {"name": "Beijing", "country": "CN"},
        "evidence": [{"article_id": art, "sentence": "Xi met Putin.", "start": 0, "end": 13,
                      "url": f"https://{outlet.lower()}.example/{art}", "title": "t", "source": outlet}],
    })  # fmt: skip


def engine(**rule: str) -> Engine:
    extra = "".join(f"\n    {k}: {v}" for k, v in rule.items())
    text = f"""
receivers: [{{name: log, log: {{}}}}]
rules:
  - name: r
    match: {{types: [MEET], status: [occurred, planned], min_confidence: 0.5}}
    participants: {{at_least: 2, of: [Xi, Putin, Kim Jong-un]}}
    receivers: [log]{extra}
"""
    return Engine(parse_rules(text, KB))


def test_one_alert_per_event_then_at_most_one_update_per_repeat_interval() -> None:
    eng, store = engine(repeat_interval="4h"), MemoryStore()
    first = eng.on_event(store, ev(art="a1"), T0)
    assert [(a.state, a.source_count, a.title) for a in first] == [
        (AlertState.FIRING, 1, "Xi Jinping met Vladimir Putin in Beijing")
    ]
    assert first[0].id == "r/e1"
    assert eng.on_event(store, ev(art="a1"), T0 + timedelta(minutes=1)) == []  # duplicate article
    assert eng.on_event(store, ev(art="a2", outlet="Reuters"), T0 + timedelta(minutes=2)) == []  # held
    assert eng.on_event(store, ev(art="a3", outlet="AFP"), T0 + timedelta(minutes=3)) == []
    assert eng.on_tick(store, T0 + timedelta(hours=3)) == []
    upd = eng.on_tick(store, T0 + timedelta(hours=4))
    assert [(a.state, a.source_count) for a in upd] == [(AlertState.UPDATED, 3)]
    assert [s.article_id for s in upd[0].sources] == ["a1", "a2", "a3"]
    assert upd[0].first_seen == T0 and upd[0].last_seen == T0 + timedelta(minutes=3)
    assert eng.on_tick(store, T0 + timedelta(hours=9)) == []  # nothing new, nothing sent


def test_not_for_calls_low_confidence_or_one_tracked_leader() -> None:
    eng, store = engine(), MemoryStore()
    assert eng.on_event(store, ev("c", type_="CALL"), T0) == []
    assert eng.on_event(store, ev("l", conf=0.3), T0) == []
    assert eng.on_event(store, ev("o", names=("Xi Jinping", "Emmanuel Macron")), T0) == []


def test_min_sources_counts_independent_outlets() -> None:
    eng, store = engine(min_sources="2"), MemoryStore()
    assert eng.on_event(store, ev(art="a1", outlet="AP"), T0) == []
    assert eng.on_event(store, ev(art="a2", outlet="AP"), T0) == []  # same outlet: not independent
    out = eng.on_event(store, ev(art="a3", outlet="Reuters"), T0 + timedelta(seconds=5))
    assert [(a.state, a.source_count) for a in out] == [(AlertState.FIRING, 3)]


def test_group_wait_collects_sources_before_the_first_notice() -> None:
    eng, store = engine(group_wait="30s"), MemoryStore()
    assert eng.on_event(store, ev(art="a1"), T0) == []
    assert eng.on_event(store, ev(art="a2", outlet="BBC"), T0 + timedelta(seconds=10)) == []
    assert eng.on_tick(store, T0 + timedelta(seconds=29)) == []
    out = eng.on_tick(store, T0 + timedelta(seconds=30))
    assert [(a.state, a.source_count) for a in out] == [(AlertState.FIRING, 2)]


def test_occurred_inhibits_pending_planned_for_same_participants() -> None:
    eng, store = engine(group_wait="1m"), MemoryStore()
    assert eng.on_event(store, ev("plan", status="planned"), T0) == []
    assert (
        eng.on_event(store, ev("met", names=("Vladimir Putin", "Xi Jinping")), T0 + timedelta(seconds=5))
        == []
    )
    out = eng.on_tick(store, T0 + timedelta(minutes=2))
    assert [a.event_id for a in out] == ["met"]
    assert eng.on_event(store, ev("plan2", status="planned"), T0 + timedelta(minutes=3)) == []
    assert eng.on_tick(store, T0 + timedelta(minutes=9)) == []


def test_silence_mutes_without_queueing_and_expires() -> None:
    eng, store = engine(), MemoryStore()
    s = Silence(id="s1", matchers=[Matcher(name="participant", value="vladimir putin")],
                starts_at=T0, ends_at=T0 + timedelta(hours=1))  # fmt: skip
    assert eng.on_event(store, ev(art="a1"), T0, [s]) == []
    assert eng.on_tick(store, T0 + timedelta(hours=2), [s]) == []  # not replayed after expiry
    out = eng.on_event(store, ev(art="a2", outlet="BBC"), T0 + timedelta(hours=2), [s])
    assert [(a.state, a.source_count) for a in out] == [(AlertState.FIRING, 2)]
    other = Silence(
        id="s2", matchers=[Matcher(name="rule", value="other")], starts_at=T0, ends_at=T0 + timedelta(1)
    )
    assert len(eng.on_event(MemoryStore(), ev("x"), T0, [other])) == 1


def test_state_round_trips_through_a_fresh_engine() -> None:
    """What a restart does: same store (the table), new engine; nothing lost, nothing repeated."""
    store = MemoryStore()
    assert len(engine().on_event(store, ev(art="a1"), T0)) == 1
    again = engine()
    assert again.on_event(store, ev(art="a1"), T0 + timedelta(minutes=1)) == []
    assert [
        a.source_count for a in again.on_event(store, ev(art="a2", outlet="X"), T0 + timedelta(hours=5))
    ] == [2]


def test_retention_forgets_old_records() -> None:
    eng, store = engine(), MemoryStore()
    eng.on_event(store, ev(), T0)
    eng.on_tick(store, T0 + timedelta(days=8))
    assert list(eng.records(store)) == [] and not any(k.startswith("ix|") for k in store.keys())
