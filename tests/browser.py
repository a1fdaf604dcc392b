"""Headless Debian chromium driven by Selenium through /usr/bin/chromedriver; nothing is downloaded.

Both paths are given explicitly and SE_OFFLINE is set, so Selenium Manager never looks for (or
fetches) a browser or a driver. Without the packages the browser tests skip with what to install.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def chrome(width: int = 1280, height: int = 900, *, zone: str = "Asia/Tokyo") -> Any:
    """`zone`: the browser's time zone (not UTC, so a page that shows local times visibly does)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver: bash deploy/setup-system.sh")
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # tests run as root in CI containers
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--lang=en-GB",
        f"--window-size={width},{height}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), env={**os.environ, "TZ": zone})
    return webdriver.Chrome(service=service, options=opts)


def console_errors(driver: Any) -> list[str]:
    """SEVERE entries of the browser console since the last call (the log is drained on read)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
