"""Synthetic national corpus: N realistic annual reports with their truth, deterministic by seed.

``write_corpus(out_dir, CorpusSpec(n=10_000))`` writes ``out_dir/inbox/<year>/p<NN>/<file>``
and ``out_dir/truth.jsonl`` (one line per file: format, year, agency, publication date,
layout, noise, the deliberately broken rules and every printed table cell as
``{metric: value}``, ``null`` = printed blank). The same spec always writes the same bytes.

Reports come in the three table formats (old ≤ 2018, v2019 for 2019–2020 and some later
template reuse, v2021 from 2021) plus narrative-only reports, in the layouts met on real
sites: HTML tables, pipe rows, one cell per line ending in ``|``, one cell per line between
blank lines, the old 统计表 with label and value glued together, table 二 flattened onto one
line, PDF-like rows of whitespace-separated cells. Noise as in SPEC §6: page chrome
(breadcrumbs with NBSP, 索引号/发布机构/发布日期 blocks, 打印本页 关闭窗口), full-width
digits, NBSP before values, traditional-character mirrors, signed 本年增/减 written
``+3`` / ``增3`` / ``减4``, amounts printed with units (``251000元``, ``36.84万元``).
A known share of reports breaks one arithmetic rule on purpose (``inconsistent`` in truth).

Values, tables and report prose come from ``xxgk.synthetic.samples`` (the demo corpus generator);
this module picks agencies, years, formats, layouts and noise at scale.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from xxgk.core.formats import LATEST_TABLE_FORMAT, V2019, YEAR_RANGES, format_of_year
from xxgk.synthetic import sample_tables as ST
from xxgk.synthetic import sample_values as SV
from xxgk.synthetic import samples as S

log = logging.getLogger(__name__)

DEFAULT_SEED: Final = 20250401
YEARS: Final = tuple(range(2014, 2025))
MODERN_LAYOUTS: Final = ("html", "pipe", "cells", "blank_lines", "flat_t2", "pdf_rows")
OLD_LAYOUTS: Final = ("html", "pipe", "glued", "pdf_rows")
# layouts that cannot print a blank cell unambiguously: every cell gets a number there
NO_BLANKS: Final = frozenset({"blank_lines", "flat_t2", "pdf_rows"})
NBSP: Final = "\u00a0"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_FULL_WIDTH: Final = str.maketrans("0123456789.+-", "０１２３４５６７８９．＋－")
# simplified → traditional, one character each, as naive mirror sites convert pages
_SIMP = (
    "万与专业东两个为举义书于云产亲从众优会传体价关兴内决况减则创划动务劳区协单卫厅历"
    "县参发变号后员问团围国图场处复头实审宁对导层属广庆应开张强归录当总执护报据规认让"
    "议讯记许论设访证评识诉词试询该详说请读课谈调负责财败货质购费资车转软辑输边达过运"
    "还这进远连选递释里钱银错长门闭间闻阅队阶际陆险隐难页项须预领题额风馆驳验济现环监"
    "确种积稳类级纠约纪纳线组细织终经结绝统继绩续维综编缴网罚职联范获营补装观视览计订"
    "训讲条来权构标样检栏档机极气汇满灵热点状独电疗础称简签粮络给绿罗节艺药虑见觉误贸"
    "赋载辅迁适邻铁销镇阳阴陈随鸡鱼鸟齐龙乡制采数无时显术杨测温湾灾烟爱献盘着矿码礼离"
    "穷竞笔筑紧纯纷练绍缩罢肃胜脑舆苏荣蓝补衬袭誉讨讼诚话语诸贝贫贯贴贵贺赔赶践轨轮轻"
    "较辆辞辽违迟逻遗邮钢链锋键镜闪闯阔阵隶静韩顶顺顾顿频飞饭驱骗麦黄龄"
)
_TRAD = (
    "萬與專業東兩個為舉義書於雲產親從眾優會傳體價關興內決況減則創劃動務勞區協單衛廳歷"
    "縣參發變號後員問團圍國圖場處復頭實審寧對導層屬廣慶應開張強歸錄當總執護報據規認讓"
    "議訊記許論設訪證評識訴詞試詢該詳說請讀課談調負責財敗貨質購費資車轉軟輯輸邊達過運"
    "還這進遠連選遞釋裡錢銀錯長門閉間聞閱隊階際陸險隱難頁項須預領題額風館駁驗濟現環監"
    "確種積穩類級糾約紀納線組細織終經結絕統繼績續維綜編繳網罰職聯範獲營補裝觀視覽計訂"
    "訓講條來權構標樣檢欄檔機極氣匯滿靈熱點狀獨電療礎稱簡簽糧絡給綠羅節藝藥慮見覺誤貿"
    "賦載輔遷適鄰鐵銷鎮陽陰陳隨雞魚鳥齊龍鄉製採數無時顯術楊測溫灣災煙愛獻盤著礦碼禮離"
    "窮競筆築緊純紛練紹縮罷肅勝腦輿蘇榮藍補襯襲譽討訟誠話語諸貝貧貫貼貴賀賠趕踐軌輪輕"
    "較輛辭遼違遲邏遺郵鋼鏈鋒鍵鏡閃闖闊陣隸靜韓頂順顧頓頻飛飯驅騙麥黃齡"
)
_TO_TRAD: Final = {ord(s): t for s, t in zip(_SIMP, _TRAD, strict=True)}

_PLACE_A: Final = (
    "安宝昌长崇大丹德东丰福阜富高广海和河华怀淮惠吉嘉江金靖开康兰"
    "乐临灵隆梅南平普齐青清庆荣瑞沙韶石寿顺泰桃天通万文武西仙祥信兴"
    "秀宜义永玉元云兆正中"
)
_PLACE_B: Final = "安昌川德东丰峰和河湖华江津靖康口乐林陵宁平浦清泉山水顺台塘田通溪阳源"
_PROVINCE_NAMES: Final = (
    "江北",
    "河西",
    "云岭",
    "海东",
    "中原",
    "岭南",
    "湖东",
    "山南",
    "陇西",
    "黔中",
    "塞北",
    "川西",
    "闽东",
    "皖南",
    "辽东",
    "吴越",
)
_DEPARTMENTS: Final = (
    "统计局",
    "水利局",
    "交通运输局",
    "人力资源和社会保障局",
    "生态环境局",
    "市场监督管理局",
    "卫生健康委员会",
    "教育局",
    "财政局",
    "民政局",
    "自然资源局",
    "住房和城乡建设局",
    "农业农村局",
    "商务局",
    "审计局",
    "司法局",
    "应急管理局",
    "文化和旅游局",
    "林业局",
    "退役军人事务局",
    "发展和改革委员会",
    "医疗保障局",
    "信访局",
    "科学技术局",
    "工业和信息化局",
)


@dataclass(frozen=True)
class CorpusSpec:
    """What to generate. Shares are fractions of all reports (drawn per report)."""

    n: int
    seed: int = DEFAULT_SEED
    inconsistent_share: float = 0.05
    traditional_share: float = 0.03
    narrative_share: float = 0.08
    template_reuse_share: float = 0.03  # reports of v2021's first two years on v2019's template
    years: tuple[int, ...] = YEARS  # the report years drawn from (a benchmark's few years)

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError("n must be >= 0")
        if not self.years:
            raise ValueError("years must name at least one year")
        shares = (
            self.inconsistent_share,
            self.traditional_share,
            self.narrative_share,
            self.template_reuse_share,
        )
        if not all(0.0 <= s <= 1.0 for s in shares):
            raise ValueError("shares must lie between 0 and 1")


@dataclass
class SyntheticReport:
    path: str  # relative to the inbox: <year>/p<NN>/<agency no>-<report no>.<ext>
    text: str
    truth: dict[str, Any]


@dataclass
class CorpusSummary:
    reports: int
    inbox: Path
    truth: Path
    by_format: dict[str, int] = field(default_factory=dict)
    by_layout: dict[str, int] = field(default_factory=dict)
    inconsistent: int = 0


# --- agencies ----------------------------------------------------------------------------------


def _place(rng: random.Random) -> str:
    a = rng.choice(_PLACE_A)
    return a + rng.choice([c for c in _PLACE_B if c != a])


def agency_for(seed: int, number: int) -> tuple[str, int]:
    """The ``number``-th agency of the corpus of ``seed``: its name and province number."""
    rng = random.Random(f"{seed}:agency:{number}")
    province = rng.randrange(len(_PROVINCE_NAMES))
    level = rng.choices(("province", "prefecture", "county", "township"), (1, 3, 6, 2))[0]
    if level == "township":
        suffix = rng.choice(("镇人民政府", "乡人民政府", "街道办事处"))
        return f"{_place(rng)}{suffix}", province
    region = {
        "province": f"{_PROVINCE_NAMES[province]}省",
        "prefecture": f"{_place(rng)}市",
        "county": f"{_place(rng)}{rng.choice('县县区')}",
    }[level]
    body = rng.choices(("dept", "gov", "office"), (8, 1, 1))[0]
    if body == "gov":
        return f"{region}人民政府", province
    if body == "office":
        return f"{region}人民政府办公室", province
    department = rng.choice(_DEPARTMENTS)
    if level == "province":
        department = department.replace("局", "厅", 1) if department.endswith("局") else department
    return f"{region}{department}", province


# --- values ------------------------------------------------------------------------------------


def _old_values(rng: random.Random, blanks: bool) -> ST.Cells:
    candidates = [
        c for c, (lo, _) in SV.OLD_LEAVES.items() if lo == 0 and c != "old_act_ch_website"
    ]
    blank = rng.sample(candidates, rng.randint(0, 6)) if blanks else []
    return SV.old_cells(rng, blank)


def _modern_values(rng: random.Random, fmt: str, blanks: bool) -> ST.Cells:
    series = SV.Series(
        items={k: rng.randint(0, 80) for k in SV.Series().items},
        ndoc_total=rng.randint(0, 120),
        in_force=rng.randint(3, 90),
    )
    amount = rng.choice((0.0, round(rng.uniform(1, 900), rng.choice((1, 2, 4)))))
    if fmt == "v2019":
        cells = SV.v19_t2_cells(rng, series, {}, amount)
    else:
        cells = SV.v21_t2_cells(rng, series, rng.choice((0.0, 0.0, round(rng.uniform(0, 2), 2))))
    natural = rng.choice((0, rng.randint(1, 12), rng.randint(10, 80), rng.randint(60, 400)))
    t3, _ = SV.t3_cells(rng, fmt, natural, None)
    cells |= t3 | SV.t4_cells(rng, busy=rng.random() < 0.5)
    if blanks and rng.random() < 0.4:  # organisations' zero cells left blank, as many do
        cells |= {c: None for c, v in t3.items() if "__org_" in c and v == 0}
    return cells


def _break_rule(fmt: str, cells: ST.Cells) -> list[str]:
    """Make one documented rule fail on purpose; return the rule ids that now fail."""
    if fmt == "old":
        received = cells["old_app_received"]
        assert isinstance(received, int)
        cells["old_app_received"] = received + 1
        return ["old.app_received_by_channel", "old.s3_header_eq_received"]
    broken = [f"{fmt}.t3.balance.natural_person"]
    for code in ("t3_new_received__natural_person", "t3_new_received__total"):
        value = cells[code]
        if value is None:
            continue
        assert isinstance(value, int)
        cells[code] = value + 1
        if code.endswith("__total"):
            broken.append(f"{fmt}.t3.balance.total")
    return broken


# --- cell noise --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Noise:
    full_width: bool = False
    nbsp: bool = False
    signed_words: bool = False
    amount_units: bool = False
    traditional: bool = False
    chrome: bool = False

    def names(self) -> list[str]:
        return [k for k, v in vars(self).items() if v]


def _noisy_value(text: str, noise: Noise, rng: random.Random) -> str:
    if not _NUMBER.match(text):
        return text
    if noise.amount_units and "." in text:  # only amounts (万元) have decimals
        yuan = round(float(text) * 10000, 4)
        text = f"{yuan:.0f}元" if yuan == int(yuan) and rng.random() < 0.5 else f"{text}万元"
    elif noise.signed_words and text[0] in "+-":
        text = ("增" if text[0] == "+" else "减") + text[1:]
    if noise.full_width and rng.random() < 0.4:
        text = text.translate(_FULL_WIDTH)
    if noise.nbsp and rng.random() < 0.3:
        text = NBSP + text
    return text


def _noisy_table(table: ST.Table, noise: Noise, rng: random.Random) -> ST.Table:
    rows = tuple(
        tuple(ST.Cell(_noisy_value(c.text, noise, rng), c.rows, c.cols) for c in row)
        for row in table.rows
    )
    return ST.Table(rows, table.header_rows, table.th_header)


# --- table layouts -----------------------------------------------------------------------------


def _blank_line_cells(table: ST.Table) -> list[str]:
    """One cell per line with a blank line after each (crawled pages, eval/real 008)."""
    return [line for row in table.rows for c in row for line in (c.text, "")]


def _pdf_rows(table: ST.Table) -> list[str]:
    """Each table row on one line, cells separated by runs of spaces (a PDF text layer)."""
    return ["  ".join(c.text.replace("\n", "") for c in row) for row in table.rows]


def _flat(table: ST.Table) -> list[str]:
    """The whole table on one space-separated line (seed 004's table 二)."""
    return [" ".join(c.text.replace("\n", " ") for row in table.rows for c in row)]


def _glued_old(table: ST.Table) -> list[str]:
    """Label, unit (only 万元 / 人次 / ——) and value glued together (seed 001)."""
    lines = ["统 计 指 标单位统计数"]
    for row in table.rows[table.header_rows :]:
        label, unit, value = (c.text for c in row)
        shown = unit if unit in ("——", "万元", "人次") and not value.endswith("元") else ""
        indent = "" if re.match(r"^[一二三四五六七八九]、", label) else "    "
        lines.append(f"{indent}{label}{shown}{value}")
    return lines


_RENDER: Final[dict[str, Callable[[ST.Table], list[str]]]] = {
    "pipe": ST.pipe_table,
    "cells": ST.cell_lines,
    "blank_lines": _blank_line_cells,
    "pdf_rows": _pdf_rows,
    "glued": _glued_old,
}


def _render(doc: S.Doc, layout: str, flat: ST.Table | None = None) -> str:
    if layout == "html":
        return S._html(doc)

    def table_lines(table: ST.Table) -> list[str]:
        if table is flat:
            return _flat(table)
        return _RENDER["cells" if layout == "flat_t2" else layout](table)

    return S._text(doc, table_lines)


def org_code_for(seed: int, number: int) -> str:
    """The 统一社会信用代码 of the ``number``-th agency: the same in each of its reports, as an
    agency's code is (the warehouse tells agencies apart by it, int_agencies_identified)."""
    rng = random.Random(f"{seed}:org-code:{number}")
    return "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(18))


def _chrome(
    text: str, agency: str, code: str, year: int, published: date, rng: random.Random
) -> str:
    """Page chrome of a government site around a text rendering (SPEC §6.1)."""
    head = [
        f"当前位置：首页{NBSP}>{NBSP}政务公开{NBSP}>{NBSP}政府信息公开年报",
        f"索引号：{code}/{year + 1}-{rng.randint(1, 99999):05d}",
        f"发布机构：{agency}",
        f"发布日期：{published.isoformat()}",
        "字体：【大 中 小】",
        "",
    ]
    return "\n".join(head) + "\n" + text + "【打印本页】【关闭窗口】\n"


# --- reports -----------------------------------------------------------------------------------


def _pick_format(rng: random.Random, spec: CorpusSpec, year: int) -> str:
    if rng.random() < spec.narrative_share:
        return "narrative"
    latest_from = YEAR_RANGES[LATEST_TABLE_FORMAT][0]
    reuse_years = range(latest_from, latest_from + 2)  # its first two years
    if year in reuse_years and rng.random() < spec.template_reuse_share * len(YEARS) / len(
        reuse_years
    ):
        return V2019
    return format_of_year(year)


def _noise(rng: random.Random, spec: CorpusSpec, fmt: str, layout: str) -> Noise:
    return Noise(
        full_width=rng.random() < 0.1,
        nbsp=rng.random() < 0.1,
        signed_words=fmt == "v2019" and rng.random() < 0.3,
        amount_units=rng.random() < 0.2,
        traditional=rng.random() < spec.traditional_share,
        chrome=layout != "html" and rng.random() < 0.5,
    )


def make_report(spec: CorpusSpec, index: int) -> SyntheticReport:
    """The ``index``-th report of the corpus (pure: nothing is written)."""
    rng = random.Random(f"{spec.seed}:report:{index}")
    agency_no = rng.randrange(max(1, spec.n // 6))  # about six reports per agency
    agency, province = agency_for(spec.seed, agency_no)
    year = rng.choice(spec.years)
    published = date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    fmt = _pick_format(rng, spec, year)
    if fmt == "narrative":
        layout = "narrative"
    else:
        layout = rng.choice(OLD_LAYOUTS if fmt == "old" else MODERN_LAYOUTS)
    noise = _noise(rng, spec, fmt, layout)
    text, cells, facts, broken = _compose(rng, spec, fmt, layout, noise, agency, year, published)
    if noise.chrome:
        text = _chrome(text, agency, org_code_for(spec.seed, agency_no), year, published, rng)
    if noise.traditional:
        text = text.translate(_TO_TRAD)
    ext = "html" if layout == "html" else "txt"
    path = f"{year}/p{province:02d}/{agency_no:06d}-{index:07d}.{ext}"
    truth = {
        "file": path,
        "format": fmt,
        "year": year,
        "agency": agency,
        "published_on": published.isoformat(),
        "layout": layout,
        "noise": noise.names(),
        "inconsistent": broken,
        "cells": cells,
        "narrative": [{"fact": f, "value": v} for f, v in facts],
    }
    return SyntheticReport(path, text, truth)


def _compose(
    rng: random.Random,
    spec: CorpusSpec,
    fmt: str,
    layout: str,
    noise: Noise,
    agency: str,
    year: int,
    published: date,
) -> tuple[str, ST.Cells, S.Facts, list[str]]:
    if fmt == "narrative":
        doc, facts = S._narrative_doc(year, agency, published)
        return (S._html(doc) if rng.random() < 0.3 else S._text(doc, ST.pipe_table)), {}, facts, []
    blanks = layout not in NO_BLANKS
    cells = _old_values(rng, blanks) if fmt == "old" else _modern_values(rng, fmt, blanks)
    broken = _break_rule(fmt, cells) if rng.random() < spec.inconsistent_share else []
    if fmt == "old":
        doc, facts = S._old_doc(year, agency, published, cells, layout == "html")
        table = ST.old_table(cells, "——") if layout == "glued" else None
        doc.appendix = [
            _noisy_table(table or b, noise, rng) if isinstance(b, ST.Table) else b
            for b in doc.appendix
        ]
        return _render(doc, layout), cells, facts, broken
    received = cells["t3_new_received__total"]
    tables = [
        _noisy_table(t, noise, rng)
        for t in S._modern_tables(fmt, cells, rng.random() < 0.2 and blanks)
    ]
    meta = S.Modern(
        fmt,
        year,
        agency,
        published,
        int(received or 0),
        None if fmt == "v2019" else rng.choice((0, 0, 400)),
    )
    doc, facts = S._modern_doc(meta, rng, tables)
    if received is None:
        facts = [f for f in facts if f[0] != "applications_received"]
    return _render(doc, layout, tables[0] if layout == "flat_t2" else None), cells, facts, broken


def generate(spec: CorpusSpec) -> Iterator[SyntheticReport]:
    """Every report of the corpus, in index order."""
    for index in range(spec.n):
        yield make_report(spec, index)


def write_corpus(out_dir: Path, spec: CorpusSpec) -> CorpusSummary:
    """Write ``out_dir/inbox/…`` and ``out_dir/truth.jsonl``; return counts.

    Args:
        out_dir: corpus root, created if missing; files of the same name are replaced.
        spec: size, seed and shares.
    """
    inbox, truth_path = out_dir / "inbox", out_dir / "truth.jsonl"
    formats: Counter[str] = Counter()
    layouts: Counter[str] = Counter()
    broken = 0
    made: set[Path] = set()
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    with truth_path.open("w", encoding="utf-8") as out:
        for report in generate(spec):
            path = inbox / report.path
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(report.text.encode("utf-8"))
            out.write(json.dumps(report.truth, ensure_ascii=False) + "\n")
            formats[report.truth["format"]] += 1
            layouts[report.truth["layout"]] += 1
            broken += bool(report.truth["inconsistent"])
    return CorpusSummary(spec.n, inbox, truth_path, dict(formats), dict(layouts), broken)


def read_truth(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m xxgk.synthetic.corpus OUT_DIR N [SEED]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (2, 3):
        sys.stderr.write("usage: python -m xxgk.synthetic.corpus OUT_DIR N [SEED]\n")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    spec = CorpusSpec(int(args[1]), int(args[2]) if len(args) == 3 else DEFAULT_SEED)
    summary = write_corpus(Path(args[0]), spec)
    log.info(
        "wrote %d reports under %s (%s); truth in %s",
        summary.reports,
        summary.inbox,
        summary.by_format,
        summary.truth,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
