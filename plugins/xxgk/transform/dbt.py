"""Run the dbt project (``dbt_project/``) against a warehouse file.

dbt runs in a subprocess, never in-process: in-process dbt and other DuckDB users of the same
process (GX, the loader) collide on the database file ("different configuration than existing
connections"), and a subprocess keeps dbt's global state out of Airflow workers.

dbt's artifacts (``target/``) and logs are written next to the warehouse, under
``<data dir>/dbt/<warehouse stem>/``, so the repository's ``dbt_project/`` stays clean and runs on
different warehouses do not overwrite each other's ``run_results.json``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from xxgk.core.env import DBT_PROJECT_DIR, WAREHOUSE
from xxgk.core.exceptions import DbtBuildFailed, DbtCommandFailed
from xxgk.core.paths import REPO_ROOT, STATIC_DOCS_PAGE, DataDir

logger = logging.getLogger(__name__)

DBT_PROJECT_DIR_ENV: Final = DBT_PROJECT_DIR
WAREHOUSE_ENV: Final = WAREHOUSE
# plugins/xxgk/transform/dbt.py -> <repo>/dbt_project
DEFAULT_DBT_PROJECT_DIR: Final = REPO_ROOT / "dbt_project"
RUN_RESULTS_FILE: Final = "run_results.json"
# the last build's run_results.json, kept apart: every dbt command (docs generate after each
# build) writes its own run_results.json over the previous one
BUILD_RESULTS_FILE: Final = "build_run_results.json"
OUTPUT_TAIL_CHARS: Final = 4000

# run_results.json statuses (dbt RunStatus / TestStatus), grouped for counting.
_PASSED: Final = frozenset({"success", "pass", "no-op"})
_WARNED: Final = frozenset({"warn"})
_FAILED: Final = frozenset({"fail"})
_SKIPPED: Final = frozenset({"skipped"})
# everything else ("error", "runtime error", "partial success", unknown) counts as errored


@dataclass(frozen=True)
class DbtResult:
    """Outcome of one dbt command, counted from ``run_results.json``.

    ``success`` is true when dbt exited 0 and no node failed or errored (warnings are fine).
    """

    command: str
    success: bool
    passed: int
    failed: int
    errored: int
    warned: int
    skipped: int
    run_results_path: Path
    failing_nodes: tuple[str, ...] = ()


def dbt_project_dir() -> Path:
    """The dbt project to run: ``$XXGK_DBT_PROJECT_DIR``, else the repo's ``dbt_project/``."""
    configured = os.environ.get(DBT_PROJECT_DIR_ENV)
    return Path(configured) if configured else DEFAULT_DBT_PROJECT_DIR


def default_target_dir(warehouse: Path) -> Path:
    """Where dbt writes artifacts for ``warehouse``: ``<data dir>/dbt/<stem>/target``."""
    return DataDir.of(warehouse).dbt_target(warehouse)


def run_dbt_build(
    warehouse: Path,
    *,
    project_dir: Path | None = None,
    target_dir: Path | None = None,
    select: str | None = None,
    exclude: str | None = None,
    full_refresh: bool = False,
) -> DbtResult:
    """Run ``dbt build`` (models, data tests, unit tests) on ``warehouse`` in a subprocess.

    The marts keyed by report are incremental: a build rebuilds the rows of the reports
    that changed since the last build and of their neighbour years
    (``int_reports_to_rebuild``), and on its first run, or when models or seeds changed,
    every row; ``full_refresh`` rebuilds every row whatever changed.

    Args:
        warehouse: the DuckDB file holding the ``raw`` schema; dbt writes the marts into it.
            No other process may hold it open for writing while dbt runs.
        project_dir: the dbt project (and profiles) directory; defaults to ``dbt_project_dir()``.
        target_dir: dbt's ``--target-path``; defaults to ``default_target_dir(warehouse)``.
            Logs go to a ``logs`` folder next to it.
        select: an optional dbt ``--select`` expression.
        exclude: an optional dbt ``--exclude`` expression.
        full_refresh: pass ``--full-refresh``: every incremental model rebuilt whole.

    Returns:
        The counts of passed / failed / errored / warned / skipped nodes.

    Raises:
        DbtBuildFailed: dbt exited non-zero or a node failed; lists the failing nodes.
    """
    extra = [
        *(("--select", select) if select else ()),
        *(("--exclude", exclude) if exclude else ()),
        *(("--full-refresh",) * full_refresh),
    ]
    result = _run_dbt(("build", *extra), warehouse, project_dir, target_dir)
    ran = result.dbt.run_results_path
    kept = ran.with_name(BUILD_RESULTS_FILE)
    kept.unlink(missing_ok=True)
    if ran.is_file():
        shutil.copyfile(ran, kept)
        result = replace(result, dbt=replace(result.dbt, run_results_path=kept))
    if not result.success:
        raise DbtBuildFailed("build", result.returncode, result.dbt.failing_nodes, result.tail)
    return result.dbt


