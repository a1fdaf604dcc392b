"""The rules file: receivers and rules (YAML), validated by pydantic, errors with file and line.

    receivers: [{name, webhook|slack|email|log: {...}}]
    rules:     [{name, match, participants, min_sources, severity, group_wait, repeat_interval,
                 receivers, allow_unknown_names}]

`load_rules(path, resolver)` parses, validates, resolves every participant name through the leader
knowledge base (aliases accepted; unknown names fail with suggestions) and checks that every
receiver a rule names exists. Pure: YAML, pydantic and the standard library only.
"""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from newswire.alert.names import NameResolver
from newswire.contracts import EventStatus, EventType
from newswire.errors import ConfigError

__all__ = [
    "DEFAULT_RULES",
    "EmailConfig",
    "LogConfig",
    "Match",
    "Participants",
    "ReceiverConfig",
    "Rule",
    "RuleSet",
    "SlackConfig",
    "SmtpConfig",
    "WebhookConfig",
    "load_rules",
    "parse_duration",
]

DEFAULT_RULES = "default_rules.yaml"

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> timedelta:
    """'0s', '90s', '30m', '4h', '1h30m', '2d' or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    text = str(value).strip()
    if not text or _DURATION.sub("", text):
        raise ValueError(f"not a duration: {value!r} (use e.g. 0s, 30s, 5m, 4h, 1h30m)")
    return timedelta(seconds=sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(text)))


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- receivers


class Retry(_Model):
    attempts: int = Field(default=5, ge=1, le=20, description="Tries before the alert is dead-lettered.")
    backoff: Duration = Field(default=timedelta(milliseconds=200), description="First wait; doubles per try.")
    max_backoff: Duration = Field(default=timedelta(seconds=10))
    timeout: Duration = Field(default=timedelta(seconds=5), description="Per attempt.")


class WebhookConfig(_Model):
    url: str = Field(pattern=r"^https?://")
    secret_env: str | None = Field(default=None, description="Env var holding the HMAC-SHA256 key.")
    retry: Retry = Retry()


class SlackConfig(_Model):
    url: str | None = Field(default=None, pattern=r"^https?://")
    url_env: str | None = Field(default=None, description="Env var holding the incoming-webhook URL.")
    retry: Retry = Retry()

    @model_validator(mode="after")
    def _one_url(self) -> SlackConfig:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("set exactly one of url, url_env")
        return self


class SmtpConfig(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    username_env: str | None = None
    password_env: str | None = None


class EmailConfig(_Model):
    to: list[str] = Field(min_length=1)
    sender: str = Field(default="newswire@localhost", alias="from")
    smtp: SmtpConfig = SmtpConfig()
    retry: Retry = Retry()


class LogConfig(_Model):
    level: Literal["info", "warning"] = "warning"


class ReceiverConfig(_Model):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    webhook: WebhookConfig | None = None
    slack: SlackConfig | None = None
    email: EmailConfig | None = None
    log: LogConfig | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ReceiverConfig:
        kinds = [k for k in ("webhook", "slack", "email", "log") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                f"a receiver has exactly one of webhook, slack, email, log (got {kinds or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("webhook", "slack", "email", "log") if getattr(self, k) is not None)


# --------------------------------------------------------------------------- rules


class Match(_Model):
    types: list[EventType] | None = None
    status: list[EventStatus] | None = None
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    countries: list[str] | None = Field(
        default=None, description="ISO alpha-2 of any participant or the place."
    )
    locations: list[str] | None = Field(default=None, description="Place names, case-insensitive.")


class Participants(_Model):
    at_least: int | None = Field(default=None, ge=1)
    of: list[str] | None = None
    any_of: list[str] | None = None
    all_of: list[str] | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Participants:
        if (self.at_least is None) != (self.of is None):
            raise ValueError("at_least and of go together")
        if self.of is not None and self.at_least is not None and self.at_least > len(self.of):
            raise ValueError(f"at_least {self.at_least} is more than the {len(self.of)} names in of")
        return self

    def names(self) -> list[tuple[str, int, str]]:
        """(field, index, name) of every name, for resolution and error lines."""
        out = []
        for fld in ("of", "any_of", "all_of"):
            for i, n in enumerate(getattr(self, fld) or []):
                out.append((fld, i, n))
        return out


class Rule(_Model):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    match: Match = Match()
    participants: Participants = Participants()
    min_sources: int = Field(
        default=1, ge=1, description="Independent outlets needed before the first notice."
    )
    severity: str = "info"
    group_wait: Duration = timedelta(0)
    repeat_interval: Duration = timedelta(hours=4)
    receivers: list[str] = Field(default_factory=list)
    allow_unknown_names: bool = False


class RuleSet(_Model):
    receivers: list[ReceiverConfig] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)
    source: str = Field(default="<memory>", exclude=True)

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        for what, names in (
            ("receiver", [r.name for r in self.receivers]),
            ("rule", [r.name for r in self.rules]),
        ):
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"duplicate {what} name(s): {', '.join(dup)}")
        return self

    def receiver(self, name: str) -> ReceiverConfig:
        return next(r for r in self.receivers if r.name == name)

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


# --------------------------------------------------------------------------- loading


def _line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at a pydantic error location (deepest node that exists)."""
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _fail(source: str, node: yaml.Node | None, loc: tuple[Any, ...], reason: str) -> ConfigError:
    line = _line(node, loc)
    where = f"{source}:{line}" if line else source
    path = ".".join(str(p) for p in loc)
    return ConfigError(f"{where}: {path + ': ' if path else ''}{reason}")


