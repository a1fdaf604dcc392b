"""Receivers: where a notice goes besides the alerts topic. One adapter per kind, one retry policy.

`build_receivers(ruleset, env)` turns the rules file's receiver list into adapters; `deliver`
sends one alert through one receiver with exponential backoff and reports the outcome.
"""

from newswire.alert.receivers.base import DeliveryError, Outcome, Receiver, deliver, idempotency_key
from newswire.alert.receivers.build import build_receivers

__all__ = ["DeliveryError", "Outcome", "Receiver", "build_receivers", "deliver", "idempotency_key"]
