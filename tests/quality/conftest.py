"""Fixtures of the data-quality tests: one warehouse built by the real pipeline, shared.

The inbox holds the demo samples (samples/inbox, always there), the five seeds of
../shared/seeds when present, and a copy of seed 004 with one number broken (and the
agency renamed, so it is a report of its own instead of a new version of seed 004). It goes
through the pipeline functions (land → plan/extract batches → load → dbt build) once per
session; tests that need the seeds skip when ../shared is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SEEDS
from tests.support.warehouse import build_warehouse

SAMPLES_INBOX = REPO / "samples" / "inbox"
BROKEN_AGENCY = "演练县商务和工业信息化局"
# seed 004, table 三, row 一、本年新收: the first value line (自然人) 0 → 1
BROKEN_LINE = 24


@dataclass(frozen=True)
class Built:
    """A warehouse built from an inbox, with the file name of each test report."""

    warehouse: Path
    data_dir: Path
    has_seeds: bool


def _copy_inbox(inbox: Path) -> bool:
    shutil.copytree(SAMPLES_INBOX, inbox)
    if not SEEDS.is_dir():
        return False
    seeds = inbox / "seeds"
    shutil.copytree(SEEDS, seeds)
    original = next(SEEDS.glob("004_*.txt"))
    lines = original.read_text(encoding="utf-8").split("\n")
    assert lines[BROKEN_LINE - 2].startswith("一、本年新收") and lines[BROKEN_LINE - 1] == "0 |"
    lines[BROKEN_LINE - 1] = "1 |"
    broken = "\n".join(lines).replace("呼图壁县商务和工业信息化局", BROKEN_AGENCY)
    (seeds / "904_broken_copy_of_004.txt").write_text(broken, encoding="utf-8")
    return True


def build_test_warehouse(base: Path) -> Built:
    """Land, extract, load and ``dbt build`` the test inbox under ``base``."""
    inbox = base / "inbox"
    has_seeds = _copy_inbox(inbox)
    data_dir = base / "data"
    return Built(build_warehouse(inbox, data_dir, batch_size=50), data_dir, has_seeds)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shared warehouse (samples + seeds + the broken copy), built once per session."""
    return build_test_warehouse(tmp_path_factory.mktemp("quality_warehouse"))


@pytest.fixture(scope="session")
def con(built: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the shared warehouse."""
    connection = duckdb.connect(str(built.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def seeds_built(built: Built) -> Built:
    """The shared warehouse, or a skip when ../shared/seeds was not beside the checkout."""
    if not built.has_seeds:
        pytest.skip(f"{SEEDS} not found: domain material ../shared/ is not beside this checkout")
    return built
