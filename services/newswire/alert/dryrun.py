"""`newswire alerts dry-run`: the alerts a rules file would fire over a file of articles, no Kafka.

Input lines are EnrichedArticle or RawArticle JSON (raw ones go through the enrich service's
Enricher, the worker's code). Lines in the dev-gold format ({id, source, published, title, text})
are read as raw articles too, so the gold set can be replayed as is. Every event goes through the
same Engine as the worker, on one clock; the output is one Alert per alert id in its final state
(all sources merged), after grouping and dedup across the whole input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol

from pydantic import ValidationError

from newswire.alert.engine import Engine, Phase, to_alert
from newswire.alert.rules import RuleSet
from newswire.alert.state import MemoryStore
from newswire.contracts import Alert, AlertState, EnrichedArticle, Event, RawArticle
from newswire.gold import raw_article

__all__ = ["dry_run", "parse_line"]


class EnricherPort(Protocol):
    def enrich(self, articles: list[RawArticle]) -> list[EnrichedArticle]: ...


def parse_line(line: str) -> EnrichedArticle | RawArticle:
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError(f"not a JSON object but {type(data).__name__}")
    if "processing" in data and "article" in data:
        return EnrichedArticle.model_validate(data)
    if "text" in data and "body" not in data:
        return raw_article(data)
    return RawArticle.model_validate(data)


def _events(
    lines: Iterable[str], enricher: EnricherPort | None, errors: list[str], batch: int = 32
) -> Iterator[Event]:
    pending: list[RawArticle] = []

    def flush() -> Iterator[Event]:
        if pending:
            if enricher is None:
                raise RuntimeError("raw articles need the enrich pipeline")
            for art in enricher.enrich(list(pending)):
                yield from art.events
            pending.clear()

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = parse_line(line)
        except ValidationError as e:  # name the field, not just the model
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "(root)"
            errors.append(f"line {n}: invalid {e.title}: {where}: {first['msg']}")
            continue
        except (ValueError, KeyError) as e:
            errors.append(f"line {n}: {str(e).splitlines()[0]}")
            continue
        if isinstance(item, EnrichedArticle):
            yield from flush()
            yield from item.events
        else:
            pending.append(item)
            if len(pending) >= batch:
                yield from flush()
    yield from flush()


def dry_run(
    rules: RuleSet,
    lines: Iterable[str],
    *,
    enricher: EnricherPort | None = None,
    errors: list[str] | None = None,
) -> list[Alert]:
    engine = Engine(rules, retention=timedelta(days=36500))
    store = MemoryStore()
    now = datetime.now(UTC)
    for event in _events(lines, enricher, errors if errors is not None else []):
        engine.on_event(store, event, now)
    # everything has been seen: let every group_wait run out
    wait = max((r.group_wait for r in rules.rules), default=timedelta(0))
    engine.on_tick(store, now + wait)
    out = []
    for rec in engine.records(store):
        rule = rules.rule(rec.rule)
        if rule is not None and rec.phase is Phase.SENT:
            out.append(to_alert(rule, rec, AlertState.FIRING, rec.notified_at or now))
    return sorted(out, key=lambda a: (a.first_seen, a.id))
