"""Deterministic demo corpus of synthetic 政府信息公开工作年度报告.

``write_samples(out_dir)`` writes eight invented reports under
``<out_dir>/inbox/<report_year>/<slug>.<ext>`` plus ``expected.json`` (every generated table cell by
metric code, for exact extractor tests) and ``README.md``. The agencies (示例市统计局, 样本县水利局,
...) and all prose are invented; no text is taken from real reports. Labels come verbatim from
the packaged metric dictionary (last element of each ``label_path``). Numbers come from
``random.Random`` with fixed seeds, so every run writes the same bytes.

Corpus: one narrative-only report (2015); two old-format 统计表 reports (2016 pipe table,
2017 HTML ``<table>``); two v2019 reports (2019 one cell per line ending in `` |``, 2020 HTML
with rowspan/colspan); two v2021 reports (2021 HTML, 2022 pipe rows); one deliberately
inconsistent v2021 report (2023, HTML). 示例市统计局 reports 2019-2022, so the cross-year
chains (carried-over applications, catalogue items, documents in force) can be checked too.

Deliberately inconsistent: ``2023/yanshiqu-renshe.html``. Like some real agencies it leaves the
总计 column of table 三 blank, and its 自然人 ``一、本年新收政府信息公开申请数量`` is one higher
than the rest of that column supports, so exactly one documented rule fails:
``v2021.t3.balance.natural_person`` (一 + 二 = 三（七）+ 四). Every other sample passes every
single-report rule of metrics.yaml.

Regenerate the committed corpus with ``python -m xxgk.samples samples``.
"""

from __future__ import annotations

import html
import json
import logging
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from xxgk.dictionary import APPLICANT_COLUMNS

log = logging.getLogger(__name__)

SEED: Final = 20240501
METRICS_PATH: Final = Path(__file__).with_name("data") / "metrics.yaml"
INCONSISTENT: Final = ("2023/yanshiqu-renshe.html", "v2021.t3.balance.natural_person")
T3_COLUMNS: Final = APPLICANT_COLUMNS
T3_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
# How many applications each applicant column receives in a year (natural persons: per report).
ORG_SIZES: Final = {
    "org_commercial": (0, 1, 2, 3, 5),
    "org_research": (0,),
    "org_social_welfare": (0, 0, 1),
    "org_legal_service": (0, 1, 2),
    "org_other": (0, 0, 1),
}
# Relative frequency of each handling result; unlisted result rows get weight 1.
RESULT_WEIGHTS: Final = {
    "res_granted": 14,
    "res_partial": 4,
    "res_unable_not_held": 6,
    "res_notproc_duplicate": 2,
    "res_other": 2,
    "res_other_misc": 2,
    "res_other_no_correction": 2,
}

Value = int | float | None
Cells = dict[str, Value]


# --- dictionary ------------------------------------------------------------------------------


@cache
def _dictionary() -> dict[str, Any]:
    with METRICS_PATH.open(encoding="utf-8") as fh:
        doc: dict[str, Any] = yaml.safe_load(fh)
    return doc


@cache
def _format(fmt: str) -> dict[str, Any]:
    for entry in _dictionary()["formats"]:
        if entry["id"] == fmt:
            return dict(entry)
    raise KeyError(fmt)


def _on_form(fmt: str) -> list[dict[str, Any]]:
    """Metrics printed on the form (derived off-template subtotals excluded), in form order."""
    return [m for m in _format(fmt)["metrics"] if m.get("on_template") is not False]


@cache
def _by_code(fmt: str) -> dict[str, dict[str, Any]]:
    return {m["code"]: m for m in _format(fmt)["metrics"]}


def _metric(fmt: str, code: str) -> dict[str, Any]:
    return _by_code(fmt)[code]


def _label(fmt: str, code: str) -> str:
    return str(_metric(fmt, code)["label_path"][-1])


def _t3_rows(fmt: str) -> list[str]:
    return [m["row_key"] for m in _on_form(fmt) if m["code"].endswith("__natural_person")]


def _fmt_value(fmt: str, code: str, value: Value) -> str:
    if value is None:
        return ""
    if _metric(fmt, code)["value_type"] == "signed_count" and value > 0:
        return f"+{value}"
    if isinstance(value, float):  # amounts in 万元: at most four decimals, no trailing zeros
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


# --- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    th_header: bool = False


def _row(*cells: Cell | str) -> tuple[Cell, ...]:
    return tuple(c if isinstance(c, Cell) else Cell(c) for c in cells)


