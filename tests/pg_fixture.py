"""A real PostgreSQL server for tests, on a temporary data directory and a free port.

`initdb`/`pg_ctl` are found on PATH, else under /usr/lib/postgresql/*/bin (Debian's `postgresql`
package). PostgreSQL refuses to run as root, so under root the server runs as a system user
(`newswire-pg`, created when missing, else `nobody`) through `runuser`. Without the binaries the
PostgreSQL tests are skipped with a reason saying what to install.

Fixtures:
    postgres_server   session: the running server (PgServer)
    pg_url            function: a fresh, empty database on it, as a postgresql+asyncpg:// URL
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["PgServer", "find_pg_bin", "pg_url", "postgres_server"]

_USER = "newswire-pg"


def find_pg_bin() -> Path | None:
    """Directory holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql/*/bin."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for c in reversed(candidates):
        if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_user() -> str | None:
    """None when not root; else the unprivileged user the server runs as."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(_USER)
        return _USER
    except KeyError:
        pass
    made = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _USER],
        capture_output=True,
        text=True,
    )
    return _USER if made.returncode == 0 else "nobody"


@dataclass
class PgServer:
    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newswire-pg-")))
    port: int = field(default_factory=_free_port)
    user: str | None = field(default_factory=_run_as_user)
    # Tests trade crash safety for speed; a benchmark that reports production numbers must not.
    durable: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres", driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.user, "--"] if self.user else []) + list(args)

    def _run(self, *args: str) -> None:
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, cwd=self.root)
        if proc.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr or proc.stdout}\n{log}")

    def init(self) -> None:
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; the server user must get in
        if self.user:
            shutil.chown(self.root, self.user)
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self, timeout: float = 60.0) -> None:
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c max_connections=200"
        )
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w",
                  "-t", str(int(timeout)), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def create_database(self, name: str) -> str:
        psql = self.bin_dir / "psql"
        exe = str(psql) if psql.exists() else (shutil.which("psql") or "psql")
        proc = subprocess.run(
            [exe, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
             "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{name}"'],
            capture_output=True, text=True,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"CREATE DATABASE {name} failed: {proc.stderr}")
        return self.url(name)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    @classmethod
    def launch(cls, bin_dir: Path | None = None, *, durable: bool = False) -> PgServer:
        found = bin_dir or find_pg_bin()
        if found is None:
            raise FileNotFoundError("initdb/pg_ctl not found (apt-get install -y postgresql)")
        server = cls(bin_dir=found, durable=durable)
        server.init()
        server.start()
        return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    if find_pg_bin() is None:
        reason = (
            "initdb/pg_ctl not on PATH nor in /usr/lib/postgresql/*/bin; "
            "install them with `apt-get install -y postgresql` (make test does)"
        )
        if os.environ.get("CI"):  # CI installs PostgreSQL: a skip there would hide a broken set-up
            pytest.fail(f"PostgreSQL missing in CI: {reason}")
        pytest.skip(f"PostgreSQL TESTS SKIPPED: {reason}")
    server = PgServer.launch()
    try:
        yield server
    finally:
        for _ in range(3):
            try:
                server.stop()
                break
            except RuntimeError:
                time.sleep(1)
        server.cleanup()


@pytest.fixture
def pg_url(postgres_server: PgServer) -> str:
    """A fresh database per test, so row counts are the test's own."""
    return postgres_server.create_database(f"t_{uuid.uuid4().hex[:12]}")
