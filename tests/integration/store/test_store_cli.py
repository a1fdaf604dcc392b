"""`newswire query ...` against a seeded SQLite store, through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from integration.store.store_samples import ankara_article, meeting_article
from newswire.cli import _register_service_groups, app
from newswire.settings import get_settings
from newswire.store.db import connect, migrate
from newswire.store.records import rows_for
from newswire.store.repository import write


@pytest.fixture
async def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = connect(url)
    await migrate(engine)
    await write(engine, rows_for([meeting_article(1), meeting_article(2), ankara_article()]))
    await engine.dispose()
    get_settings.cache_clear()
    return {"NEWSWIRE_DATABASE_URL": url, "COLUMNS": "200"}


def _run(env: dict[str, str], *args: str) -> str:
    try:
        _register_service_groups()
    except Exception:  # already registered by an earlier test
        pass
    get_settings.cache_clear()
    result = CliRunner().invoke(app, list(args), env=env)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


def test_query_events_table_and_json(store_env: dict[str, str]) -> None:
    table = _run(store_env, "query", "events", "--participant", "Xi Jinping", "--since", "2024-01-01")
    assert "Vladimir Putin, Xi Jinping" in table and "ev-xi-putin" in table
    page = json.loads(_run(store_env, "query", "events", "--participant", "Q15031", "--json"))
    assert [e["id"] for e in page["items"]] == ["ev-xi-putin"]


def test_query_articles_entity_and_event_detail(store_env: dict[str, str]) -> None:
    page = json.loads(
        _run(store_env, "query", "articles", "--entity", "NATO", "--entity", "Ankara", "--json")
    )
    assert [a["id"] for a in page["items"]] == [ankara_article().id]
    ev = json.loads(_run(store_env, "query", "event", "ev-xi-putin", "--json"))
    assert len(ev["sources"]) == 2
    assert "named in 2 articles" in _run(store_env, "query", "entity", "Xi Jinping")