def _html_table(table: Table) -> list[str]:
    out = ['<table border="1" cellspacing="0" cellpadding="4">']
    for i, row in enumerate(table.rows):
        tag = "th" if table.th_header and i < table.header_rows else "td"
        tds = []
        for c in row:
            span = (f' rowspan="{c.rows}"' if c.rows > 1 else "") + (
                f' colspan="{c.cols}"' if c.cols > 1 else ""
            )
            text = html.escape(c.text, quote=False).replace("\n", "<br>")
            tds.append(f"<{tag}{span}>{text}</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return out


def _pipe_table(table: Table) -> list[str]:
    """One table row per line, `` | `` between cells; body rows under a row-spanning label get an
    empty leading cell per spanning label, as HTML-to-text converters print them."""
    lines: list[str] = []
    pending: list[int] = []  # remaining rows of each open row-spanning label
    for i, row in enumerate(table.rows):
        texts = [c.text.replace("\n", "") for c in row]
        if i >= table.header_rows:
            texts = [""] * len(pending) + texts
            pending = [n - 1 for n in pending if n > 1]
            pending += [c.rows - 1 for c in row if c.rows > 1]
        lines.append(" ".join((t + " |").strip() for t in texts))
    return lines


def _cell_lines(table: Table) -> list[str]:
    """One cell per line, each ending in `` |`` (a converted Word table)."""
    return [c.text.replace("\n", " ") + " |" for row in table.rows for c in row]


# --- table layouts from the dictionary -------------------------------------------------------


def _old_table(cells: Cells, unit_header: str) -> Table:
    rows = [_row("统计指标", "单位", "统计数")]
    for m in _on_form("old"):
        code = m["code"]
        if code == "old_org_dedicated_units":
            rows.append(_row(m["label_path"][0], unit_header, ""))
        header = m.get("on_template") == "header_row"
        unit = unit_header if header else (m["unit"] or "")
        rows.append(_row(_label("old", code), unit, _fmt_value("old", code, cells[code])))
    return Table(tuple(rows), header_rows=1, th_header=True)


def _t2_table(fmt: str, cells: Cells) -> Table:
    prefix = "v19_t2_" if fmt == "v2019" else "v21_t2_"
    blocks: dict[str, dict[str, list[str]]] = {}
    for m in _on_form(fmt):
        if m["code"].startswith(prefix):
            _, block, item, _col = m["label_path"]
            blocks.setdefault(block, {}).setdefault(item, []).append(m["code"])
    rows: list[tuple[Cell, ...]] = []
    for block, items in blocks.items():
        codes = next(iter(items.values()))
        rows.append(_row(Cell(block, cols=4)))
        heads = [_label(fmt, c) for c in codes]
        rows.append(_row("信息内容", *_stretch(heads)))
        for item, item_codes in items.items():
            values = [_fmt_value(fmt, c, cells[c]) for c in item_codes]
            rows.append(_row(item, *_stretch(values)))
    return Table(tuple(rows), header_rows=0)


def _stretch(texts: list[str]) -> list[Cell]:
    """Fill three value columns: the last cell spans what the block does not use."""
    out = [Cell(t) for t in texts[:-1]]
    return [*out, Cell(texts[-1], cols=4 - len(texts))]


def _t3_table(fmt: str, cells: Cells, split_words: bool = False) -> Table:
    org = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    if split_words:
        org = ("商业\n企业", "科研\n机构", *org[2:])
    rows = [
        _row(Cell(T3_NOTE, rows=3, cols=3), Cell("申请人情况", cols=7)),
        _row(Cell("自然人", rows=2), Cell("法人或其他组织", cols=5), Cell("总计", rows=2)),
        _row(*org),
    ]
    paths = {m["row_key"]: m["label_path"][1:-2] for m in _on_form(fmt) if "row_key" in m}
    keys = _t3_rows(fmt)
    for i, key in enumerate(keys):
        parts = paths[key]
        labels = []
        for depth, part in enumerate(parts):
            if i and paths[keys[i - 1]][: depth + 1] == parts[: depth + 1]:
                continue  # covered by a row-spanning label above
            last = depth == len(parts) - 1
            span = sum(1 for k in keys if paths[k][: depth + 1] == parts[: depth + 1])
            labels.append(Cell(part, rows=1 if last else span, cols=3 - depth if last else 1))
        codes = [f"t3_{key}__{col}" for col in (*T3_COLUMNS, "total")]
        rows.append((*labels, *_row(*(_fmt_value(fmt, c, cells[c]) for c in codes))))
    return Table(tuple(rows), header_rows=3)


def _t4_table(fmt: str, cells: Cells) -> Table:
    results = ("upheld", "corrected", "other", "pending", "total")
    heads = [_label(fmt, f"t4_review_{r}") for r in results]
    codes = [f"t4_{g}_{r}" for g in ("review", "lit_direct", "lit_after_review") for r in results]
    rows = (
        _row(Cell("行政复议", cols=5), Cell("行政诉讼", cols=10)),
        _row(
            *(Cell(h, rows=2) for h in heads),
            Cell("未经复议直接起诉", cols=5),
            Cell("复议后起诉", cols=5),
        ),
        _row(*heads, *heads),
        _row(*(_fmt_value(fmt, c, cells[c]) for c in codes)),
    )
    return Table(rows, header_rows=3)


# --- values ----------------------------------------------------------------------------------

OLD_LEAVES: Final = {
    "old_act_ch_gazette": (0, 15),
    "old_act_ch_website": (250, 700),
    "old_act_ch_weibo": (10, 90),
    "old_act_ch_wechat": (10, 90),
    "old_act_ch_other": (0, 6),
    "old_act_ndoc_issued": (2, 9),
    "old_act_prop_npc": (0, 12),
    "old_act_prop_cppcc": (0, 15),
    "old_resp_hotspots": (1, 6),
    "old_resp_press_conf": (1, 4),
    "old_resp_interview": (0, 3),
    "old_resp_interpretations": (5, 20),
    "old_resp_weibo_wechat": (0, 8),
    "old_resp_other": (0, 3),
    "old_ans_already_public": (0, 4),
    "old_ans_granted": (3, 12),
    "old_ans_partial": (0, 3),
    "old_den_state_secret": (0, 1),
    "old_den_commercial_secret": (0, 1),
    "old_den_privacy": (0, 2),
    "old_den_security_stability": (0, 1),
    "old_den_not_gov_info": (0, 2),
    "old_den_other_legal": (0, 1),
    "old_ans_not_this_agency": (0, 3),
    "old_ans_not_exist": (0, 2),
    "old_ans_notice_amend": (0, 1),
    "old_ans_notice_other_route": (0, 2),
    "old_review_upheld": (0, 2),
    "old_review_corrected": (0, 1),
    "old_review_other": (0, 1),
    "old_lit_upheld": (0, 1),
    "old_lit_corrected": (0, 1),
    "old_lit_other": (0, 1),
    "old_complaints_total": (0, 0),
    "old_fees_collected": (0, 0),
    "old_org_dedicated_units": (1, 1),
    "old_org_reading_points": (1, 3),
    "old_org_staff_fulltime": (1, 2),
    "old_org_staff_parttime": (1, 4),
    "old_train_meetings": (1, 4),
    "old_train_classes": (1, 3),
    "old_train_trainees": (10, 60),
}


def _sum(v: dict[str, int], *codes: str) -> int:
    return sum(v[c] for c in codes)


def _old_cells(rng: random.Random, blank: Sequence[str]) -> Cells:
    """Old 统计表 values: leaves drawn at random (0 where the cell will be blank), totals summed."""
    v = {c: 0 if c in blank else rng.randint(lo, hi) for c, (lo, hi) in OLD_LEAVES.items()}
    channels = [f"old_act_ch_{k}" for k in ("gazette", "website", "weibo", "wechat", "other")]
    v["old_act_channels_total"] = _sum(v, *channels)
    # （一） counts an item published through several channels once: at most the channel sum.
    info = _sum(v, channels[0], channels[1]) + rng.randint(0, v[channels[2]])
    v["old_act_info_total"] = v["old_s1_header_total"] = info
    v["old_act_ndoc_published"] = v["old_act_ndoc_issued"] - rng.randint(0, 1)
    v["old_act_proposals_total"] = _sum(v, "old_act_prop_npc", "old_act_prop_cppcc")
    for sub in ("press_conf", "interview"):
        v[f"old_resp_{sub}_principal"] = rng.randint(0, v[f"old_resp_{sub}"])
    resp = ("press_conf", "interview", "interpretations", "weibo_wechat", "other")
    v["old_resp_channels_total"] = _sum(v, *(f"old_resp_{k}" for k in resp))
    v["old_s2_header_total"] = v["old_resp_hotspots"] + v["old_resp_channels_total"]
    v["old_ans_denied"] = sum(v[c] for c in OLD_LEAVES if c.startswith("old_den_"))
    received = sum(v[c] for c in v if c.startswith("old_ans_"))
    for key in ("old_app_received", "old_app_closed", "old_app_answered", "old_s3_header_total"):
        v[key] = received
    recv = [f"old_app_recv_{k}" for k in ("in_person", "fax", "online", "letter")]
    live = [c for c in recv if c not in blank]
    v.update(dict.fromkeys(recv, 0))
    for code in rng.choices(live, weights=[6 if "online" in c else 1 for c in live], k=received):
        v[code] += 1
    v["old_app_closed_extended"] = rng.randint(0, min(2, received))
    v["old_app_closed_on_time"] = received - v["old_app_closed_extended"]
    for group in ("review", "lit"):
        v[f"old_{group}_total"] = _sum(
            v, *(f"old_{group}_{k}" for k in ("upheld", "corrected", "other"))
        )
    v["old_org_staff_total"] = v["old_org_staff_fulltime"] + v["old_org_staff_parttime"]
    cells: Cells = {m["code"]: v.get(m["code"]) for m in _on_form("old")}
    cells["old_org_special_funds"] = round(rng.uniform(0.5, 6.0), 1)
    return _blank(cells, blank)


def _blank(cells: Cells, codes: Sequence[str]) -> Cells:
    """Leave cells blank; a blanked non-header cell must be a zero, so the sums still hold."""
    headers = {
        "old_s1_header_total",
        "old_act_channels_total",
        "old_act_proposals_total",
        "old_s2_header_total",
        "old_resp_channels_total",
        "old_s3_header_total",
    }
    for code in codes:
        if cells[code] not in (0, None) and code not in headers:
            raise ValueError(f"{code} = {cells[code]} cannot be left blank")
        cells[code] = None
    return cells


def _t3_cells(
    rng: random.Random, fmt: str, natural: int, carried_over: dict[str, int] | None
) -> tuple[Cells, dict[str, int]]:
    """Table 三, balanced per column; returns the cells and the carried-forward column values."""
    keys = _t3_rows(fmt)
    results = [k for k in keys if k.startswith("res_") and k != "res_total"]
    weights = [RESULT_WEIGHTS.get(k, 1) for k in results]
    v: dict[str, int] = {}
    forward: dict[str, int] = {}
    for col in T3_COLUMNS:
        n = natural if col == "natural_person" else rng.choice(ORG_SIZES[col])
        counts = dict.fromkeys(results, 0)
        for key in rng.choices(results, weights, k=n):
            counts[key] += 1
        if carried_over is not None:
            over = carried_over[col]
        else:
            over = rng.randint(0, 2) if col == "natural_person" else 0
        fwd = rng.randint(0, 3) if col == "natural_person" else min(n, rng.randint(0, 1))
        counts["res_granted"] += max(0, over - n - fwd)
        total = sum(counts.values())
        column = {
            "new_received": total + fwd - over,
            "carried_over": over,
            **counts,
            "res_total": total,
            "carried_forward": fwd,
        }
        v.update({f"t3_{key}__{col}": column[key] for key in keys})
        forward[col] = fwd
    cells: Cells = {}
    for key in keys:
        row = [v[f"t3_{key}__{col}"] for col in T3_COLUMNS]
        cells.update({f"t3_{key}__{col}": n for col, n in zip(T3_COLUMNS, row, strict=True)})
        cells[f"t3_{key}__total"] = sum(row)
    return cells, forward


def _t4_cells(rng: random.Random, busy: bool) -> Cells:
    cells: Cells = {}
    for group, high in (("review", 2), ("lit_direct", 1), ("lit_after_review", 1)):
        parts = [rng.randint(0, high if busy else 0) for _ in range(4)]
        for result, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"t4_{group}_{result}"] = n
        cells[f"t4_{group}_total"] = sum(parts)
    return cells


