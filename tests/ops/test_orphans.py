"""Leftovers of killed batch writers are removed on the next run, never a live writer's files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from xxgk.extract import batches
from xxgk.extract.batches import MANIFEST_DIR, remove_orphans
from xxgk.orchestration import pipeline

HOUR = 3600.0


def _touch(path: Path, age: float, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def _layout(out: Path) -> dict[str, Path]:
    """A committed batch, a batch killed before its manifest, temp files old and new."""
    committed = {t: _touch(out / t / "batch-aaaa.parquet", HOUR) for t in ("reports", "cells")}
    return {
        **{f"committed_{t}": p for t, p in committed.items()},
        "manifest": _touch(out / MANIFEST_DIR / "batch-aaaa.json", HOUR, "{}"),
        "killed_parquet": _touch(out / "cells" / "batch-bbbb.parquet", HOUR),
        "killed_tmp": _touch(out / "issues" / ".batch-bbbb.parquet.4242.tmp", HOUR),
        "killed_manifest_tmp": _touch(out / MANIFEST_DIR / ".batch-bbbb.json.4242.tmp", HOUR),
        "live_tmp": _touch(out / "cells" / ".batch-cccc.parquet.777.tmp", 1.0),
        "live_parquet": _touch(out / "reports" / "batch-cccc.parquet", 1.0),
        "other_file": _touch(out / "cells" / "notes.txt", HOUR),
    }


def test_old_orphans_go_committed_and_fresh_files_stay(tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    files = _layout(out)
    removed = remove_orphans(out, min_age_seconds=600)
    orphans = {"killed_parquet", "killed_tmp", "killed_manifest_tmp"}
    assert set(removed) == {files[k] for k in orphans}
    for name, path in files.items():
        assert path.exists() == (name not in orphans), name
    assert remove_orphans(out, min_age_seconds=600) == []  # idempotent


def test_a_batch_committed_by_now_is_not_an_orphan(tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    parquet = _touch(out / "cells" / "batch-dddd.parquet", HOUR)
    _touch(out / MANIFEST_DIR / "batch-dddd.json", 0.0, "{}")
    assert remove_orphans(out, min_age_seconds=600) == []
    assert parquet.exists()


def test_age_is_measured_from_now_and_must_be_non_negative(tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    fresh = _touch(out / "cells" / ".batch-eeee.parquet.1.tmp", 5.0)
    assert remove_orphans(out, min_age_seconds=600) == []
    assert remove_orphans(out, min_age_seconds=600, now=time.time() + 900) == [fresh]
    with pytest.raises(ValueError):
        remove_orphans(out, min_age_seconds=-1)
    assert remove_orphans(tmp_path / "missing") == []


def test_a_batch_killed_mid_write_is_cleaned_and_extracted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real batch dies after its first Parquet file: the plan step of the next run removes
    what it left, re-plans the batch, and extracting it commits every file."""
    inbox = tmp_path / "inbox" / "2023"
    inbox.mkdir(parents=True)
    for i in range(3):
        (inbox / f"r{i}.txt").write_text(f"某某局2023年政府信息公开工作年度报告 {i}", "utf-8")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    landing = pipeline.land_step(tmp_path / "inbox", warehouse, None)
    [batch_file] = pipeline.plan_step(landing["manifest"], 10)
    written: list[Path] = []
    real_write = batches.pq.write_table

    def die_after_first_file(table: object, where: Path) -> None:
        real_write(table, where)
        written.append(where)
        if len(written) == 2:  # the second file is half written when the worker dies
            raise KeyboardInterrupt

    monkeypatch.setattr(batches.pq, "write_table", die_after_first_file)
    with pytest.raises(KeyboardInterrupt):
        pipeline.extract_step(batch_file, warehouse)
    monkeypatch.undo()
    extracted = warehouse.parent / "extracted"
    leftovers = sorted(p for p in extracted.rglob("*") if p.is_file())
    assert len(leftovers) == 2 and any(p.name.endswith(".tmp") for p in leftovers)
    assert not list((extracted / MANIFEST_DIR).glob("*.json"))

    [batch_file] = pipeline.plan_step(landing["manifest"], 10)  # too fresh: kept
    assert all(p.exists() for p in leftovers)
    long_ago = time.time() - 2 * batches.DEFAULT_ORPHAN_AGE_SECONDS
    for path in leftovers:
        os.utime(path, (long_ago, long_ago))
    [batch_file] = pipeline.plan_step(landing["manifest"], 10)
    assert not any(p.exists() for p in leftovers)

    result = pipeline.extract_step(batch_file, warehouse)
    assert result["files"] == 3
    assert all(Path(p).is_file() for p in result["paths"].values())
    assert not list(extracted.rglob("*.tmp"))
