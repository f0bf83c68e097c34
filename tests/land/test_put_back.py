"""Report versions follow the inbox: the bytes a path received last are its current version.

Edit a report and load (the edit is current), put the original bytes back and load: the
original is current again and feeds the measures, although its bytes were first stored
before the edit's. A further load of the unchanged inbox changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import REPO
from tests.support.warehouse import land_and_load

SAMPLE = REPO / "samples" / "inbox" / "2016" / "yangbenxian-shuiliju.txt"
PATH = "2016/shuiliju.txt"
pytestmark = pytest.mark.integration


def _landings(warehouse: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select report_sha256, landed_at from raw.landed_files "
            "where source_path = $p order by landed_at",
            {"p": PATH},
        ).fetchall()


def test_original_bytes_put_back_are_current_again(tmp_path: Path) -> None:
    from xxgk.transform.dbt import run_dbt_build

    report = tmp_path / "inbox" / PATH
    report.parent.mkdir(parents=True)
    shutil.copy(SAMPLE, report)
    original = report.read_text(encoding="utf-8")
    assert "507条" in original
    data = tmp_path / "data"
    warehouse = data / "warehouse.duckdb"

    land_and_load(tmp_path / "inbox", data)
    report.write_text(original.replace("507条", "570条"), encoding="utf-8")  # the edit
    land_and_load(tmp_path / "inbox", data)
    [(first, _), (edited, _)] = _landings(warehouse)
    report.write_text(original, encoding="utf-8")  # the original bytes, put back
    land_and_load(tmp_path / "inbox", data)
    assert [sha for sha, _ in _landings(warehouse)] == [edited, first]  # landed last

    settled = _landings(warehouse)
    land_and_load(tmp_path / "inbox", data)  # nothing changed in the inbox
    assert _landings(warehouse) == settled

    assert run_dbt_build(warehouse).success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = dict(
            con.execute(
                "select report_sha256, (is_current, is_superseded) from main.dim_reports"
            ).fetchall()
        )
        facts = con.execute(
            "select f.value from main.fct_narrative_facts f join main.dim_reports r "
            "using (report_key) where r.is_current and f.value in (507, 570)"
        ).fetchall()
    assert versions == {first: (True, False), edited: (False, True)}
    assert facts == [(507,)]
