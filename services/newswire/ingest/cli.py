"""`newswire ingest ...` (owned by the ingest service)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newswire.bootstrap import configured_settings

if TYPE_CHECKING:
    pass

ingest_app = typer.Typer(help="Put articles on the raw topic: files, feeds.", no_args_is_help=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Print RawArticle JSON lines instead of producing.")]
NoDedup = Annotated[bool, typer.Option("--no-dedup", help="Produce even what the seen-set already has.")]


@ingest_app.command("file")
def file(
    path: Annotated[
        Path, typer.Argument(help="A .jsonl/.txt/.xml (NITF, NewsML-G2) file or a directory of them")
    ],
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep watching PATH; each new file is read once.")
    ] = False,
    dry_run: DryRun = False,
    no_dedup: NoDedup = False,
) -> None:
    """Files -> raw topic; prints produced / duplicates / rejected ("file:line: reason" on stderr)."""
    from newswire.ingest.config import IngestConfig
    from newswire.ingest.runner import run, run_files

    s = configured_settings()
    coro = run_files(s, IngestConfig.from_settings(s), path, watch=watch, dry_run=dry_run, dedup=not no_dedup,
                     out=sys.stdout, err=sys.stderr)  # fmt: skip
    raise typer.Exit(run(coro))


@ingest_app.command("feed")
def feed(
    url: Annotated[str, typer.Argument(help="RSS or Atom feed URL")],
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
    dry_run: DryRun = False,
    no_dedup: NoDedup = False,
    name: Annotated[str, typer.Option(help="Source name; default: the host.")] = "",
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 300.0,
    language: Annotated[str | None, typer.Option(help="Language of the feed; default: detected.")] = None,
    full_text: Annotated[
        bool, typer.Option("--full-text", help="Fetch pages of summary-only entries.")
    ] = False,
) -> None:
    """One feed -> raw topic (or stdout with --dry-run)."""
    from newswire.errors import ConfigError
    from newswire.ingest.config import IngestConfig
    from newswire.ingest.feeds import FeedSpec
    from newswire.ingest.runner import run, run_feed

    s = configured_settings()
    try:
        spec = FeedSpec(url=url, name=name, interval=interval, language=language, full_text=full_text)
    except ValueError as e:
        raise ConfigError(f"feed {url}: {e}") from None
    coro = run_feed(s, IngestConfig.from_settings(s), spec, once=once, dry_run=dry_run, dedup=not no_dedup,
                    out=sys.stdout, err=sys.stderr)  # fmt: skip
    raise typer.Exit(run(coro))


@ingest_app.command("serve")
def serve(
    feeds: Annotated[
        Path | None, typer.Option(help="Feeds YAML (url, name, interval, language, full_text).")
    ] = None,
    watch: Annotated[Path | None, typer.Option(help="Directory to watch for dropped files.")] = None,
) -> None:
    """`newswire run ingest` with a feeds file and/or a watch directory given here."""
    from newswire.ingest.app import run
    from newswire.ingest.config import IngestConfig

    s = configured_settings()
    run(s, IngestConfig.from_settings(s, feeds_file=feeds, ingest_watch_dir=watch))


@ingest_app.command("publish")
def publish(
    directory: Annotated[Path, typer.Argument(help="Directory of article files (e.g. seeds/)")],
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8090,
) -> None:
    """Serve DIR as a local RSS feed (http://HOST:PORT/feed.xml): feed the pipeline through the feed door."""
    import time

    from newswire.ingest.localfeed import FeedPublisher

    publisher = FeedPublisher(directory, host=host, port=port).start()
    typer.echo(f"serving {directory} at {publisher.url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        publisher.stop()
