"""Every protocol and SASL mechanism against the real secured broker, through the same client
factories the services use; refusals are KafkaAccessError at once, naming the cause."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from conftest import free_port
from newswire.errors import KafkaAccessError
from newswire.kafka.admin import TopicSpec, create_topics, partitions_of
from newswire.kafka.clients import consumer, producer
from newswire.settings import Settings

from .conftest import PASSWORD, PLAIN_PASSWORD, PLAIN_USER, USER, SecureBroker

pytestmark = pytest.mark.integration


def _sasl(b: SecureBroker, mechanism: str, user: str, password: str, **kw: object) -> Settings:
    return Settings(
        kafka_bootstrap=b.sasl_ssl, kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism=mechanism,
        kafka_sasl_username=user, kafka_sasl_password=SecretStr(password), kafka_ssl_cafile=b.pki.ca, **kw,
    )  # fmt: skip


async def _roundtrip(s: Settings, topic: str) -> None:
    """Create a topic, write a record and read it back, all over the secured listener."""
    await create_topics(s, [TopicSpec(topic, 1)])
    p = producer(s, acks="all")
    await p.start()
    try:
        await p.send_and_wait(topic, b"hello", key=b"k")
    finally:
        await p.stop()
    assert await partitions_of(s, topic) == [0]
    c = consumer(s, topic, group_id=None, auto_offset_reset="earliest")
    await c.start()
    try:
        rec = await c.getone()
    finally:
        await c.stop()
    assert (rec.key, rec.value) == (b"k", b"hello")


@pytest.mark.parametrize(
    ("mechanism", "user", "password"),
    [
        ("SCRAM-SHA-512", USER, PASSWORD),
        ("SCRAM-SHA-256", USER, PASSWORD),
        ("PLAIN", PLAIN_USER, PLAIN_PASSWORD),
    ],
)
async def test_sasl_ssl_mechanisms(
    secure_broker: SecureBroker, mechanism: str, user: str, password: str
) -> None:
    await _roundtrip(_sasl(secure_broker, mechanism, user, password), f"sec-{mechanism.lower()}")


async def test_mutual_tls(secure_broker: SecureBroker) -> None:
    pki = secure_broker.pki
    s = Settings(
        kafka_bootstrap=secure_broker.ssl, kafka_security_protocol="SSL", kafka_ssl_cafile=pki.ca,
        kafka_ssl_certfile=pki.client_cert, kafka_ssl_keyfile=pki.client_key,
    )  # fmt: skip
    await _roundtrip(s, "sec-mtls")


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        ({"kafka_sasl_password": SecretStr("not-the-password")}, "SASL authentication failed"),
        ({"kafka_sasl_username": "nobody"}, "SASL authentication failed"),
        ({"kafka_ssl_cafile": "OTHER"}, "broker certificate not trusted"),
        ({"kafka_ssl_cafile": None}, "broker certificate not trusted"),  # system CAs do not know ours
    ],
)
async def test_refusal_is_immediate_and_named(
    secure_broker: SecureBroker, change: dict[str, object], cause: str
) -> None:
    if change.get("kafka_ssl_cafile") == "OTHER":
        change = {"kafka_ssl_cafile": secure_broker.pki.other_ca}
    s = _sasl(secure_broker, "SCRAM-SHA-512", USER, PASSWORD).model_copy(update=change)
    started = time.monotonic()
    with pytest.raises(KafkaAccessError, match=cause) as err:
        await create_topics(s, [TopicSpec("never-created", 1)], patience=60)
    assert time.monotonic() - started < 10, "must not wait out the broker patience"
    assert "\n" not in str(err.value) and PASSWORD not in str(err.value)
    assert secure_broker.sasl_ssl in str(err.value)


async def test_client_certificate_required(secure_broker: SecureBroker, tmp_path: Path) -> None:
    """The mTLS listener refuses a client without a certificate: named, not retried."""
    s = Settings(kafka_bootstrap=secure_broker.ssl, kafka_security_protocol="SSL",
                 kafka_ssl_cafile=secure_broker.pki.ca)  # fmt: skip
    started = time.monotonic()
    with pytest.raises(KafkaAccessError, match="client certificate"):
        await create_topics(s, [TopicSpec("never-created", 1)], patience=60)
    assert time.monotonic() - started < 10


async def test_plaintext_client_on_a_tls_listener(secure_broker: SecureBroker) -> None:
    started = time.monotonic()
    with pytest.raises(KafkaAccessError, match="another security protocol"):
        await create_topics(
            Settings(kafka_bootstrap=secure_broker.sasl_ssl), [TopicSpec("x", 1)], patience=60
        )
    assert time.monotonic() - started < 15


async def test_unreachable_broker_is_still_waited_for() -> None:
    """No listener at all is transient (the broker may be starting), not an access error."""
    from newswire.errors import TransientError

    s = Settings(kafka_bootstrap=f"127.0.0.1:{free_port()}", kafka_security_protocol="SSL")
    started = time.monotonic()
    with pytest.raises(TransientError):
        await create_topics(s, [TopicSpec("x", 1)], patience=2)
    assert time.monotonic() - started >= 2
