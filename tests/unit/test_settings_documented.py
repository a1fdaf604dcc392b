"""Every setting is documented in README's configuration table, and nothing else reads os.environ."""

from __future__ import annotations

import re
from pathlib import Path

from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"\| `(NEWSWIRE_[A-Z_]+)` \|", readme))
    expected = {f"NEWSWIRE_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "add these to README's configuration table"
    assert documented - expected == set(), "README documents settings that do not exist"


def test_only_settings_reads_the_environment() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "services" / "newswire").rglob("*.py")
        if p.name not in {"settings.py", "processes.py"}
        and re.search(r"os\.environ|os\.getenv", p.read_text())
    ]
    assert offenders == []
