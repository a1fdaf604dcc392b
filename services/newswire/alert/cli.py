"""`newswire alerts ...` and `newswire events ...` (owned by the alert service)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from newswire.bootstrap import configured_settings
from newswire.contracts import Contract, EventStatus, EventType

if TYPE_CHECKING:
    from newswire.kafka import Topics

C = TypeVar("C", bound=Contract)

alerts_app = typer.Typer(help="Alert rules: dry-run, tail.", no_args_is_help=True)
events_app = typer.Typer(help="Follow the enriched-event stream.", no_args_is_help=True)


@alerts_app.command("dry-run")
def dry_run_cmd(
    path: Annotated[
        str, typer.Argument(help="RawArticle or EnrichedArticle JSON lines; '-' for stdin")
    ] = "-",
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Rules YAML (default: settings.rules_file)")
    ] = None,
) -> None:
    """Print, as Alert JSON lines, the alerts the rules would fire over the input (grouped, deduplicated)."""
    from newswire.alert.dryrun import dry_run
    from newswire.alert.names import resolver_for
    from newswire.alert.rules import load_rules
    from newswire.errors import ConfigError

    s = configured_settings()
    try:
        ruleset = load_rules(rules or s.rules_file, resolver_for(s))
    except ConfigError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    lines = list(stream)
    stream.close()
    enricher = None
    if any('"processing"' not in line for line in lines if line.strip()):
        from newswire.enrich.pipeline import Enricher

        enricher = Enricher.from_settings(s)
    errors: list[str] = []
    for alert in dry_run(ruleset, lines, enricher=enricher, errors=errors):
        typer.echo(alert.model_dump_json())
    for err in errors:
        typer.echo(f"skipped {err}", err=True)
    raise typer.Exit(1 if errors else 0)


def _tail(
    topic_of: Callable[[Topics], str],
    model: type[C],
    keep: Callable[[C], bool] = lambda _: True,
    from_beginning: bool = False,
) -> None:
    from newswire.alert.tail import follow
    from newswire.errors import BadMessage
    from newswire.kafka import Topics

    s = configured_settings()
    topic = topic_of(Topics.from_settings(s))

    async def main() -> None:
        async for item in follow(s, topic, model, from_beginning=from_beginning):
            if isinstance(item, BadMessage):
                typer.echo(f"skipped: {item}", err=True)
            elif keep(item):
                typer.echo(item.model_dump_json(), nl=True)
                sys.stdout.flush()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


@alerts_app.command("tail")
def alerts_tail(
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", help="Replay the whole topic first")
    ] = False,
) -> None:
    """Follow the alerts topic (Alert JSON lines); no consumer group."""
    from newswire.contracts import Alert

    _tail(lambda t: t.alerts, Alert, from_beginning=from_beginning)


@events_app.command("tail")
def events_tail(
    participant: Annotated[
        list[str] | None, typer.Option("--participant", help="Name or alias; repeatable")
    ] = None,
    type_: Annotated[list[EventType] | None, typer.Option("--type", help="Event type; repeatable")] = None,
    status: Annotated[
        list[EventStatus] | None, typer.Option("--status", help="Event status; repeatable")
    ] = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", help="Replay the whole topic first")
    ] = False,
) -> None:
    """Follow the events topic with filters (Event JSON lines); no consumer group."""
    from newswire.alert.names import resolver_for
    from newswire.alert.tail import event_filter
    from newswire.contracts import Event

    names = participant or []
    if names:
        resolver = resolver_for(configured_settings())
        names = [resolver.resolve(n) or n for n in names]
    _tail(lambda t: t.events, Event, event_filter(names, type_ or [], status or []), from_beginning)