def run_dbt_docs_generate(
    warehouse: Path,
    *,
    project_dir: Path | None = None,
    target_dir: Path | None = None,
    static: bool = False,
) -> DbtResult:
    """Run ``dbt docs generate`` on ``warehouse``; writes the docs site into the target dir.

    Args:
        warehouse: the DuckDB file the catalog is read from (after ``run_dbt_build``).
            dbt-duckdb opens it for writing: no other process may hold it open.
        project_dir: the dbt project (and profiles) directory; defaults to ``dbt_project_dir()``.
        target_dir: dbt's ``--target-path``; defaults to ``default_target_dir(warehouse)``.
        static: also write ``static_index.html`` (:func:`static_docs`): the site, manifest
            and catalog in one file that opens from disk, without a server or the network.

    Returns:
        The node counts of the compile step that docs generation runs.

    Raises:
        DbtCommandFailed: dbt exited non-zero.
    """
    args = ("docs", "generate", *(("--static",) if static else ()))
    result = _run_dbt(args, warehouse, project_dir, target_dir)
    if not result.success:
        raise DbtCommandFailed(
            "docs generate", result.returncode, result.dbt.failing_nodes, result.tail
        )
    return result.dbt


def static_docs(warehouse: Path, target_dir: Path | None = None) -> Path:
    """The one-file docs site ``run_dbt_docs_generate(static=True)`` writes for ``warehouse``."""
    return (target_dir or default_target_dir(warehouse)) / STATIC_DOCS_PAGE


@dataclass(frozen=True)
class _Invocation:
    dbt: DbtResult
    returncode: int
    tail: str

    @property
    def success(self) -> bool:
        return self.dbt.success


def _run_dbt(
    args: Sequence[str],
    warehouse: Path,
    project_dir: Path | None,
    target_dir: Path | None,
) -> _Invocation:
    project = (project_dir or dbt_project_dir()).resolve()
    target = (target_dir or default_target_dir(warehouse)).resolve()
    log_dir = target.parent / "logs"
    target.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    run_results = target / RUN_RESULTS_FILE
    run_results.unlink(missing_ok=True)  # never report a previous run's results

    command = [
        *_dbt_executable(),
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target),
        "--log-path",
        str(log_dir),
        "--no-use-colors",
    ]
    env = {
        **os.environ,
        WAREHOUSE_ENV: str(warehouse.resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    name = " ".join(args)
    logger.info("running dbt %s on %s (target %s)", name, warehouse, target)
    completed = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    for line in output.splitlines():
        logger.debug("dbt: %s", line)
    dbt = _read_run_results(name, run_results, completed.returncode)
    logger.info(
        "dbt %s: success=%s passed=%d warned=%d failed=%d errored=%d skipped=%d",
        name,
        dbt.success,
        dbt.passed,
        dbt.warned,
        dbt.failed,
        dbt.errored,
        dbt.skipped,
    )
    return _Invocation(dbt, completed.returncode, output[-OUTPUT_TAIL_CHARS:])


def _dbt_executable() -> list[str]:
    """The dbt CLI of the running interpreter's environment."""
    return [sys.executable, "-m", "dbt.cli.main"]


def _read_run_results(command: str, path: Path, returncode: int) -> DbtResult:
    statuses: list[tuple[str, str]] = []
    if path.is_file():
        payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        statuses = [
            (str(node.get("unique_id", "?")), str(node.get("status", "")).lower())
            for node in payload.get("results", [])
        ]
    passed = sum(status in _PASSED for _, status in statuses)
    warned = sum(status in _WARNED for _, status in statuses)
    failed = sum(status in _FAILED for _, status in statuses)
    skipped = sum(status in _SKIPPED for _, status in statuses)
    errored = len(statuses) - passed - warned - failed - skipped
    known = _PASSED | _WARNED | _SKIPPED
    failing = tuple(unique_id for unique_id, status in statuses if status not in known)
    return DbtResult(
        command=command,
        success=returncode == 0 and not failing,
        passed=passed,
        failed=failed,
        errored=errored,
        warned=warned,
        skipped=skipped,
        run_results_path=path,
        failing_nodes=failing,
    )
