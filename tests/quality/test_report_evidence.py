"""dim_reports carries the extractor's evidence of who published a report and where
(issue 27): the compiling office and what placed the region, on the real seed reports."""

from __future__ import annotations

import duckdb
import pytest

from tests.quality.conftest import Built

pytestmark = pytest.mark.integration


def test_a_real_report_names_what_placed_its_region(
    seeds_built: Built, con: duckdb.DuckDBPyConnection
) -> None:
    rows = con.execute(
        "select split_part(file_name, '_', 1), region_code, region_signal, region_snippet,"
        " agency_compiler from main.dim_reports"
        " where source_path like 'seeds/00%' and is_current order by file_name"
    ).fetchall()
    by_seed = {seed: rest for seed, *rest in rows}
    # 新疆维吾尔自治区工信厅: the name gives no division, the report's text does
    assert by_seed["003"] == ["650000", "text", "新疆维吾尔自治区", None]
    # 台州市经济和信息化委员会: its name places it
    assert by_seed["001"] == ["331000", "name", "台州市经济和信息化委员会", None]
