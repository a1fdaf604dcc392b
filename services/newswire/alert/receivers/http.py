"""Webhook (signed JSON POST) and Slack-compatible incoming webhook."""

from __future__ import annotations

import hashlib
import hmac

import httpx

from newswire.alert.receivers.base import DeliveryError, idempotency_key
from newswire.alert.rules import Retry
from newswire.contracts import Alert

__all__ = ["SIGNATURE_HEADER", "SlackReceiver", "WebhookReceiver", "sign"]

SIGNATURE_HEADER = "X-Newswire-Signature"


def sign(secret: bytes, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the exact request body>` (verify before parsing)."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


async def _post(client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]) -> None:
    try:
        resp = await client.post(url, content=body, headers={"Content-Type": "application/json", **headers})
    except httpx.HTTPError as e:
        raise DeliveryError(f"{type(e).__name__}: {e}") from None
    if resp.status_code >= 300:
        # 408/429 and 5xx may pass; any other answer will not change on retry.
        retriable = resp.status_code in (408, 429) or resp.status_code >= 500
        raise DeliveryError(f"HTTP {resp.status_code} from {url}", permanent=not retriable)


class WebhookReceiver:
    def __init__(
        self, name: str, url: str, secret: bytes | None, retry: Retry, client: httpx.AsyncClient
    ) -> None:
        self.name, self.url, self.retry = name, url, retry
        self._secret = secret
        self._client = client

    async def send(self, alert: Alert) -> None:
        body = alert.model_dump_json().encode("utf-8")
        headers = {
            "Idempotency-Key": idempotency_key(alert),
            "X-Newswire-Alert-Id": alert.id,
            "X-Newswire-Alert-State": alert.state.value,
        }
        if self._secret is not None:
            headers[SIGNATURE_HEADER] = sign(self._secret, body)
        await _post(self._client, self.url, body, headers)


def slack_payload(alert: Alert) -> dict[str, object]:
    sources = "\n".join(
        f"• <{s.url}|{s.title or s.article_id}>" if s.url else f"• {s.title}" for s in alert.sources
    )
    head = f"*{alert.title}*" + (" (update)" if alert.state == "updated" else "")
    return {
        "text": f"[{alert.severity}] {alert.title}",  # fallback for notifications
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{head}\n>{alert.evidence}"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*Sources ({alert.source_count})*\n{sources}"},
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"rule `{alert.rule}` · severity {alert.severity}"}],
            },
        ],
    }


class SlackReceiver:
    def __init__(self, name: str, url: str, retry: Retry, client: httpx.AsyncClient) -> None:
        self.name, self.url, self.retry = name, url, retry
        self._client = client

    async def send(self, alert: Alert) -> None:
        import json

        body = json.dumps(slack_payload(alert), ensure_ascii=False).encode("utf-8")
        await _post(self._client, self.url, body, {"Idempotency-Key": idempotency_key(alert)})
