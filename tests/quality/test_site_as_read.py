"""The reviewer's site as a person reads it: working filters, no Python ``None`` or ``329.0``
anywhere on any page, and every report linked to its file in the raw store.

The first tests need no warehouse; the last ones write the whole site (main page and every
agency page) from the shared session warehouse of tests/quality/conftest.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.quality.conftest import Built
from tests.quality.test_report_page import row
from tests.support.page_text import leaks, visible_text
from xxgk.publish import reviewer
from xxgk.publish.reviewer.agency_page import render_agency_page
from xxgk.publish.reviewer.html import AUTOMATIONS, CATEGORIES, SEVERITIES, render_evidence
from xxgk.publish.reviewer.queries import AgencyView, ReportView
from xxgk.publish.reviewer.site import publish_site

_SELECT = re.compile(r'<select id="(\w+)"[^>]*>(.*?)</select>', re.S)
_OPTION = re.compile(r'<option value="([^"]*)">')


def options(html: str) -> dict[str, list[str]]:
    """Each filter's option values (without the empty "all")."""
    return {sid: [v for v in _OPTION.findall(body) if v] for sid, body in _SELECT.findall(html)}


def _text_of(html: str) -> str:
    return " ".join(visible_text(html))


def test_every_filter_offers_every_value_of_the_listed_rows() -> None:
    rows = [
        row(severity="error", automation="automatic", rule_category="t3_balance"),
        row(severity="warning", automation="hint", rule_category="customary"),
        row(severity="warning", automation="not_automatable", rule_category="subset"),
        row(severity="error", automation="automatic", rule_category="a_new_family"),
    ]
    html = reviewer.render_page(rows, reviewer.PageCounts.of(rows, 2))
    assert options(html) == {
        "sev": ["error", "warning"],  # before: the first only (a generator read twice)
        "aut": ["automatic", "hint", "not_automatable"],
        "cat": ["subset", "t3_balance", "customary", "a_new_family"],  # known ones first
    }
    assert [k for k in CATEGORIES if k in ("subset", "t3_balance", "customary")] == [
        "subset",
        "t3_balance",
        "customary",
    ]


def test_missing_values_and_integral_floats_never_reach_the_page() -> None:
    evidence = json.dumps(
        [
            {"sentence": "本年度共收到申请329件", "stated": 329.0, "cells": []},
            {"title": None, "published_on": "2020-01-31", "report_year": 2019.0},
            {"rule_id": None, "operands": [{"code": "t3_x", "value": 5.0, "label": None}]},
        ]
    )
    rows = [
        row(
            evidence=evidence,
            message_zh=None,
            file_name=None,
            format_id=None,
            lhs=329.0,
            rhs=None,
            difference=None,
        )
    ]
    agencies = [
        {
            "agency_key": "a1",
            "agency_name": None,
            "years": [2019, 2023, None],
            "reports": 3.0,
            "errors": 1,
            "warnings": 0,
        }
    ]
    html = reviewer.render_page(rows, reviewer.PageCounts.of(rows, 1), agencies=agencies)
    text = _text_of(html)
    assert "None" not in text and not re.search(r"\b\d+\.0\b", text), text
    assert "329" in text and "2019, 2023, ?" in text and "title: —" in text
    assert "{&quot;stated&quot;: 329}" in render_evidence(evidence)


def test_agency_page_prints_no_none_and_links_the_raw_file() -> None:
    report: dict[str, Any] = {
        "report_key": "r1",
        "report_year": None,
        "format": "v2021",
        "file_name": "a.html",
        "source_path": "2023/a.html",
        "report_sha256": "ab" + "0" * 62,
        "title": None,
        "published_on": None,
        "status": "ok",
        "period_start": None,
        "period_end": None,
    }
    cells = [
        {
            "metric_code": "t3_x",
            "value": 17.0,
            "raw_text": "17",
            "locator": None,
            "row_label": None,
            "column_label": None,
            "english_name": None,
        }
    ]
    view = AgencyView(
        {"agency_key": "a1", "agency_name": "示例局", "region_code": None},
        [ReportView(report, cells)],
        [],
        [(2023, 17.0)],
    )
    html = render_agency_page(view, raw_href=lambda sha: f"../../raw/{sha[:2]}/{sha}")
    text = _text_of(html)
    assert "None" not in text and "17.0" not in text and "17" in text
    assert f'href="../../raw/ab/{"ab" + "0" * 62}"' in html and "2023/a.html" in text


def test_a_value_the_neighbouring_year_settled_says_so_and_how() -> None:
    """A cross_year cell shows its source and evidence; its unread row shows it resolved."""
    report: dict[str, Any] = {"report_key": "r1", "report_year": 2020, "format": "v2019"}
    how = "v2019.t2.items_chain [license]: … (the 2019 report a.txt #12345678) → 396"
    cells = [
        {
            "metric_code": "v19_t2_license_prev_items",
            "value": 396.0,
            "value_source": "cross_year",
            "cross_year_evidence": how,
            "raw_text": "3960181",
        }
    ]
    unread = [
        {
            "review_item_id": "c:ab:2.3.1",
            "raw_text": "3960181",
            "candidates": [3.0, 39.0, 396.0],
            "resolved_value": 396.0,
            "resolved_by": "cross_year",
        }
    ]
    view = AgencyView(
        {"agency_key": "a1", "agency_name": "示例局", "region_code": None},
        [ReportView(report, cells, unread=unread)],
        [],
        [],
    )
    text = _text_of(render_agency_page(view, raw_href=lambda sha: sha))
    assert "跨年度推定" in text and "settled by the neighbouring year" in text
    assert "the 2019 report a.txt #12345678" in text
    assert "已解决 resolved: 396" in text and "None" not in text


@pytest.fixture(scope="module")
def site(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site as the load writes it (``publish_site``: links into the raw store)."""
    return publish_site(built.warehouse, built.data_dir / "quality")


def test_no_page_of_the_site_shows_none_or_a_float_count(site: Path) -> None:
    pages = [site, *sorted((site.parent / "agencies").glob("*.html"))]
    assert len(pages) > 5
    assert {p.name: leaks(p) for p in pages if leaks(p)} == {}


def test_site_filters_offer_every_severity_kind_and_family_listed(
    site: Path, con: duckdb.DuckDBPyConnection
) -> None:
    found = con.execute(
        "select distinct severity, automation, rule_category "
        "from main.fct_rule_results where outcome = 'failed'"
    ).fetchall()
    offered = options(site.read_text(encoding="utf-8"))
    assert sorted(offered["sev"]) == sorted({s for s, _, _ in found})
    assert sorted(offered["aut"]) == sorted({a for _, a, _ in found})
    assert sorted(offered["cat"]) == sorted({c for _, _, c in found})
    assert set(offered["sev"]) <= set(SEVERITIES) and set(offered["aut"]) <= set(AUTOMATIONS)


def test_every_report_links_to_its_bytes_in_the_raw_store(
    site: Path, con: duckdb.DuckDBPyConnection
) -> None:
    current = dict(
        con.execute(
            "select report_key, report_sha256 from main.dim_reports where is_current"
        ).fetchall()
    )
    linked = 0
    for page in (site.parent / "agencies").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for key, href in re.findall(
            r'<section class="report" id="r-(\w+)".*?'
            r'<a class="raw-file" href="([^"]+)"',
            html,
            re.S,
        ):
            raw = (page.parent / href).resolve()
            assert hashlib.sha256(raw.read_bytes()).hexdigest() == current[key]
            linked += 1
    assert linked == len(current)
