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

Regenerate the committed corpus with ``python -m xxgk.synthetic.samples samples``.
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
from pathlib import Path
from typing import Final

from xxgk.synthetic.sample_tables import (
    Cells,
    Table,
    cell_lines,
    format_def,
    html_table,
    old_table,
    pipe_table,
    t2_table,
    t3_table,
    t4_table,
)
from xxgk.synthetic.sample_values import (
    Series,
    old_cells,
    t3_cells,
    t4_cells,
    v19_t2_cells,
    v21_t2_cells,
)

log = logging.getLogger(__name__)

SEED: Final = 20240501
INCONSISTENT: Final = ("2023/yanshiqu-renshe.html", "v2021.t3.balance.natural_person")


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
            out.extend(html_table(block))
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
    table = old_table(cells, "——" if html_page else "")
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
    s = format_def(m.fmt)["sections"]
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
    cells = old_cells(random.Random(SEED + year), blank)
    doc, facts = _old_doc(year, agency, published, cells, html_page)
    text = _html(doc) if html_page else _text(doc, pipe_table)
    return Sample(path, "old", year, agency, published, layout, text, cells, facts)


def _modern_tables(fmt: str, cells: Cells, split_words: bool = False) -> list[Table]:
    return [t2_table(fmt, cells), t3_table(fmt, cells, split_words), t4_table(fmt, cells)]


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
            cells = v19_t2_cells(rng, series, changes, 12.5 if year == 2019 else 36.84)
        else:
            cells = v21_t2_cells(rng, series, 3.6 if year == 2021 else 2.45)
        t3, series.forward = t3_cells(rng, fmt, natural, series.forward)
        cells |= t3 | t4_cells(rng, busy=year != 2021)
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
            "cells": lambda d: _text(d, cell_lines),
            "pipe": lambda d: _text(d, pipe_table),
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
    cells = v21_t2_cells(rng, Series(in_force=17), 0.0)
    t3, _ = t3_cells(rng, "v2021", 29, None)
    received = t3["t3_new_received__total"]
    assert isinstance(received, int)
    cells |= t3 | t4_cells(rng, busy=True)
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
        _text(narrative_doc, pipe_table),
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
        "generator": "python -m xxgk.synthetic.samples",
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

Generated by `plugins/xxgk/synthetic/samples.py`; do not edit by hand. Regenerate from the
project root with `PYTHONPATH=plugins .venv/bin/python -m xxgk.synthetic.samples samples`;
`tests/synthetic/test_samples.py` checks that the committed files are byte-identical to a fresh run.
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
        sys.stderr.write("usage: python -m xxgk.synthetic.samples OUT_DIR\n")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = write_samples(Path(args[0]))
    log.info("wrote %d sample reports, expected.json and README.md under %s", len(paths), args[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
