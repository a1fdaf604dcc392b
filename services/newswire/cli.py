"""The `newswire` command. Sub-commands import their service lazily, so `newswire broker status`
does not pay for spaCy."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newswire.bootstrap import configured_settings
from newswire.settings import Settings

if TYPE_CHECKING:
    from newswire.kafka.local_broker import LocalBroker

app = typer.Typer(help="newswire: live news wire -> structured events and alerts.", no_args_is_help=True)
broker_app = typer.Typer(help="Local single-node Apache Kafka (KRaft) for development.", no_args_is_help=True)
schemas_app = typer.Typer(help="JSON Schema of every topic payload.", no_args_is_help=True)
run_app = typer.Typer(help="Run one service in the foreground.", no_args_is_help=True)
settings_app = typer.Typer(help="docs/configuration.md: every setting, generated.", no_args_is_help=True)
app.add_typer(broker_app, name="broker")
app.add_typer(schemas_app, name="schemas")
app.add_typer(settings_app, name="settings")
app.add_typer(run_app, name="run")


# ----------------------------------------------------------------------------- broker


def _broker(s: Settings) -> LocalBroker:
    from newswire.kafka.local_broker import LocalBroker

    return LocalBroker(
        home=s.broker_home, port=s.broker_port, controller_port=s.broker_controller_port, heap=s.broker_heap
    )


@broker_app.command("fetch")
def broker_fetch() -> None:
    """Download the broker jars into the cache (mvn, else the checksum-verified release tarball)."""
    typer.echo(str(_broker(configured_settings()).fetch()))


@broker_app.command("start")
def broker_start() -> None:
    """Start the broker in the background (no-op when it already runs)."""
    b = _broker(configured_settings())
    started = b.start()
    typer.echo(f"{'started' if started else 'already running'}: kafka at {b.bootstrap} (log {b.log_file})")


@broker_app.command("stop")
def broker_stop() -> None:
    b = _broker(configured_settings())
    typer.echo("stopped" if b.stop() else "not running")


@broker_app.command("status")
def broker_status() -> None:
    st = _broker(configured_settings()).status()
    typer.echo(json.dumps(st, indent=2))
    raise typer.Exit(0 if st["running"] else 1)


# ----------------------------------------------------------------------------- schemas


@schemas_app.command("export")
def schemas_export(out: Annotated[Path, typer.Option(help="Directory")] = Path("schemas")) -> None:
    """Write one JSON Schema file per topic payload."""
    from newswire.schemas import export

    for path in export(out):
        typer.echo(str(path))


@schemas_app.command("check")
def schemas_check(out: Annotated[Path, typer.Option(help="Directory")] = Path("schemas")) -> None:
    """Exit 1 when the checked-in schemas differ from the contracts."""
    from newswire.schemas import stale

    bad = stale(out)
    for name in bad:
        typer.echo(f"stale: {name} (run `newswire schemas export`)", err=True)
    raise typer.Exit(1 if bad else 0)


# ----------------------------------------------------------------------------- settings

ConfigDoc = Annotated[Path, typer.Option(help="Generated Markdown file")]


@settings_app.command("export")
def settings_export(out: ConfigDoc = Path("docs/configuration.md")) -> None:
    """Write the configuration table generated from settings.py."""
    from newswire.settings_doc import export, undocumented

    missing = undocumented()
    for name in missing:
        typer.echo(f"no description: {name} (give its Field a description in settings.py)", err=True)
    typer.echo(str(export(out)))
    raise typer.Exit(1 if missing else 0)


@settings_app.command("check")
def settings_check(out: ConfigDoc = Path("docs/configuration.md")) -> None:
    """Exit 1 when the configuration doc differs from settings.py or a setting has no description."""
    from newswire.settings_doc import stale, undocumented

    bad = undocumented()
    for name in bad:
        typer.echo(f"no description: {name} (give its Field a description in settings.py)", err=True)
    if is_stale := stale(out):
        typer.echo(f"stale: {out} (run `newswire settings export`)", err=True)
    raise typer.Exit(1 if bad or is_stale else 0)


# ----------------------------------------------------------------------------- services


@run_app.command("enrich")
def run_enrich() -> None:
    """Raw articles -> entities and events (faust worker)."""
    from newswire.enrich.app import run

    run(configured_settings())


@run_app.command("ingest")
def run_ingest() -> None:
    """HTTP push, feeds and file drop -> raw topic."""
    from newswire.ingest.app import run

    run(configured_settings())


@run_app.command("alert")
def run_alert() -> None:
    """Events -> alerts for tracked leaders (faust worker)."""
    from newswire.alert.app import run

    run(configured_settings())


@run_app.command("store")
def run_store() -> None:
    """Enriched articles, events and alerts -> database (commits offsets after the DB commit)."""
    from newswire.store.app import run

    run(configured_settings())


@run_app.command("api")
def run_api(
    host: Annotated[str | None, typer.Option()] = None, port: Annotated[int | None, typer.Option()] = None
) -> None:
    """Query API over the store."""
    from newswire.store.api import serve

    s = configured_settings()
    serve(s, host=host or s.api_host, port=port if port is not None else s.api_port)


# ----------------------------------------------------------------------------- no Kafka


@app.command("extract")
def extract(
    path: Annotated[str, typer.Argument(help="RawArticle JSON lines; '-' for stdin")] = "-",
) -> None:
    """RawArticle JSON lines in, EnrichedArticle JSON lines out: the enrich worker's code, no Kafka."""
    from newswire.enrich.cli import extract_lines
    from newswire.progress import track_lines

    s = configured_settings()
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with stream:
        bad = extract_lines(s, track_lines(stream, "extract", beside=sys.stdout), sys.stdout)
    raise typer.Exit(1 if bad else 0)


