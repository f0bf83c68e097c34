"""HTML pieces shared by the reviewer's pages: labels, numbers, evidence, the page shell.

Everything that comes from a report goes through :func:`html.escape` here; callers build
markup only from these helpers and from constants.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from typing import Any, Final

MAX_EVIDENCE_ITEMS: Final = 8
MAX_LABEL_CHARS: Final = 120  # a mis-read row label can hold a whole paragraph

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

STYLE: Final = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:2rem;
color:#1f2933;background:#fafbfc}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
h3{font-size:1rem;margin:.6rem 0}a{color:#1d4ed8}
.en{color:#616e7c;font-size:.85em}.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d9e2ec;padding:.35rem .5rem;vertical-align:top;font-size:.85rem}
th{background:#f0f4f8;text-align:left}.error{color:#b42318;font-weight:600}
.warning{color:#b54708}.num{text-align:right;font-variant-numeric:tabular-nums}
.ev{font-size:.8rem;color:#334e68;margin:0;padding-left:1rem}.filters{margin:.8rem 0}
.filters input,.filters select{margin-right:.6rem;padding:.2rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{background:#fff;border:1px solid #d9e2ec;
border-radius:6px;padding:.6rem}.note{font-size:.8rem;color:#616e7c;max-width:60rem}
.chart .note{max-width:40rem}
.side{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
.side>.findings{position:sticky;top:.5rem;max-height:95vh;overflow:auto}
@media (max-width:1100px){.side{grid-template-columns:1fr}.side>.findings{position:static}}
tr.flag td{background:#fff4e5}.finding{background:#fff;border:1px solid #d9e2ec;
border-left:4px solid #f79009;border-radius:4px;padding:.4rem .6rem;margin-bottom:.6rem;
font-size:.85rem}.finding.sev-error{border-left-color:#d92d20}.finding:target{outline:2px solid
#2563eb}.cells td:first-child{white-space:nowrap;font-size:.75rem;color:#52606d}
.cells td:nth-child(2){min-width:10rem}.numbers{overflow-x:auto}
.report{border-top:2px solid #d9e2ec;margin-top:2rem}.raw{font-family:monospace}
.review{font-size:.8rem;margin-top:.3rem}.review-dismissed{color:#616e7c}
.review-confirmed{color:#b42318}.review-note{font-style:italic}.source{font-size:.75rem;
color:#52606d}.pending{font-size:.75rem;background:#eef4ff;padding:.15rem .3rem;margin:.2rem 0}
form.decide{margin:.3rem 0;font-size:.8rem}form.decide input,form.decide button,
form.decide select{font-size:.8rem;margin-right:.2rem}
"""


def bi(pair: tuple[str, str]) -> str:
    """Chinese label with the English one alongside (both escaped)."""
    return f'{escape(pair[0])} <span class="en">{escape(pair[1])}</span>'


def label(mapping: Mapping[str, tuple[str, str]], key: str | None) -> tuple[str, str]:
    """The (Chinese, English) label of a code; the code itself when it is not known."""
    return mapping.get(key or "", (key or "—", key or "—"))


def number(value: Any) -> str:
    """A count as printed on the page: integers without a decimal point, blank as a dash."""
    if value is None or value != value:  # None or NaN
        return "—"
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else f"{as_float:g}"


def text(value: Any, blank: str = "") -> str:
    """A value as shown on a page (not escaped): ``blank`` for None/NaN, counts without
    ``.0``, lists joined — never Python's ``None`` or ``329.0``."""
    if value is None or (isinstance(value, float) and value != value):
        return blank
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(v, "?") for v in value)
    return str(value)


def plain_numbers(value: Any) -> Any:
    """``value`` with integral floats as ints, for JSON shown to people (``329`` not ``329.0``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return [plain_numbers(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain_numbers(v) for k, v in value.items()}
    return value


def clip(text: str | None, limit: int = MAX_LABEL_CHARS) -> str:
    """Escaped text, cut to ``limit`` characters (the full text stays in a tooltip)."""
    text = text or ""
    if len(text) <= limit:
        return escape(text)
    return f'<span title="{escape(text)}">{escape(text[:limit])}…</span>'


def page_name(agency_key: str) -> str:
    """The file name of an agency's page: the hex surrogate key, else a hash of the key."""
    if re.fullmatch(r"[0-9a-f]{8,64}", agency_key):
        return f"{agency_key}.html"
    return hashlib.sha256(agency_key.encode("utf-8")).hexdigest()[:32] + ".html"


def document(title: str, body: Iterable[str], script: str = "") -> str:
    """A whole HTML page: the shared style, the body parts and an optional inline script."""
    tail = f"<script>{script}</script>" if script else ""
    return "\n".join(
        [
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            *body,
            f"{tail}</body></html>",
        ]
    )


def _evidence_item(item: Any) -> str:
    """One evidence element → escaped HTML (cells, sentences, flagged rules, metadata)."""
    if not isinstance(item, Mapping):
        return escape(text(item, "—"))
    if "operands" in item:
        inner = "; ".join(_evidence_item(o) for o in item["operands"] or [])
        return f"{escape(text(item.get('rule_id'), '?'))}: {inner}"
    if "sentence" in item:
        numbers = {
            k: item[k] for k in ("stated", "total", "parts", "value") if item.get(k) is not None
        }
        cells = "; ".join(_evidence_item(c) for c in item.get("cells") or [] if c.get("code"))
        shown = f"“{escape(text(item['sentence']))}”"
        if numbers:
            shown += " " + escape(json.dumps(plain_numbers(numbers), ensure_ascii=False))
        return shown + (f" ↔ {cells}" if cells else "")
    if "code" in item:
        name = item.get("label") or item["code"]
        prev = "上年 prev " if item.get("prev") else ""
        raw = item.get("raw")
        shown = "空 blank" if item.get("value") is None else number(item.get("value"))
        where = f" @ {item['locator']}" if item.get("locator") else ""
        raw_text = f" raw “{escape(str(raw))}”" if raw not in (None, "") else ""
        return f"{prev}「{escape(str(name))}」= {escape(shown)}{raw_text}{escape(where)}"
    # metadata evidence ({"title": None, "year": 2019.0}): a missing value is a dash
    return ", ".join(f"{escape(str(k))}: {escape(text(v, '—'))}" for k, v in item.items())


def _parse(evidence: str | None) -> list[Any] | None:
    if not evidence:
        return []
    try:
        parsed = json.loads(evidence)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) else [parsed]


def render_evidence(evidence: str | None) -> str:
    """The JSON evidence of a result as an escaped HTML list (at most a few items)."""
    items = _parse(evidence)
    if items is None:
        return escape(evidence or "")
    if not items:
        return ""
    more = len(items) - MAX_EVIDENCE_ITEMS
    lines = [f"<li>{_evidence_item(i)}</li>" for i in items[:MAX_EVIDENCE_ITEMS]]
    if more > 0:
        lines.append(f"<li>… +{more}</li>")
    return f'<ul class="ev">{"".join(lines)}</ul>'


def _codes(item: Any) -> Iterator[str]:
    if isinstance(item, list):
        for element in item:
            yield from _codes(element)
    elif isinstance(item, Mapping):
        # a cell of the previous year's report is not a cell of this one
        if isinstance(item.get("code"), str) and not item.get("prev"):
            yield item["code"]
        for key in ("operands", "cells"):
            yield from _codes(item.get(key))


def evidence_codes(evidence: str | None) -> set[str]:
    """Metric codes of this report's cells that a result's evidence points at."""
    return set(_codes(_parse(evidence) or []))
