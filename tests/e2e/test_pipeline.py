"""The whole pipeline, each service its own process on the real broker:
seed article on the raw topic -> exactly one alert on the alerts topic -> rows in the store,
read back through the query API. Replaying the same article changes nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kafka_helpers import read_topic, wait_until
from newswire.contracts import Alert, Event, EventStatus, EventType, Medium
from newswire.kafka import Topics, ensure_topics
from newswire.processes import ServiceGroup
from newswire.settings import Settings

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


async def _get(settings: Settings, path: str, **params: str) -> httpx.Response:
    from newswire.store.api import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):  # ASGITransport does not run the lifespan itself
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            return await client.get(path, params=params)


async def _stored_event_ids(settings: Settings) -> list[str]:
    resp = await _get(settings, "/events", participant="Xi Jinping")
    if resp.status_code != 200:
        return []
    return [e["id"] for e in resp.json()["items"]]


async def _counts(settings: Settings) -> tuple[int, int, int]:
    arts = (await _get(settings, "/articles")).json()["items"]
    evs = (await _get(settings, "/events")).json()["items"]
    alerts = (await _get(settings, "/alerts")).json()["items"]
    return len(arts), len(evs), len(alerts)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def e2e_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    if request.param == "sqlite":
        return settings
    pg_url: str = request.getfixturevalue("pg_url")
    return settings.model_copy(update={"database_url": pg_url})


async def test_seed_article_to_alert_and_store(e2e_settings: Settings, tmp_path: Path) -> None:
    settings = e2e_settings
    topics = Topics.from_settings(settings)
    await ensure_topics(settings)
    group = ServiceGroup(settings, log_dir=tmp_path / "logs")
    group.start("enrich", "alert", "store")
    try:
        fed = group.run_once("ingest", "file", "--no-dedup", str(SEEDS))
        assert fed.returncode == 0, fed.stdout + fed.stderr

        alerts_raw = await read_topic(
            settings.kafka_bootstrap, topics.alerts, until=lambda r: len(r) >= 1, timeout=120
        )
        assert alerts_raw, {n: group.log_tail(n) for n in ("enrich", "alert")}
        alert = Alert.model_validate_json(alerts_raw[0].value)
        assert {p.name for p in alert.participants} == {"Xi Jinping", "Vladimir Putin"}
        assert alert.location is not None and alert.location.name == "Beijing"
        assert str(alert.date) == "2024-05-16"
        assert alert.event_type == EventType.MEET and alert.event_status == EventStatus.OCCURRED

        events = [Event.model_validate_json(r.value) for r in await read_topic(
            settings.kafka_bootstrap, topics.events, until=lambda r: len(r) >= 1)]  # fmt: skip
        current_meetings = [
            e for e in events
            if e.type == EventType.MEET and e.status == EventStatus.OCCURRED and e.medium == Medium.IN_PERSON
        ]  # fmt: skip
        assert len(current_meetings) == 1, events
        assert current_meetings[0].id == alert.event_id

        assert await wait_until(lambda: _stored_event_ids(settings), timeout=60), group.log_tail("store")
        detail = (await _get(settings, f"/events/{alert.event_id}")).json()
        assert {p["name"] for p in detail["participants"]} == {"Xi Jinping", "Vladimir Putin"}
        assert detail["evidence"] and "Xi" in detail["evidence"][0]["sentence"]

        async def alert_stored() -> bool:
            return (await _counts(settings))[2] >= 1

        assert await wait_until(alert_stored, timeout=60), group.log_tail("store")
        before = await _counts(settings)

        # The same article again (a re-delivery): no new alert, no new rows.
        again = group.run_once("ingest", "file", "--no-dedup", str(SEEDS))
        assert again.returncode == 0, again.stdout + again.stderr
        enriched = await read_topic(settings.kafka_bootstrap, topics.enriched, until=lambda r: len(r) >= 2)
        assert len(enriched) == 2
        await wait_until(lambda: False, timeout=5)  # give alert and store time to (not) react
        alerts_after = await read_topic(
            settings.kafka_bootstrap, topics.alerts, until=lambda r: False, timeout=3
        )
        assert [Alert.model_validate_json(r.value).state for r in alerts_after].count("firing") == 1
        assert await _counts(settings) == before
        assert group.dead() == {}, {n: group.log_tail(n) for n in group.dead()}
    finally:
        group.stop()
