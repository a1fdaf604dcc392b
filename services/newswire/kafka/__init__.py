"""Kafka plumbing: topic names and creation, contract-bound (de)serialisation, dead letters.

Services never parse bytes themselves: they call `decode`/`encode` and `DeadLetters.publish`.
"""

from newswire.kafka.deadletter import DeadLetters, dead_letter_for
from newswire.kafka.serde import decode, encode, encode_key
from newswire.kafka.topics import Topics, ensure_topics

__all__ = ["DeadLetters", "Topics", "dead_letter_for", "decode", "encode", "encode_key", "ensure_topics"]