@dataclass
class Series:
    """What one agency carries from one year's report into the next."""

    items: dict[str, int] = field(
        default_factory=lambda: {
            "license": 46,
            "othersvc": 12,
            "penalty": 21,
            "coercion": 4,
            "fee": 3,
        }
    )
    ndoc_total: int = 38
    in_force: int = 35
    forward: dict[str, int] | None = None


def _v19_t2_cells(rng: random.Random, s: Series, changes: dict[str, int], amount: float) -> Cells:
    made = rng.randint(2, 6)
    published = made - rng.randint(0, 1)
    s.ndoc_total += published
    cells: Cells = {
        "v19_t2_reg_new_made": 0,
        "v19_t2_reg_new_published": 0,
        "v19_t2_reg_total_published": 0,
        "v19_t2_ndoc_new_made": made,
        "v19_t2_ndoc_new_published": published,
        "v19_t2_ndoc_total_published": s.ndoc_total,
    }
    decisions = {"license": (20, 160), "othersvc": (0, 30), "penalty": (3, 40), "coercion": (0, 5)}
    for item in ("license", "othersvc", "penalty", "coercion", "fee"):
        prev = s.items[item]
        change = max(-prev, changes.get(item, rng.choice((-1, 0, 0, 1, 2))))
        cells[f"v19_t2_{item}_prev_items"] = prev
        cells[f"v19_t2_{item}_change"] = change
        if item in decisions:
            cells[f"v19_t2_{item}_decisions"] = rng.randint(*decisions[item])
        s.items[item] = prev + change
    cells["v19_t2_procurement_projects"] = rng.randint(2, 9)
    cells["v19_t2_procurement_amount"] = amount
    return {m["code"]: cells[m["code"]] for m in _on_form("v2019") if m["code"] in cells}


