"""Bytes <-> contracts. The only place a Kafka payload is parsed."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import ValidationError

from newswire.contracts import Contract
from newswire.errors import BadMessage

__all__ = ["decode", "encode", "encode_key"]

C = TypeVar("C", bound=Contract)


def encode(message: Contract) -> bytes:
    return message.model_dump_json().encode("utf-8")


def encode_key(key: str | None) -> bytes | None:
    return key.encode("utf-8") if key is not None else None


def _reason(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:5]:
        loc = ".".join(str(x) for x in e["loc"]) or "(root)"
        parts.append(f"{loc}: {e['msg']}")
    more = err.error_count() - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def decode(model: type[C], value: bytes | None) -> C:
    """Parse one record value, or raise BadMessage with a reason a human can act on."""
    if value is not None:
        # pydantic's own JSON parser: about half the time of json.loads + model_validate, and fewer
        # short-lived objects for the garbage collector. A record it refuses takes the step-by-step
        # path below, which names the first thing wrong (bytes, JSON, shape, then fields).
        try:
            return model.model_validate_json(value)
        except ValidationError:
            pass
    return _decode_slowly(model, value)


def _decode_slowly(model: type[C], value: bytes | None) -> C:
    if value is None:
        raise BadMessage("empty record (null value)")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadMessage(f"not UTF-8: {e.reason} at byte {e.start}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadMessage(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:  # "[[[[..." thousands deep: Python's parser gives up, the worker must not
        raise BadMessage("not JSON we can read: nested too deeply") from None
    if not isinstance(data, dict):
        raise BadMessage(f"not a JSON object but {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise BadMessage(f"invalid {model.__name__}: {_reason(e)}") from None
