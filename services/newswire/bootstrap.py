"""Composition root of every command: settings loaded once, logging configured from them."""

from __future__ import annotations

import gc

from newswire.observability import configure_logging
from newswire.settings import Settings, get_settings

__all__ = ["configured_settings", "tune_gc"]


def configured_settings() -> Settings:
    """The process's settings (environment), with logging set up as they say."""
    s = get_settings()
    configure_logging(s.log_level, s.log_format)
    return s


def tune_gc(gen0: int = 50_000) -> None:
    """For a worker that decodes thousands of messages a second: collect less often.

    Each batch allocates and drops many small objects (decoded messages, rows); with CPython's
    default first-generation threshold (700) the collector ran so often that decoding a retained
    batch cost twice as much (55 -> 120 µs per enriched article, `benchmarks/store_bench.py`).
    Objects alive at start-up (modules, settings) are frozen out of every later collection.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(gen0, 20, 20)
