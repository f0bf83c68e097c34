"""xxgk.report_page: the reviewer's page renders and escapes everything (no warehouse)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from xxgk import report_page

EVIL = '<script>alert("x")</script>局'


def row(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "report_key": "k1", "rule_id": "old.resp_channels_sum", "rule_category": "customary",
        "format_id": "old", "report_year": 2017, "outcome": "failed", "severity": "warning",
        "automation": "automatic", "lhs": 10.0, "rhs": 8.0, "difference": 2.0,
        "message_zh": "「（二）…」 = …：不成立（左 10，右 8，差 2）",
        "message_en": "old_resp_channels_total == … : does not hold (10 vs 8, difference 2)",
        "evidence": json.dumps([{"side": "lhs", "code": "old_resp_channels_total", "prev": False,
                                 "label": "(二)通过不同渠道", "value": 10.0, "raw": "10",
                                 "locator": "table 1, row 15, column 1"}]),
        "agency_name": "台州市经济和信息化委员会", "file_name": "001.txt",
    }  # fmt: skip
    return {**base, **overrides}


def test_page_has_counts_chart_and_the_failed_rule_with_its_source() -> None:
    rows = [row(), row(rule_id="old.app_closed_split", outcome="passed", severity="error")]
    counts = report_page.PageCounts.of(rows, 1)
    html = report_page.render_page(rows[:1], counts, datetime(2025, 4, 1, tzinfo=UTC))
    assert "<svg" in html and "customary checks" in html
    assert "old.resp_channels_sum" in html and "old.app_closed_split" not in html
    assert "table 1, row 15, column 1" in html and "raw “10”" in html
    assert "未通过 <span class=\"en\">failed</span>" in html
    assert 'id="findings"' in html and "applyFilters" in html
    assert not re.search(r"(src|href)=\"?https?:", html)  # offline: no CDN, no links out


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
    flagged = report_page.render_evidence(json.dumps(
        [{"rule_id": "old.staff_split", "operands": [{"code": "a", "value": None}]}]))  # fmt: skip
    assert "old.staff_split" in flagged and "空 blank" in flagged
    many = report_page.render_evidence(json.dumps([{"code": str(i)} for i in range(20)]))
    assert "… +12" in many
    assert report_page.render_evidence(None) == ""
    assert report_page.render_evidence("not json <b>") == "not json &lt;b&gt;"


def test_an_empty_load_says_so() -> None:
    html = report_page.render_page([], report_page.PageCounts.of([], 0))
    assert "没有未通过的规则" in html and "<svg" not in html


def test_a_capped_list_says_how_many_are_listed() -> None:
    rows = [row(report_key=f"k{i}") for i in range(5)]
    html = report_page.render_page(rows[:2], report_page.PageCounts.of(rows, 5))
    assert "first 2 of 5 listed" in html and "<b>5</b>" in html
