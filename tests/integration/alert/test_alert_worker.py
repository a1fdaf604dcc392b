"""The alert worker end to end on the real broker, with real HTTP and SMTP receivers."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from newswire.contracts import AlertState
from newswire.settings import Settings

pytestmark = pytest.mark.integration

RULES = """
receivers:
  - name: desk-webhook
    webhook: {{url: "{hook}/hook", secret_env: NEWSWIRE_WEBHOOK_SECRET}}
  - name: newsdesk-slack
    slack: {{url_env: NEWSWIRE_SLACK_URL}}
  - name: editor-mail
    email: {{to: ["desk@example.org"], smtp: {{host: 127.0.0.1, port: {smtp_port}}}}}
  - name: log
    log: {{}}
rules:
  - name: tracked-leaders-meet
    match: {{types: [MEET], status: [occurred], min_confidence: 0.5}}
    participants: {{at_least: 2, of: ["Xi Jinping", "Vladimir Putin", "Kim Jong Un"]}}
    min_sources: 1
    severity: high
    group_wait: 0s
    repeat_interval: {repeat}
    receivers: [desk-webhook, newsdesk-slack, editor-mail, log]
"""


def write_rules(tmp_path: Path, hook: Any, smtp_port: int, repeat: str = "4h") -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES.format(hook=hook.url(""), smtp_port=smtp_port, repeat=repeat))
    return path


async def test_event_to_topic_webhook_slack_email_log(
    alert_settings: Settings,
    tmp_path: Path,
    hook: Any,
    smtp: Any,
    worker_factory: Any,
    kit: Any,
    event_factory: Any,
) -> None:
    ctl, inbox = smtp
    rules = write_rules(tmp_path, hook, ctl.port)
    w = worker_factory(
        rules, {"NEWSWIRE_WEBHOOK_SECRET": kit.secret, "NEWSWIRE_SLACK_URL": hook.url("/slack")}
    )
    w.start()
    await w.wait_http()
    call = event_factory("ev-call", type_="CALL")
    planned = event_factory("ev-planned", status="planned")
    meet = event_factory("ev-meet")
    await kit.produce_events(alert_settings, [b"not json", call, planned, meet])

    async def delivered() -> bool:
        return bool(hook.bodies("/hook") and hook.bodies("/slack") and inbox.messages)

    await kit.wait_for(delivered, timeout=90)
    alerts = await kit.alerts(alert_settings)
    assert [(a.event_id, a.state) for a in alerts] == [("ev-meet", AlertState.FIRING)]
    alert = alerts[0]
    assert alert.title == "Xi Jinping met Vladimir Putin in Beijing"
    assert alert.id == "tracked-leaders-meet/ev-meet" and alert.severity == "high"
    assert alert.source_count == 1 and alert.sources[0].url == "https://ap.example/a-1"

    _, headers, body, _ = next(r for r in hook.requests if r[0] == "/hook")
    expected = "sha256=" + hmac.new(kit.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Newswire-Signature"] == expected
    assert headers["Idempotency-Key"] and json.loads(body)["id"] == alert.id
    slack = hook.bodies("/slack")[0]
    assert "Xi Jinping met Vladimir Putin in Beijing" in slack["text"] and slack["blocks"]
    mail = inbox.messages[0]
    assert mail.rcpt_tos == ["desk@example.org"]
    assert b"Xi Jinping met Vladimir Putin in Beijing" in mail.content
    assert "ALERT firing: Xi Jinping met Vladimir Putin in Beijing" in w.log.read_text()

    letters = await kit.dead_letters(alert_settings)
    assert any("not JSON" in d.error for d in letters)


async def test_restart_neither_loses_nor_repeats(
    alert_settings: Settings,
    tmp_path: Path,
    hook: Any,
    smtp: Any,
    worker_factory: Any,
    kit: Any,
    event_factory: Any,
) -> None:
    ctl, _ = smtp
    rules = write_rules(tmp_path, hook, ctl.port, repeat="0s")
    env = {"NEWSWIRE_WEBHOOK_SECRET": kit.secret, "NEWSWIRE_SLACK_URL": hook.url("/slack")}
    w = worker_factory(rules, env)
    w.start()
    await w.wait_http()
    await kit.produce_events(alert_settings, [event_factory("ev-1", article="a-1", outlet="AP")])

    async def one_alert() -> bool:
        return len(await kit.alerts(alert_settings)) == 1

    await kit.wait_for(one_alert, timeout=90)
    w.stop()

    w2 = worker_factory(rules, env)
    w2.start()
    await w2.wait_http()
    # a second outlet on the same meeting, then a duplicate of the first article
    await kit.produce_events(
        alert_settings,
        [
            event_factory("ev-1", article="a-2", outlet="Reuters"),
            event_factory("ev-1", article="a-1", outlet="AP"),
        ],
    )

    async def two_alerts() -> list[Any]:
        alerts = await kit.alerts(alert_settings)
        return alerts if len(alerts) >= 2 else []

    alerts = await kit.wait_for(two_alerts, timeout=90)
    await __import__("asyncio").sleep(4)  # a repeat would show up here
    alerts = await kit.alerts(alert_settings)
    assert [(a.state, a.source_count) for a in alerts] == [(AlertState.FIRING, 1), (AlertState.UPDATED, 2)]
    assert {s.article_id for s in alerts[1].sources} == {"a-1", "a-2"}


async def test_silence_api_mutes_and_expires(
    alert_settings: Settings,
    tmp_path: Path,
    hook: Any,
    smtp: Any,
    worker_factory: Any,
    kit: Any,
    event_factory: Any,
) -> None:
    ctl, _ = smtp
    rules = write_rules(tmp_path, hook, ctl.port)
    env = {"NEWSWIRE_WEBHOOK_SECRET": kit.secret, "NEWSWIRE_SLACK_URL": hook.url("/slack")}
    w = worker_factory(rules, env)
    w.start()
    await w.wait_http()
    async with httpx.AsyncClient() as c:
        bad = await c.post(
            w.api("/silences"), json={"matchers": [{"name": "nope", "value": "x"}], "duration": "1h"}
        )
        assert bad.status_code == 400
        r = await c.post(
            w.api("/silences"),
            json={
                "matchers": [{"name": "participant", "value": "Vladimir Putin"}],
                "duration": "1h",
                "comment": "t",
            },
        )
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        await kit.produce_events(alert_settings, [event_factory("ev-muted")])
        await __import__("asyncio").sleep(6)
        assert await kit.alerts(alert_settings) == []
        listed = (await c.get(w.api("/silences?active=true"))).json()
        assert [s["id"] for s in listed] == [sid]

        w.stop()  # silences are durable: a restarted worker still knows it
        w2 = worker_factory(rules, env)
        w2.start()
        await w2.wait_http()
        assert [s["id"] for s in (await c.get(w2.api("/silences?active=true"))).json()] == [sid]
        expired = await c.delete(w2.api(f"/silences/{sid}"))
        assert expired.status_code == 200
        assert (await c.get(w2.api("/silences?active=true"))).json() == []
        await kit.produce_events(alert_settings, [event_factory("ev-after")])

        async def fired() -> list[Any]:
            return await kit.alerts(alert_settings)

        alerts = await kit.wait_for(fired, timeout=60)
        assert [a.event_id for a in alerts] == ["ev-after"]


async def test_webhook_retries_then_dead_letters(
    alert_settings: Settings, tmp_path: Path, hook: Any, worker_factory: Any, kit: Any, event_factory: Any
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        f"""
receivers:
  - name: flaky
    webhook: {{url: "{hook.url("/flaky")}", retry: {{attempts: 3, backoff: 50ms}}}}
  - name: down
    webhook: {{url: "{hook.url("/down")}", retry: {{attempts: 2, backoff: 50ms}}}}
