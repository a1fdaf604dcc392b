from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def engine_kit() -> Any:
    """The event factory and resolver of test_alert_engine.py, for sibling modules."""
    path = Path(__file__).with_name("test_alert_engine.py")
    spec = importlib.util.spec_from_file_location("_alert_engine_kit", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
