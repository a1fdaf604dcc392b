"""API keys: admin and read-only, from the environment or files, checked in constant time."""

from __future__ import annotations

import hmac
from pathlib import Path

import pytest

from newswire.apikeys import Access, ApiKeys, Verdict
from newswire.errors import ConfigError
from newswire.settings import Settings


def test_no_keys_means_open() -> None:
    keys = ApiKeys.from_settings(Settings())
    assert not keys.enabled
    assert keys.check(None, Access.ADMIN) is Verdict.OK


def test_admin_and_read_keys_from_env_and_files(tmp_path: Path) -> None:
    (tmp_path / "admin").write_text("# rotated 2026-12\nadmin-from-file\n\n")
    (tmp_path / "read").write_text("read-from-file\n")
    s = Settings.model_validate(
        {
            "api_key": "admin-a, admin-b",
            "api_key_file": tmp_path / "admin",
            "api_read_key": "read-env",
            "api_read_key_file": tmp_path / "read",
        }
    )
    keys = ApiKeys.from_settings(s)
    for admin in ("admin-a", "admin-b", "admin-from-file"):
        assert keys.access(admin) is Access.ADMIN
        assert keys.check(admin, Access.ADMIN) is Verdict.OK
    for read in ("read-env", "read-from-file"):
        assert keys.access(read) is Access.READ
        assert keys.check(read, Access.READ) is Verdict.OK
        assert keys.check(read, Access.ADMIN) is Verdict.FORBIDDEN
    for wrong in (None, "", "admin", "admin-a ", "# rotated 2026-12", "read-env\n"):
        assert keys.check(wrong, Access.READ) is Verdict.UNAUTHENTICATED
    assert "admin-a" not in repr(keys) and "admin-a" not in repr(s)


def test_every_key_is_compared_with_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """No early exit and no `==`: each check calls hmac.compare_digest once per configured key."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    keys = ApiKeys.of(admin=("a1", "a2"), read=("r1",))
    for presented in ("a1", "r1", "nope-of-another-length"):
        calls.clear()
        keys.check(presented, Access.READ)
        assert len(calls) == 3
        assert {len(a) for a, _ in calls} == {32}  # digests: a key's length does not show in timing


@pytest.mark.parametrize("field", ["api_key_file", "api_read_key_file"])
def test_a_missing_or_empty_key_file_is_a_config_error(tmp_path: Path, field: str) -> None:
    with pytest.raises(ConfigError, match="no-such-file"):
        ApiKeys.from_settings(Settings.model_validate({field: tmp_path / "no-such-file"}))
    (tmp_path / "empty").write_text("# nothing yet\n")
    with pytest.raises(ConfigError, match="no key"):
        ApiKeys.from_settings(Settings.model_validate({field: tmp_path / "empty"}))
