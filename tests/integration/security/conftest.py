"""A second real broker for the security tests: besides the PLAINTEXT listener it has
- SASL_SSL: TLS with a broker certificate from a CA made here, SCRAM-SHA-256/512 users created by
  the broker's own storage tool at format (`--add-scram`), PLAIN users from the listener's JAAS;
- SSL: TLS that requires a client certificate signed by the same CA (mutual TLS)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import free_port
from newswire.kafka.local_broker import Listener, LocalBroker
from newswire.settings import Settings
from tls_helpers import Pki, make_pki

pytestmark = pytest.mark.integration

USER, PASSWORD = "newswire-svc", "pw-7d1f0c-scram"  # also grepped for in the logs by the tests
PLAIN_USER, PLAIN_PASSWORD = "plain-svc", "pw-plain-93ab"


@dataclass(frozen=True)
class SecureBroker:
    broker: LocalBroker
    pki: Pki
    sasl_ssl: str  # bootstrap of the SASL_SSL listener
    ssl: str  # bootstrap of the mutual-TLS listener


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    sasl_port, ssl_port = free_port(), free_port()
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    plain = (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'user_{PLAIN_USER}="{PLAIN_PASSWORD}";'
    )
    props = {
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": str(pki.keystore),
        "ssl.keystore.password": pki.keystore_password,
        "ssl.key.password": pki.keystore_password,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(pki.ca),
        "listener.name.ssl.ssl.client.auth": "required",
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config": scram,
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": scram,
        "listener.name.sasl_ssl.plain.sasl.jaas.config": plain,
    }
    home = Path(os.environ.get("NEWSWIRE_BROKER_HOME", Path.home() / ".cache" / "newswire" / "kafka"))
    broker = LocalBroker(
        home=home,
        port=free_port(),
        controller_port=free_port(),
        heap="384m",
        state=tmp_path_factory.mktemp("kafka-secure"),
        listeners=[Listener("SASL_SSL", sasl_port, "SASL_SSL"), Listener("SSL", ssl_port, "SSL")],
        properties=props,
        scram=[f"SCRAM-SHA-{n}=[name={USER},password={PASSWORD}]" for n in (256, 512)],
    )
    broker.start()
    try:
        yield SecureBroker(
            broker, pki, broker.listener_bootstrap("SASL_SSL"), broker.listener_bootstrap("SSL")
        )
    finally:
        broker.stop()


@pytest.fixture
def sasl_settings(secure_broker: SecureBroker, tmp_path: Path) -> Settings:
    """SASL_SSL with SCRAM-SHA-512, the password from a file, the test CA; otherwise as `settings`."""
    password_file = tmp_path / "kafka-password"
    password_file.write_text(PASSWORD + "\n")
    return Settings(
        kafka_bootstrap=secure_broker.sasl_ssl,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username=USER,
        kafka_sasl_password_file=password_file,
        kafka_ssl_cafile=secure_broker.pki.ca,
        topic_prefix=f"t{uuid.uuid4().hex[:10]}",
        topic_partitions=2,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'store.db'}",
        data_dir=tmp_path / "state",
        enrich_batch_seconds=0.2,
        store_batch_seconds=0.2,
        log_format="text",
    )