def parse_rules(text: str, resolver: NameResolver, *, source: str = "<string>") -> RuleSet:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: not valid YAML: {getattr(e, 'problem', None) or e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}:1: expected a mapping with 'receivers' and 'rules'")
    try:
        ruleset = RuleSet.model_validate({**data, "source": source})
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        more = f" (and {e.error_count() - 1} more)" if e.error_count() > 1 else ""
        raise _fail(source, node, loc, err["msg"] + more) from None
    return _resolve(ruleset, node, resolver, source)


def _resolve(ruleset: RuleSet, node: yaml.Node | None, resolver: NameResolver, source: str) -> RuleSet:
    """Check receiver references; rewrite participant names to their canonical form."""
    known = {r.name for r in ruleset.receivers}
    rules = []
    for i, rule in enumerate(ruleset.rules):
        for j, name in enumerate(rule.receivers):
            if name not in known:
                raise _fail(
                    source,
                    node,
                    ("rules", i, "receivers", j),
                    f"unknown receiver {name!r}; defined: {sorted(known)}",
                )
        fields: dict[str, list[str] | None] = {f: None for f in ("of", "any_of", "all_of")}
        for fld, j, name in rule.participants.names():
            canonical = resolver.resolve(name)
            if canonical is None:
                if not rule.allow_unknown_names:
                    hint = resolver.suggest(name)
                    did = f"; did you mean {', '.join(repr(s) for s in hint)}?" if hint else ""
                    raise _fail(
                        source, node, ("rules", i, "participants", fld, j),
                        f"unknown leader {name!r}{did} (or set allow_unknown_names: true)",
                    )  # fmt: skip
                canonical = name.strip()
            fields[fld] = [*(fields[fld] or []), canonical]
        participants = rule.participants.model_copy(update={k: v for k, v in fields.items() if v is not None})
        rules.append(rule.model_copy(update={"participants": participants}))
    return ruleset.model_copy(update={"rules": rules})


def load_rules(path: Path | None, resolver: NameResolver) -> RuleSet:
    """The rules at `path`, or the built-in watchlist when `path` is None."""
    if path is None:
        text = resources.files("newswire.alert").joinpath(DEFAULT_RULES).read_text(encoding="utf-8")
        return parse_rules(text, resolver, source=f"newswire/alert/{DEFAULT_RULES}")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{path}: cannot read rules file: {e.strerror}") from None
    return parse_rules(text, resolver, source=str(path))
