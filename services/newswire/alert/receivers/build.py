"""Rules-file receiver configs -> adapters. Secrets come from the environment mapping passed in."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from newswire.alert.receivers.base import Receiver
from newswire.alert.receivers.http import SlackReceiver, WebhookReceiver
from newswire.alert.receivers.logline import LogReceiver
from newswire.alert.receivers.mail import EmailReceiver
from newswire.alert.rules import ReceiverConfig, RuleSet
from newswire.errors import ConfigError

__all__ = ["build_receivers"]


def _env(env: Mapping[str, str], var: str, ruleset: RuleSet, receiver: str) -> str:
    value = env.get(var)
    if not value:
        raise ConfigError(f"{ruleset.source}: receiver {receiver!r} needs the environment variable {var}")
    return value


def _one(
    cfg: ReceiverConfig, ruleset: RuleSet, env: Mapping[str, str], client: httpx.AsyncClient
) -> Receiver:
    if cfg.webhook is not None:
        w = cfg.webhook
        secret = _env(env, w.secret_env, ruleset, cfg.name).encode() if w.secret_env else None
        return WebhookReceiver(cfg.name, w.url, secret, w.retry, client)
    if cfg.slack is not None:
        s = cfg.slack
        url = s.url or _env(env, str(s.url_env), ruleset, cfg.name)
        return SlackReceiver(cfg.name, url, s.retry, client)
    if cfg.email is not None:
        smtp = cfg.email.smtp
        login = None
        if smtp.username_env and smtp.password_env:
            login = (
                _env(env, smtp.username_env, ruleset, cfg.name),
                _env(env, smtp.password_env, ruleset, cfg.name),
            )
        return EmailReceiver(cfg.name, cfg.email, login)
    assert cfg.log is not None
    return LogReceiver(cfg.name, cfg.log)


def build_receivers(
    ruleset: RuleSet, env: Mapping[str, str], client: httpx.AsyncClient
) -> dict[str, Receiver]:
    """Only receivers some rule uses are built, so an unused one needs no secret."""
    used = {name for rule in ruleset.rules for name in rule.receivers}
    return {cfg.name: _one(cfg, ruleset, env, client) for cfg in ruleset.receivers if cfg.name in used}
