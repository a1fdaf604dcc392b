"""The ingest core (normalise, dedup, pipeline, readers, feed parsing) imports no client library:
Kafka, HTTP server and HTTP client stay at the edges (sink, push, fetch, app)."""

from __future__ import annotations

import subprocess
import sys

CORE = ["normalise", "dedup", "pipeline", "files", "xmlnews", "feeds", "watch", "state"]
EDGE = ["aiokafka", "fastapi", "uvicorn", "httpx", "faust", "starlette"]


def test_core_imports_no_client_library() -> None:
    code = (
        "import sys\n"
        + "".join(f"import newswire.ingest.{m}\n" for m in CORE)
        + f"print([m for m in {EDGE!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
