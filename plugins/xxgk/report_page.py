"""The reviewer's page: one static HTML file per load, next to Data Docs.

``<data_dir>/quality/report.html`` shows the summary counts, a bar chart of the failed rules
per check family (inline SVG: the machine is offline, so no CDN), and a filterable table of
every failed rule with its numbers and the source snippet it was computed from (cell raw
text and locator, or the narrative sentence). Labels are Chinese with English alongside.

Everything that comes from a report (agency names, cell text, sentences, file names) is
HTML-escaped; the page has no external resources and only a few lines of inline script
for the filters.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import duckdb

logger = logging.getLogger(__name__)

PAGE_NAME: Final = "report.html"
MAX_EVIDENCE_ITEMS: Final = 8
OUTCOMES: Final = {
    "failed": ("未通过", "failed"),
    "passed": ("通过", "passed"),
    "not_assessable": ("无法评估", "not assessable"),
}
SEVERITIES: Final = {"error": ("错误", "error"), "warning": ("警告", "warning")}
AUTOMATIONS: Final = {
    "automatic": ("自动", "automatic"),
    "hint": ("提示（需人工核对）", "hint for a reviewer"),
    "not_automatable": ("不可自动", "not automatable"),
}
CATEGORIES: Final = {
    "sum_of_items": ("分项之和等于合计", "sub-items sum to totals"),
    "subset": ("“其中”不大于上级项", "其中 not above its parent"),
    "t3_balance": ("表三勾稽关系", "table 三 balance"),
    "t3_results_total": ("表三办理结果合计", "table 三 results total"),
    "t3_applicant_columns": ("表三申请人各栏之和", "table 三 applicant columns"),
    "t4_sums": ("表四合计", "table 四 sums"),
    "nonnegative_integers": ("非负整数", "non-negative integers"),
    "label_implied": ("表内关系", "label-implied"),
    "customary": ("惯例核对", "customary checks"),
    "cross_year": ("跨年度衔接", "cross-year chains"),
    "rule_making_power": ("规章制定权", "rule-making power"),
    "parent_blank_children": ("合计空而分项有数", "blank total, components present"),
    "narrative_table": ("正文与表格一致", "narrative vs table"),
    "narrative_internal": ("正文内部一致", "narrative internal"),
    "publication_date": ("发布日期", "publication date"),
    "statistics_period": ("统计期限", "statistics period"),
    "template": ("表格格式与年度", "template vs year"),
    "blank_tables": ("空白表格", "blank tables"),
    "agency": ("机关名称", "agency name"),
    "guidance": ("人工判断", "guidance"),
}

MAX_ROWS: Final = 2000  # failed results listed on the page (errors first); counts cover all
_FAILED_SQL: Final = """
select
    f.report_key, f.rule_id, f.rule_category, f.format_id, f.report_year, f.outcome,
    f.severity, f.automation, f.lhs, f.rhs, f.difference, f.message_zh, f.message_en,
    f.evidence, r.agency_name, r.file_name
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
where f.outcome = 'failed'
order by f.severity <> 'error', r.agency_name, f.report_year, f.rule_id
limit $limit
"""
_COUNTS_SQL: Final = """
select outcome, severity, rule_category, count(*)
from main.fct_rule_results
group by all
"""
_REPORTS_SQL: Final = "select count(*) from main.dim_reports where is_current"


@dataclass(frozen=True)
class PageCounts:
    """What the summary and the chart show: counts over every result of the load."""

    reports: int
    outcomes: Mapping[str, int]
    failed_by_category: Mapping[str, Mapping[str, int]]  # category → severity → count

    @property
    def failed_by_severity(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for by_severity in self.failed_by_category.values():
            out.update(by_severity)
        return out

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]], reports: int) -> PageCounts:
        """Counts of in-memory result rows (tests, small loads)."""
        by_category: dict[str, Counter[str]] = {}
        for r in rows:
            if r["outcome"] == "failed":
                by_category.setdefault(str(r["rule_category"]), Counter())[str(r["severity"])] += 1
        return cls(reports, Counter(str(r["outcome"]) for r in rows), by_category)


_STYLE: Final = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:2rem;
color:#1f2933;background:#fafbfc}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.en{color:#616e7c;font-size:.85em}.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d9e2ec;padding:.35rem .5rem;vertical-align:top;font-size:.85rem}
th{background:#f0f4f8;text-align:left}.error{color:#b42318;font-weight:600}
.warning{color:#b54708}.num{text-align:right;font-variant-numeric:tabular-nums}
.ev{font-size:.8rem;color:#334e68;margin:0;padding-left:1rem}.filters{margin:.8rem 0}
.filters input,.filters select{margin-right:.6rem;padding:.2rem}
"""
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
"""


def _bi(pair: tuple[str, str]) -> str:
    """Chinese label with the English one alongside (both escaped)."""
    return f'{escape(pair[0])} <span class="en">{escape(pair[1])}</span>'


def _label(mapping: Mapping[str, tuple[str, str]], key: str | None) -> tuple[str, str]:
    return mapping.get(key or "", (key or "—", key or "—"))


def _number(value: Any) -> str:
    if value is None or value != value:  # None or NaN
        return "—"
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _evidence_item(item: Any) -> str:
    """One evidence element → escaped HTML (cells, sentences, flagged rules, metadata)."""
    if not isinstance(item, Mapping):
        return escape(str(item))
    if "operands" in item:
        inner = "; ".join(_evidence_item(o) for o in item["operands"] or [])
        return f"{escape(str(item.get('rule_id')))}: {inner}"
    if "sentence" in item:
        numbers = {k: item[k] for k in ("stated", "total", "parts", "value") if k in item}
        cells = "; ".join(_evidence_item(c) for c in item.get("cells") or [] if c.get("code"))
        text = f"“{escape(str(item['sentence']))}”"
        text += f" {escape(json.dumps(numbers, ensure_ascii=False))}" if numbers else ""
        return text + (f" ↔ {cells}" if cells else "")
    if "code" in item:
        label = item.get("label") or item["code"]
        prev = "上年 prev " if item.get("prev") else ""
        raw = item.get("raw")
        shown = "空 blank" if item.get("value") is None else _number(item.get("value"))
        where = f" @ {item['locator']}" if item.get("locator") else ""
        raw_text = f" raw “{escape(str(raw))}”" if raw not in (None, "") else ""
        return f"{prev}「{escape(str(label))}」= {escape(shown)}{raw_text}{escape(where)}"
    return ", ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in item.items())


def render_evidence(evidence: str | None) -> str:
    """The JSON evidence of a result as an escaped HTML list (at most a few items)."""
    if not evidence:
        return ""
    try:
        parsed = json.loads(evidence)
    except ValueError:
        return escape(evidence)
    items = parsed if isinstance(parsed, list) else [parsed]
    more = len(items) - MAX_EVIDENCE_ITEMS
    lines = [f"<li>{_evidence_item(i)}</li>" for i in items[:MAX_EVIDENCE_ITEMS]]
    if more > 0:
        lines.append(f"<li>… +{more}</li>")
    return f'<ul class="ev">{"".join(lines)}</ul>'


def _bar_chart(counts: Mapping[str, Mapping[str, int]]) -> str:
    """Horizontal stacked bars: failed results per check family, errors and warnings."""
    if not counts:
        return "<p>没有未通过的规则 <span class=\"en\">no failed rule</span></p>"
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    top = max(sum(c.values()) for _, c in rows)
    width, bar_x, row_h = 860, 360, 26
    height = row_h * len(rows) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="failed rules per check family">']  # fmt: skip
    colours = {"error": "#d92d20", "warning": "#f79009"}
    for i, (category, c) in enumerate(rows):
        y = i * row_h + 4
        zh, en = _label(CATEGORIES, category)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(zh)} · {escape(en)}</text>')
        x = float(bar_x)
        for severity in ("error", "warning"):
            w = (width - bar_x - 50) * c.get(severity, 0) / top
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" '
                             f'fill="{colours[severity]}"><title>{escape(severity)}: '
                             f'{c.get(severity, 0)}</title></rect>')  # fmt: skip
                x += w
        parts.append(f'<text x="{x + 5:.1f}" y="{y + 14}" font-size="12">{sum(c.values())}</text>')
    legend_y = height - 8
    parts.append(f'<rect x="{bar_x}" y="{legend_y - 10}" width="10" height="10" fill="#d92d20"/>'
                 f'<text x="{bar_x + 14}" y="{legend_y}" font-size="11">错误 error</text>'
                 f'<rect x="{bar_x + 90}" y="{legend_y - 10}" width="10" height="10" '
                 f'fill="#f79009"/><text x="{bar_x + 104}" y="{legend_y}" font-size="11">'
                 "警告 warning</text></svg>")  # fmt: skip
    return "".join(parts)


def _cards(counts: PageCounts) -> str:
    failed = counts.failed_by_severity
    cards = [(("报告", "reports"), counts.reports),
             (("规则结果", "rule results"), sum(counts.outcomes.values()))]  # fmt: skip
    cards += [(OUTCOMES[k], counts.outcomes.get(k, 0)) for k in OUTCOMES]
    cards += [(("未通过·错误", "failed errors"), failed.get("error", 0)),
              (("未通过·警告", "failed warnings"), failed.get("warning", 0))]  # fmt: skip
    return '<div class="cards">' + "".join(
        f'<div class="card"><b>{n}</b>{_bi(label)}</div>' for label, n in cards
    ) + "</div>"


def _options(select_id: str, mapping: Mapping[str, tuple[str, str]], present: Iterable[str]) -> str:
    keys = [k for k in mapping if k in set(present)]
    options = "".join(f'<option value="{escape(k)}">{escape(" · ".join(mapping[k]))}</option>'
                      for k in keys)  # fmt: skip
    return (f'<select id="{select_id}" onchange="applyFilters()">'
            f'<option value="">全部 all</option>{options}</select>')  # fmt: skip


def _finding_row(r: Mapping[str, Any]) -> str:
    report = (f"{escape(str(r.get('agency_name') or '?'))} {escape(_number(r.get('report_year')))}"
              f'<br><span class="en">{escape(str(r.get("file_name") or ""))} · '
              f"{escape(str(r.get('format_id') or ''))}</span>")  # fmt: skip
    severity = str(r["severity"])
    return (
        f'<tr data-severity="{escape(severity)}" data-automation="{escape(str(r["automation"]))}"'
        f' data-category="{escape(str(r["rule_category"]))}">'
        f"<td>{report}</td><td>{escape(str(r['rule_id']))}</td>"
        f'<td class="{escape(severity)}">{_bi(_label(SEVERITIES, severity))}</td>'
        f"<td>{_bi(_label(AUTOMATIONS, str(r['automation'])))}</td>"
        f'<td class="num">{escape(_number(r.get("lhs")))}</td>'
        f'<td class="num">{escape(_number(r.get("rhs")))}</td>'
        f'<td class="num">{escape(_number(r.get("difference")))}</td>'
        f"<td>{escape(str(r['message_zh']))}<br><span class=\"en\">"
        f"{escape(str(r['message_en']))}</span></td>"
        f"<td>{render_evidence(r.get('evidence'))}</td></tr>"
    )


def render_page(
    failed: Sequence[Mapping[str, Any]], counts: PageCounts, generated_at: datetime | None = None
) -> str:
    """The whole page: ``failed`` are the failed results to list, ``counts`` cover the load."""
    failed = sorted(failed, key=lambda r: (r["severity"] != "error", str(r.get("agency_name")),
                                           r["rule_id"]))  # fmt: skip
    total_failed = sum(counts.failed_by_severity.values())
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    head = ("报告 report", "规则 rule", "严重性 severity", "类型 kind", "左 lhs", "右 rhs",
            "差 difference", "说明 message", "证据 evidence")  # fmt: skip
    capped = (f'<p>仅列出前 {len(failed)} 条（共 {total_failed} 条）<span class="en">first '
              f"{len(failed)} of {total_failed} listed</span></p>"
              if len(failed) < total_failed else "")  # fmt: skip
    filters = (
        '<div class="filters"><input id="q" placeholder="搜索 search" oninput="applyFilters()">'
        + _options("sev", SEVERITIES, (str(r["severity"]) for r in failed))
        + _options("aut", AUTOMATIONS, (str(r["automation"]) for r in failed))
        + _options("cat", CATEGORIES, (str(r["rule_category"]) for r in failed))
        + f'显示 shown: <span id="shown">{len(failed)}</span></div>'
    )
    return "\n".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>数据质量报告 Data-quality report</title>", f"<style>{_STYLE}</style></head><body>",
        f'<h1>政府信息公开年度报告 · 数据质量报告</h1><p class="en">Data-quality report of the '
        f"disclosure annual reports · generated {escape(when)}</p>",
        _cards(counts),
        f"<h2>{_bi(('未通过的规则（按检查类别）', 'failed rules per check family'))}</h2>",
        _bar_chart(counts.failed_by_category),
        f"<h2>{_bi(('未通过的规则', 'failed rules'))}</h2>", capped, filters,
        '<table id="findings"><thead><tr>' + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>" + "".join(_finding_row(r) for r in failed) + "</tbody></table>",
        f"<script>{_SCRIPT}</script></body></html>",
    ])  # fmt: skip


def write_report_page(
    con: duckdb.DuckDBPyConnection, path: Path, max_rows: int = MAX_ROWS
) -> Path:
    """Read the counts and the failed results from the warehouse; write the page to ``path``."""
    outcomes: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = {}
    for outcome, severity, category, n in con.execute(_COUNTS_SQL).fetchall():
        outcomes[str(outcome)] += int(n)
        if outcome == "failed":
            by_category.setdefault(str(category), Counter())[str(severity)] += int(n)
    reports = con.execute(_REPORTS_SQL).fetchone()
    counts = PageCounts(int(reports[0]) if reports else 0, outcomes, by_category)
    cursor = con.execute(_FAILED_SQL, {"limit": max_rows})
    names = [d[0] for d in cursor.description]
    failed = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(failed, counts), encoding="utf-8")
    logger.info("review page: %s (%d failed results listed)", path, len(failed))
    return path
