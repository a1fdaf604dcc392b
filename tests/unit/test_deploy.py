"""Deployment files: compose is valid for the compose CLI, and every service runs the one image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"ingest", "enrich", "alert", "store", "api"}


def _compose_cli() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    return None


def test_compose_config_is_valid() -> None:
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no docker compose CLI here (.ci/run installs Debian's docker-compose)")
    proc = subprocess.run(
        [*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_compose_runs_every_service_from_one_image_on_kraft_kafka() -> None:
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = doc["services"]
    assert SERVICES <= set(services)
    assert {services[s]["image"] for s in SERVICES} == {"newswire:latest"}
    assert all(services[s]["command"][:2] == ["run", s] for s in SERVICES)
    for s in SERVICES:  # merge keys are shallow: each service must still see the broker and the database
        env = services[s]["environment"]
        assert env["NEWSWIRE_KAFKA_BOOTSTRAP"] == "kafka:9092", s
        assert env["NEWSWIRE_DATABASE_URL"].startswith("postgresql+asyncpg://"), s
    kafka = services["kafka"]["environment"]
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, no ZooKeeper
    assert services["kafka"]["image"].startswith("apache/kafka:")


def test_kubernetes_manifests_parse_and_cover_every_service() -> None:
    docs = list(yaml.safe_load_all((ROOT / "deploy" / "k8s" / "newswire.yaml").read_text()))
    deployed = {d["metadata"]["name"].removeprefix("newswire-") for d in docs if d["kind"] == "Deployment"}
    assert deployed == SERVICES
