"""Every error newswire raises on purpose, and what a caller should do with it.

NewswireError
 ├── BadMessage        a record that can never be processed: dead-letter it with the reason, go on
 ├── ConfigError       a settings, rules or knowledge file is wrong: fail at start-up, name file and line
 │    └── KafkaAccessError  the broker refuses us for good (TLS trust, SASL credentials): stop at start
 └── TransientError    a dependency is down (broker, database, receiver): retry with backoff
"""

from __future__ import annotations

__all__ = ["BadMessage", "ConfigError", "KafkaAccessError", "NewswireError", "TransientError"]


class NewswireError(Exception):
    """Base of all newswire errors."""


class BadMessage(NewswireError):
    """The record is not JSON, not UTF-8, or fails its contract; retrying will not help."""


class ConfigError(NewswireError):
    """A configuration or data file is invalid. The message names the file and, where known, the line."""


class KafkaAccessError(ConfigError):
    """The broker answered but will not let us in (untrusted certificate, wrong password, mechanism
    not enabled); retrying cannot help, so a worker stops at start with this one-line message."""


class TransientError(NewswireError):
    """A dependency failed in a way that may pass; retry."""
