"""Settings -> client security arguments, for aiokafka and faust alike (no broker needed)."""

from __future__ import annotations

import ssl
from pathlib import Path

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import SecretStr

from newswire.errors import ConfigError
from newswire.kafka.security import KafkaSecurity, faust_security, security_kwargs
from newswire.processes import env_for
from newswire.settings import Settings
from tls_helpers import make_pki


def test_plaintext_is_the_default() -> None:
    assert security_kwargs(Settings()) == {"security_protocol": "PLAINTEXT"}
    assert faust_security(Settings()) == {}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_plaintext(mechanism: str) -> None:
    s = Settings(
        kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_mechanism=mechanism,
        kafka_sasl_username="u", kafka_sasl_password=SecretStr("p"),
    )  # fmt: skip
    expected = {
        "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": mechanism,
        "sasl_plain_username": "u", "sasl_plain_password": "p",
    }  # fmt: skip
    assert security_kwargs(s) == expected
    # faust hands its credentials to aiokafka through this function; the result must be the same.
    creds = faust_security(s)["broker_credentials"]
    assert isinstance(creds, faust.SASLCredentials)
    assert credentials_to_aiokafka_auth(creds) == {**expected, "ssl_context": None}


def test_sasl_ssl_and_ssl_carry_a_verifying_context(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    (tmp_path / "pw").write_text("from-file\nignored second line\n")
    s = Settings(
        kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="SCRAM-SHA-512", kafka_sasl_username="u",
        kafka_sasl_password_file=tmp_path / "pw", kafka_ssl_cafile=pki.ca,
    )  # fmt: skip
    kw = security_kwargs(s)
    assert kw["security_protocol"] == "SASL_SSL" and kw["sasl_plain_password"] == "from-file"
    ctx = kw["ssl_context"]
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    faust_kw = credentials_to_aiokafka_auth(faust_security(s)["broker_credentials"])
    assert faust_kw["security_protocol"] == "SASL_SSL" and faust_kw["sasl_mechanism"] == "SCRAM-SHA-512"

    mtls = Settings(
        kafka_security_protocol="SSL", kafka_ssl_cafile=pki.ca,
        kafka_ssl_certfile=pki.client_cert, kafka_ssl_keyfile=pki.client_key,
    )  # fmt: skip
    assert security_kwargs(mtls)["security_protocol"] == "SSL"
    creds = faust_security(mtls)["broker_credentials"]
    assert isinstance(creds, faust.SSLCredentials)
    assert credentials_to_aiokafka_auth(creds)["security_protocol"] == "SSL"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, "needs NEWSWIRE_KAFKA_SASL_USERNAME"),
        (
            {"kafka_security_protocol": "SASL_SSL", "kafka_sasl_username": "u"},
            "needs NEWSWIRE_KAFKA_SASL_PASSWORD",
        ),
        (
            {"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_username": "u",
             "kafka_sasl_password": "p", "kafka_sasl_password_file": "/x"},
            "not both",
        ),
        (
            {"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_username": "u",
             "kafka_sasl_password_file": "/nonexistent/pw"},
            "/nonexistent/pw",
        ),
        ({"kafka_security_protocol": "SSL", "kafka_ssl_cafile": "/nonexistent/ca.pem"}, "/nonexistent"),
    ],
)  # fmt: skip
def test_bad_combinations_are_config_errors(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        security_kwargs(Settings.model_validate(settings))


def test_the_password_stays_out_of_reprs_and_reaches_children() -> None:
    s = Settings(
        kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="u",
        kafka_sasl_password=SecretStr("hunter2-secret"),
    )  # fmt: skip
    assert "hunter2-secret" not in repr(s) and "hunter2-secret" not in repr(KafkaSecurity.from_settings(s))
    assert "hunter2-secret" not in KafkaSecurity.from_settings(s).describe()
    assert "hunter2-secret" not in repr(faust_security(s)["broker_credentials"])
    assert env_for(s)["NEWSWIRE_KAFKA_SASL_PASSWORD"] == "hunter2-secret"
