"""The format ids and years, defined once in ``xxgk.core.formats``, and what reads them."""

from __future__ import annotations

import csv

from xxgk.core.formats import (
    LATEST_TABLE_FORMAT,
    REPORT_FORMATS,
    TABLE_FORMATS,
    YEAR_RANGES,
    format_of_year,
)
from xxgk.dictionary import rules
from xxgk.transform.crosswalk import DEFAULT_SEED_DIR


def test_the_template_of_each_year() -> None:
    assert [format_of_year(y) for y in (2005, 2018, 2019, 2020, 2021, 2030)] == [
        "old",
        "old",
        "v2019",
        "v2019",
        "v2021",
        "v2021",
    ]
    assert LATEST_TABLE_FORMAT == TABLE_FORMATS[-1] and YEAR_RANGES[LATEST_TABLE_FORMAT][1] is None
    assert REPORT_FORMATS[: len(TABLE_FORMATS)] == TABLE_FORMATS


def test_the_template_year_rule_names_the_years_of_core_formats() -> None:
    rule = {r.rule_id: r for r in rules.report_rules()}["report.template_year"]
    assert rule.title_zh == "表格格式应与报告年度相符（旧表≤2018，2019版2019–2020，2021版≥2021）"
    assert rule.title_en == (
        "table template matches the report year (old <= 2018, v2019 2019-2020, v2021 >= 2021)"
    )


def test_the_dbt_format_seed_is_core_formats() -> None:
    with (DEFAULT_SEED_DIR / "reference" / "reference_formats.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(r["format_id"] for r in rows) == REPORT_FORMATS
    for r in rows:
        first, last = YEAR_RANGES.get(r["format_id"], (None, None))
        assert (r["first_report_year"] or None, r["last_report_year"] or None) == (
            None if first is None else str(first),
            None if last is None else str(last),
        )
