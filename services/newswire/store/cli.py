"""`newswire query ...` (owned by the store service)."""

from __future__ import annotations

import typer

query_app = typer.Typer(help="Ask the store: events, articles, alerts.", no_args_is_help=True)
