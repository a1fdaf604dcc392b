"""`newswire query ...` (owned by the store service): ask the store from a shell.

    newswire query events --participant "Xi Jinping" --since 2024-01-01
    newswire query articles --entity NATO --entity Ankara --since 2024-06-03 --json
    newswire query event <event id>          # evidence and every source article

Reads NEWSWIRE_DATABASE_URL directly (no API server needed); `--json` prints JSON instead of a table.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

query_app = typer.Typer(help="Ask the store: events, articles, entities, alerts.", no_args_is_help=True)

T = TypeVar("T")
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Limit = Annotated[int, typer.Option(min=1, max=500, help="Rows to show.")]


def _ask(question: Callable[[Any], Awaitable[T]]) -> T:
    """Open the configured database, run one read, close."""
    from newswire.settings import get_settings
    from newswire.store.db import connect, migrate

    async def main() -> T:
        engine = connect(get_settings().database_url)
        try:
            await migrate(engine)
            async with engine.connect() as conn:
                return await question(conn)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _instant(name: str, value: str | None, *, end_of_day: bool = False) -> dt.datetime | None:
    from newswire.store.queries import parse_instant

    if value is None:
        return None
    try:
        return parse_instant(value, end_of_day=end_of_day)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=name) from None


def _day(name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date like 2024-01-31", param_hint=name) from None


def _print_json(value: Any) -> None:
    typer.echo(value.model_dump_json(indent=2))


def _table(title: str, columns: list[str], rows: list[list[Any]], more: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console = Console()
    console.print(table)
    if more:
        console.print(f"[dim]more: --cursor {more}[/dim]")


def _people(event: Any) -> str:
    return ", ".join(p.name for p in event.participants)


def _where(event: Any) -> str:
    return "" if event.location is None else event.location.name


@query_app.command("events")
def events(
    type: Annotated[str | None, typer.Option("--type", help="MEET, CALL, VISIT, ...")] = None,
    status: Annotated[str | None, typer.Option(help="occurred, planned, cancelled")] = None,
    participant: Annotated[
        list[str] | None, typer.Option(help="Id or name; repeat: all must take part.")
    ] = None,
    location: Annotated[str | None, typer.Option(help="Place name or country code.")] = None,
    since: Annotated[str | None, typer.Option(help="ISO date, inclusive.")] = None,
    until: Annotated[str | None, typer.Option(help="ISO date, inclusive.")] = None,
    limit: Limit = 50,
    cursor: Annotated[str | None, typer.Option(help="next_cursor of the previous page.")] = None,
    as_json: AsJson = False,
) -> None:
    """Events, most recent first."""
    from newswire.contracts import EventStatus, EventType
    from newswire.store.queries import list_events

    if type is not None and type.upper() not in EventType.__members__:
        raise typer.BadParameter(f"one of {', '.join(EventType)}", param_hint="--type")
    if status is not None and status.lower() not in {s.value for s in EventStatus}:
        raise typer.BadParameter(f"one of {', '.join(EventStatus)}", param_hint="--status")
    lo, hi = _day("--since", since), _day("--until", until)
    page = _ask(
        lambda conn: list_events(
            conn, type=type.upper() if type else None, status=status.lower() if status else None,
            participant=participant or [], location=location, since=lo, until=hi, limit=limit, cursor=cursor,
        )
    )  # fmt: skip
    if as_json:
        return _print_json(page)
    rows = [
        [e.day, e.type.value, e.status.value, _people(e), _where(e), e.source_count, e.id] for e in page.items
    ]
    _table(
        "events",
        ["day", "type", "status", "participants", "location", "sources", "id"],
        rows,
        page.next_cursor,
    )


@query_app.command("event")
def event(event_id: str, as_json: AsJson = False) -> None:
    """One event: participants, evidence sentences, every source article."""
    from newswire.store.queries import get_event

    ev = _ask(lambda conn: get_event(conn, event_id))
    if ev is None:
        typer.echo(f"no event with id {event_id!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        return _print_json(ev)
    _table(
        f"{ev.type.value} {ev.status.value} {ev.day}: {_people(ev)}",
        ["published", "source", "title", "url"],
        [[s.published_at, s.source, s.title, s.url] for s in ev.sources],
    )
    for e in ev.evidence:
        typer.echo(f"- {e.sentence}  [{e.article_id}]")


@query_app.command("articles")
def articles(
    search: Annotated[str | None, typer.Option("--q", "--search", help="Full-text search.")] = None,
    entity: Annotated[list[str] | None, typer.Option(help="Entity id or name; repeat: all.")] = None,
    source: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="ISO date or datetime.")] = None,
    until: Annotated[str | None, typer.Option(help="ISO date or datetime.")] = None,
    limit: Limit = 50,
    cursor: Annotated[str | None, typer.Option()] = None,
    as_json: AsJson = False,
) -> None:
    """Articles, newest first."""
    from newswire.store.queries import list_articles

    lo, hi = _instant("--since", since), _instant("--until", until, end_of_day=True)
    page = _ask(
        lambda conn: list_articles(
            conn, q=search, entity=entity or [], source=source, since=lo, until=hi, limit=limit, cursor=cursor
        )
    )
    if as_json:
        return _print_json(page)
    rows = [[a.published_at.strftime("%Y-%m-%d %H:%M"), a.source, a.title, a.id] for a in page.items]
    _table("articles", ["published (UTC)", "source", "title", "id"], rows, page.next_cursor)


@query_app.command("entity")
def entity(
    entity_id: Annotated[str, typer.Argument(help="Id (Q15031, name:...) or name")], as_json: AsJson = False
) -> None:
    """An entity: how often it is mentioned, with whom, and its meetings."""
    from newswire.store.queries import get_entity

    ent = _ask(lambda conn: get_entity(conn, entity_id))
    if ent is None:
        typer.echo(f"no entity {entity_id!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        return _print_json(ent)
    n = ent.article_count
    typer.echo(f"{ent.name} ({ent.label}, {ent.id}): named in {n:,} article{'' if n == 1 else 's'}")
    _table(
        "co-mentioned",
        ["entity", "label", "shared articles"],
        [[c.name, c.label, c.articles] for c in ent.co_mentioned],
    )
    _table(
        "meetings",
        ["day", "participants", "location", "id"],
        [[e.day, _people(e), _where(e), e.id] for e in ent.meetings],
    )


@query_app.command("alerts")
def alerts(
    rule: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="Last seen since (ISO date or datetime).")] = None,
    limit: Limit = 50,
    as_json: AsJson = False,
) -> None:
    """Alerts, most recently updated first."""
    from newswire.store.queries import list_alerts

    lo = _instant("--since", since)
    page = _ask(lambda conn: list_alerts(conn, rule=rule, since=lo, limit=limit))
    if as_json:
        return _print_json(page)
    rows = [
        [a.last_seen.strftime("%Y-%m-%d %H:%M"), a.rule, a.state, a.title, a.source_count, a.id]
        for a in page.items
    ]
    _table("alerts", ["last seen (UTC)", "rule", "state", "title", "sources", "id"], rows, page.next_cursor)


@query_app.command("alert")
def alert(alert_id: str, as_json: AsJson = False) -> None:
    """One alert and the sources behind it."""
    from newswire.store.queries import get_alert

    al = _ask(lambda conn: get_alert(conn, alert_id))
    if al is None:
        typer.echo(f"no alert with id {alert_id!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        return _print_json(al)
    _table(
        al.title,
        ["source", "title", "url", "article"],
        [[s.source, s.title, s.url, s.article_id] for s in al.sources],
    )