def _v21_t2_cells(rng: random.Random, s: Series, fee_amount: float) -> Cells:
    issued, repealed = rng.randint(1, 5), rng.randint(0, 3)
    s.in_force += issued - repealed
    return {
        "v21_t2_reg_issued": 0,
        "v21_t2_reg_repealed": 0,
        "v21_t2_reg_in_force": 0,
        "v21_t2_ndoc_issued": issued,
        "v21_t2_ndoc_repealed": repealed,
        "v21_t2_ndoc_in_force": s.in_force,
        "v21_t2_license_decisions": rng.randint(20, 160),
        "v21_t2_penalty_decisions": rng.randint(3, 40),
        "v21_t2_coercion_decisions": rng.randint(0, 5),
        "v21_t2_fee_amount": fee_amount,
    }


# --- documents -------------------------------------------------------------------------------

Block = str | Table
Facts = list[tuple[str, int | float]]


@dataclass
class Doc:
    title: str
    agency: str
    published: date
    body: list[Block]
    appendix: list[Block] = field(default_factory=list)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _title(year: int, agency: str, agency_first: bool) -> str:
    return (
        f"{agency}{year}年政府信息公开工作年度报告"
        if agency_first
        else (f"{year}年{agency}政府信息公开工作年度报告")
    )


def _period(year: int) -> str:
    return f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"


