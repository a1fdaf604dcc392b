"""Run newswire services as child processes (the demo and the end-to-end test use this)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from newswire.settings import Settings

__all__ = ["ServiceGroup", "env_for"]


def env_for(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process see exactly these settings."""
    env = dict(os.environ)
    for name, value in settings.model_dump(mode="json").items():
        key = f"NEWSWIRE_{name.upper()}"
        secret = getattr(settings, name)
        if isinstance(secret, SecretStr):  # json mode masks secrets; a child needs the real value
            value = secret.get_secret_value()
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


@dataclass
class ServiceGroup:
    settings: Settings
    log_dir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    services: dict[str, tuple[str, Settings]] = field(default_factory=dict)  # label -> how it runs

    def start(self, *services: str) -> None:
        for name in services:
            self.start_as(name, name)

    def start_as(self, label: str, service: str, settings: Settings | None = None) -> None:
        """Start `service` as the process `label` (e.g. a second worker "enrich-2" with its own
        settings); its output goes to log_dir/<label>.log, appended across restarts."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        settings = settings or self.settings
        with open(self.log_dir / f"{label}.log", "ab") as out:
            self.procs[label] = subprocess.Popen(
                [sys.executable, "-m", "newswire", "run", service],
                env=env_for(settings), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        self.services[label] = (service, settings)

    def kill(self, label: str, sig: int = signal.SIGKILL) -> int:
        """Send `sig` (default SIGKILL: a crash) to `label` and wait for it to exit."""
        proc = self.procs.pop(label)
        proc.send_signal(sig)
        return proc.wait(timeout=60)

    def restart(self, label: str) -> None:
        service, settings = self.services[label]
        self.start_as(label, service, settings)

    def run_once(self, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run a one-shot newswire command (e.g. `ingest file seeds`) with the same settings."""
        return subprocess.run(
            [sys.executable, "-m", "newswire", *args],
            env=env_for(self.settings), capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def dead(self) -> dict[str, int]:
        """Services that exited, with their exit codes."""
        return {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}

    def stop(self, timeout: float = 30.0) -> dict[str, int | None]:
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes: dict[str, int | None] = {}
        for name, p in self.procs.items():
            try:
                codes[name] = p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                codes[name] = p.wait()
        self.procs.clear()
        return codes

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
