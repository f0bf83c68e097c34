"""One page per agency: every loaded year, the printed numbers beside the rule findings.

A reviewer checks a finding against the table it was computed from: the cells a failed
rule's evidence names are highlighted and link to the finding, and each finding lists the
numbers, the rule's expression and the source snippet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any, Final

from xxgk.publish.reviewer import charts
from xxgk.publish.reviewer.forms import SOURCES, ReviewForms, cell_source, finding_status
from xxgk.publish.reviewer.html import (
    OUTCOMES,
    SEVERITIES,
    bi,
    clip,
    document,
    evidence_codes,
    label,
    number,
    render_evidence,
    text,
)
from xxgk.publish.reviewer.queries import AgencyView, ReportView

MAIN_PAGE_LINK: Final = "../report.html"
_CELL_HEAD: Final = (
    "位置 where",
    "项目 item",
    "栏目 column",
    "English",
    "值 value",
    "原文 raw text",
    "规则 findings",
    "审核 review",
)
_LOCATOR: Final = re.compile(
    r"table (\d+), row (\d+), column (\d+)(?:, page (\d+), box (\d+ \d+ \d+ \d+))?"
)
_FACT_HEAD: Final = ("事项 fact", "值 value", "原句 sentence")


RawHref = Callable[[str], str]
"""A report's sha256 → the href of its file in the raw store, relative to the page."""


def _text(value: Any) -> str:
    return escape(text(value))


def _raw_link(rep: Mapping[str, Any], raw_href: RawHref | None, shown: str) -> str:
    """``shown`` linked to the report's bytes in the raw store (plain when unknown)."""
    sha = rep.get("report_sha256")
    if raw_href is None or not sha:
        return escape(shown)
    return (
        f'<a class="raw-file" href="{escape(raw_href(str(sha)))}" '
        f'title="{_text(rep.get("source_path"))}">{escape(shown)}</a>'
    )


def _header(view: AgencyView) -> list[str]:
    a = view.agency
    name = str(a.get("agency_name") or "?")
    details = [
        f"{k} {text(a[k])}"
        for k in ("agency_id", "region_code", "admin_level")
        if a.get(k) and a[k] != name
    ]
    variants = str(a.get("name_variants") or "")
    if variants and variants != name:
        details.append(f"名称 names: {variants}")
    findings = [f for r in view.reports for f in r.findings]
    errors = sum(f["severity"] == "error" for f in findings)
    cards = [
        (("年度", "years"), len({r.report["report_year"] for r in view.reports})),
        (("报告", "reports"), len(view.reports)),
        (("未通过·错误", "failed errors"), errors),
        (("未通过·警告", "failed warnings"), len(findings) - errors),
    ]
    return [
        f'<p><a href="{MAIN_PAGE_LINK}">← 数据质量报告 <span class="en">data-quality report'
        "</span></a></p>",
        f'<h1 id="agency">{escape(name)}</h1>',
        f'<p class="en">{escape(" · ".join(details))}</p>',
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{n}</b>{bi(t)}</div>' for t, n in cards)
        + "</div>",
    ]


def _trend(view: AgencyView) -> str:
    if sum(v is not None for _, v in view.applications) < 2:
        return ""  # a trend needs two years with a number
    svg = charts.year_columns(
        view.applications, aria="applications received per year", width=420, height=170
    )
    return (
        f'<div class="chart" id="chart-agency-trend"><h3>'
        f"{bi(('本年新收申请数量', 'applications received per year'))}</h3>{svg}</div>"
    )


