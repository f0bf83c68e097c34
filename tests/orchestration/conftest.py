"""The demo warehouse the analyst-facing tests read: the bundled samples, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.warehouse import build_warehouse

SAMPLES = REPO / "samples" / "inbox"


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make demo``'s warehouse without Airflow: samples/inbox landed, loaded, dbt-built."""
    return build_warehouse(SAMPLES, tmp_path_factory.mktemp("demo") / "data", batch_size=200)
