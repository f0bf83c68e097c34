"""The hand-off files of a landing run: land's manifest, extract's batches and reused list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xxgk.core.paths import DataDir
from xxgk.extract.plan import read_batch, read_reused, write_plan
from xxgk.land.manifest import land_years, read_landed, read_manifest, write_manifest


def test_land_writes_its_manifest_and_reads_it_back_for_the_load(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2020").mkdir(parents=True)
    (inbox / "2020" / "a.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    (inbox / "loose.txt").write_text("another", encoding="utf-8")
    data = DataDir(tmp_path / "data")
    rows = land_years(inbox, data.raw, None)
    assert [r["source_path"] for r in rows] == ["2020/a.txt", "loose.txt"]
    run = data.landing_run(inbox, None)
    manifest = write_manifest(run, rows)
    assert manifest == run.manifest and read_manifest(manifest) == rows
    landed = read_landed(manifest)
    assert all(isinstance(r["landed_at"], datetime) for r in landed)
    assert [r["landed_at"].isoformat(timespec="microseconds") for r in landed] == [
        r["landed_at"] for r in rows
    ]


def test_extract_writes_its_batches_and_reused_list(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a", "b", "c"):
        (inbox / f"{name}.txt").write_text(name, encoding="utf-8")
    data = DataDir(tmp_path / "data")
    run = data.landing_run(inbox, None)
    assert read_reused(run) == []  # never planned
    rows = land_years(inbox, data.raw, None)
    write_manifest(run, rows)
    run.batch(7).write_text("[]", encoding="utf-8")  # an earlier planning's
    batches = write_plan(run, rows, 2)
    assert batches == run.batches() == [run.batch(0), run.batch(1)]
    assert [len(read_batch(b)) for b in batches] == [2, 1]
    assert read_reused(run) == []
