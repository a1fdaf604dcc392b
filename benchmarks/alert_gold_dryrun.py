"""Issue #4's quality target: `newswire alerts dry-run` over a gold file with a rule that tracks
every leader the gold names. Prints JSON: alerts, real in-person meetings, matched, false alerts
(a phone call, planned or cancelled meeting, historical mention...), missed.

    python benchmarks/alert_gold_dryrun.py ../shared/dev-gold/leader_meetings.jsonl
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml


def main(gold_path: Path) -> dict[str, object]:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    leaders = sorted({p for g in gold for p in g.get("persons", [])})
    rules = {
        "receivers": [{"name": "log", "log": {}}],
        "rules": [
            {
                "name": "gold-leaders-meet",
                "match": {"types": ["MEET"], "status": ["occurred"], "min_confidence": 0.5},
                "participants": {"at_least": 2, "of": leaders},
                "allow_unknown_names": True,
                "receivers": ["log"],
            }
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        rules_file = Path(tmp) / "rules.yaml"
        rules_file.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "newswire",
            "alerts",
            "dry-run",
            "--rules",
            str(rules_file),
            str(gold_path),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    alerts = [json.loads(line) for line in out.splitlines() if line.strip()]
    real = {
        (g["id"], frozenset(m["participants"]))
        for g in gold
        for m in g["meetings"]
        if m["kind"] == "in_person_meeting"
    }
    got = {
        (s["article_id"], frozenset(p["name"] for p in a["participants"]))
        for a in alerts
        for s in a["sources"]
    }
    false_alerts = sorted((k[0], sorted(k[1])) for k in got - real)
    missed = sorted((k[0], sorted(k[1])) for k in real - got)
    return {
        "texts": len(gold),
        "alerts": len(alerts),
        "real_in_person_meetings": len(real),
        "matched": len(got & real),
        "false_alerts": len(false_alerts),
        "missed": len(missed),
        "false_alert_details": false_alerts,
        "missed_details": missed,
        "alerts_with_several_sources": [a["id"] for a in alerts if len(a["sources"]) > 1],
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False))
