"""Every setting is documented: docs/configuration.md is generated from settings.py and must be
current (like schemas/), every setting has a description, README's short table names only real
settings; and nothing but settings.py reads os.environ."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import Field

from newswire import settings_doc
from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"


def test_configuration_doc_is_current() -> None:
    assert not settings_doc.stale(DOC), "docs/configuration.md is stale: run `newswire settings export`"


def test_every_setting_has_a_description() -> None:
    assert settings_doc.undocumented() == [], "give these Fields a description in settings.py"


def test_the_doc_lists_every_setting_once() -> None:
    listed = re.findall(r"^\| `(NEWSWIRE_[A-Z0-9_]+)` \|", settings_doc.render(), flags=re.M)
    assert sorted(listed) == sorted(f"NEWSWIRE_{n.upper()}" for n in Settings.model_fields)


def test_stale_detects_drift(tmp_path: Path) -> None:
    doc = tmp_path / "configuration.md"
    assert settings_doc.stale(doc)  # missing
    settings_doc.export(doc)
    assert not settings_doc.stale(doc)
    doc.write_text(doc.read_text().replace("NEWSWIRE_API_PORT", "NEWSWIRE_API_PORTS"))
    assert settings_doc.stale(doc)


def test_a_new_setting_without_a_description_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    class Extended(Settings):
        shiny_new: int = Field(default=1)

    monkeypatch.setattr(settings_doc, "Settings", Extended)
    assert settings_doc.undocumented() == ["NEWSWIRE_SHINY_NEW"]
    assert "| `NEWSWIRE_SHINY_NEW` | `1` |" in settings_doc.render()


def test_home_is_written_as_a_tilde() -> None:
    assert "| `NEWSWIRE_BROKER_HOME` | `~/.cache/newswire/kafka` |" in settings_doc.render()
    assert str(Path.home()) + "/" not in settings_doc.render()


def test_readme_names_only_real_settings_and_links_the_full_table() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(NEWSWIRE_[A-Z0-9_]+)` \|", readme, flags=re.M))
    expected = {f"NEWSWIRE_{name.upper()}" for name in Settings.model_fields}
    assert documented - expected == set(), "README names settings that do not exist"
    assert "docs/configuration.md" in readme


def test_only_settings_reads_the_environment() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "services" / "newswire").rglob("*.py")
        if p.name not in {"settings.py", "processes.py"}
        and re.search(r"os\.environ|os\.getenv", p.read_text())
    ]
    assert offenders == []
