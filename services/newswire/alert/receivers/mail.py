"""E-mail over SMTP (stdlib smtplib in a thread: one short connection per notice)."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from newswire.alert.receivers.base import DeliveryError, idempotency_key
from newswire.alert.render import body_text
from newswire.alert.rules import EmailConfig
from newswire.contracts import Alert

__all__ = ["EmailReceiver"]


class EmailReceiver:
    def __init__(self, name: str, config: EmailConfig, login: tuple[str, str] | None) -> None:
        self.name, self.config, self.retry = name, config, config.retry
        self._login = login

    def message(self, alert: Alert) -> EmailMessage:
        msg = EmailMessage()
        prefix = "[update] " if alert.state == "updated" else ""
        msg["Subject"] = f"[newswire/{alert.severity}] {prefix}{alert.title}"
        msg["From"] = self.config.sender
        msg["To"] = ", ".join(self.config.to)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(idstring=idempotency_key(alert), domain="newswire")
        msg["X-Newswire-Alert-Id"] = alert.id
        msg.set_content(body_text(alert))
        return msg

    def _send_sync(self, msg: EmailMessage) -> None:
        smtp = self.config.smtp
        timeout = self.retry.timeout.total_seconds()
        with smtplib.SMTP(smtp.host, smtp.port, timeout=timeout) as client:
            if smtp.starttls:
                client.starttls()
            if self._login:
                client.login(*self._login)
            client.send_message(msg)

    async def send(self, alert: Alert) -> None:
        try:
            await asyncio.to_thread(self._send_sync, self.message(alert))
        except smtplib.SMTPResponseException as e:
            raise DeliveryError(
                f"SMTP {e.smtp_code}: {e.smtp_error!r}", permanent=500 <= e.smtp_code < 600
            ) from None
        except (smtplib.SMTPException, OSError) as e:
            raise DeliveryError(f"SMTP: {type(e).__name__}: {e}") from None