def _years_table(view: AgencyView, raw_href: RawHref | None) -> str:
    measures = dict(view.applications)
    head = (
        "年度 year",
        "格式 format",
        "文件 file",
        "本年新收申请 applications received",
        "状态 status",
        "错误 errors",
        "警告 warnings",
    )
    body = []
    for r in view.reports:
        rep, findings = r.report, r.findings
        errors = sum(f["severity"] == "error" for f in findings)
        body.append(
            f'<tr><td><a href="#r-{_text(rep["report_key"])}">'
            f"{_text(rep['report_year'])}</a></td><td>{_text(rep.get('format'))}</td>"
            f"<td>{_raw_link(rep, raw_href, text(rep.get('file_name')))}</td>"
            f'<td class="num">{_measure_cell(rep, measures.get(rep["report_year"]))}</td>'
            f"<td>{_text(rep.get('status'))}</td>"
            f'<td class="num error">{errors or ""}</td>'
            f'<td class="num warning">{len(findings) - errors or ""}</td></tr>'
        )
    return (
        '<table id="years"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def _measure_cell(rep: Mapping[str, Any], value: Any) -> str:
    """A year's measure, or why an aggregate (汇总) report has none: it is left out of the
    agency-year measures, and the reason is shown where it hides the report."""
    if not rep.get("is_aggregate"):
        return number(value)
    why = f"{text(rep.get('scope_reason'))}: {text(rep.get('scope_evidence'))}"
    return (
        f'<span class="note" title="{escape(why)}">汇总 aggregate · 不计入 not in measures</span>'
    )


def _completeness(rep: Mapping[str, Any]) -> str:
    """How complete the report is: cells expected / read / unread, tables cut or missing,
    and, for an aggregate report, why it is left out of the measures."""
    if rep.get("cells_expected") is None:
        return ""  # a warehouse built before these columns
    parts = [
        f"状态 status {text(rep.get('status'))}",
        f"应有 expected {number(rep.get('cells_expected'))}",
        f"已读 read {number(rep.get('cells_read'))}",
        f"未读 unread {number(rep.get('cells_unread'))}",
    ]
    if rep.get("coverage_note"):
        parts.append(f"不完整 incomplete: {text(rep['coverage_note'])}")
    if rep.get("is_aggregate"):
        parts.append(
            f"汇总 aggregate, not in the agency-year measures ({text(rep.get('scope_reason'))}: "
            f"{text(rep.get('scope_evidence'))})"
        )
    return f'<p class="note completeness">{bi(("完整性", "completeness"))}: ' + (
        f"{escape(' · '.join(parts))}</p>"
    )


def _finding(
    report_key: str, i: int, f: Mapping[str, Any], forms: ReviewForms | None = None
) -> str:
    severity = str(f["severity"])
    title = (str(f.get("title_zh") or ""), str(f.get("title_en") or ""))
    numbers = (
        f"左 lhs {escape(number(f.get('lhs')))} · 右 rhs {escape(number(f.get('rhs')))}"
        f" · 差 difference {escape(number(f.get('difference')))}"
    )
    rule = f'<div>规则 <span class="en">rule</span>: {bi(title)}</div>' if any(title) else ""
    anchor = f"f-{report_key}-{i}"
    review = finding_status(f) + (forms.finding(f, anchor) if forms else "")
    return (
        f'<div class="finding sev-{escape(severity)}" id="f-{escape(report_key)}-{i}" '
        f'data-rule="{_text(f["rule_id"])}"><div><b>{_text(f["rule_id"])}</b> '
        f'<span class="{escape(severity)}">{bi(label(SEVERITIES, severity))}</span></div>{rule}'
        f'<div>找到 <span class="en">found</span>: {numbers}</div>'
        f'<div>{_text(f.get("message_zh"))}<br><span class="en">{_text(f.get("message_en"))}'
        f"</span></div>{render_evidence(f.get('evidence'))}{review}</div>"
    )


def _findings(
    r: ReportView, forms: ReviewForms | None
) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """The findings column and, per metric code, the findings whose evidence names it."""
    key = str(r.report["report_key"])
    by_code: dict[str, list[tuple[str, str]]] = {}
    parts = []
    for i, f in enumerate(r.findings):
        parts.append(_finding(key, i, f, forms))
        for code in evidence_codes(f.get("evidence")):
            by_code.setdefault(code, []).append((str(f["rule_id"]), f"f-{key}-{i}"))
    outcomes = r.outcomes
    tally = " · ".join(f"{bi(OUTCOMES[o])} {outcomes.get(o, 0)}" for o in OUTCOMES)
    if not parts:
        parts.append('<p>没有未通过的规则 <span class="en">no failed rule</span></p>')
    title = bi(("规则发现", "rule findings"))
    return (
        f'<div class="findings"><h3>{title} ({len(r.findings)})</h3>'
        f'<p class="note">{tally}</p>{"".join(parts)}</div>'
    ), by_code


def _where(locator: Any, confidence: Any = None) -> str:
    """``table 3, row 2, column 7`` as ``表3 行2 列7``; the extractor's locator in a tooltip.
    A cell read by OCR adds its page, box and confidence (``第2页 OCR 0.97``)."""
    text = "" if locator is None else str(locator)
    found = _LOCATOR.fullmatch(text)
    if not found:
        return escape(text)
    where = f"表{found[1]} 行{found[2]} 列{found[3]}"
    if found[4]:
        score = f" {float(confidence):.2f}" if confidence is not None else ""
        where += f' <span class="ocr">第{found[4]}页 OCR{score}</span>'
    return f'<span title="{escape(text)}">{where}</span>'


def _cell_row(
    c: Mapping[str, Any], flags: Sequence[tuple[str, str]], forms: ReviewForms | None
) -> str:
    links = "<br>".join(f'<a href="#{escape(anchor)}">{escape(rule)}</a>' for rule, anchor in flags)
    value = "空 blank" if c.get("value") is None else number(c["value"])
    flag = ' class="flag"' if flags else ""
    item = str(c.get("review_item_id") or "")
    anchor = "c-" + item.replace(":", "-").replace(".", "-")
    review = cell_source(c) + (forms.cell(c, anchor) if forms else "")
    return (
        f'<tr{flag} data-code="{_text(c.get("metric_code"))}">'
        f"<td>{_where(c.get('locator'), c.get('ocr_confidence'))}</td>"
        f"<td>{clip(c.get('row_label'))}</td>"
        f'<td>{clip(c.get("column_label"))}</td><td class="en">{_text(c.get("english_name"))}'
        f'</td><td class="num">{escape(value)}</td><td class="raw">{_text(c.get("raw_text"))}'
        f'</td><td>{links}</td><td class="review-cell" id="{escape(anchor)}" '
        f'data-item="{escape(item)}">{review}</td></tr>'
    )


def _cells(
    r: ReportView,
    by_code: Mapping[str, Sequence[tuple[str, str]]],
    forms: ReviewForms | None = None,
) -> str:
    if not r.cells:
        return '<p class="note">没有统计表格 <span class="en">no statistics table</span></p>'
    body = "".join(_cell_row(c, by_code.get(str(c.get("metric_code")), ()), forms) for c in r.cells)
    return (
        '<table class="cells"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in _CELL_HEAD)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


_UNREAD_HEAD: Final = (
    "位置 where",
    "项目 item",
    "栏目 column",
    "原文 raw text (the row)",
    "候选 candidates",
    "审核 review",
)


def _unread_row(c: Mapping[str, Any], forms: ReviewForms | None) -> str:
    item = str(c.get("review_item_id") or "")
    anchor = "u-" + item.replace(":", "-").replace(".", "-")
    if c.get("resolved_value") is not None:
        who = f" · {_text(c.get('reviewer'))}" if c.get("reviewer") else ""
        if c.get("resolved_by") == "cross_year":
            who = f" · {bi(SOURCES['cross_year'])}"
        resolved = number(c["resolved_value"])
        review = f'<div class="source reviewed">已解决 resolved: {resolved}{who}</div>'
    else:
        review = forms.cell(c, anchor) if forms else ""
    return (
        f'<tr id="{escape(anchor)}" data-item="{escape(item)}">'
        f"<td>{_where(c.get('locator'))}</td><td>{clip(c.get('row_label'))}</td>"
        f'<td>{clip(c.get("column_label"))}</td><td class="raw">{clip(c.get("raw_text"))}</td>'
        f'<td class="num">{escape(text(c.get("candidates"), "—"))}</td><td>{review}</td></tr>'
    )


def _unread(r: ReportView, forms: ReviewForms | None) -> str:
    """The cells the reader left unread, each with its candidates (and, in the app, a form
    to resolve it)."""
    if not r.unread:
        return ""
    body = "".join(_unread_row(c, forms) for c in r.unread)
    return (
        f'<h3 class="unread">{bi(("未读单元格", "cells left unread"))} ({len(r.unread)})</h3>'
        '<table class="unread-cells"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in _UNREAD_HEAD)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _facts(r: ReportView) -> str:
    if not r.facts:
        return ""
    body = "".join(
        f"<tr><td>{_text(f.get('fact'))}</td>"
        f'<td class="num">{"≈" if f.get("is_approximate") else ""}'
        f"{number(f.get('value'))}</td><td>{_text(f.get('sentence'))}</td></tr>"
        for f in r.facts
    )
    return (
        f"<details><summary>{bi(('正文中的数字', 'numbers in the prose'))} "
        f'({len(r.facts)})</summary><table class="facts"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in _FACT_HEAD)
        + f"</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _report(
    r: ReportView, is_open: bool, raw_href: RawHref | None, forms: ReviewForms | None = None
) -> str:
    """One report's section; with ``is_open`` its numbers are unfolded (else a click away)."""
    rep = r.report
    period = " – ".join(text(rep[k]) for k in ("period_start", "period_end") if rep.get(k))
    meta = [f"{k} {text(rep[k])}" for k in ("title", "published_on", "status") if rep.get(k)]
    meta += [f"统计期限 period {period}"] if period else []
    findings, by_code = _findings(r, forms)
    source = (
        f'<p class="note">{bi(("原始文件", "raw file"))}: '
        f"{_raw_link(rep, raw_href, text(rep.get('source_path') or rep.get('file_name')))}"
        "</p>"
    )
    if forms:
        source += forms.report(rep, f"r-{rep['report_key']}")
    return "\n".join(
        [
            f'<section class="report" id="r-{_text(rep["report_key"])}" '
            f'data-year="{_text(rep["report_year"])}">',
            f"<h2>{escape(text(rep['report_year'], '?'))} 年度报告 · {_text(rep.get('format'))} "
            f'<span class="en">{_text(rep.get("file_name"))}</span></h2>',
            f'<p class="en">{escape(" · ".join(meta))}</p>',
            _completeness(rep),
            source,
            f'<div class="side"><details class="numbers"{" open" if is_open else ""}><summary><b>'
            f"{bi(('报告的数字', 'reported numbers'))} ({len(r.cells)})</b></summary>"
            f"{_unread(r, forms)}{_cells(r, by_code, forms)}{_facts(r)}</details>"
            f"{findings}</div>",
            "</section>",
        ]
    )


def _superseded(view: AgencyView) -> str:
    if not view.superseded:
        return ""
    # a duplicate (same content as an earlier file) is neither current nor superseded
    kinds = {True: "重复 duplicate", False: "被取代 superseded"}
    items = "".join(
        f"<li>{_text(r.get('report_year'))} · {kinds[bool(r.get('is_duplicate'))]}"
        f" · {_text(r.get('file_name'))} · {_text(r.get('landed_at'))}</li>"
        for r in view.superseded
    )
    return (
        f"<h2>{bi(('其他版本', 'other versions'))}</h2>"
        '<p class="note">不在上表中 <span class="en">not shown above</span></p>'
        f"<ul>{items}</ul>"
    )


def render_agency_page(
    view: AgencyView,
    generated_at: datetime | None = None,
    raw_href: RawHref | None = None,
    forms: ReviewForms | None = None,
) -> str:
    """The page of one agency: header, applications trend, years, then one section per report.

    Args:
        view: the agency's current reports with their cells, rule results and prose numbers.
        generated_at: the time printed on the page; default now.
        raw_href: links each report to its file in the raw store (none when ``None``).
        forms: the app's review forms; the static site has none (the same page otherwise).

    Returns:
        The HTML document.
    """
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    name = str(view.agency.get("agency_name") or "?")
    return document(
        f"{name} · 数据质量 Data quality",
        [
            *_header(view),
            f'<div class="charts">{_trend(view)}<div>{_years_table(view, raw_href)}</div></div>',
            # a reviewer starts from the findings: clean years fold their numbers away
            *(
                _report(r, bool(r.findings or r.unread) or len(view.reports) == 1, raw_href, forms)
                for r in view.reports
            ),
            _superseded(view),
            f'<p class="note">generated {escape(when)}</p>',
        ],
    )
