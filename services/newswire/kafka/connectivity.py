"""Is the broker there? One watch per worker process: a bounded log, a gauge and a health answer.

While the broker is gone, aiokafka and faust retry on their own and log every failed attempt
(a 20 s broker restart once wrote ~8,600 ERROR lines across three workers). Rather than patching
them, `OutageFilter` sits on the log handler (logging_config puts it there) and lets their lines
through only while the broker answers. An outage then reads:

    WARNING  broker unreachable                        (the first failure; the library's line is held back)
    WARNING  broker still unreachable after 10 s        (at most one per kafka_outage_log_interval)
    INFO     reconnected after 21.4 s                   (the broker accepts connections again)

Whether the broker answers is decided by a TCP connect to a bootstrap address: a library line
that looks like a connection failure starts a probe thread, which retries with exponential
backoff (0.25 s doubling up to kafka_reconnect_backoff_max) until a connect succeeds. For one
interval after that, connection noise of the clients rejoining (coordinator not ready, metadata
refresh) is held back too. `BROKER_REACHABLE` and `health()` say the same meanwhile.

A broker that is shutting down still accepts TCP connections for a moment while its clients
already fail, so the first connection failures while the broker answers are held for a short grace
(`_GRACE`); a line saying a connection was refused or closed asks for a fresh probe at once.

While the broker answers, a library line that repeats (the same logger and format string) is
written at most `_BURST` times per interval; the next one after that interval says how many were
held back. A client spinning on a half-ready broker (aiokafka's producer retries a failed metadata
update without backoff while batches wait for a leader) otherwise writes thousands of lines a second.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import Gauge

__all__ = ["BROKER_REACHABLE", "BrokerWatch", "OutageFilter", "health", "install", "tcp_probe"]

BROKER_REACHABLE = Gauge(
    "newswire_broker_reachable",
    "1 while this worker reaches the Kafka broker, 0 while it does not",
    ["service"],
)
_LIBRARIES = ("aiokafka", "faust", "mode", "kafka")
# What the clients say when the broker is away (aiokafka 0.14, faust-streaming 0.15).
_CONNECTION = re.compile(
    r"connect|NodeNotReady|CoordinatorNotAvailable|NotCoordinator|Coordinator dead|metadata|"
    r"RequestTimedOut|KafkaTimeoutError|Heartbeat|Errno 111|Connection refused|closed|"
    r"KafkaConnectionError|LeaderNotAvailable|NotLeader|Unable",
    re.IGNORECASE,
)
_BURST = 3  # lines of one kind a client library may write per interval while the broker answers
# What the clients say when a connection was refused or dropped: worth a fresh probe.
_REFUSED = re.compile(r"Errno 111|Connection refused|Connect call failed|closed", re.IGNORECASE)
_REPROBE = 0.1  # seconds between probes that such lines may ask for
_GRACE = 3.0  # seconds a broker that answers may fail its clients before their lines are written
_log = logging.getLogger("newswire.kafka.connectivity")

Probe = Callable[[], bool]


def tcp_probe(bootstrap: str, timeout: float = 1.0) -> Probe:
    """True when some bootstrap address accepts a TCP connection (no Kafka protocol spoken, so it
    works the same whatever the listener's security)."""
    addresses = []
    for part in bootstrap.split(","):
        host, _, port = part.strip().rpartition(":")
        addresses.append((host.strip("[]") or "127.0.0.1", int(port)))

    def probe() -> bool:
        for address in addresses:
            try:
                with socket.create_connection(address, timeout=timeout):
                    return True
            except OSError:
                continue
        return False

    return probe


@dataclass
class BrokerWatch:
    """The link of one worker (`service`) to the broker. Thread-safe: log records arrive from
    faust's consumer thread as well as the event loop."""

    service: str
    probe: Probe
    log_interval: float = 10.0
    backoff_max: float = 5.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    lost_at: float | None = None
    suppressed: int = 0
    _last_line: float = 0.0
    _settled_at: float = float("-inf")  # until then, rejoin noise after a reconnect is held back
    _probed_at: float = float("-inf")  # the last probe, and whether the broker answered it
    _answers: bool = True
    _suspect_until: float = float("-inf")  # connection failures while it answers are held until then
    _failing_since_last: float = float("-inf")  # the last connection failure while it answered
    _repeats: dict[tuple[str, str], list[float]] = field(default_factory=dict)  # kind -> [since, lines, held]
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _prober: threading.Thread | None = None

    def __post_init__(self) -> None:
        BROKER_REACHABLE.labels(self.service).set(1)

    @property
    def reachable(self) -> bool:
        return self.lost_at is None

    def health(self) -> dict[str, object]:
        lost = self.lost_at
        if lost is None:
            return {"status": "ok", "broker": "reachable"}
        since = round(self.clock() - lost, 1)
        return {"status": "broker unreachable", "broker": "unreachable", "for_s": since}

    def admit(self, record: logging.LogRecord) -> bool:
        """Whether a client library's record may be written (see the module docstring)."""
        if record.levelno < logging.WARNING:
            return True
        now = self.clock()
        with self._lock:
            if self.lost_at is None:
                text = _text(record)
                if not _CONNECTION.search(text):
                    return self._not_a_repeat(record, now)
                if now < self._settled_at:
                    self.suppressed += 1
                    return False
                # One probe a second at most, however chatty the client, counted from the last probe
                # that ran (a client spinning faster must not keep an old answer alive). A line saying
                # that a connection was refused or closed asks for a fresh probe sooner.
                refused = _REFUSED.search(text) is not None
                if now - self._probed_at >= (_REPROBE if refused else 1.0):
                    self._probed_at, self._answers = now, self.probe()
                if self._answers:
                    # A broker that is shutting down still accepts connections for a moment, while its
                    # clients already fail: the first connection failures while it answers are held
                    # for a grace period, and told with the next line of their kind if it goes on.
                    if now - self._failing_since_last > _GRACE:  # a new run of failures
                        self._suspect_until = now + _GRACE
                    self._failing_since_last = now
                    if now < self._suspect_until:
                        return self._hold(record, now)
                    return self._not_a_repeat(record, now)  # the broker answers: not an outage
                self.lost_at, self._last_line, self.suppressed = now, now, 1
                start_probing = True
            else:
                self.suppressed += 1
                start_probing = False
                due = now - self._last_line >= self.log_interval
                if due:
                    self._last_line = now
        BROKER_REACHABLE.labels(self.service).set(0 if self.lost_at is not None else 1)
        if start_probing:
            _log.warning(
                "broker unreachable",
                extra={"service": self.service, "cause": _text(record)[:300], "logger_of_cause": record.name},
            )
            self._start_prober()
        elif due:
            _log.warning(
                f"broker still unreachable after {now - (self.lost_at or now):.0f} s",
                extra={"service": self.service, "suppressed_lines": self.suppressed},
            )
        return False

    def _hold(self, record: logging.LogRecord, now: float) -> bool:
        """Hold a line back, counted under its kind (the next line of that kind written says how many
        were held). Called under the lock."""
        kind = (record.name, str(record.msg))
        self._repeats.setdefault(kind, [now, 0, 0])[2] += 1
        return False

    def _not_a_repeat(self, record: logging.LogRecord, now: float) -> bool:
        """Whether a line the broker's state lets through is also not one too many of its kind.
        Called under the lock."""
        kind = (record.name, str(record.msg))
        seen = self._repeats.get(kind)
        if seen is None or now - seen[0] >= self.log_interval:
            if seen is not None and seen[2]:
                _log.warning(
                    f"{seen[2]:.0f} more lines like the next were held back in {now - seen[0]:.0f} s",
                    extra={
                        "service": self.service,
                        "suppressed_lines": int(seen[2]),
                        "logger_of_cause": record.name,
                    },
                )
            if len(self._repeats) > 1_000:  # a library with unbounded formats: forget, rather than grow
                self._repeats.clear()
            self._repeats[kind] = [now, 1, 0]
            return True
        if seen[1] < _BURST:
            seen[1] += 1
            return True
        seen[2] += 1
        return False

    def _start_prober(self) -> None:
        if self._prober is None or not self._prober.is_alive():
            self._prober = threading.Thread(target=self._probe_until_back, name="broker-probe", daemon=True)
            self._prober.start()

    def _probe_until_back(self) -> None:
        wait = 0.25
        while not self.probe():
            self.sleep(wait)
            wait = min(wait * 2, self.backoff_max)
        self.recovered()

    def recovered(self) -> None:
        now = self.clock()
        with self._lock:
            lost, suppressed = self.lost_at, self.suppressed
            if lost is None:
                return
            self.lost_at, self.suppressed, self._settled_at = None, 0, now + self.log_interval
        BROKER_REACHABLE.labels(self.service).set(1)
        _log.info(
            f"reconnected after {now - lost:.1f} s",
            extra={"service": self.service, "outage_s": round(now - lost, 1), "suppressed_lines": suppressed},
        )


def _text(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception:  # a library's bad format string must not break logging
        text = str(record.msg)
    if record.exc_info and record.exc_info[1] is not None:
        text += f" {record.exc_info[1]!r}"
    return text


_watch: BrokerWatch | None = None


def install(
    service: str, bootstrap: str, *, log_interval: float = 10.0, backoff_max: float = 5.0
) -> BrokerWatch:
    """Watch the broker for this process (call once, at worker start)."""
    global _watch
    _watch = BrokerWatch(service, tcp_probe(bootstrap), log_interval=log_interval, backoff_max=backoff_max)
    return _watch


def health() -> dict[str, object]:
    """This process's broker status, for health endpoints ("ok" when nothing is watched)."""
    return _watch.health() if _watch is not None else {"status": "ok"}


class OutageFilter(logging.Filter):
    """A handler filter (logging.dictConfig creates it by name): the client libraries' lines pass
    through the process's `BrokerWatch`; every other line passes untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        watch = _watch
        if watch is None or not record.name.startswith(_LIBRARIES):
            return True
        return watch.admit(record)
