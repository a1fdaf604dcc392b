"""The seed story end to end over SASL_SSL (SCRAM-SHA-512, password file, the test's own CA), each
service its own process: ingest (CLI and push), enrich and alert (faust), store (aiokafka). And a
wrong password or an untrusted broker certificate stops every one of them at start, within 15 s,
with one line naming the cause."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from conftest import free_port
from kafka_helpers import read_topic, wait_until
from newswire.contracts import Alert
from newswire.kafka import Topics, ensure_topics
from newswire.processes import ServiceGroup, env_for
from newswire.settings import Settings

from .conftest import PASSWORD, SecureBroker

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
SERVICES = ("ingest", "enrich", "alert", "store")


ADMIN_KEYS = ("adm-key-5e0c7a", "adm-key-rotated-91fd")  # from a file
READ_KEY = "read-key-2b6e44"  # from the environment
WRONG_KEY = "guess-key-c0ffee"


async def _stored(settings: Settings, path: str) -> list[dict[str, object]]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.api_port}") as c:
        try:
            resp = await c.get(path, headers={"X-API-Key": READ_KEY})
        except httpx.TransportError:
            return []  # the API process is still starting
    return list(resp.json()["items"]) if resp.status_code == 200 else []


async def _check_api_keys(settings: Settings) -> None:
    """Queries take either key; ingest and silence changes need an admin key; none or a wrong one is 401."""
    read, admin, wrong = {"X-API-Key": READ_KEY}, {"X-API-Key": ADMIN_KEYS[1]}, {"X-API-Key": WRONG_KEY}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.api_port}") as api:
        assert (await api.get("/articles", headers=read)).status_code == 200
        assert (await api.get("/articles", headers=admin)).status_code == 200
        assert (await api.get("/articles", headers=wrong)).status_code == 401
        assert (await api.get("/articles")).status_code == 401
    silence = {"matchers": [{"name": "participant", "value": "Kim Jong Un"}], "duration": "1h"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.alert_http_port}") as alert:
        assert (await alert.get("/silences")).status_code == 401
        assert (await alert.get("/silences", headers=wrong)).status_code == 401
        assert (await alert.get("/silences", headers=read)).status_code == 200
        assert (await alert.post("/silences", json=silence, headers=read)).status_code == 403
        made = await alert.post("/silences", json=silence, headers=admin)
        assert made.status_code == 201, made.text
        sid = made.json()["id"]
        assert (await alert.get(f"/silences/{sid}", headers=read)).status_code == 200
        assert (await alert.delete(f"/silences/{sid}", headers=read)).status_code == 403
        assert (await alert.delete(f"/silences/{sid}", headers=admin)).status_code == 200


async def test_seed_story_over_sasl_ssl_with_api_keys(sasl_settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "admin-keys").write_text("\n".join(ADMIN_KEYS) + "\n")
    settings = sasl_settings.model_copy(
        update={
            "ingest_port": free_port(), "alert_http_port": free_port(), "api_port": free_port(),
            "api_key_file": tmp_path / "admin-keys", "api_read_key": SecretStr(READ_KEY),
            "log_format": "json", "log_level": "DEBUG",
        }
    )  # fmt: skip
    topics = Topics.from_settings(settings)
    await ensure_topics(settings)
    group = ServiceGroup(settings, log_dir=tmp_path / "logs")
    group.start(*SERVICES, "api")
    try:
        fed = group.run_once("ingest", "file", "--no-dedup", str(SEEDS))
        assert fed.returncode == 0, fed.stdout + fed.stderr

        alerts = await read_topic(settings, topics.alerts, until=lambda r: len(r) >= 1, timeout=120)
        assert alerts, {n: group.log_tail(n) for n in SERVICES}
        alert = Alert.model_validate_json(alerts[0].value)
        assert {p.name for p in alert.participants} == {"Xi Jinping", "Vladimir Putin"}
        assert alert.location is not None and alert.location.name == "Beijing"
        assert str(alert.date) == "2024-05-16"

        async def alert_stored() -> bool:
            return len(await _stored(settings, "/alerts")) == 1

        assert await wait_until(alert_stored, timeout=60), group.log_tail("store") + group.log_tail("api")

        # The push door of the running ingest worker, through the same secured broker.
        article = {
            "source": "push-test",
            "title": "Harbour authority opens a new ferry terminal",
            "body": "The harbour authority opened a new ferry terminal on Monday, officials said.",
            "published_at": "2024-05-20T08:00:00Z",
        }
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.ingest_port}") as c:

            async def pushed() -> bool:
                try:
                    r = await c.post("/articles", json=article, headers={"X-API-Key": ADMIN_KEYS[0]})
                except httpx.TransportError:
                    return False  # the worker is still starting
                return r.status_code == 202

            assert await wait_until(pushed, timeout=60), group.log_tail("ingest")
            for headers, status in [
                ({}, 401),
                ({"X-API-Key": READ_KEY}, 403),
                ({"X-API-Key": WRONG_KEY}, 401),
            ]:
                assert (await c.post("/articles", json=article, headers=headers)).status_code == status

        async def both_stored() -> bool:
            return {a["source"] for a in await _stored(settings, "/articles")} == {"seed", "push-test"}

        assert await wait_until(both_stored, timeout=60), group.log_tail("store")
        await _check_api_keys(settings)
        assert group.dead() == {}, {n: group.log_tail(n) for n in group.dead()}
    finally:
        group.stop()
    logs = "\n".join((tmp_path / "logs" / f"{n}.log").read_text(errors="replace") for n in (*SERVICES, "api"))
    assert "store worker started" in logs  # the logs are really there, at DEBUG
    logs += fed.stdout + fed.stderr
    for secret in (PASSWORD, READ_KEY, WRONG_KEY, *ADMIN_KEYS):
        assert secret not in logs, f"a secret is in the logs: {secret[:4]}..."


def _start_all(settings: Settings, log_dir: Path) -> dict[str, subprocess.Popen[bytes]]:
    """Every worker plus the CLI's `ingest file`, each its own process, all at once."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = env_for(settings)
    commands = {name: ["run", name] for name in SERVICES}
    commands["cli"] = ["ingest", "file", str(SEEDS)]
    procs = {}
    for name, args in commands.items():
        with open(log_dir / f"{name}.log", "wb") as out:
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "newswire", *args],
                env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
    return procs