@app.command("evaluate")
def evaluate(
    gold: Annotated[
        list[Path] | None, typer.Argument(help="Gold JSON lines (dev-gold format) or folders")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    cv: Annotated[bool, typer.Option("--cv", help="Leave-one-set-out: each file is a set")] = False,
) -> None:
    """Precision/recall/F1 of meeting extraction against gold files. With --cv, the trained status
    decision is fitted on all sets but one and scored on that one, for each set (default: corpus/).

    Example: newswire evaluate --cv corpus/"""
    from newswire.enrich.evaluate import main as evaluate_main

    paths = gold or [Path("corpus")]
    if cv:
        from newswire.enrich.training import cv_main

        cv_main(configured_settings(), paths, as_json=as_json)
        return
    evaluate_main(configured_settings(), paths, as_json=as_json)


@app.command("train")
def train(
    sets: Annotated[
        list[Path] | None, typer.Argument(help="Annotated sets (dev-gold format) or folders")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: the one the package ships)")] = None,
) -> None:
    """Fit the event status model from the annotated sets (deterministic: same sets, same file).

    Example: newswire train corpus/"""
    from newswire.enrich.events.status_model import BUILTIN
    from newswire.enrich.training import train_command

    target = out or BUILTIN
    model = train_command(configured_settings(), sets or [Path("corpus")], target)
    print(f"{target}: {model.meta['samples']} candidates from {len(model.meta['sets'])} sets, "
          f"labels {model.meta['labels']}")


@app.command("demo")
def demo(
    follow: Annotated[bool, typer.Option(help="Keep the services running after the alert")] = False,
    seeds: Annotated[Path, typer.Option(help="Articles to replay")] = Path("seeds"),
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the alert")] = 180.0,
    via_feed: Annotated[
        bool, typer.Option("--via-feed", help="Serve the seeds as a local RSS feed; ingest polls it")
    ] = False,
) -> None:
    """Broker + the four services + replay seeds/ -> print the alert and where data is stored."""
    from newswire.demo import run_demo

    raise typer.Exit(
        run_demo(configured_settings(), seeds=seeds, follow=follow, timeout=timeout, via_feed=via_feed)
    )


def _register_service_groups() -> None:
    """Each service owns its command group in its own cli module (kept import-light)."""
    from newswire.alert.cli import alerts_app, events_app
    from newswire.ingest.cli import ingest_app
    from newswire.store.cli import query_app

    app.add_typer(ingest_app, name="ingest")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(events_app, name="events")
    app.add_typer(query_app, name="query")


def main() -> None:
    from newswire.cli_examples import add_examples
    from newswire.errors import ConfigError

    _register_service_groups()
    add_examples(app)
    try:
        app()
    except ConfigError as e:  # a wrong setting, file or Kafka credential: one line, not a traceback
        print(f"newswire: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
