"""Agency keys on the built warehouse: spellings, unknowns, one current report per agency-year.

Two warehouses: a small one of extraction rows with real name pairs, and the raw files of
``../shared/eval/real`` and ``../shared/eval/hard`` loaded as one inbox folder through the
pipeline's steps (land → extract → load → dbt build).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SHARED, require_shared
from tests.transform.conftest import WarehouseFactory
from xxgk.orchestration import pipeline
from xxgk.transform.dbt import DbtResult, run_dbt_build

pytestmark = pytest.mark.integration


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


# (file, year, agency as stated, qualified, region code, body type)
REPORTS: list[tuple[str, int | None, str | None, str | None, str | None, str | None]] = [
    # one agency, an abbreviation one year and the formal name the next
    ("tz-2017.html", 2017, "台州市经信委", "台州市经信委", "331000", "department"),
    (
        "tz-2018.html",
        2018,
        "台州市经济和信息化委员会",
        "台州市经济和信息化委员会",
        "331000",
        "department",
    ),
    # the name as stated without its prefecture, then with it and spelled out
    ("wd-2019.txt", 2019, "文登区住建局", "威海市文登区住建局", "371003", "department"),
    (
        "wd-2020.txt",
        2020,
        "威海市文登区住房和城乡建设局",
        "威海市文登区住房和城乡建设局",
        "371003",
        "department",
    ),
    # the place and its government, the same year: one agency-year, one current report
    ("xc-a.txt", 2021, "肖村乡", "保定市定兴县肖村乡", "130626204", "township_government"),
    (
        "xc-b.txt",
        2021,
        "肖村乡人民政府",
        "保定市定兴县肖村乡人民政府",
        "130626204",
        "township_government",
    ),
    # two reports nobody named: two agencies; the first one's region is known
    ("u1.txt", 2019, None, None, "510822", None),
    ("u2.txt", 2019, None, None, None, None),
]


def _rows() -> dict[str, list[dict[str, Any]]]:
    landed, reports, cells = [], [], []
    for i, (name, year, agency, qualified, code, kind) in enumerate(REPORTS):
        sha = _sha(name)
        landed.append(
            {
                "report_sha256": sha,
                "source_path": name,
                "raw_path": f"raw/{sha}",
                "file_name": name,
                "size_bytes": 100,
                "inbox_year": year,
                "landed_at": datetime(2024, 1, 1, 8, i),
            }
        )
        reports.append(
            {
                "report_sha256": sha,
                "source_path": name,
                "status": "ok",
                "format": "v2019",
                "report_year": year,
                "agency": agency,
                "agency_qualified": qualified,
                "region_code": code,
                "body_type": kind,
                "admin_level": "unknown",
                "report_scope": "own",
                "published_on": date(2024, 1, 1),
                "extractor_version": "0.3.0",
                "extracted_at": datetime(2024, 1, 2),
            }
        )
        cells.append(
            {
                "report_sha256": sha,
                "cell_no": 1,
                "table_no": 3,
                "row_no": 1,
                "column_no": 8,
                "metric": "t3_new_received__total",
                "value": 10.0 + i,
                "raw": str(10 + i),
                "row_label": "一、本年新收政府信息公开申请数量",
                "column_label": "总计",
                "locator": "table 3, row 1, column 8",
            }
        )
    return {"landed_files": landed, "reports": reports, "cells": cells}


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, make_warehouse: WarehouseFactory
) -> tuple[Path, DbtResult]:
    warehouse = make_warehouse(tmp_path_factory.mktemp("keys") / "warehouse.duckdb", _rows())
    return warehouse, run_dbt_build(warehouse)


def query(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _keys(warehouse: Path) -> dict[str, str]:
    rows = query(warehouse, "select file_name, agency_key from main.dim_reports")
    return {r["file_name"]: r["agency_key"] for r in rows}


def test_one_agency_under_two_spellings_is_one_key(built: tuple[Path, DbtResult]) -> None:
    warehouse, result = built
    assert result.success
    keys = _keys(warehouse)
    assert keys["tz-2017.html"] == keys["tz-2018.html"]
    assert keys["wd-2019.txt"] == keys["wd-2020.txt"]
    assert keys["xc-a.txt"] == keys["xc-b.txt"]
    assert len({keys["tz-2017.html"], keys["wd-2019.txt"], keys["xc-a.txt"]}) == 3
    agencies = {r["agency_key"]: r for r in query(warehouse, "select * from main.dim_agencies")}
    assert agencies[keys["tz-2017.html"]]["agency_id"] == "331000:台州市经济和信息化委员会"
    assert agencies[keys["xc-a.txt"]]["township_code"] == "130626204"
    assert agencies[keys["xc-a.txt"]]["region_code"] == "130626"


def test_unknown_agencies_are_not_merged_and_still_count(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    keys = _keys(warehouse)
    assert keys["u1.txt"] != keys["u2.txt"]
    rows = query(
        warehouse,
        "select a.region_code, a.is_unknown, m.is_agency_unknown, m.applications_received "
        "from main.fct_agency_year_measures as m join main.dim_agencies as a using (agency_key) "
        f"where m.agency_key in ('{keys['u1.txt']}', '{keys['u2.txt']}') order by 1",
    )
    assert [(r["region_code"], r["is_unknown"], r["is_agency_unknown"]) for r in rows] == [
        ("510822", True, True),
        (None, True, True),
    ]


def _double_current(warehouse: Path) -> list[dict[str, Any]]:
    return query(
        warehouse,
        "select agency_key, report_year, count(*) as n from main.dim_reports "
        "where is_current and not is_aggregate and report_year is not null "
        "group by all having count(*) > 1",
    )


def test_no_agency_year_holds_two_current_reports(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    assert _double_current(warehouse) == []
    current = query(warehouse, "select file_name from main.dim_reports where is_current")
    assert "xc-a.txt" not in {r["file_name"] for r in current}  # landed first, superseded


@pytest.fixture(scope="module")
def eval_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw files of eval/real and eval/hard as one inbox folder, through the steps."""
    sources = [require_shared(SHARED / "eval" / s / "raw") for s in ("real", "hard")]
    root = tmp_path_factory.mktemp("eval")
    inbox = root / "inbox" / "reports"
    inbox.mkdir(parents=True)
    for folder in sources:
        for f in folder.iterdir():
            shutil.copy(f, inbox / f"{folder.parent.name}-{f.name}")
    warehouse = root / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    landing = pipeline.land_step(root / "inbox", warehouse, None)
    batches = [pipeline.extract_step(b, warehouse) for b in pipeline.plan_step(landing["manifest"])]
    loaded = pipeline.load_step(warehouse, landing["manifest"], batches)
    assert pipeline.dbt_build_step(warehouse, loaded)["success"]
    return warehouse


def test_eval_reports_loaded_as_one_folder(eval_warehouse: Path) -> None:
    rows = query(
        eval_warehouse,
        "select r.file_name, r.region_code, a.is_unknown from main.dim_reports as r "
        "join main.dim_agencies as a using (agency_key) where r.is_current",
    )
    assert len(rows) == 26
    unknown = [r["file_name"] for r in rows if r["is_unknown"]]
    with_code = [r["file_name"] for r in rows if r["region_code"]]
    assert len(unknown) / len(rows) <= 0.2, unknown
    assert len(with_code) / len(rows) >= 0.7, sorted(
        set(r["file_name"] for r in rows) - set(with_code)
    )
    assert _double_current(eval_warehouse) == []