@pytest.mark.parametrize(
    ("case", "cause"),
    [
        ("wrong-password", "SASL authentication failed (wrong username or password?)"),
        ("untrusted-ca", "broker certificate not trusted"),
    ],
)
def test_refused_workers_stop_at_start_with_the_cause(
    secure_broker: SecureBroker, sasl_settings: Settings, tmp_path: Path, case: str, cause: str
) -> None:
    if case == "wrong-password":
        (tmp_path / "wrong").write_text("not-the-password\n")
        bad = sasl_settings.model_copy(update={"kafka_sasl_password_file": tmp_path / "wrong"})
    else:
        bad = sasl_settings.model_copy(update={"kafka_ssl_cafile": secure_broker.pki.other_ca})
    bad = bad.model_copy(update={"ingest_port": free_port(), "alert_http_port": free_port()})
    started = time.monotonic()
    procs = _start_all(bad, tmp_path / "logs")
    took: dict[str, float] = {}
    try:
        while len(took) < len(procs) and time.monotonic() - started < 30:
            for name, p in procs.items():
                if name not in took and p.poll() is not None:
                    took[name] = time.monotonic() - started
            time.sleep(0.1)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    for name, p in procs.items():
        output = (tmp_path / "logs" / f"{name}.log").read_text(errors="replace")
        lines = [ln for ln in output.splitlines() if ln.strip()]
        assert name in took, f"{name} still running after 30 s:\n{output[-2000:]}"
        assert took[name] < 15, (name, took[name])
        assert p.returncode == 2, (name, p.returncode, output[-2000:])
        assert lines and cause in lines[-1] and lines[-1].startswith("newswire: KafkaAccessError"), output
        assert secure_broker.sasl_ssl in lines[-1]
        assert PASSWORD not in output and "Traceback" not in output
