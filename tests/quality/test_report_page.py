"""xxgk.publish.reviewer: the reviewer's pages render, escape everything, and show the warehouse.

The first tests need no warehouse; the rest write the pages from the shared session warehouse
of tests/quality/conftest.py (samples + seeds + a broken copy) into a temp folder.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.quality.conftest import BROKEN_AGENCY, Built
from xxgk.publish import reviewer
from xxgk.publish import reviewer as report_page
from xxgk.publish.reviewer import charts

EVIL = '<script>alert("x")</script>局'
OFFLINE = re.compile(r"(src|href)=\"?(https?:)?//")  # no CDN, no links out


def row(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "report_key": "k1",
        "rule_id": "old.resp_channels_sum",
        "rule_category": "customary",
        "format_id": "old",
        "report_year": 2017,
        "outcome": "failed",
        "severity": "warning",
        "automation": "automatic",
        "lhs": 10.0,
        "rhs": 8.0,
        "difference": 2.0,
        "message_zh": "「（二）…」 = …：不成立（左 10，右 8，差 2）",
        "message_en": "old_resp_channels_total == … : does not hold (10 vs 8, difference 2)",
        "evidence": json.dumps(
            [
                {
                    "side": "lhs",
                    "code": "old_resp_channels_total",
                    "prev": False,
                    "label": "(二)通过不同渠道",
                    "value": 10.0,
                    "raw": "10",
                    "locator": "table 1, row 15, column 1",
                }
            ]
        ),
        "agency_name": "台州市经济和信息化委员会",
        "file_name": "001.txt",
        "agency_key": "a1",
    }
    return {**base, **overrides}


def test_page_has_counts_chart_and_the_failed_rule_with_its_source() -> None:
    rows = [row(), row(rule_id="old.app_closed_split", outcome="passed", severity="error")]
    counts = report_page.PageCounts.of(rows, 1)
    html = report_page.render_page(rows[:1], counts, datetime(2025, 4, 1, tzinfo=UTC))
    assert "<svg" in html and "customary checks" in html
    assert "old.resp_channels_sum" in html and "old.app_closed_split" not in html
    assert "table 1, row 15, column 1" in html and "raw “10”" in html
    assert '未通过 <span class="en">failed</span>' in html
    assert 'id="findings"' in html and "applyFilters" in html
    assert not OFFLINE.search(html)


def test_everything_from_a_report_is_escaped() -> None:
    evidence = json.dumps([{"sentence": EVIL, "stated": 1, "cells": []}])
    rows = [row(agency_name=EVIL, file_name=EVIL, message_zh=EVIL, evidence=evidence)]
    html = report_page.render_page(rows, report_page.PageCounts.of(rows, 1))
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;局") == 4
    assert html.count("<script>") == 1  # only the page's own filter script


def test_evidence_of_every_kind_renders() -> None:
    metadata = report_page.render_evidence(json.dumps({"published_on": "2021-01-20"}))
    assert "published_on: 2021-01-20" in metadata
    flagged = report_page.render_evidence(
        json.dumps([{"rule_id": "old.staff_split", "operands": [{"code": "a", "value": None}]}])
    )
    assert "old.staff_split" in flagged and "空 blank" in flagged
    many = report_page.render_evidence(json.dumps([{"code": str(i)} for i in range(20)]))
    assert "… +12" in many
    assert report_page.render_evidence(None) == ""
    assert report_page.render_evidence("not json <b>") == "not json &lt;b&gt;"


def test_an_empty_load_says_so() -> None:
    refusals = [("withheld_state_secret", "属于国家秘密", "state secret", None)]
    html = report_page.render_page([], report_page.PageCounts.of([], 0), refusals=refusals)
    assert "没有未通过的规则" in html and "<svg" not in html
    assert "chart-refusals" not in html and "chart-trend" not in html


def test_reports_with_unknown_agency_year_or_region_are_listed() -> None:
    unknowns = [
        {
            "file_name": "003.txt",
            "source_path": "reports/003.txt",
            "agency_unknown": True,
            "year_unknown": False,
            "region_unknown": True,
        },
        {
            "file_name": "122.txt",
            "source_path": "reports/122.txt",
            "agency_unknown": True,
            "year_unknown": True,
            "region_unknown": True,
        },
    ]
    html = report_page.render_page([], report_page.PageCounts.of([], 2), unknowns=unknowns)
    assert "reports with an unknown agency, year or region" in html
    assert "reports/003.txt" in html and "reports/122.txt" in html
    assert '机关 <span class="en">agency</span> 2' in html
    empty = report_page.render_page([], report_page.PageCounts.of([], 0))
    assert 'id="unknowns"' not in empty


def test_a_capped_list_says_how_many_are_listed() -> None:
    rows = [row(report_key=f"k{i}") for i in range(5)]
    html = report_page.render_page(rows[:2], report_page.PageCounts.of(rows, 5))
    assert "first 2 of 5 listed" in html and "<b>5</b>" in html


def _columns(svg: str) -> dict[int, str]:
    return {
        int(y): v for y, v in re.findall(r'class="col" data-year="(\d+)" data-value="([^"]*)"', svg)
    }


def test_year_columns_draw_one_column_per_year_with_a_number() -> None:
    svg = charts.year_columns([(2019, 44.0), (2020, None), (2022, 63.0)], aria="t")
    assert _columns(svg) == {2019: "44", 2022: "63"}
    assert ">2021</text>" in svg and ">2020</text>" in svg  # gap years stay on the axis
    assert charts.year_columns([], aria="t").startswith("<p")


def test_labelled_bars_keep_order_labels_and_blank_values() -> None:
    svg = charts.labelled_bars(
        [("a", "属于国家秘密", "state secret", 3.0), ("b", EVIL, "x", None)], aria="t"
    )
    assert re.findall(r'data-key="(\w+)" data-value="([^"]*)"', svg) == [("a", "3"), ("b", "—")]
    assert "属于国家秘密" in svg and "<script>alert" not in svg


def _view(**report: Any) -> reviewer.AgencyView:
    rep = {
        "report_key": "r1",
        "report_year": 2017,
        "format": "old",
        "file_name": EVIL,
        "is_current": True,
        "title": EVIL,
        **report,
    }
    cells = [
        {
            "metric_code": "old_resp_channels_total",
            "row_label": EVIL,
            "column_label": "统计数",
            "english_name": "Responses by channel",
            "value": 10.0,
            "raw_text": "10",
            "locator": "table 1, row 15, column 1",
        },
        {
            "metric_code": "old_other",
            "row_label": "x" * 500,
            "column_label": None,
            "english_name": None,
            "value": None,
            "raw_text": "",
            "locator": EVIL,
        },
    ]
    facts = [{"fact": "website_items", "value": 783.0, "is_approximate": False, "sentence": EVIL}]
    results = [
        row(title_zh="「合计」=「分项」", title_en="total == parts"),
        row(outcome="passed", rule_id="old.ok"),
    ]
    older = [
        {"report_year": 2017, "file_name": "old.html", "is_duplicate": False},
        {"report_year": 2017, "file_name": "copy.html", "is_duplicate": True},
    ]
    return reviewer.AgencyView(
        agency={"agency_key": "a1", "agency_name": EVIL},
        reports=[reviewer.ReportView(rep, cells, results, facts)],
        superseded=older,
        applications=[(2017, 21.0)],
    )


def test_agency_page_puts_the_cells_beside_the_findings_and_escapes_them() -> None:
    html = reviewer.render_agency_page(_view())
    assert "<script>alert" not in html and "<script>" not in html  # no script at all
    # <title>, <h1>, file name ×3 (years table, heading, raw file), report title, row label,
    # locator, sentence
    assert html.count("&lt;script&gt;") == 9
    flagged = re.search(r'<tr class="flag" data-code="old_resp_channels_total">.*?</tr>', html)
    assert flagged and 'href="#f-r1-0"' in flagged[0] and "表1 行15 列1" in flagged[0]
    assert 'id="f-r1-0"' in html and "total == parts" in html and "左 lhs 10" in html
    assert '通过 <span class="en">passed</span> 1' in html and "old.ok" not in html
    assert f'<span title="{"x" * 500}">{"x" * 120}…</span>' in html  # a runaway label is clipped
    assert "chart-agency-trend" not in html  # one year: no trend
    assert "2017 · 被取代 superseded · old.html" in html and "重复 duplicate · copy.html" in html
    assert not OFFLINE.search(html)


def test_page_names_are_safe_file_names() -> None:
    assert reviewer.page_name("4473e069402b061b6b6e3be880993c7a") == (
        "4473e069402b061b6b6e3be880993c7a.html"
    )
    for key in ("../../etc/passwd", "示例市统计局", "a/b"):
        assert re.fullmatch(r"[0-9a-f]{32}\.html", reviewer.page_name(key))


# --- the pages of the shared warehouse --------------------------------------------------------


@pytest.fixture(scope="module")
def site(con: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    (folder / "agencies").mkdir()
    (folder / "agencies" / "deadbeefdeadbeef.html").write_text("stale")
    (folder / "agencies" / "notes.txt").write_text("a reviewer's own file")
    return report_page.write_report_page(con, folder / "report.html")


def _agency_page(con: duckdb.DuckDBPyConnection, site: Path, name: str) -> str:
    key = con.execute(
        "select agency_key from main.dim_agencies where agency_name = ?", [name]
    ).fetchone()
    assert key, name
    main = site.read_text(encoding="utf-8")
    href = f"agencies/{reviewer.page_name(key[0])}"
    assert f'href="{href}"' in main  # linked from the main page
    return (site.parent / href).read_text(encoding="utf-8")


def _section(html: str, year: int) -> str:
    found = re.search(
        rf'<section class="report" id="r-\w+" data-year="{year}">.*?</section>', html, re.S
    )
    assert found, year
    return found[0]


def test_every_agency_link_of_the_main_page_has_its_page(site: Path, built: Built) -> None:
    main = site.read_text(encoding="utf-8")
    links = set(re.findall(r'href="(agencies/[0-9a-f]+\.html)', main))
    # the five agencies of the samples, and with ../shared the seeds' five and the broken copy
    assert len(links) == (11 if built.has_seeds else 5)
    assert all((site.parent / link).is_file() for link in links)
    written = {p.name for p in (site.parent / "agencies").iterdir()}
    assert "deadbeefdeadbeef.html" not in written and "notes.txt" in written
    assert not OFFLINE.search(main)


def test_agency_page_shows_every_year_and_the_reported_numbers(
    con: duckdb.DuckDBPyConnection, site: Path
) -> None:
    html = _agency_page(con, site, "示例市统计局")
    years = re.findall(r'<section class="report" id="r-\w+" data-year="(\d+)"', html)
    assert years == ["2019", "2020", "2021", "2022"]
    assert _columns(html) == {2019: "44", 2020: "56", 2021: "54", 2022: "63"}
    cell = re.search(r'<tr data-code="t3_new_received__total">.*?</tr>', _section(html, 2021))
    assert cell and 'title="table 3, row 2, column 7"' in cell[0]
    assert '<td class="num">54</td><td class="raw">54</td>' in cell[0]
    assert "New applications received, total" in cell[0]
    assert "没有未通过的规则" in html  # the four reports are consistent


def test_agency_page_flags_the_cells_of_a_failed_rule(
    con: duckdb.DuckDBPyConnection, site: Path
) -> None:
    html = _agency_page(con, site, "演示区人力资源和社会保障局")
    section = _section(html, 2023)
    assert 'data-rule="v2021.t3.balance.natural_person"' in section
    cell = re.search(
        r'<tr class="flag" data-code="t3_new_received__natural_person">.*?</tr>', section
    )
    assert cell and '<td class="num">28</td>' in cell[0]
    assert "v2021.t3.balance.natural_person</a>" in cell[0]
    assert "左 lhs 30 · 右 rhs 29 · 差 difference 1" in section


def test_seed_agency_pages_show_the_seed_findings(
    seeds_built: Built, con: duckdb.DuckDBPyConnection, site: Path
) -> None:
    html = _agency_page(con, site, "台州市经济和信息化委员会")
    assert 'data-rule="old.subset_press_principal"' in html
    cell = re.search(r'<tr class="flag" data-code="old_resp_press_conf_principal">.*?</tr>', html)
    assert cell and '<td class="num">2</td>' in cell[0] and "主要负责同志" in cell[0]
    broken = _agency_page(con, site, BROKEN_AGENCY)
    assert 'data-rule="v2019.t3.balance.natural_person"' in broken


def test_applications_trend_sums_the_conformed_measure_per_year(
    con: duckdb.DuckDBPyConnection, site: Path
) -> None:
    main = site.read_text(encoding="utf-8")
    trend = re.search(r'id="chart-trend">.*?</svg>', main, re.S)
    assert trend
    # the wide mart, not the long one the page reads
    expected = dict(
        con.execute(
            "select report_year, sum(applications_received) from main.fct_agency_year_measures "
            "group by 1 having count(applications_received) > 0"
        ).fetchall()
    )
    assert _columns(trend[0]) == {y: reviewer.html.number(v) for y, v in expected.items()}
    assert _columns(trend[0])[2022] == "63"  # only 示例市统计局 reports 2022


def test_refusal_reasons_chart_lists_every_reason_with_its_total(
    con: duckdb.DuckDBPyConnection, site: Path
) -> None:
    main = site.read_text(encoding="utf-8")
    chart = re.search(r'id="chart-refusals">.*?</svg>', main, re.S)
    assert chart
    for label in (
        "属于国家秘密",
        "保护第三方合法权益",
        "内部事务信息、过程性信息",
        "Withheld: state secret",
    ):
        assert label in chart[0]
    bars = dict(re.findall(r'data-key="(withheld_\w+)" data-value="([^"]*)"', chart[0]))
    third_party = con.execute(
        "select sum(withheld_third_party) from main.fct_agency_year_measures"
    ).fetchone()
    assert third_party and bars["withheld_third_party"] == reviewer.html.number(third_party[0])
    assert len(bars) == 7


def test_the_app_page_is_the_static_page_plus_forms_and_escapes_notes() -> None:
    from dataclasses import replace

    from xxgk.core.decisions import new_decision
    from xxgk.publish.reviewer.forms import ReviewForms

    view = _view()
    finding = {**view.reports[0].results[0], "review_item_id": "f:r1:old.x"}
    decided = {
        **finding,
        "review_status": "dismissed",
        "review_note": EVIL,
        "reviewer": EVIL,
    }
    unread = {
        "review_item_id": "c:r1:1.2.3",
        "locator": "table 1, row 2, column 3",
        "row_label": "行",
        "candidates": [3.0, 30.0],
        "raw_text": "3 30",
    }
    report = replace(view.reports[0], results=[decided], unread=[unread])
    view = replace(view, reports=[report])
    when = datetime(2026, 1, 1, tzinfo=UTC)
    static = reviewer.render_agency_page(view, when)
    pending = {"f:r1:old.x": new_decision("f:r1:old.x", "confirm", note=EVIL, reviewer="ann")}
    app = reviewer.render_agency_page(view, when, forms=ReviewForms("/agencies/a1.html", pending))
    assert "<form" not in static and app.count("<form") == 2  # the finding and the unread cell
    strip = re.compile(r'<div class="pending".*?</div>|<form .*?</form>', re.DOTALL)
    assert strip.sub("", app) == static  # one code path: the same page without the forms
    assert "<script>" not in static + app and "已驳回" in static
    assert 'value="3"' in app and 'value="30"' in app  # a button per candidate