rules:
  - name: r
    match: {{types: [MEET]}}
    participants: {{any_of: ["Vladimir Putin"]}}
    receivers: [flaky, down]
"""
    )
    hook.script.update({"/flaky": [503, 500], "/down": [503, 503, 503]})
    w = worker_factory(rules)
    w.start()
    await w.wait_http()
    await kit.produce_events(alert_settings, [event_factory("ev-r")])

    async def letters() -> list[Any]:
        return [d for d in await kit.dead_letters(alert_settings) if d.service == "alert"]

    dead = await kit.wait_for(letters, timeout=60)
    calls = [r[0] for r in hook.requests]
    assert calls.count("/flaky") == 3  # 503, 500, then 200
    assert calls.count("/down") == 2  # gave up after 2 attempts
    flaky = [r for r in hook.requests if r[0] == "/flaky"]
    assert len({r[1]["Idempotency-Key"] for r in flaky}) == 1  # one notice, one key across retries
    assert flaky[1][3] - flaky[0][3] >= 0.04 and flaky[2][3] - flaky[1][3] >= 0.09  # backoff doubles
    assert len(dead) == 1 and "receiver down: gave up after 2 attempt(s): HTTP 503" in dead[0].error
    assert json.loads(__import__("base64").b64decode(dead[0].payload))["event_id"] == "ev-r"
