"""Composition root of every command: settings loaded once, logging configured from them."""

from __future__ import annotations

from newswire.observability import configure_logging
from newswire.settings import Settings, get_settings

__all__ = ["configured_settings"]


def configured_settings() -> Settings:
    """The process's settings (environment), with logging set up as they say."""
    s = get_settings()
    configure_logging(s.log_level, s.log_format)
    return s
