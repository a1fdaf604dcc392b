"""One example per command of `newswire`, shown at the end of its --help.

Kept as data beside the commands, so every service's CLI module stays as it is; a command whose
docstring already gives one ("Example: newswire ...") keeps that one and gets no second.
tests/unit/test_cli_examples.py fails when a command has no example, or two, or an example no
longer parses (unknown option, missing argument). The seed story's ids are real: the event id is a
fingerprint of what happened, the same on every machine."""

from __future__ import annotations

import typer

__all__ = ["EXAMPLES", "add_examples"]

_SEED = "seeds/2024-05-16_xi-putin-beijing.jsonl"
_SEED_EVENT = "ev-3e5eb448d9049ffefefc28ec"  # Xi Jinping and Vladimir Putin meet in Beijing

# Command path ("" is `newswire` itself) -> one example, as typed at a shell in the repository.
EXAMPLES: dict[str, str] = {
    "": "newswire demo",
    "extract": f"newswire extract {_SEED} > enriched.jsonl",
    "demo": "newswire demo --follow",
    "broker": "newswire broker start",
    "broker fetch": "newswire broker fetch",
    "broker start": "newswire broker start",
    "broker stop": "newswire broker stop",
    "broker status": "newswire broker status",
    "schemas": "newswire schemas check",
    "schemas export": "newswire schemas export --out schemas",
    "schemas check": "newswire schemas check --out schemas",
    "settings": "newswire settings check",
    "settings export": "newswire settings export --out docs/configuration.md",
    "settings check": "newswire settings check --out docs/configuration.md",
    "run": "newswire run enrich",
    "run enrich": "NEWSWIRE_ENRICH_BATCH_SIZE=64 newswire run enrich",
    "run ingest": "NEWSWIRE_FEEDS_FILE=feeds.yaml newswire run ingest",
    "run alert": "NEWSWIRE_RULES_FILE=rules.yaml newswire run alert",
    "run store": "NEWSWIRE_DATABASE_URL=postgresql://newswire@127.0.0.1/newswire newswire run store",
    "run api": "newswire run api --host 127.0.0.1 --port 8080",
    "ingest": "newswire ingest file seeds/",
    "ingest file": "newswire ingest file seeds/ --dry-run",
    "ingest feed": "newswire ingest feed http://127.0.0.1:8090/feed.xml --once --dry-run",
    "ingest serve": "newswire ingest serve --feeds feeds.yaml --watch drop/",
    "ingest publish": "newswire ingest publish seeds/ --port 8090",
    "alerts": "newswire alerts tail",
    "alerts dry-run": f"newswire alerts dry-run {_SEED}",
    "alerts tail": "newswire alerts tail --from-beginning",
    "events": 'newswire events tail --participant "Xi Jinping"',
    "events tail": 'newswire events tail --participant "Xi Jinping" --type MEET --status occurred',
    "query": 'newswire query events --participant "Xi Jinping"',
    "query events": 'newswire query events --type MEET --participant "Xi Jinping" --since 2024-01-01',
    "query event": f"newswire query event {_SEED_EVENT}",
    "query articles": "newswire query articles --entity NATO --entity Ankara --since 2024-06-03",
    "query entity": "newswire query entity Q15031",
    "query alerts": "newswire query alerts --rule tracked-leaders-meet",
    "query alert": f"newswire query alert tracked-leaders-meet/{_SEED_EVENT}",
}


def _epilog(path: str, doc: str | None = None) -> str | None:
    example = EXAMPLES.get(path)
    if example is None or (doc and "Example:" in doc):
        return None
    return f"Example:\n\n{example}"


def add_examples(app: typer.Typer, path: str = "") -> None:
    """Set the epilog of `app`, its commands and its groups (call before the command tree is built)."""
    app.info.epilog = _epilog(path)
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__.replace("_", "-") if command.callback else "")
        doc = command.help or (command.callback.__doc__ if command.callback else None)
        command.epilog = _epilog(f"{path} {name}".strip(), doc)
    for group in app.registered_groups:
        if group.typer_instance is not None and group.name:
            add_examples(group.typer_instance, f"{path} {group.name}".strip())
