"""Kafka connection security: Settings -> the arguments of every client, aiokafka and faust alike.

The only module that reads the `kafka_security_protocol`, `kafka_sasl_*` and `kafka_ssl_*`
settings. Every aiokafka client is built by kafka/clients.py from `security_kwargs`, and every faust
app takes `faust_security`, so PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL (PLAIN, SCRAM-SHA-256,
SCRAM-SHA-512) mean the same thing to each worker, the CLI and the demo.

aiokafka and faust retry a refused connection forever and only log why; `check_access` connects
once before a worker starts, so an untrusted certificate or a wrong password stops it at once with
a `KafkaAccessError` that names the cause.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newswire.errors import ConfigError, KafkaAccessError
from newswire.settings import Settings

__all__ = ["KafkaSecurity", "check_access", "faust_security", "security_kwargs"]

_SASL = ("SASL_PLAINTEXT", "SASL_SSL")
_TLS = ("SSL", "SASL_SSL")
_HANGUPS = 3  # connections closed unanswered in a row before we call it a refusal


@dataclass(frozen=True)
class KafkaSecurity:
    protocol: str = "PLAINTEXT"
    mechanism: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr, so never in a log
    cafile: Path | None = None
    certfile: Path | None = None
    keyfile: Path | None = None

    @classmethod
    def from_settings(cls, s: Settings) -> KafkaSecurity:
        protocol = s.kafka_security_protocol
        if protocol not in _SASL:
            return cls(protocol, cafile=s.kafka_ssl_cafile, certfile=s.kafka_ssl_certfile,
                       keyfile=s.kafka_ssl_keyfile)  # fmt: skip
        if not s.kafka_sasl_username:
            raise ConfigError(
                f"NEWSWIRE_KAFKA_SECURITY_PROTOCOL={protocol} needs NEWSWIRE_KAFKA_SASL_USERNAME"
            )
        if s.kafka_sasl_password is not None and s.kafka_sasl_password_file is not None:
            raise ConfigError(
                "set NEWSWIRE_KAFKA_SASL_PASSWORD or NEWSWIRE_KAFKA_SASL_PASSWORD_FILE, not both"
            )
        if s.kafka_sasl_password_file is not None:
            password = _first_line(s.kafka_sasl_password_file)
        elif s.kafka_sasl_password is not None:
            password = s.kafka_sasl_password.get_secret_value()
        else:
            raise ConfigError(
                f"NEWSWIRE_KAFKA_SECURITY_PROTOCOL={protocol} needs NEWSWIRE_KAFKA_SASL_PASSWORD "
                "or NEWSWIRE_KAFKA_SASL_PASSWORD_FILE"
            )
        return cls(protocol, s.kafka_sasl_mechanism, s.kafka_sasl_username, password,
                   s.kafka_ssl_cafile, s.kafka_ssl_certfile, s.kafka_ssl_keyfile)  # fmt: skip

    @property
    def tls(self) -> bool:
        return self.protocol in _TLS

    @property
    def sasl(self) -> bool:
        return self.protocol in _SASL

    def ssl_context(self) -> ssl.SSLContext | None:
        """Verifies the broker (hostname included) against `cafile`, or the system CAs without one."""
        if not self.tls:
            return None
        try:
            ctx = ssl.create_default_context(cafile=str(self.cafile) if self.cafile else None)
        except (OSError, ssl.SSLError) as e:
            raise ConfigError(f"NEWSWIRE_KAFKA_SSL_CAFILE {self.cafile}: {_reason(e)}") from None
        if self.certfile is not None:
            try:
                ctx.load_cert_chain(str(self.certfile), str(self.keyfile) if self.keyfile else None)
            except (OSError, ssl.SSLError) as e:
                raise ConfigError(
                    f"NEWSWIRE_KAFKA_SSL_CERTFILE {self.certfile} / KEYFILE {self.keyfile}: {_reason(e)}"
                ) from None
        elif self.keyfile is not None:
            raise ConfigError("NEWSWIRE_KAFKA_SSL_KEYFILE is set without NEWSWIRE_KAFKA_SSL_CERTFILE")
        return ctx

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of AIOKafkaProducer, AIOKafkaConsumer, AIOKafkaAdminClient and create_conn."""
        kwargs: dict[str, Any] = {"security_protocol": self.protocol}
        if self.tls:
            kwargs["ssl_context"] = self.ssl_context()
        if self.sasl:
            kwargs.update(
                sasl_mechanism=self.mechanism,
                sasl_plain_username=self.username,
                sasl_plain_password=self.password,
            )
        return kwargs

    def faust_credentials(self) -> Any:
        """faust's `broker_credentials` (faust-streaming 0.15: SASLCredentials switches itself to
        SASL_SSL when given an ssl_context; SSLCredentials is SSL), or None for PLAINTEXT."""
        import faust

        if self.sasl:
            return faust.SASLCredentials(
                username=self.username, password=self.password,
                ssl_context=self.ssl_context(), mechanism=self.mechanism,
            )  # fmt: skip
        if self.tls:
            return faust.SSLCredentials(self.ssl_context())
        return None

    def describe(self) -> str:
        """For messages: how we connect, never the password."""
        parts = [self.protocol]
        if self.sasl:
            parts.append(f"{self.mechanism} as {self.username!r}")
        if self.tls:
            parts.append(f"CA {self.cafile or 'system'}")
        return ", ".join(parts)


