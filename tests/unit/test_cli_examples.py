"""Every `newswire` command and group shows exactly one example in its --help (from
newswire/cli_examples.py, or the command's own docstring), and every example is a valid invocation of
the command it belongs to (it parses: known options, required arguments present)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import pytest
import typer

from newswire.cli import _register_service_groups, app
from newswire.cli_examples import EXAMPLES, add_examples

_SHELL = {">", "|", "2>", "&&", "#"}


def _tree() -> Any:
    if not any(g.name == "query" for g in app.registered_groups):
        _register_service_groups()
    add_examples(app)
    return typer.main.get_command(app)


def _commands(cmd: Any, path: str = "") -> dict[str, Any]:
    found = {path: cmd}
    for name, sub in getattr(cmd, "commands", {}).items():
        found |= _commands(sub, f"{path} {name}".strip())
    return found


COMMANDS = _commands(_tree())


def _examples(cmd: Any) -> list[str]:
    text = f"{cmd.help or ''}\n{cmd.epilog or ''}"
    return [" ".join(e.split()) for e in re.findall(r"Example:\s*((?:[A-Z_]+=\S+\s+)*newswire[^\n]*)", text)]


def _argv(example: str) -> list[str]:
    words = shlex.split(example)
    while words and "=" in words[0] and words[0].split("=")[0].isupper():
        words.pop(0)  # VAR=value before the command
    assert words[0] == "newswire", example
    end = next((i for i, w in enumerate(words) if w in _SHELL), len(words))
    return words[1:end]


def test_every_command_and_group_has_exactly_one_example() -> None:
    counts = {path: len(_examples(cmd)) for path, cmd in COMMANDS.items()}
    assert {p: n for p, n in counts.items() if n != 1} == {}, "add one to newswire/cli_examples.py"
    assert sorted(set(EXAMPLES) - set(COMMANDS)) == [], "examples for commands that do not exist"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_the_example_parses_as_that_command(path: str) -> None:
    (example,) = _examples(COMMANDS[path])
    args = _argv(example)
    cmd, walked = COMMANDS[""], []
    while hasattr(cmd, "commands") and args and args[0] in cmd.commands:
        walked.append(args[0])
        cmd = cmd.commands[args.pop(0)]
    assert not hasattr(cmd, "commands"), f"{path}: the example stops at a group"
    assert " ".join(walked).startswith(path), f"{path}: the example runs {' '.join(walked)!r}"
    cmd.make_context(walked[-1], list(args))  # raises a UsageError on a bad option or argument


def test_an_example_with_a_typo_fails_to_parse() -> None:
    query_events = COMMANDS["query events"]
    with pytest.raises(Exception, match="No such option"):
        query_events.make_context("events", ["--participants", "Xi Jinping"])


def test_help_shows_the_example() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "newswire", "extract", "--help"],
        capture_output=True, text=True, check=True, env={"COLUMNS": "200", "PATH": ""},
    ).stdout
    assert "Example:" in out and EXAMPLES["extract"] in out