def _text(doc: Doc, render: Callable[[Table], list[str]]) -> str:
    lines = [doc.title]
    for block in [*doc.body, doc.agency, _cn_date(doc.published), *doc.appendix]:
        lines.extend(render(block) if isinstance(block, Table) else [block])
    return "\n".join(lines) + "\n"


def _html_blocks(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            out.extend(_html_table(block))
        else:
            out.append(f"<p>{html.escape(block, quote=False)}</p>")
    return out


def _html(doc: Doc) -> str:
    title, agency = html.escape(doc.title, quote=False), html.escape(doc.agency, quote=False)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        "<style>table{border-collapse:collapse} td,th{border:1px solid #999}</style>",
        "</head>",
        "<body>",
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; '
        "政府信息公开年报</div>",
        f'<div class="meta">发布机构：{agency}　发布日期：{doc.published.isoformat()}</div>',
        f"<h1>{title}</h1>",
        '<div class="article">',
        *_html_blocks(doc.body),
        f'<p style="text-align:right">{agency}</p>',
        f'<p style="text-align:right">{_cn_date(doc.published)}</p>',
        *_html_blocks(doc.appendix),
        "</div>",
        '<div class="tools">打印本页 关闭窗口</div>',
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def _narrative_doc(year: int, agency: str, published: date) -> tuple[Doc, Facts]:
    active, website = 128, 96
    body: list[Block] = [
        f"根据《中华人民共和国政府信息公开条例》规定，现公布{agency}{year}年政府信息公开工作年度报告。"
        "全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、复议诉讼情况、收费情况、"
        f"存在的主要问题及改进措施等内容。{_period(year)}",
        "一、概述",
        f"{year}年，{agency}把政府信息公开作为转变作风、提升服务水平的重要抓手，明确分管领导和"
        "责任股室，健全信息发布审核、保密审查和归档制度，政府信息公开工作有序推进。",
        "二、主动公开政府信息情况",
        f"全年主动公开政府信息{active}条，其中在县政府门户网站发布{website}条，其余通过公开栏、"
        "宣传资料和现场咨询等方式公开，内容涵盖机构职能、惠农补贴政策、农业项目资金安排和"
        "农产品质量安全等。",
        "三、依申请公开政府信息情况",
        "全年未收到政府信息公开申请。",
        "四、行政复议和行政诉讼情况",
        "全年未发生因政府信息公开引起的行政复议和行政诉讼。",
        "五、收费及减免情况",
        "在政府信息公开工作中未收取任何费用。",
        "六、存在的主要问题及改进措施",
        "一是公开内容不够全面，部分业务信息更新不及时；二是信息公开工作人员多为兼职，业务水平"
        "有待提高。下一步将进一步完善政府信息公开目录，提高信息发布的时效性和准确性。",
    ]
    facts: Facts = [
        ("active_items", active),
        ("website_items", website),
        ("no_applications", 0),
        ("no_fees", 0),
    ]
    return Doc(_title(year, agency, True), agency, published, body), facts


def _old_doc(
    year: int, agency: str, published: date, cells: Cells, html_page: bool
) -> tuple[Doc, Facts]:
    c = {k: v for k, v in cells.items() if isinstance(v, int)}
    body: list[Block] = [
        f"根据《中华人民共和国政府信息公开条例》和上级有关要求，{agency}编制了{year}年政府信息公开"
        "工作年度报告。报告包括概述、主动公开政府信息情况、依申请公开政府信息情况、收费及减免"
        "情况、行政复议和行政诉讼情况、存在的主要问题及改进措施等内容，附件为政府信息公开情况"
        f"统计表。{_period(year)}",
        "一、概述",
        f"{year}年，{agency}调整充实政府信息公开工作领导小组，由办公室负责日常工作，各科室明确"
        f"信息员。全年召开政府信息公开工作会议{c['old_train_meetings']}次，举办政府信息公开培训班"
        f"{c['old_train_classes']}次，参训人员{c['old_train_trainees']}人次。",
        "二、主动公开政府信息情况",
        f"全年主动公开政府信息{c['old_act_info_total']}条，其中在门户网站发布"
        f"{c['old_act_ch_website']}条，通过政务微博发布{c['old_act_ch_weibo']}条、政务微信发布"
        f"{c['old_act_ch_wechat']}条。全年制发规范性文件{c['old_act_ndoc_issued']}件，发布政策解读"
        f"稿件{c['old_resp_interpretations']}篇，参加或举办新闻发布会{c['old_resp_press_conf']}次。",
        "三、依申请公开政府信息情况",
        f"全年共收到政府信息公开申请{c['old_app_received']}件，其中网络申请"
        f"{c['old_app_recv_online']}件，均在规定期限内办结并作出答复。",
        "四、政府信息公开的收费及减免情况",
        f"{year}年未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        f"全年因政府信息公开申请行政复议{c['old_review_total']}件，提起行政诉讼"
        f"{c['old_lit_total']}件。",
        "六、存在的主要问题及改进措施",
        "政策解读的针对性还不够强，基层站所信息报送不够及时。下一步将完善信息报送考核办法，"
        "加强业务指导，提高主动公开的质量。",
    ]
    table = _old_table(cells, "——" if html_page else "")
    caption = f"{year}年度政府信息公开情况统计表" if html_page else "政府信息公开情况统计表"
    appendix: list[Block] = ["附件" if html_page else "附件1", caption]
    appendix += [] if html_page else [f"（{year}年度）"]
    appendix += [f"填报单位（盖章）：{agency}", table]
    facts: Facts = [
        ("active_items", c["old_act_info_total"]),
        ("website_items", c["old_act_ch_website"]),
        ("weibo_items", c["old_act_ch_weibo"]),
        ("wechat_items", c["old_act_ch_wechat"]),
        ("policy_interpretations", c["old_resp_interpretations"]),
        ("press_conferences", c["old_resp_press_conf"]),
        ("applications_received", c["old_app_received"]),
        ("no_fees", 0),
        ("training", c["old_train_classes"]),
    ]
    return Doc(_title(year, agency, html_page), agency, published, body, appendix), facts


@dataclass(frozen=True)
class Modern:
    """Inputs of a v2019/v2021 report besides its tables."""

    fmt: str
    year: int
    agency: str
    published: date
    received: int  # applications received, as the prose states it
    fee_yuan: int | None = None  # 信息处理费 stated in section 六 (v2021)


def _modern_doc(m: Modern, rng: random.Random, tables: Sequence[Table]) -> tuple[Doc, Facts]:
    s = _format(m.fmt)["sections"]
    active = rng.randint(300, 900)
    if m.fee_yuan is None:
        other = "本年度无其他需要报告的事项。"
    else:
        other = f"本机关{m.year}年度收取信息处理费{m.fee_yuan}元，无其他需要报告的事项。"
    body: list[Block] = [
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和政府信息公开工作年度"
        "报告格式要求编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分"
        f"组成。{_period(m.year)}",
        s[0],
        f"{m.year}年，{m.agency}坚持以公开为常态、不公开为例外，围绕中心工作深化政务公开，全年"
        f"主动公开政府信息{active}条，及时发布政策文件、统计数据和办事指南。",
        f"本年度共收到政府信息公开申请{m.received}件，均在法定期限内答复；依申请公开实行登记、"
        "审核、答复和归档全流程台账管理。",
        "落实公开前保密审查和公开属性认定，定期清理已公开文件，做好规范性文件的动态更新。",
        s[1],
        tables[0],
        s[2],
        tables[1],
        s[3],
        tables[2],
        s[4],
        "一是解读形式较为单一，图解、视频等方式运用不多；二是部分栏目更新不够及时。下一步将"
        "丰富解读形式，加强栏目日常巡查，压实信息发布责任。",
        s[5],
        other,
    ]
    facts: Facts = [("active_items", active), ("applications_received", m.received)]
    if m.fee_yuan is not None:
        facts.append(("info_processing_fee", m.fee_yuan))
    doc = Doc(_title(m.year, m.agency, m.year % 2 == 0), m.agency, m.published, body)
    return doc, facts


# --- corpus ----------------------------------------------------------------------------------


@dataclass
class Sample:
    path: str  # relative to the corpus root: <report_year>/<slug>.<ext>
    fmt: str  # contract vocabulary: old | v2019 | v2021 | narrative
    year: int
    agency: str
    published: date
    layout: str
    text: str
    cells: Cells
    facts: Facts
    breaks: tuple[str, ...] = ()


def _old_sample(
    path: str, year: int, agency: str, published: date, blank: Sequence[str], layout: str
) -> Sample:
    html_page = path.endswith(".html")
    cells = _old_cells(random.Random(SEED + year), blank)
    doc, facts = _old_doc(year, agency, published, cells, html_page)
    text = _html(doc) if html_page else _text(doc, _pipe_table)
    return Sample(path, "old", year, agency, published, layout, text, cells, facts)


def _modern_tables(fmt: str, cells: Cells, split_words: bool = False) -> list[Table]:
    return [_t2_table(fmt, cells), _t3_table(fmt, cells, split_words), _t4_table(fmt, cells)]


def _statistics_bureau() -> list[Sample]:
    """示例市统计局, 2019-2022: one agency, so the cross-year chains can be checked."""
    agency, series, out = "示例市统计局", Series(), []
    plans = [  # year, format, layout, natural persons, published
        (2019, "v2019", "cells", 38, date(2020, 1, 20)),
        (2020, "v2019", "html", 52, date(2021, 1, 19)),
        (2021, "v2021", "html", 47, date(2022, 1, 21)),
        (2022, "v2021", "pipe", 61, date(2023, 1, 18)),
    ]
    for year, fmt, layout, natural, published in plans:
        rng = random.Random(SEED + year)
        if fmt == "v2019":
            changes = {"license": 3, "penalty": -2} if year == 2019 else {}
            cells = _v19_t2_cells(rng, series, changes, 12.5 if year == 2019 else 36.84)
        else:
            cells = _v21_t2_cells(rng, series, 3.6 if year == 2021 else 2.45)
        t3, series.forward = _t3_cells(rng, fmt, natural, series.forward)
        cells |= t3 | _t4_cells(rng, busy=year != 2021)
        if year == 2020:  # no research institute applied: the column is left blank
            cells |= {c: None for c in t3 if c.endswith("__org_research")}
        if year == 2022:  # organisations' zero cells left blank, as many agencies do
            cells |= {c: None for c, v in t3.items() if "__org_" in c and v == 0}
        received = t3["t3_new_received__total"]
        assert isinstance(received, int)
        fee = None if fmt == "v2019" else (0 if year == 2021 else 400)
        meta = Modern(fmt, year, agency, published, received, fee)
        doc, facts = _modern_doc(meta, rng, _modern_tables(fmt, cells, year == 2020))
        render = {
            "cells": lambda d: _text(d, _cell_lines),
            "pipe": lambda d: _text(d, _pipe_table),
            "html": _html,
        }[layout]
        ext = "html" if layout == "html" else "txt"
        out.append(
            Sample(
                f"{year}/shilishi-tongjiju.{ext}",
                fmt,
                year,
                agency,
                published,
                LAYOUTS[layout],
                render(doc),
                cells,
                facts,
            )
        )
    return out


def _inconsistent() -> Sample:
    year, agency, published = 2023, "演示区人力资源和社会保障局", date(2024, 1, 25)
    rng = random.Random(SEED + year)
    cells = _v21_t2_cells(rng, Series(in_force=17), 0.0)
    t3, _ = _t3_cells(rng, "v2021", 29, None)
    received = t3["t3_new_received__total"]
    assert isinstance(received, int)
    cells |= t3 | _t4_cells(rng, busy=True)
    cells |= {c: None for c in t3 if c.endswith("__total")}
    wrong = cells["t3_new_received__natural_person"]
    assert isinstance(wrong, int)
    cells["t3_new_received__natural_person"] = wrong + 1  # the deliberate error
    doc, facts = _modern_doc(
        Modern("v2021", year, agency, published, received, 0), rng, _modern_tables("v2021", cells)
    )
    layout = LAYOUTS["html"] + "; 总计 column of table 三 left blank (deliberately inconsistent)"
    return Sample(
        INCONSISTENT[0],
        "v2021",
        year,
        agency,
        published,
        layout,
        _html(doc),
        cells,
        facts,
        breaks=(INCONSISTENT[1],),
    )


LAYOUTS: Final = {
    "cells": "text, tables one cell per line ending in ` |` (like eval/real/raw/122.txt)",
    "pipe": "text, tables one row per line `label | v | ... |`; rows under a row-spanning label "
    "start with empty cells (like eval/real/raw/105.txt)",
    "html": "HTML page, `<table>`s with rowspan/colspan group labels and multi-level headers",
}


def build_corpus() -> list[Sample]:
    """Every sample report, in report-year order (pure: nothing is written)."""
    narrative_doc, facts = _narrative_doc(2015, "样本县农业局", date(2016, 3, 18))
    narrative = Sample(
        "2015/yangbenxian-nongyeju.txt",
        "narrative",
        2015,
        "样本县农业局",
        date(2016, 3, 18),
        "text, prose only (no statistics table)",
        _text(narrative_doc, _pipe_table),
        {},
        facts,
    )
    old_pipe = _old_sample(
        "2016/yangbenxian-shuiliju.txt",
        2016,
        "样本县水利局",
        date(2017, 2, 14),
        (
            "old_act_ch_gazette",
            "old_resp_interview_principal",
            "old_den_state_secret",
            "old_den_security_stability",
            "old_ans_notice_amend",
            "old_lit_upheld",
            "old_lit_corrected",
            "old_lit_other",
        ),
        "text, appendix 统计表 as pipe rows `label | unit | value |` (like seed 002)",
    )
    old_html = _old_sample(
        "2017/shilishi-jiaotongyunshuju.html",
        2017,
        "示例市交通运输局",
        date(2018, 1, 23),
        (
            "old_act_channels_total",
            "old_act_proposals_total",
            "old_s2_header_total",
            "old_resp_channels_total",
            "old_act_ch_other",
            "old_app_recv_fax",
            "old_resp_interview",
            "old_resp_interview_principal",
            "old_den_commercial_secret",
            "old_den_privacy",
            "old_review_corrected",
        ),
        "HTML page, appendix 统计表 as a `<table>` with a `<th>` header row; section rows carry —— "
        "in 单位",
    )
    return [narrative, old_pipe, old_html, *_statistics_bureau(), _inconsistent()]


def _expected(samples: Sequence[Sample]) -> str:
    reports = {
        s.path: {
            "format": s.fmt,
            "report_year": s.year,
            "agency": s.agency,
            "published_on": s.published.isoformat(),
            "layout": s.layout,
            "breaks_rules": list(s.breaks),
            "narrative": [{"fact": f, "value": v} for f, v in s.facts],
            "cells": s.cells,
        }
        for s in samples
    }
    doc = {
        "generator": "python -m xxgk.samples",
        "seed": SEED,
        "blank_is_null": "a null cell is printed blank in the report; 0 is printed as 0",
        "inconsistent": {"file": INCONSISTENT[0], "rule": INCONSISTENT[1]},
        "reports": reports,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _readme(samples: Sequence[Sample]) -> str:
    rows = [
        f"| `{s.path}` | {s.fmt} | {s.year} | {s.agency} | {_md_cell(s.layout)} |" for s in samples
    ]
    bad = next(s for s in samples if s.breaks)
    np = {
        k: bad.cells[f"t3_{k}__natural_person"]
        for k in ("new_received", "carried_over", "res_total", "carried_forward")
    }
    return README.format(rows="\n".join(rows), path=bad.path, rule=bad.breaks[0], **np)


README: Final = """# Demo corpus: synthetic annual reports

Generated by `plugins/xxgk/samples.py`; do not edit by hand. Regenerate from the project root
with `PYTHONPATH=plugins .venv/bin/python -m xxgk.samples samples`;
`tests/unit/test_samples.py` checks that the committed files are byte-identical to a fresh run.
Agencies and prose are invented; labels are those of `plugins/xxgk/data/metrics.yaml`.

| file | format | year | agency | layout |
|---|---|---|---|---|
{rows}

`expected.json` lists, per file, the format, report year, agency, publication date, the
narrative facts stated in the prose and every generated table cell as
`{{metric_code: value}}` (`null` = printed blank, never 0).

## The deliberately inconsistent report

`{path}` breaks exactly one documented rule, `{rule}`: for 自然人,
一、本年新收 {new_received} + 二、上年结转 {carried_over} should equal
（七）总计 {res_total} + 四、结转下年度继续办理 {carried_forward}; the 新收 cell is one too high.
Its 总计 column is left blank (as some agencies print it), so no row-total rule applies.
Every other file passes every single-report rule of metrics.yaml.

The reports are under `inbox/<year>/` (`make demo` loads that folder); `README.md` and
`expected.json` are not reports and sit outside it. Paths above are relative to `inbox/`.
"""


INBOX_DIR: Final = "inbox"  # the reports; expected.json and README.md sit beside it


def write_samples(out_dir: Path) -> list[Path]:
    """Write the corpus, ``expected.json`` and ``README.md`` under ``out_dir``.

    Args:
        out_dir: corpus root; created if missing. Existing files of the same name are replaced.

    Returns:
        The report files written (not ``expected.json`` / ``README.md``), in report-year order.
    """
    samples = build_corpus()
    written = []
    for sample in samples:
        path = out_dir / INBOX_DIR / sample.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sample.text.encode("utf-8"))
        written.append(path)
    (out_dir / "expected.json").write_bytes(_expected(samples).encode("utf-8"))
    (out_dir / "README.md").write_bytes(_readme(samples).encode("utf-8"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python -m xxgk.samples OUT_DIR\n")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = write_samples(Path(args[0]))
    log.info("wrote %d sample reports, expected.json and README.md under %s", len(paths), args[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
