"""README stays a short front page whose commands are real: at most 250 lines, every document it
links exists, every `newswire ...` command in its shell blocks parses as that command, and no file
in the repository speaks of "session N"."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from newswire.cli import _register_service_groups, app
from newswire.cli_examples import add_examples

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Not the repository: version control, the virtualenv, caches and runtime state.
_SKIP_DIRS = {
    ".git", ".venv", ".newswire", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "__pycache__"
}


def _shell_commands(markdown: str) -> list[str]:
    """Each `newswire ...` command of the ```sh blocks: continuation lines joined, comments, redirects
    and the other commands of a pipeline or list dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words: list[str] = []
            for token in [*lexer, ";"]:
                if token in {"&", ";", "|", "&&", "||"}:
                    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
                        words.pop(0)  # VAR=value before the command
                    if words and words[0] == "newswire":
                        commands.append(shlex.join(words))
                    words = []
                else:
                    words.append(token)
    # inline ones too, as in the numbers table ("`newswire query` commands" names a group: prose)
    commands += re.findall(r"`(newswire [^`\s]+ [^`]+)`", markdown)
    return commands


@pytest.fixture(scope="module")
def tree() -> Any:
    if not any(g.name == "query" for g in app.registered_groups):
        _register_service_groups()
    add_examples(app)
    return typer.main.get_command(app)


def test_readme_is_at_most_250_lines() -> None:
    assert len(README.splitlines()) <= 250


def test_every_linked_document_exists() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert links, "README links its documents"
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_the_readme_has_commands_to_check() -> None:
    assert len(_shell_commands(README)) >= 15


@pytest.mark.parametrize("command", _shell_commands(README))
def test_every_readme_command_parses(tree: Any, command: str) -> None:
    args = shlex.split(command)[1:]
    cmd, name = tree, "newswire"
    while hasattr(cmd, "commands") and args and args[0] in cmd.commands:
        name = args.pop(0)
        cmd = cmd.commands[name]
    assert not hasattr(cmd, "commands"), f"{command}: names a group, not a command"
    cmd.make_context(name, args)  # raises a UsageError on an unknown option or a missing argument
    for arg in args:  # files of the repository named by a command exist in it
        if "/" in arg and not arg.startswith(("../", "http", "-")) and "=" not in arg:
            assert (ROOT / arg).exists(), f"{command}: no {arg} in the repository"


def test_no_file_speaks_of_session_numbers() -> None:
    pattern = re.compile(rb"session ?[0-9]", re.I)
    offenders = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if _SKIP_DIRS & set(parts) or any(p.endswith(".egg-info") for p in parts):
            continue
        if pattern.search(path.name.encode()):
            offenders.append(str(path.relative_to(ROOT)))
        elif path.is_file():
            data = path.read_bytes()
            if b"\0" not in data[:8192] and pattern.search(data):  # text files only
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
