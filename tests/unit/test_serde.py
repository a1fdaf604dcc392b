"""Bytes -> contracts: every way a record can be bad gets a reason, never an exception type leak."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newswire.contracts import DeadLetter, RawArticle
from newswire.errors import BadMessage
from newswire.kafka import dead_letter_for, decode, encode

GOOD = {"title": "T", "body": "B", "published_at": "2024-05-16T09:00:00+00:00"}


def test_round_trip() -> None:
    art = RawArticle.model_validate(GOOD)
    assert decode(RawArticle, encode(art)) == art


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "empty record"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"title": "T"}).encode(), "invalid RawArticle: body: Field required"),
        (json.dumps({**GOOD, "published_at": "yesterday"}).encode(), "published_at"),
    ],
)
def test_bad_records_raise_bad_message_with_reason(value: bytes | None, reason: str) -> None:
    with pytest.raises(BadMessage) as err:
        decode(RawArticle, value)
    assert reason in str(err.value)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_as_other_errors(value: bytes) -> None:
    try:
        decode(RawArticle, value)
    except BadMessage:
        pass


def test_dead_letter_keeps_the_exact_payload() -> None:
    raw = b"\xff not utf8"
    letter = dead_letter_for(
        topic="t", partition=1, offset=7, key=b"k", value=raw, error="why", service="enrich"
    )
    again = DeadLetter.model_validate_json(encode(letter))
    assert base64.b64decode(again.payload) == raw
    assert base64.b64decode(again.key or "") == b"k"
    assert (again.topic, again.partition, again.offset, again.error) == ("t", 1, 7, "why")
