"""Kafka plumbing: topic names, contract-bound (de)serialisation, dead letters, administration.

Services never parse bytes themselves: they call `decode`/`encode` and `DeadLetters.publish`.
Importing this package stays free of aiokafka (the pure core uses serde); `ensure_topics` is
loaded from admin.py on first use.
"""

from typing import Any

from newswire.kafka.deadletter import DeadLetters, dead_letter_for
from newswire.kafka.serde import decode, encode, encode_key
from newswire.kafka.topics import Topics

__all__ = ["DeadLetters", "Topics", "dead_letter_for", "decode", "encode", "encode_key", "ensure_topics"]


def __getattr__(name: str) -> Any:
    if name == "ensure_topics":
        from newswire.kafka.admin import ensure_topics

        return ensure_topics
    raise AttributeError(name)
