"""The chaos benchmark, CI-sized: every worker killed with SIGKILL and restarted, then a second
enrich and alert worker joining and leaving, while articles stream in through both of ingest's
doors. Nothing lost, no row doubled, every alert notified, every fault recovered from.
(The broker outage has its own test in test_recovery.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def chaos(*args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "chaos.py"), "--db", "sqlite", "--json", *args],
        capture_output=True, text=True, timeout=170,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize(
    ("faults", "articles"), [("enrich,store,alert,ingest", 110), ("scale", 90)], ids=["kill-9", "rebalance"]
)
def test_chaos_loses_and_doubles_nothing(faults: str, articles: int) -> None:
    report = chaos("--faults", faults, "--articles", str(articles), "--rate", "4", "--gap", "0.5")
    assert report["faults_skipped"] == 0, report
    assert report["drained"] and report["lost"] == 0, report
    assert report["produced"] == articles and report["stored"] == articles, report
    assert report["duplicate_rows"] == 0, report
    assert report["alerts"] and report["alerts_without_notice"] == 0, report
    assert report["deadletters"] == 0, report
    faults_seen = report["faults"]
    assert isinstance(faults_seen, list) and faults_seen
    assert all(f["recovery_s"] is not None for f in faults_seen), faults_seen
