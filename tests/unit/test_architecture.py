"""The domain core imports no I/O framework: extraction, alert rules and ingest normalisation are
tested without Kafka, HTTP or a database and can sit behind any adapter.

Checked statically over our own import statements, followed through every `newswire` module they
reach (spaCy itself imports httpx for its CLI; that is spaCy's business, not an edge of ours)."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import newswire
import newswire.enrich

PKG = Path(newswire.__file__).parent
ADAPTERS = {
    "faust",
    "mode",
    "aiokafka",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
}

ENRICH_CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(newswire.enrich.__path__, "newswire.enrich.")
    if m.name != "newswire.enrich.app"
)
CORE = [
    "newswire.contracts",
    "newswire.settings",
    "newswire.kafka.serde",
    "newswire.kafka.topics",
    *ENRICH_CORE,
    "newswire.alert.rules",
    "newswire.alert.engine",
    "newswire.alert.matching",
    "newswire.alert.render",
    "newswire.alert.silences",
    "newswire.alert.dryrun",
    "newswire.ingest.normalise",
    "newswire.ingest.dedup",
    "newswire.ingest.files",
    "newswire.ingest.pipeline",
]


def _file(module: str) -> Path:
    rel = Path(*module.split(".")[1:])
    return PKG / rel / "__init__.py" if (PKG / rel).is_dir() else PKG / rel.with_suffix(".py")


def _imports(module: str) -> set[str]:
    tree = ast.parse(_file(module).read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _reach(module: str) -> dict[str, str]:
    """Third-party top-level package -> the newswire module that imports it, over the closure."""
    seen, todo, found = set(), [module], {}
    while todo:
        mod = todo.pop()
        if mod in seen or not _file(mod).exists():
            continue
        seen.add(mod)
        for name in _imports(mod):
            if name.startswith("newswire."):
                todo.append(name)
            else:
                found.setdefault(name.split(".")[0], mod)
    return found


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_adapter(module: str) -> None:
    leaks = {pkg: via for pkg, via in _reach(module).items() if pkg in ADAPTERS}
    assert leaks == {}, f"{module} reaches I/O frameworks: {leaks}"
