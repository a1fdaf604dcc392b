"""`newswire alerts ...` and `newswire events ...` (owned by the alert service)."""

from __future__ import annotations

import typer

alerts_app = typer.Typer(help="Alert rules: dry-run, tail.", no_args_is_help=True)
events_app = typer.Typer(help="Follow the enriched-event stream.", no_args_is_help=True)
