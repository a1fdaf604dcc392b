"""A real single-node Apache Kafka broker (KRaft) for development and tests.

The broker jars come from Maven Central through `mvn` (resolved by broker-pom.xml into a cache
directory) and run on the machine's Java (17+). Without `mvn`, the official release tarball is
downloaded and checked against the SHA-512 that Apache publishes beside it. Nothing here is a mock:
tests and the demo talk to this broker over TCP.

Layout under `home` (default ~/.cache/newswire/kafka):
    libs-<version>/            every jar the broker needs (shared by all brokers)
    node-<port>/server.properties, data/, broker.log, broker.pid
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = ["KAFKA_VERSION", "BrokerError", "Listener", "LocalBroker"]

KAFKA_VERSION = "4.1.1"
SCALA_VERSION = "2.13"
_TARBALL = f"https://archive.apache.org/dist/kafka/{KAFKA_VERSION}/kafka_{SCALA_VERSION}-{KAFKA_VERSION}.tgz"


class BrokerError(RuntimeError):
    """The local broker could not be fetched, formatted or started; the message says why."""


_SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}{listeners}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}{advertised}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT{protocols}
log.dirs={data}
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
"""

_LOG4J2 = """\
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
"""


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _java() -> str:
    java = shutil.which("java")
    if not java:
        raise BrokerError("java not found on PATH; Kafka 4 needs Java 17 or newer")
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    m = re.search(r'version "(\d+)', out)
    if not m or int(m.group(1)) < 17:
        raise BrokerError(f"Kafka {KAFKA_VERSION} needs Java 17+, found: {out.splitlines()[:1]}")
    return java


@dataclass(frozen=True)
class Listener:
    """A client listener besides the PLAINTEXT one (which the broker and controller keep using
    between themselves), e.g. Listener("SASL_SSL", 19094, "SASL_SSL")."""

    name: str
    port: int
    protocol: str = "PLAINTEXT"  # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL


