"""`newswire ingest ...` (owned by the ingest service)."""

from __future__ import annotations

import typer

ingest_app = typer.Typer(help="Put articles on the raw topic: files, feeds.", no_args_is_help=True)
