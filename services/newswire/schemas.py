"""JSON Schema of every topic payload, generated from the contracts (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from newswire.contracts import TOPIC_PAYLOADS

__all__ = ["export", "render", "stale"]


def render() -> dict[str, str]:
    """File name -> schema text, one per topic payload."""
    out = {}
    for topic, model in TOPIC_PAYLOADS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"newswire/{topic}"
        schema["description"] = f"Payload of the `<prefix>.{topic}` topic. " + (
            schema.get("description") or ""
        )
        out[f"{topic}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def export(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the contracts."""
    bad = []
    for name, text in render().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            bad.append(name)
    return bad
