"""Report metadata: year covered, publication date, title, period, scope.

Who published the report is ``xxgk.extract.agency``."""

from __future__ import annotations

import re
from datetime import date

from xxgk.core.text import simplify

_YEAR_PERIOD = re.compile(
    r"统计(?:期限|时间|期间)[^。]{0,12}?(?:自|从|为)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日"
)
_YEAR_TITLE = re.compile(r"(\d{4})\s*年度?[^。\n]{0,40}?政府信息公开(?:工作)?年度?报告")
_YEAR_MENTION = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)")
_YEAR_CAPTION_OLD = re.compile(r"(\d{4})\s*年度政府信息公开情况统计表|[(（](\d{4})\s*年度[)）]")
# 发布/成文/公开时间: the date after 时间/日期 (a leading optional word would make the
# regex engine try a match at every character)
_DATE_ISO = re.compile(r"(?:时间|日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MARKUP = re.compile(r"^[#>\s]+|\*\*|__")  # markdown headings, quotes, emphasis


def report_year(text: str) -> int | None:
    """Calendar year the report covers, or None when the text does not say."""
    s = simplify(text)
    for rx in (_YEAR_PERIOD, _YEAR_TITLE):
        m = rx.search(s)
        if m and 2000 <= int(m.group(1)) <= 2100:
            return int(m.group(1))
    m = _YEAR_CAPTION_OLD.search(s)
    if m:
        return int(m.group(1) or m.group(2))
    m = _YEAR_MENTION.search(s[:1500])  # '2019年，我局…' opening the 总体情况 section
    if m and 2000 <= int(m.group(1)) <= 2100:
        return int(m.group(1))
    return None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def published_on(lines: list[str], year: int | None) -> date | None:
    """Publication date: the page's 发布/成文 date, else the signature date.

    The signature is a line holding only a date (it may precede an appended 统计表), else
    the last date in the closing lines; it must fall after the report year.
    """
    text = simplify("\n".join(lines))
    m = _DATE_ISO.search(text)
    if m and (d := _valid(int(m[1]), int(m[2]), int(m[3]))):
        return d
    simple = [simplify(ln) for ln in lines if ln.strip()]
    # whitespace-free lines: those that may be a date alone (they hold 日), and the last 8
    standalone = [
        p
        for p in ("".join(s.split()) for s in simple if "日" in s)
        if _DATE_CN.fullmatch(p.strip("|"))
    ]
    for line in reversed(standalone + ["".join(s.split()) for s in simple[-8:]]):
        for mm in reversed(list(_DATE_CN.finditer(line))):
            d = _valid(int(mm[1]), int(mm[2]), int(mm[3]))
            if d and (year is None or d.year > year):
                return d
    return None


_ORG_CODE = re.compile(
    r"索\s*引\s*号\s*[:：|]?\s*(?P<code>[0-9A-Z]{18}|[0-9A-Z]{9}|[0-9]{7,8}-[0-9X])\s*/"
)
_PERIOD = re.compile(
    r"(?:统计(?:期限|时间|期间)|数据)[^。]{0,12}?(?:自|从|为)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*"
    r"(\d{1,2})\s*日[^。\d]{0,8}?(?:至|到|-|—)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_AGGREGATE = re.compile(
    # 综合 the verb ('综合各部门年度报告'), not the name of a zone (平潭综合实验区)
    r"综合(?!实验|试验|示范|保税|开发|执法|改革|行政|服务|治理)[^。]{0,20}"
    r"(?:各县|各区|各部门|各乡镇)|全(?:市|省|区|县|州)各级行政机关|汇总[^。]{0,10}编制|"
    r"本(?:市|省|区|县)(?:各级)?政府信息公开工作年度报告由|"
    # '全区主动公开政府信息3460条。其中，区管委会及区直各部门…': the region's total
    r"全(?:市|省|区|县|州)(?:共)?主动公开[^。]{0,30}。?[^。]{0,30}?(?:直各部门|直各单位|各乡镇)"
)
_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开)[^。]{0,12}(年度报告|年报|工作总结)")


def agency_org_code(text: str) -> str | None:
    m = _ORG_CODE.search(simplify(text))
    return m["code"] if m else None


def statistics_period(text: str) -> tuple[date | None, date | None]:
    """(start, end) of the statistics period the report states, e.g. 2018-01-01 … 2018-12-30."""
    m = _PERIOD.search(simplify(text))
    if not m:
        return None, None
    y1 = int(m[1])
    y2 = int(m[4]) if m[4] else y1
    return _valid(y1, int(m[2]), int(m[3])), _valid(y2, int(m[5]), int(m[6]))


def report_scope(text: str) -> str:
    """'aggregate' for a region's summary (汇总) report, else 'own' (the totals are stated in
    the overview or the 主动公开 section, within the first few thousand characters)."""
    return "aggregate" if report_scope_evidence(text) is not None else "own"


def report_scope_evidence(text: str) -> str | None:
    """The words that make a report a region's summary (汇总) report, or None."""
    m = _AGGREGATE.search(simplify(text)[:6000])
    return m.group(0) if m else None


# a field label a page or form puts before the title (标题：…), not part of it
_TITLE_LABEL = re.compile(r"^(?:文章)?(?:标题|题目|名称)[:：]")
# a line that is only the publisher, printed above a title that starts with the year
_BODY_LINE = re.compile(
    r"^[^\d，,：:]{2,30}(政府|局|委员会|委|办公室|办|街道办事处|镇|乡|中心|厅|院|署|所)$"
)


# the end of a title broken over two lines: '年度报告', '政府信息公开工作年度报告'
_TITLE_END = re.compile(
    r"^(?:\d{4}年度?)?(?:政府|政务)?(?:信息)?(?:公开)?(?:工作)?(?:年度)?(?:报告|年报|工作总结)$"
)


def join_split_title(line: str, nxt: str) -> str | None:
    """A title broken over two lines, its second line only the end ('道县文广新局2013年度信息
    公开工作' / '年度报告', '硚口区人民政府汉正街道办事处2025年' / '政府信息公开工作年度报告'):
    joined. The first line must hold the subject (信息公开, or end in its year)."""
    second = "".join(nxt.split())
    first = line.rstrip()
    if len(second) > 16 or not _TITLE_END.match(second):
        return None
    if re.search(r"信息公开|政务公开", first) or re.search(r"\d{4}年度?$", first):
        return first + second
    return None


def title(lines: list[str]) -> str | None:
    """The report's title: the first title-like line among the first 30, without a field
    label, joined with a line above that names only the publisher or a line below that
    finishes it (a title printed over two lines)."""
    cleaned = [
        _TITLE_LABEL.sub("", re.sub(r"\s+", "", _MARKUP.sub("", simplify(line))))
        for line in lines[:30]
    ]
    previous = ""
    for i, s in enumerate(cleaned):
        if any(m in s for m in (">", "|", "当前位置", "索引号", "首页", "。")):
            previous = ""
            continue  # breadcrumbs, metadata blocks and prose are not the title
        following = cleaned[i + 1] if i + 1 < len(cleaned) else ""
        if not _TITLE.search(s) and (joined := join_split_title(s, following)):
            s = joined
        if 6 <= len(s) <= 80 and _TITLE.search(s):
            s = s.rsplit("-", 1)[-1] if s.startswith("Page") else s
            if previous and s[:1].isdigit() and _BODY_LINE.match(previous):
                s = previous + s
            return s
        previous = s if s else previous
    return None
