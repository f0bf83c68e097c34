"""Shared fixtures: where the domain material lives and how to skip without it."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    Its users read it only; they share the xdist group DEMO_WITH_SEEDS, so one worker builds it.
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


DEMO_WITH_SEEDS = pytest.mark.xdist_group("demo_with_seeds")


def seed(seeds: Path, prefix: str) -> Path:
    return next(seeds.glob(f"{prefix}_*.txt"))


# `make test` runs the suite on both cores with pytest-xdist (--dist loadgroup). A unit of
# work is a file, so a module's fixtures are built once; the folders below share a
# session-scoped build (a warehouse, a corpus) across their files, so each runs whole on
# one worker instead of building it once per worker.
SESSION_SHARED_FOLDERS = ("ops", "orchestration", "quality")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        path = item.path.relative_to(REPO / "tests")
        group = path.parts[0] if path.parts[0] in SESSION_SHARED_FOLDERS else str(path)
        item.add_marker(pytest.mark.xdist_group(group))
