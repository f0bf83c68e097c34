"""The reviewer's main page: counts, charts, the agency index and the failed rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any, Final

from xxgk.publish.reviewer import charts
from xxgk.publish.reviewer.agency_page import RawHref
from xxgk.publish.reviewer.html import (
    AUTOMATIONS,
    CATEGORIES,
    OUTCOMES,
    SEVERITIES,
    bi,
    document,
    label,
    number,
    render_evidence,
    text,
)
from xxgk.publish.reviewer.queries import PageCounts
from xxgk.publish.reviewer.suites import render_suites
from xxgk.quality.validate import SuiteStatistics

AGENCY_DIR: Final = "agencies"
TREND_TITLE: Final = ("本年新收申请数量（按年度）", "applications received per year")
REFUSALS_TITLE: Final = ("不予公开理由", "refusal reasons (不予公开)")
FAILURES_TITLE: Final = ("未通过的规则（按检查类别）", "failed rules per check family")
_SCRIPT: Final = """
function applyFilters(){
  var q=document.getElementById('q').value.toLowerCase();
  var sev=document.getElementById('sev').value, aut=document.getElementById('aut').value,
      cat=document.getElementById('cat').value, shown=0;
  document.querySelectorAll('#findings tbody tr').forEach(function(tr){
    var ok=(!q||tr.textContent.toLowerCase().indexOf(q)>=0)&&(!sev||tr.dataset.severity===sev)
      &&(!aut||tr.dataset.automation===aut)&&(!cat||tr.dataset.category===cat);
    tr.style.display=ok?'':'none'; if(ok){shown++;}
  });
  document.getElementById('shown').textContent=shown;
}
function filterAgencies(){
  var q=document.getElementById('aq').value.toLowerCase();
  document.querySelectorAll('#agencies tbody tr').forEach(function(tr){
    tr.style.display=(!q||tr.textContent.toLowerCase().indexOf(q)>=0)?'':'none';
  });
}
"""
_REFUSAL_NOTE: Final = (
    '<p class="note">不予公开申请按理由汇总（各机关本年度报告，跨格式统一口径）。'
    '<span class="en">Withheld applications by reason, summed over the agencies\' own '
    "reports; old-format (≤2018) categories are approximate, and some reasons exist only in "
    "one template (see <code>dim_measures.comparability_by_format</code>).</span></p>"
)


def _cards(counts: PageCounts) -> str:
    failed = counts.failed_by_severity
    cards = [
        (("报告", "reports"), counts.reports),
        (("规则结果", "rule results"), sum(counts.outcomes.values())),
    ]
    cards += [(OUTCOMES[k], counts.outcomes.get(k, 0)) for k in OUTCOMES]
    cards += [
        (("未通过·错误", "failed errors"), failed.get("error", 0)),
        (("未通过·警告", "failed warnings"), failed.get("warning", 0)),
    ]
    done = counts.completeness
    if done:  # ok means complete: nothing unread, no table cut or missing
        cards += [
            (("完整", "complete (ok)"), done.get("complete", 0)),
            (("不完整", "partial"), done.get("partial", 0)),
            (("未读单元格", "cells unread"), done.get("cells_unread", 0)),
        ]
    return (
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{n}</b>{bi(name)}</div>' for name, n in cards)
        + "</div>"
    )


def _options(select_id: str, mapping: Mapping[str, tuple[str, str]], present: Iterable[str]) -> str:
    """A filter's ``<select>``: the values present in the rows, in the mapping's order, then
    any value the mapping does not know (shown as itself)."""
    wanted = set(present)  # once: ``present`` may be a one-shot generator
    keys = [k for k in mapping if k in wanted] + sorted(wanted - set(mapping))
    options = "".join(
        f'<option value="{escape(k)}">{escape(" · ".join(label(mapping, k)))}</option>'
        for k in keys
    )
    return (
        f'<select id="{select_id}" onchange="applyFilters()">'
        f'<option value="">全部 all</option>{options}</select>'
    )


def _finding_row(r: Mapping[str, Any], pages: Mapping[str, str]) -> str:
    name = escape(text(r.get("agency_name"), "?"))
    href = report_href(r, pages)
    if href:
        name = f'<a href="{escape(href)}">{name}</a>'
    report = (
        f"{name} {escape(number(r.get('report_year')))}"
        f'<br><span class="en">{escape(text(r.get("file_name")))} · '
        f"{escape(text(r.get('format_id')))}</span>"
    )
    severity, automation = text(r.get("severity")), text(r.get("automation"))
    return (
        f'<tr data-severity="{escape(severity)}" data-automation="{escape(automation)}"'
        f' data-category="{escape(text(r.get("rule_category")))}">'
        f"<td>{report}</td><td>{escape(text(r.get('rule_id')))}</td>"
        f'<td class="{escape(severity)}">{bi(label(SEVERITIES, severity))}</td>'
        f"<td>{bi(label(AUTOMATIONS, automation))}</td>"
        f'<td class="num">{escape(number(r.get("lhs")))}</td>'
        f'<td class="num">{escape(number(r.get("rhs")))}</td>'
        f'<td class="num">{escape(number(r.get("difference")))}</td>'
        f'<td>{escape(text(r.get("message_zh")))}<br><span class="en">'
        f"{escape(text(r.get('message_en')))}</span></td>"
        f"<td>{render_evidence(r.get('evidence'))}</td></tr>"
    )


def _agency_index(agencies: Sequence[Mapping[str, Any]], pages: Mapping[str, str]) -> str:
    if not agencies:
        return ""
    head = ("机关 agency", "年度 years", "报告 reports", "错误 errors", "警告 warnings")
    body = []
    for a in agencies:
        name = escape(text(a.get("agency_name"), "?"))
        page = pages.get(str(a["agency_key"]))
        link = f'<a href="{AGENCY_DIR}/{escape(page)}">{name}</a>' if page else name
        years = text(list(a.get("years") or []))  # a report of unknown year shows as "?"
        body.append(
            f"<tr><td>{link}</td><td>{escape(years)}</td>"
            f'<td class="num">{int(a.get("reports") or 0)}</td>'
            f'<td class="num error">{int(a.get("errors") or 0) or ""}</td>'
            f'<td class="num warning">{int(a.get("warnings") or 0) or ""}</td></tr>'
        )
    return "\n".join(
        [
            f"<h2>{bi(('各机关报告', 'reports per agency'))}</h2>",
            '<p class="note">每个机关一页：报告的数字与规则发现并列。<span class="en">One page per '
            "agency: the reported numbers beside the rule findings, every loaded year.</span></p>",
            '<div class="filters"><input id="aq" placeholder="搜索机关 search agencies" '
            'oninput="filterAgencies()"></div>',
            '<table id="agencies"><thead><tr>'
            + "".join(f"<th>{escape(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(body)
            + "</tbody></table>",
        ]
    )


UNKNOWNS_TITLE: Final = (
    "机关、年度或地区未知的报告",
    "reports with an unknown agency, year or region",
)
_UNKNOWN_KINDS: Final = (
    ("agency_unknown", ("机关", "agency")),
    ("year_unknown", ("年度", "year")),
    ("region_unknown", ("地区", "region")),
)


def report_href(r: Mapping[str, Any], pages: Mapping[str, str]) -> str | None:
    """The report's section on its agency's page (None: the agency has no page)."""
    page = pages.get(str(r.get("agency_key")))
    return f"{AGENCY_DIR}/{page}#r-{r['report_key']}" if page else None


def _unknowns(
    unknowns: Sequence[Mapping[str, Any]],
    pages: Mapping[str, str],
    raw_href: RawHref | None = None,
) -> str:
    """How many current reports lack an agency / year / region, and which files: each file
    linked to its report on the agency's page (what was read of it, the file itself), its
    path to the file in the raw store."""
    counts = " · ".join(
        f"{bi(name)} {sum(bool(u[key]) for u in unknowns)}" for key, name in _UNKNOWN_KINDS
    )
    body = []
    for u in unknowns:
        name, href = escape(str(u["file_name"] or "?")), report_href(u, pages)
        path, sha = escape(str(u["source_path"] or "")), u.get("report_sha256")
        if href:
            name = f'<a href="{escape(href)}">{name}</a>'
        if raw_href and sha:
            path = f'<a class="raw-file" href="{escape(raw_href(str(sha)))}">{path}</a>'
        missing = ", ".join(bi(kind) for key, kind in _UNKNOWN_KINDS if u[key])
        body.append(f"<tr><td>{name}</td><td>{path}</td><td>{missing}</td></tr>")
    table = (
        '<table id="unknowns"><thead><tr><th>文件 file</th><th>路径 path</th>'
        f"<th>未知 unknown</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        if unknowns
        else ""
    )
    return "\n".join(
        [
            f"<h2>{bi(UNKNOWNS_TITLE)}</h2>",
            f'<p class="note">{counts}</p>',
            table,
        ]
    )


DBT_DOCS_TITLE: Final = ("数据仓库说明（dbt 文档）", "the warehouse documented (dbt docs)")


def _docs_link(href: str | None) -> str:
    """The link to dbt's docs: every table with its grain, every column with its meaning,
    the lineage from the raw tables to the marts."""
    if not href:
        return ""
    return (
        f'<p class="note" id="dbt-docs"><a href="{escape(href)}">{bi(DBT_DOCS_TITLE)}</a>'
        '：每张表的粒度、每一列的含义、从原始表到集市表的血缘。<span class="en">Every table '
        "with its grain, every column with its meaning, the lineage from the raw tables to "
        "the marts.</span></p>"
    )


def _chart(chart_id: str, title: tuple[str, str], content: str) -> str:
    return f'<div class="chart" id="{chart_id}"><h3>{bi(title)}</h3>{content}</div>'


def _charts(
    counts: PageCounts,
    trend: Sequence[tuple[int, float | None]],
    refusals: Sequence[tuple[str, str, str, float | None]],
) -> list[str]:
    parts = []
    if trend:
        parts.append(
            _chart("chart-trend", TREND_TITLE, charts.year_columns(trend, aria=TREND_TITLE[1]))
        )
    if any(value is not None for *_, value in refusals):  # no table-三 printed: no chart
        bars = charts.labelled_bars(refusals, aria="withheld applications per reason")
        parts.append(_chart("chart-refusals", REFUSALS_TITLE, bars + _REFUSAL_NOTE))
    parts.append(
        _chart(
            "chart-failures", FAILURES_TITLE, charts.failures_by_family(counts.failed_by_category)
        )
    )
    return ['<div class="charts">', *parts, "</div>"]


def render_page(
    failed: Sequence[Mapping[str, Any]],
    counts: PageCounts,
    generated_at: datetime | None = None,
    *,
    trend: Sequence[tuple[int, float | None]] = (),
    refusals: Sequence[tuple[str, str, str, float | None]] = (),
    agencies: Sequence[Mapping[str, Any]] = (),
    agency_pages: Mapping[str, str] | None = None,
    unknowns: Sequence[Mapping[str, Any]] = (),
    suites: Sequence[SuiteStatistics] | None = None,
    dbt_docs: str | None = None,
    raw_href: RawHref | None = None,
) -> str:
    """The main page.

    Args:
        failed: the failed results to list (the page says when the list is capped).
        counts: counts over every result of the load.
        generated_at: the time printed on the page; default now.
        trend: applications received per year for the trend chart.
        refusals: (measure code, Chinese, English, withheld applications) per reason.
        agencies: the agency index rows (``agency_key``, name, years, counts).
        agency_pages: agency key → file name of its page under ``agencies/``.
        unknowns: current reports whose agency, year or region is unknown (file name, path,
            ``agency_unknown`` / ``year_unknown`` / ``region_unknown``).
        suites: the Great Expectations suites' outcomes (None: no validation ran).
        dbt_docs: the link to dbt's docs of the warehouse (None: not linked).
        raw_href: a report's sha256 → its file in the raw store, relative to the page.

    Returns:
        The HTML document.
    """
    pages = agency_pages or {}
    failed = sorted(
        failed, key=lambda r: (r["severity"] != "error", str(r.get("agency_name")), r["rule_id"])
    )
    total_failed = sum(counts.failed_by_severity.values())
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    head = (
        "报告 report",
        "规则 rule",
        "严重性 severity",
        "类型 kind",
        "左 lhs",
        "右 rhs",
        "差 difference",
        "说明 message",
        "证据 evidence",
    )
    capped = (
        f'<p>仅列出前 {len(failed)} 条（共 {total_failed} 条）<span class="en">first '
        f"{len(failed)} of {total_failed} listed</span></p>"
        if len(failed) < total_failed
        else ""
    )
    filters = (
        '<div class="filters"><input id="q" placeholder="搜索 search" oninput="applyFilters()">'
        + _options("sev", SEVERITIES, (str(r["severity"]) for r in failed))
        + _options("aut", AUTOMATIONS, (str(r["automation"]) for r in failed))
        + _options("cat", CATEGORIES, (str(r["rule_category"]) for r in failed))
        + f'显示 shown: <span id="shown">{len(failed)}</span></div>'
    )
    return document(
        "数据质量报告 Data-quality report",
        [
            '<h1>政府信息公开年度报告 · 数据质量报告</h1><p class="en">Data-quality report of the '
            f"disclosure annual reports · generated {escape(when)}</p>",
            _docs_link(dbt_docs),
            _cards(counts),
            render_suites(suites),
            *_charts(counts, trend, refusals),
            _agency_index(agencies, pages),
            _unknowns(unknowns, pages, raw_href),
            f"<h2>{bi(('未通过的规则', 'failed rules'))}</h2>",
            capped,
            filters,
            '<table id="findings"><thead><tr>'
            + "".join(f"<th>{escape(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(_finding_row(r, pages) for r in failed)
            + "</tbody></table>",
        ],
        _SCRIPT,
    )
