"""HTTP API keys: admin keys (everything: ingest, silences, queries) and read-only keys (queries).

Keys come from the environment (NEWSWIRE_API_KEY, NEWSWIRE_API_READ_KEY; several comma-separated,
for rotation) or from files (NEWSWIRE_API_KEY_FILE, NEWSWIRE_API_READ_KEY_FILE; one key per line,
`#` comments). With no key configured at all the APIs are open, as on a developer's machine.

A presented key is checked against every configured key in constant time (hmac.compare_digest of
SHA-256 digests, so neither the content nor the length of a key leaks through timing, and the loop
never stops early). Keys are held as digests only, so no repr or log line can show one.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from pydantic import SecretStr

from newswire.errors import ConfigError
from newswire.settings import Settings

__all__ = ["Access", "ApiKeys", "Verdict"]


class Access(IntEnum):
    READ = 1
    ADMIN = 2


class Verdict(IntEnum):
    OK = 200
    UNAUTHENTICATED = 401  # no key, or not one of ours
    FORBIDDEN = 403  # a read-only key on an admin route


@dataclass(frozen=True)
class ApiKeys:
    admin: tuple[bytes, ...] = ()  # SHA-256 digests
    read: tuple[bytes, ...] = ()

    @classmethod
    def from_settings(cls, s: Settings) -> ApiKeys:
        admin = _keys(s.api_key, s.api_key_file, "NEWSWIRE_API_KEY_FILE")
        read = _keys(s.api_read_key, s.api_read_key_file, "NEWSWIRE_API_READ_KEY_FILE")
        return cls(tuple(_digest(k) for k in admin), tuple(_digest(k) for k in read))

    @classmethod
    def of(cls, *, admin: tuple[str, ...] = (), read: tuple[str, ...] = ()) -> ApiKeys:
        return cls(tuple(_digest(k) for k in admin), tuple(_digest(k) for k in read))

    @property
    def enabled(self) -> bool:
        return bool(self.admin or self.read)

    def access(self, presented: str | None) -> Access | None:
        """What `presented` grants: ADMIN, READ or nothing. Compares with every key, always."""
        if not presented:
            return None
        digest = _digest(presented)
        is_admin = is_read = False
        for key in self.admin:
            is_admin |= hmac.compare_digest(digest, key)
        for key in self.read:
            is_read |= hmac.compare_digest(digest, key)
        return Access.ADMIN if is_admin else Access.READ if is_read else None

    def check(self, presented: str | None, need: Access) -> Verdict:
        if not self.enabled:
            return Verdict.OK
        got = self.access(presented)
        if got is None:
            return Verdict.UNAUTHENTICATED
        return Verdict.OK if got >= need else Verdict.FORBIDDEN


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def _keys(value: SecretStr | None, path: Path | None, setting: str) -> list[str]:
    keys = [] if value is None else [k.strip() for k in value.get_secret_value().split(",")]
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{setting} {path}: {e.args[-1] if e.args else e}") from None
        lines = [ln.strip() for ln in text.splitlines()]
        from_file = [ln for ln in lines if ln and not ln.startswith("#")]
        if not from_file:
            raise ConfigError(f"{setting} {path}: no key in the file")
        keys += from_file
    return [k for k in keys if k]
