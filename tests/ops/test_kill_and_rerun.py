"""A load killed during extraction, then re-run, ends with the same warehouse as an
uninterrupted one; a re-run with unchanged files does almost no work."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.checksums import warehouse_checksums
from tests.support.paths import REPO
from tests.support.pipeline_steps import forget_all_but_raw, run_steps
from xxgk.extract import batches, worker
from xxgk.orchestration import pipeline
from xxgk.synthetic.corpus import CorpusSummary

pytestmark = pytest.mark.integration  # runs dbt build

BATCH = 15  # 300 reports → 20 batches


def _driver(inbox: Path, warehouse: Path, log: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "plugins"), str(REPO)]))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ops._driver", str(inbox), str(warehouse), str(BATCH)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        start_new_session=True,
    )


def _run_to_end(inbox: Path, warehouse: Path, log: Path) -> list[str]:
    proc = _driver(inbox, warehouse, log)
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, log.read_text()[-3000:]
    return out.splitlines()


def test_a_run_killed_during_extraction_ends_like_an_uninterrupted_one(
    small_corpus: CorpusSummary, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    warehouse = data / "warehouse.duckdb"
    proc = _driver(small_corpus.inbox, warehouse, tmp_path / "killed.log")
    assert proc.stdout is not None
    planned = int(proc.stdout.readline().split()[1])
    for line in proc.stdout:
        if line.strip() == "extracted 4":
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    committed = len(list((data / "extracted" / batches.MANIFEST_DIR).glob("batch-*.json")))
    assert 5 <= committed < planned, "the kill must land during extraction"
    assert not warehouse.exists()

    rerun = _run_to_end(small_corpus.inbox, warehouse, tmp_path / "rerun.log")
    assert rerun[0] == f"planned {planned - committed}"  # committed batches are not redone
    after_kill = warehouse_checksums(warehouse)

    forget_all_but_raw(data)
    assert _run_to_end(small_corpus.inbox, warehouse, tmp_path / "clean.log")[0] == (
        f"planned {planned}"
    )
    uninterrupted = warehouse_checksums(warehouse)
    assert {t for t in uninterrupted if t.startswith("main.")} >= {
        "main.dim_reports",
        "main.fct_report_cells",
    }
    assert after_kill == uninterrupted


def test_a_rerun_does_almost_no_work_and_a_changed_file_supersedes(
    small_corpus: CorpusSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(small_corpus.inbox, inbox)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    first = run_steps(inbox, warehouse, BATCH)
    assert first["loaded"]["reports_reloaded"] == first["loaded"]["reports_loaded"] == 300
    before = warehouse_checksums(warehouse)

    calls = _count_calls(monkeypatch)
    again = run_steps(inbox, warehouse, BATCH)
    assert calls == {"extract_file": 0, "run_dbt_build": 0}
    assert again["batches"] == 1 and again["extracted"][0]["files"] == 0  # one empty batch
    assert again["loaded"]["reports_reloaded"] == 0
    assert again["built"]["skipped"] is True
    assert warehouse_checksums(warehouse) == before

    changed = _republish_one(inbox)
    third = run_steps(inbox, warehouse, BATCH)
    assert calls == {"extract_file": 1, "run_dbt_build": 1}
    assert third["loaded"]["reports_reloaded"] == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = con.execute(
            "SELECT is_current, is_superseded FROM main.dim_reports WHERE source_path = $p "
            "ORDER BY landed_at",
            {"p": changed},
        ).fetchall()
    assert versions == [(False, True), (True, False)]  # the correction supersedes


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import xxgk.transform.dbt

    calls = {"extract_file": 0, "run_dbt_build": 0}

    def counted(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    guard = worker.ExtractionGuard  # files are extracted one by one through its worker
    monkeypatch.setattr(guard, "extract", counted("extract_file", guard.extract))
    monkeypatch.setattr(
        xxgk.transform.dbt,
        "run_dbt_build",
        counted("run_dbt_build", xxgk.transform.dbt.run_dbt_build),
    )
    assert pipeline  # the steps import run_dbt_build from xxgk.transform.dbt at call time
    return calls


def _republish_one(inbox: Path) -> str:
    """The agency corrects one v2021 report: same path, one number changed."""
    for path in sorted(inbox.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "本年制发件数" in text and "<td>自然人</td>" not in text:
            break
    old = "本年度共收到政府信息公开申请"
    assert old in text
    path.write_text(text.replace(old, old.replace("收到", "收到了"), 1), encoding="utf-8")
    return path.relative_to(inbox).as_posix()
