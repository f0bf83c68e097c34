"""A newcomer's first hour, as the README prints it: a fresh copy of the repository, `make
demo`, `make demo` again, then a folder of their own reports loaded into a warehouse of its
own with the README's command, and an Excel export a colleague opens.

The copy holds the checkout's files (what `git clone` gives: no data/, no caches) and links
the checkout's .venv (and .tools) instead of installing them again; `make` sees them as
already set up because the copied pyproject.toml and uv.lock are dated before them. Every
other step is the real one: Airflow's `dags test` run by `xxgk load`, dbt, Great
Expectations, the reviewer site. Each documented command and query is run as printed by
tests/orchestration/test_docs_as_printed.py; this file is the path between them, and the end-to-end
test of the yearly DAG through `airflow dags test` (tests/integration/test_backfill_run.py
and test_ui_backfill.py run it as backfills, test_celery_cluster.py on Celery workers).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.conftest import REPO
from tests.support.checksums import warehouse_checksums
from xxgk.extract.batches import MANIFEST_DIR
from xxgk.synthetic.corpus import CorpusSpec, write_corpus

pytestmark = pytest.mark.integration

VENV = Path(sys.executable).parent.parent
_NOT_CLONED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "data", "artifacts", "__pycache__", ".*_cache", "*.egg-info"
)
OWN = "data/own/warehouse.duckdb"


def _run(command: list[str], cwd: Path, timeout: float = 900) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "AIRFLOW"))}
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, (
        f"{shlex.join(command)}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    )
    return proc.stdout


def _readme_command(clone: Path, start: str) -> list[str]:
    """The README's command line starting with ``start``, as printed."""
    text = (clone / "README.md").read_text(encoding="utf-8")
    [line] = [m for m in re.findall(r"^(\S.*)$", text, re.MULTILINE) if m.startswith(start)]
    return shlex.split(line)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    root = tmp_path_factory.mktemp("newcomer") / "xxgk"
    shutil.copytree(REPO, root, ignore=_NOT_CLONED, symlinks=True)
    (root / ".venv").symlink_to(VENV, target_is_directory=True)
    if (REPO / ".tools").is_dir():
        (root / ".tools").symlink_to(REPO / ".tools", target_is_directory=True)
    for lock in ("pyproject.toml", "uv.lock"):  # older than .venv/.synced: nothing to sync
        os.utime(root / lock, (0, 0))
    out = _run(["make", "demo"], root)
    samples = len(json.loads((root / "samples" / "expected.json").read_bytes())["reports"])
    assert re.search(rf"^reports: +{samples} \(\{{'ok': {samples}\}}\)$", out, re.M), out
    return root


def test_make_demo_loads_every_sample_with_its_cells(clone: Path) -> None:
    expected = json.loads((clone / "samples" / "expected.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(clone / "data" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select r.source_path, c.metric_code, c.value from main.fct_report_cells c "
            "join main.dim_reports r using (report_key) where c.metric_code is not null"
        ).fetchall()
        paths = {p for (p,) in con.execute("select source_path from main.dim_reports").fetchall()}
    assert paths == set(expected["reports"])
    loaded: dict[str, dict[str, float | None]] = {}
    for path, metric, value in rows:
        loaded.setdefault(path, {})[metric] = value
    for path, report in expected["reports"].items():
        assert loaded.get(path, {}) == report["cells"], path
    assert (clone / "data" / "quality" / "report.html").is_file()


def test_make_demo_again_changes_and_redoes_nothing(clone: Path) -> None:
    data = clone / "data"
    before = warehouse_checksums(data / "warehouse.duckdb")
    committed = set((data / "extracted" / MANIFEST_DIR).glob("batch-*.json"))
    outputs = [
        data / "dbt" / "warehouse" / "target" / "run_results.json",
        data / "quality" / "last_validation.json",
    ]
    stamps = [p.stat().st_mtime_ns for p in outputs]

    _run(["make", "demo"], clone)

    assert warehouse_checksums(data / "warehouse.duckdb") == before
    new = set((data / "extracted" / MANIFEST_DIR).glob("batch-*.json")) - committed
    assert [json.loads(p.read_text(encoding="utf-8"))["files"] for p in new] in ([], [0])
    assert [p.stat().st_mtime_ns for p in outputs] == stamps  # dbt and GX were skipped


def test_own_reports_load_into_their_own_warehouse_and_export(clone: Path) -> None:
    corpus = write_corpus(clone.parent / "corpus", CorpusSpec(12, seed=20261203))
    shutil.copytree(corpus.inbox, clone / "my-reports")
    command = _readme_command(clone, ".venv/bin/xxgk load --inbox my-reports")
    assert command[-2:] == ["--warehouse", OWN]  # not the demo's warehouse
    _run(command, clone)

    _run([".venv/bin/xxgk", "export", "--to", "xlsx", "--warehouse", OWN, "--out", "out"], clone)
    [workbook] = (clone / "out").glob("*.xlsx")
    book = openpyxl.load_workbook(workbook, read_only=True)
    sheet = book["fct_report_cells"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    records = [dict(zip(header, r, strict=True)) for r in rows]
    truth = [json.loads(line) for line in corpus.truth.read_text(encoding="utf-8").splitlines()]
    assert {r["agency_name"] for r in records} - {None} <= {t["agency"] for t in truth}
    assert not {r["agency_name"] for r in records} & {"示例市统计局", "样本县水利局"}
    counts = [r["value"] for r in records if r["value"] is not None]
    assert counts and all(isinstance(v, int) for v in counts if float(v).is_integer())
    assert {r["metric_label_zh"] for r in records} - {None}  # names beside the keys
