"""`newswire demo --follow` on the test broker: it prints the desk page's URL, and that page, served
by the API the demo started, shows the seed alert."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newswire.kafka.local_broker import LocalBroker
from newswire.processes import env_for
from newswire.settings import Settings

pytestmark = pytest.mark.e2e
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_follow_prints_the_desk_url_and_the_page_shows_the_alert(
    kafka_broker: LocalBroker, tmp_path: Path
) -> None:
    settings = Settings(
        kafka_bootstrap=kafka_broker.bootstrap,
        topic_partitions=1,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        data_dir=tmp_path / "state",
        api_port=_port(),
        alert_http_port=_port(),
        ingest_port=_port(),
        log_format="text",
    )
    env = {**env_for(settings), "COLUMNS": "200"}  # rich must not wrap the URL
    demo = subprocess.Popen(
        [sys.executable, "-m", "newswire", "demo", "--follow", "--seeds", str(SEEDS)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen: list[str] = []
    try:
        assert demo.stdout is not None
        deadline = time.monotonic() + 180
        url = None
        for line in demo.stdout:
            seen.append(line)
            found = re.search(r"desk: open (http://\S+) in a browser", line)
            if found:
                url = found.group(1)
                break
            assert time.monotonic() < deadline, "".join(seen)
        assert url == f"http://127.0.0.1:{settings.api_port}/", "".join(seen)
        page = httpx.get(url, timeout=10).text
        assert re.search(r'<tr class="alert level-\w+ is-firing" id="alert-[^"]+" data-alert-id=', page)
        assert "Xi Jinping" in page and "Vladimir Putin" in page and "Beijing" in page
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl-C: the demo stops its services
        try:
            code = demo.wait(timeout=45)
        except subprocess.TimeoutExpired:
            demo.kill()
            code = demo.wait()
    assert code == 130, "".join(seen)
