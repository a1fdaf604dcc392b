"""The local broker's fetch fallback: the release tarball is used only when its SHA-512 matches."""

from __future__ import annotations

import hashlib
import http.server
import io
import tarfile
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from newswire.kafka.local_broker import KAFKA_VERSION, BrokerError, LocalBroker, min_heap

JAR = f"kafka_2.13-{KAFKA_VERSION}.jar"


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving a release-shaped tarball."""
    root = tmp_path / "mirror"
    root.mkdir()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in [
            (f"kafka/libs/{JAR}", b"jar"),
            ("kafka/libs/dep.jar", b"dep"),
            ("kafka/bin/x.sh", b""),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (root / "kafka.tgz").write_bytes(buf.getvalue())
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/kafka.tgz", root
    finally:
        server.shutdown()


def test_tarball_with_matching_sha512_is_unpacked(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, root = mirror
    digest = hashlib.sha512((root / "kafka.tgz").read_bytes()).hexdigest().upper()
    spaced = " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))  # gpg --print-md layout
    (root / "kafka.tgz.sha512").write_text(f"kafka.tgz: {spaced}\n")
    broker = LocalBroker(home=tmp_path / "home", use_maven=False, tarball_url=url)
    libs = broker.fetch()
    assert sorted(p.name for p in libs.iterdir()) == sorted([JAR, "dep.jar"])  # jars only, flattened
    assert broker.fetch() == libs  # cached: no second download


def test_tarball_with_wrong_sha512_is_refused(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, root = mirror
    (root / "kafka.tgz.sha512").write_text("0" * 128 + "  kafka.tgz\n")
    broker = LocalBroker(home=tmp_path / "home", use_maven=False, tarball_url=url)
    with pytest.raises(BrokerError, match="checksum mismatch"):
        broker.fetch()
    assert not broker.libs.exists()


def test_missing_tarball_is_a_clear_error(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    broker = LocalBroker(home=tmp_path / "home", use_maven=False, tarball_url=url + ".nope")
    with pytest.raises(BrokerError, match=r"download of .* failed"):
        broker.fetch()


def test_taken_port_is_refused_not_mistaken_for_our_broker(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        broker = LocalBroker(home=tmp_path, port=s.getsockname()[1])
        with pytest.raises(BrokerError, match="taken by a process"):
            broker.start()


@pytest.mark.parametrize(
    ("heap", "start"), [("768m", "192m"), ("2g", "512m"), ("128m", "64m"), ("weird", "weird")]
)
def test_min_heap(heap: str, start: str) -> None:
    assert min_heap(heap) == start


def test_cluster_ids_never_look_like_options() -> None:
    from newswire.kafka.local_broker import _cluster_id

    ids = {_cluster_id() for _ in range(2000)}  # ~1 in 64 raw ids starts with '-'
    assert len(ids) == 2000
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)
