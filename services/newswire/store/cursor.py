"""Opaque keyset cursors: base64url of the last row's sort key, so pages stay stable while rows arrive."""

from __future__ import annotations

import base64
import json

__all__ = ["BadCursor", "decode_cursor", "encode_cursor"]


class BadCursor(ValueError):
    """The cursor was not made by this API (or was cut short)."""


def encode_cursor(kind: str, key: str, row_id: str) -> str:
    raw = json.dumps([kind, key, row_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str) -> tuple[str, str]:
    """(sort key, row id) of the last row of the previous page; BadCursor when it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: "[[[[..." deep
        raise BadCursor("cursor is not valid: pass back next_cursor exactly as returned") from None
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)):
        raise BadCursor("cursor is not valid: pass back next_cursor exactly as returned")
    if value[0] != kind:
        raise BadCursor(f"cursor belongs to /{value[0]}, not /{kind}")
    return value[1], value[2]
