"""The broker watch: one WARNING when the broker goes, at most one line per interval while it is gone,
one INFO when it is back; the clients' own lines are held back meanwhile (no Kafka needed: the
probe and the clock are fakes)."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY

from newswire.kafka import connectivity
from newswire.kafka.connectivity import BrokerWatch, OutageFilter
from newswire.kafka.membership import aiokafka_group_options, faust_group_options
from newswire.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def record(name: str, level: int, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, None, None)


def refused(name: str = "aiokafka.conn") -> logging.LogRecord:
    return record(name, logging.ERROR, "Unable connect to node with id 1: [Errno 111] Connection refused")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> tuple[BrokerWatch, Clock, dict[str, bool]]:
    clock, up = Clock(), {"broker": True}
    watch = BrokerWatch("enrich", probe=lambda: up["broker"], log_interval=10.0, clock=clock)
    watch._start_prober = lambda: None  # type: ignore[method-assign]  # the test says when it is back
    monkeypatch.setattr(connectivity, "_watch", watch)
    return watch, clock, up


def gauge() -> float | None:
    return REGISTRY.get_sample_value("newswire_broker_reachable", {"service": "enrich"})


def test_an_outage_is_three_lines_however_many_retries(
    world: tuple[BrokerWatch, Clock, dict[str, bool]], caplog: pytest.LogCaptureFixture
) -> None:
    watch, clock, up = world
    flt = OutageFilter()
    caplog.set_level(logging.INFO, logger="newswire.kafka.connectivity")
    up["broker"] = False
    passed = []
    for _ in range(25):  # 25 s of a client retrying ten times a second
        for _ in range(10):
            passed.append(flt.filter(refused()))
            passed.append(flt.filter(record("faust.transport", logging.WARNING, "NodeNotReadyError: 1")))
        clock.now += 1.0
    assert not any(passed)
    assert watch.health() == {"status": "broker unreachable", "broker": "unreachable", "for_s": 25.0}
    assert gauge() == 0
    up["broker"] = True
    watch.recovered()
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("WARNING", "broker unreachable"),
        ("WARNING", "broker still unreachable after 10 s"),
        ("WARNING", "broker still unreachable after 20 s"),
        ("INFO", "reconnected after 25.0 s"),
    ]
    assert caplog.records[-1].suppressed_lines == 500  # type: ignore[attr-defined]
    assert watch.health()["status"] == "ok" and gauge() == 1


def test_rejoin_noise_right_after_the_reconnect_is_held_back_then_warnings_pass_again(
    world: tuple[BrokerWatch, Clock, dict[str, bool]],
) -> None:
    watch, clock, up = world
    flt = OutageFilter()
    up["broker"] = False
    assert not flt.filter(refused())
    up["broker"] = True
    watch.recovered()
    clock.now += 2
    coordinator = record("aiokafka.consumer.group_coordinator", logging.WARNING, "Coordinator dead, retrying")
    assert not flt.filter(coordinator)
    clock.now += 10
    assert not flt.filter(coordinator)  # the broker answers, but a first failure is held a moment
    clock.now += connectivity._GRACE
    assert flt.filter(coordinator)  # still answering after the grace: a real warning now
    assert watch.reachable


def test_lines_that_are_no_outage_pass(world: tuple[BrokerWatch, Clock, dict[str, bool]]) -> None:
    watch, clock, up = world
    flt = OutageFilter()
    assert not flt.filter(refused())  # looks like one; the broker answers: held for the grace
    clock.now += connectivity._GRACE
    assert flt.filter(refused())  # the broker still answers: shown, no outage
    assert watch.reachable
    up["broker"] = False
    assert flt.filter(record("faust.tables", logging.WARNING, "Table state is large"))  # not connections
    assert flt.filter(record("aiokafka.conn", logging.INFO, "connecting"))  # below WARNING: the level decides
    assert flt.filter(record("newswire.store", logging.WARNING, "database unavailable"))  # our own lines
    assert watch.reachable


def test_a_client_spinning_while_the_broker_answers_writes_a_few_lines_and_a_count(
    world: tuple[BrokerWatch, Clock, dict[str, bool]], caplog: pytest.LogCaptureFixture
) -> None:
    """aiokafka's producer retries a failed metadata update without backoff while its batches
    wait for a leader; the broker answers TCP all the while, so this is no outage."""
    watch, clock, _ = world
    flt = OutageFilter()
    caplog.set_level(logging.INFO, logger="newswire.kafka.connectivity")

    def spin(node: str) -> logging.LogRecord:
        msg = "Unable to update metadata from %s"
        return logging.LogRecord("aiokafka", logging.ERROR, __file__, 1, msg, (node,), None)

    early = [flt.filter(spin("[1]")) for _ in range(100)]
    assert not any(early)  # the first failures while the broker answers: held for the grace
    clock.now += connectivity._GRACE
    passed = [flt.filter(spin("[1]")) for _ in range(10_000)]
    other = flt.filter(record("faust.transport", logging.WARNING, "Heartbeat failed"))
    assert sum(passed) == 3 and passed[:3] == [True] * 3 and other  # another kind has its own budget
    assert caplog.records == []
    for _ in range(6):  # still spinning, a line a second
        clock.now += 1
        assert not flt.filter(spin("[1]"))
    clock.now += 1
    assert flt.filter(spin("[2]"))  # a new interval: the arguments do not make it another kind
    held = "10103 more lines like the next were held back in 10 s"
    assert [r.getMessage() for r in caplog.records] == [held]
    assert caplog.records[0].suppressed_lines == 10103  # type: ignore[attr-defined]
    assert watch.reachable


def test_the_probe_backs_off_exponentially() -> None:
    answers = iter([False] * 8 + [True])
    waits: list[float] = []
    watch = BrokerWatch("store", probe=lambda: next(answers), backoff_max=5.0, sleep=waits.append)
    watch.lost_at = 0.0
    watch._probe_until_back()
    assert waits == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert watch.reachable


def test_group_timing_reaches_both_clients() -> None:
    s = Settings(kafka_session_timeout=8, kafka_heartbeat_interval=2, kafka_group_instance_id="pod-3")
    a = aiokafka_group_options(s, "store")
    assert (a["session_timeout_ms"], a["heartbeat_interval_ms"]) == (8000, 2000)
    assert a["group_instance_id"] == "pod-3-store"
    f = faust_group_options(s, "enrich")
    assert (f["broker_session_timeout"], f["consumer_group_instance_id"]) == (8, "pod-3-enrich")
    assert faust_group_options(Settings(), "alert")["consumer_group_instance_id"] is None  # dynamic
    with pytest.raises(ValueError, match="a third"):
        Settings(kafka_session_timeout=6, kafka_heartbeat_interval=3)


def test_faust_applies_the_group_timing() -> None:
    import faust

    s = Settings(kafka_group_instance_id="pod-1")
    app = faust.App("t-timing", broker="kafka://127.0.0.1:1", **faust_group_options(s, "enrich"))
    assert app.conf.broker_session_timeout == 10.0
    assert app.conf.broker_heartbeat_interval == 1.0
    assert app.conf.consumer_group_instance_id == "pod-1-enrich"


def test_a_client_faster_than_the_probe_cannot_keep_an_old_answer_alive(
    world: tuple[BrokerWatch, Clock, dict[str, bool]],
) -> None:
    """The broker answers a probe as it shuts down, then goes; a client logging every 0.1 s must not
    stretch that answer forever: the next probe, a second after the last, finds the broker gone."""
    watch, clock, up = world
    flt = OutageFilter()
    assert not flt.filter(refused())  # the broker answered: held for the grace, no outage yet
    up["broker"] = False
    for _ in range(15):
        clock.now += 0.1
        flt.filter(refused())
    assert not watch.reachable and gauge() == 0


def test_a_refused_connection_is_checked_at_once(world: tuple[BrokerWatch, Clock, dict[str, bool]]) -> None:
    """The broker answered a probe as it began to shut down; 0.05 s later a client says its
    connection was refused: that is checked (not waved through for the rest of the second), and the
    outage starts there."""
    watch, clock, up = world
    flt = OutageFilter()
    heartbeat = record("aiokafka.consumer.group_coordinator", logging.WARNING, "Heartbeat failed for group g")
    assert not flt.filter(heartbeat)  # the broker answers: held for the grace
    up["broker"] = False
    clock.now += 0.05
    assert not flt.filter(record("faust.transport", logging.WARNING, "NodeNotReadyError: 1"))
    assert watch.reachable  # that line is no evidence: no probe yet
    clock.now += 0.1
    assert not flt.filter(refused())
    assert not watch.reachable


def test_failures_at_start_do_not_use_up_the_grace_of_a_later_outage(
    world: tuple[BrokerWatch, Clock, dict[str, bool]],
) -> None:
    """A metadata miss at start (the broker answers) and, nine seconds later, the broker shutting
    down (it still answers for a moment): the second run of failures gets its own grace."""
    watch, clock, up = world
    flt = OutageFilter()
    assert not flt.filter(record("aiokafka.cluster", logging.ERROR, "Topic t not found in cluster metadata"))
    clock.now += 9
    produce = record("aiokafka.producer.sender", logging.WARNING,
                     "Got error produce response: NotLeaderForPartitionError")
    assert not flt.filter(produce)
    up["broker"] = False
    clock.now += 0.2
    assert not flt.filter(refused())
    assert not watch.reachable