@dataclass
class LocalBroker:
    home: Path
    port: int = 9092
    controller_port: int = 9093
    heap: str = "768m"
    state: Path | None = None  # where data and logs go; default home/node-<port> (tests use a temp dir)
    use_maven: bool = True
    tarball_url: str = _TARBALL  # the fallback when mvn is missing; Apache publishes <url>.sha512 beside it
    listeners: Sequence[Listener] = ()
    # Appended to server.properties: TLS keystore, sasl.enabled.mechanisms, per-listener JAAS, ...
    properties: Mapping[str, str] = field(default_factory=dict)
    # SCRAM credentials written by the storage tool at format (`--add-scram`), before the first
    # start, e.g. "SCRAM-SHA-512=[name=alice,password=...]"; KRaft keeps them in its metadata log.
    scram: Sequence[str] = ()

    @property
    def libs(self) -> Path:
        return self.home / f"libs-{KAFKA_VERSION}"

    @property
    def node_dir(self) -> Path:
        return self.state or self.home / f"node-{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.node_dir / "broker.pid"

    @property
    def log_file(self) -> Path:
        return self.node_dir / "broker.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ fetch

    def fetch(self) -> Path:
        """Put the broker's jars in the cache (once). Returns the jar directory."""
        if (self.libs / f"kafka_{SCALA_VERSION}-{KAFKA_VERSION}.jar").exists():
            return self.libs
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="libs-", dir=self.home))
        try:
            if self.use_maven and shutil.which("mvn"):
                self._fetch_maven(tmp)
            else:
                self._fetch_tarball(tmp)
            tmp.rename(self.libs)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self.libs

    def _fetch_maven(self, dest: Path) -> None:
        pom = resources.files("newswire.kafka").joinpath("broker-pom.xml")
        with resources.as_file(pom) as pom_path:
            cmd = [
                "mvn", "-q", "-B", "-f", str(pom_path), "dependency:copy-dependencies",
                f"-DoutputDirectory={dest}", "-DincludeScope=runtime", f"-Dkafka.version={KAFKA_VERSION}",
            ]  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BrokerError(
                f"mvn could not resolve Kafka {KAFKA_VERSION}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            )

    def _fetch_tarball(self, dest: Path) -> None:
        url = self.tarball_url
        tgz = dest / "kafka.tgz"
        try:
            urllib.request.urlretrieve(url, tgz)
            with urllib.request.urlopen(url + ".sha512", timeout=60) as resp:
                published = resp.read().decode()
        except OSError as e:
            raise BrokerError(f"download of {url} failed: {e}") from e
        expected = _published_sha512(published)
        actual = hashlib.sha512(tgz.read_bytes()).hexdigest()
        if actual != expected:
            raise BrokerError(f"checksum mismatch for {url}: expected {expected}, got {actual}")
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                if "/libs/" in member.name and member.name.endswith(".jar"):
                    member.name = Path(member.name).name
                    tar.extract(member, dest, filter="data")
        tgz.unlink()

    # ------------------------------------------------------------------ lifecycle

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return pid

    def running(self) -> bool:
        return self.pid() is not None and _port_open(self.port)

    def start(self, *, timeout: float = 90.0) -> bool:
        """Start the broker unless it runs already. Returns True when this call started it."""
        if self.running():
            return False
        if _port_open(self.port):
            raise BrokerError(f"port {self.port} is taken by a process that is not this broker")
        java = _java()
        libs = self.fetch()
        node = self.node_dir
        data = node / "data"
        node.mkdir(parents=True, exist_ok=True)
        props = node / "server.properties"
        props.write_text(self._server_properties(data))
        (node / "log4j2.properties").write_text(_LOG4J2.format(log=self.log_file))
        classpath = f"{libs}/*"
        if not (data / "meta.properties").exists():
            cluster_id = _cluster_id()
            scram = [arg for entry in self.scram for arg in ("--add-scram", entry)]
            fmt = subprocess.run(
                [java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", cluster_id,
                 "-c", str(props), "--ignore-formatted", *scram],
                capture_output=True, text=True,
            )  # fmt: skip
            if fmt.returncode != 0:
                raise BrokerError(f"formatting {data} failed: {fmt.stderr or fmt.stdout}")
        with open(node / "stdout.log", "ab") as out:
            proc = subprocess.Popen(
                [java, f"-Xmx{self.heap}", f"-Xms{min_heap(self.heap)}", "-XX:+UseG1GC",
                 f"-Dlog4j2.configurationFile={node / 'log4j2.properties'}",
                 "-cp", classpath, "kafka.Kafka", str(props)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # survives the CLI that started it
            )  # fmt: skip
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BrokerError(f"broker exited with {proc.returncode}; see {node / 'stdout.log'}")
            if all(_port_open(p) for p in (self.port, *(x.port for x in self.listeners))):
                return True
            time.sleep(0.25)
        self.stop()
        raise BrokerError(f"broker did not open port {self.port} within {timeout:.0f}s; see {self.log_file}")

    def _server_properties(self, data: Path) -> str:
        extra = [f"{x.name}://127.0.0.1:{x.port}" for x in self.listeners]
        text = _SERVER_PROPERTIES.format(
            port=self.port, controller_port=self.controller_port, data=data,
            listeners="".join(f",{e}" for e in extra), advertised="".join(f",{e}" for e in extra),
            protocols="".join(f",{x.name}:{x.protocol}" for x in self.listeners),
        )  # fmt: skip
        return text + "".join(f"{k}={v}\n" for k, v in self.properties.items())

    def listener_bootstrap(self, name: str) -> str:
        [port] = [x.port for x in self.listeners if x.name == name]
        return f"127.0.0.1:{port}"

    def stop(self, *, timeout: float = 30.0) -> bool:
        """Stop the broker (SIGTERM, then SIGKILL). Returns True when one was running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if _reap(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            _reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict[str, object]:
        return {
            "kafka_version": KAFKA_VERSION,
            "bootstrap": self.bootstrap,
            "running": self.running(),
            "pid": self.pid(),
            "libs": str(self.libs),
            "fetched": self.libs.exists(),
            "data": str(self.node_dir / "data"),
            "log": str(self.log_file),
        }


def _published_sha512(text: str) -> str:
    """Apache's .sha512 files read `name: HEX HEX ...` (gpg --print-md) or `HEX  name` (sha512sum)."""
    if ":" in text:
        return re.sub(r"\s+", "", text.split(":", 1)[1]).lower()
    return text.split()[0].lower()


def _reap(pid: int) -> bool:
    """Collect our own child so it does not linger as a zombie (which still answers kill 0)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == pid
    except ChildProcessError:
        return False


def _cluster_id() -> str:
    """16 random bytes in URL-safe base64 without padding, as `kafka-storage random-uuid` prints.

    One starting with '-' would be read as an option by the storage tool's argument parser."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def min_heap(heap: str) -> str:
    """A start heap well below the cap, so an idle dev broker stays small."""
    m = re.fullmatch(r"(\d+)([mMgG])", heap)
    if not m:
        return heap
    n, unit = int(m.group(1)), m.group(2).lower()
    mb = n * 1024 if unit == "g" else n
    return f"{max(64, mb // 4)}m"