def security_kwargs(settings: Settings) -> dict[str, Any]:
    """The one mapping from Settings to aiokafka client security arguments."""
    return KafkaSecurity.from_settings(settings).client_kwargs()


def faust_security(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for faust.App: `broker_credentials`, or nothing for PLAINTEXT."""
    creds = KafkaSecurity.from_settings(settings).faust_credentials()
    return {} if creds is None else {"broker_credentials": creds}


async def check_access(bootstrap: str, security: KafkaSecurity, *, timeout: float = 10.0) -> bool:
    """Connect once to each bootstrap broker until one lets us in (True). Raises KafkaAccessError when
    a broker answers but refuses us for good; returns False when none could be reached (retry)."""
    from aiokafka.errors import (
        IllegalSaslStateError,
        KafkaError,
        SaslAuthenticationFailed,
        UnsupportedSaslMechanismError,
    )

    for host, port in _hosts(bootstrap):
        where = f"Kafka at {host}:{port} ({security.describe()})"
        try:
            if await _connect(host, port, security, timeout, where):
                return True
        except ssl.SSLCertVerificationError as e:
            raise KafkaAccessError(
                f"{where}: broker certificate not trusted: {e.verify_message} "
                "(check NEWSWIRE_KAFKA_SSL_CAFILE)"
            ) from None
        except ssl.SSLError as e:
            raise KafkaAccessError(f"{where}: TLS handshake failed: {_reason(e)}") from None
        except SaslAuthenticationFailed as e:
            raise KafkaAccessError(
                f"{where}: SASL authentication failed (wrong username or password?): {_reason(e)}"
            ) from None
        except (UnsupportedSaslMechanismError, IllegalSaslStateError) as e:
            raise KafkaAccessError(f"{where}: SASL mechanism refused: {_reason(e)}") from None
        except (OSError, TimeoutError, KafkaError):
            continue  # not reachable (yet): the caller waits and tries again
    return False


async def _connect(host: str, port: int, security: KafkaSecurity, timeout: float, where: str) -> bool:
    from aiokafka.conn import create_conn
    from aiokafka.errors import KafkaConnectionError

    kwargs = security.client_kwargs()
    for attempt in range(1, _HANGUPS + 1):
        try:
            conn = await asyncio.wait_for(
                create_conn(host, port, request_timeout_ms=int(timeout * 1000), **kwargs), timeout
            )
        except KafkaConnectionError as e:
            # Accepted, then hung up on before the first answer, again and again: the listener wants
            # something we do not send (under TLS 1.3 a missing client certificate looks exactly
            # like this), not a broker that is still starting.
            if "closed" not in str(e):
                raise
            if attempt == _HANGUPS:
                raise KafkaAccessError(
                    f"{where}: the broker closes every connection before answering; does the listener "
                    "need another security protocol or a client certificate (NEWSWIRE_KAFKA_SSL_CERTFILE)?"
                ) from None
            await asyncio.sleep(0.5)
        else:
            conn.close()
            return True
    return False


def _hosts(bootstrap: str) -> list[tuple[str, int]]:
    out = []
    for item in bootstrap.split(","):
        host, _, port = item.strip().rpartition(":")
        out.append((host.strip("[]") or "127.0.0.1", int(port or 9092)))
    return out


def _first_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"NEWSWIRE_KAFKA_SASL_PASSWORD_FILE {path}: {_reason(e)}") from None
    if not lines or not lines[0]:
        raise ConfigError(f"NEWSWIRE_KAFKA_SASL_PASSWORD_FILE {path}: empty")
    return lines[0]


def _reason(e: BaseException) -> str:
    """One line: the exception's message without its class noise."""
    text = str(e) or type(e).__name__
    return " ".join(text.split())
