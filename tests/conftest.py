"""Shared fixtures: where the domain material lives and how to skip without it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REAL, REPO, SAMPLES_INBOX, SEEDS, SHARED

__all__ = ["REAL", "REPO", "SEEDS", "SHARED", "require_shared", "seed"]


def require_shared(path: Path) -> Path:
    """Skip (with the reason) when ../shared is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} not found: domain material ../shared/ is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared(SEEDS)


@pytest.fixture(scope="session")
def real_dir() -> Path:
    return require_shared(REAL)


@pytest.fixture(scope="session")
def demo_with_seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """(warehouse, whether the seeds were loaded): ``make demo``'s inbox plus the five seed
    reports of ../shared/seeds when present, landed, loaded and dbt-built once per session.
    Its users read it only, on one xdist worker (SHARED_BUILD_UNITS), so it is built once.
    """
    from tests.support.warehouse import build_warehouse
    from xxgk.orchestration.names import DEFAULT_BATCH_SIZE

    data = tmp_path_factory.mktemp("demo_with_seeds")
    inbox = data / "inbox"
    shutil.copytree(SAMPLES_INBOX, inbox)
    has_seeds = SEEDS.is_dir()
    if has_seeds:
        (inbox / "seeds").mkdir()
        for report in sorted(SEEDS.glob("*.txt")):
            shutil.copy(report, inbox / "seeds" / report.name)
    return build_warehouse(inbox, data, batch_size=DEFAULT_BATCH_SIZE), has_seeds


def seed(seeds: Path, prefix: str) -> Path:
    return next(seeds.glob(f"{prefix}_*.txt"))


# `make test` runs the suite on both cores with pytest-xdist. A unit of work goes whole to one
# worker, so the fixtures it shares are built once: a test file, or for the folders and
# files below, which share a session-scoped build (a warehouse, a corpus), the whole set.
# (Paths, not xdist_group marks: pytest 9.2 ignores the node-id suffix that xdist 3.8's
# loadgroup relies on, so marks no longer group anything.)
SHARED_BUILD_UNITS = {
    "tests/ops/": "ops corpus",
    "tests/orchestration/": "demo_warehouse",
    "tests/quality/": "quality warehouse",
    "tests/transform/test_queries.py": "demo_with_seeds",
    "tests/publish/test_report_page.py": "demo_with_seeds",
}


def xdist_unit(nodeid: str) -> str:
    """The unit of work ``nodeid`` belongs to: its shared build's name, or its file."""
    path = nodeid.split("::")[0]
    return next(
        (unit for prefix, unit in SHARED_BUILD_UNITS.items() if path.startswith(prefix)), path
    )


# the longest units (pytest --durations, on 2 cores), started first so that neither worker
# is left running one of them alone at the end (the Makefile's --no-loadscope-reorder keeps
# this order; xdist would otherwise order units by their number of tests)
LONGEST_UNITS = (
    "tests/integration/test_newcomer.py",
    "tests/integration/test_celery_cluster.py",
    "ops corpus",
    "quality warehouse",
    "tests/decode/test_ocr.py",
    "tests/bench/test_bench_scripts.py",
    "tests/integration/test_ui_backfill.py",
    "demo_warehouse",
    "tests/land/test_bad_corpus.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {unit: i for i, unit in enumerate(LONGEST_UNITS)}
    items.sort(key=lambda item: rank.get(xdist_unit(item.nodeid), len(rank)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class SharedBuildScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_unit(nodeid)

    return SharedBuildScheduling(config, log)
