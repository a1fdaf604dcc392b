from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integration.ingest.feedserver import FeedServer


@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[FeedServer]:
    root = tmp_path / "www"
    root.mkdir()
    server = FeedServer(root).start()
    try:
        yield server
    finally:
        server.stop()
