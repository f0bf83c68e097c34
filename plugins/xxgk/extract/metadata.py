"""Report metadata: year covered, agency, administrative level, publication date."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from xxgk.core.text import simplify
from xxgk.dictionary.regions import Region, most_mentioned, regions, resolve

_YEAR_PERIOD = re.compile(
    r"统计(?:期限|时间|期间)[^。]{0,12}?(?:自|从|为)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日"
)
_YEAR_TITLE = re.compile(r"(\d{4})\s*年度?[^。\n]{0,40}?政府信息公开(?:工作)?年度?报告")
_YEAR_MENTION = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)")
_YEAR_CAPTION_OLD = re.compile(r"(\d{4})\s*年度政府信息公开情况统计表|[(（](\d{4})\s*年度[)）]")
_TITLE_AGENCY = (
    re.compile(r"^(?:\d{4}\s*年度?)\s*(?P<a>[^\d\s，,。:：]{2,40}?)\s*(?:\d{4}\s*年度?)?"
               r"\s*政府信息公开(?:工作)?年度?报告"),
    re.compile(r"^(?P<a>[^\d\s，,。:：]{2,40}?)\s*\d{4}\s*年度?\s*政府信息公开(?:工作)?年度?报告"),
    re.compile(r"^(?P<a>[^\d\s，,。:：]{2,40}?)\s*\d{4}\s*年度?\s*政务信息公开工作总结"),
)
_BODY_AGENCY = (
    re.compile(r"现(?:将|公布|公开|特向社会公布)\s*(?:\d{4}\s*年度?)?\s*"
               r"(?P<a>[^\d\s，,。:：《》]{3,30}?)\s*\d{4}\s*年度?\s*(?:政府)?信息公开"),
    re.compile(r"由\s*(?P<a>[^\d\s，,。:：《》]{3,30}?)\s*编制"),
    re.compile(r"填报单位\s*(?:\(盖章\)|（盖章）)?\s*[:：]\s*(?P<a>[^\s|]{3,40})"),
)
# 发布/成文/公开时间: the date after 时间/日期 (a leading optional word would make the
# regex engine try a match at every character)
_DATE_ISO = re.compile(r"(?:时间|日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_AGENCY_SUFFIX = re.compile(
    r"(人民政府|办公厅|办公室|委员会|管理委员会|管委会|街道办事处|办事处|厅|局|委|办|署|院|中心|"
    r"政府|镇|乡|街道|所|站|队|会)$"
)
_MARKUP = re.compile(r"^[#>\s]+|\*\*|__")  # markdown headings, quotes, emphasis
_REGION_SUFFIX = re.compile(r"(市|县|区|省|自治区|旗|州|盟)$")
_PLACEHOLDER = re.compile(r"www\.|\.com|\.cn|http", re.I)
_LEVELS = (
    ("national", re.compile(r"^(国务院|国家|中华人民共和国)")),
    ("province", re.compile(r"^(?:自治区|省)")),
    ("township", re.compile(r"乡|镇|街道|苏木")),
    ("province", re.compile(
        r"^(?:[^市县区]{2,8}(省|自治区)|北京市|上海市|天津市|重庆市|国务院|国家)")),
    ("county", re.compile(r"(县|区|旗|县级市)")),
    ("prefecture", re.compile(r"(市|州|盟|地区)")),
)


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


def _clean_agency(name: str, *, region_ok: bool = False) -> str | None:
    name = re.sub(r"\s+", "", name).strip("《》“”\"'()（）:：,，、")
    name = re.sub(r"^(关于|本|我)", "", name)
    if len(name) < 2 or _PLACEHOLDER.search(name):
        return None
    if _AGENCY_SUFFIX.search(name) or (region_ok and _REGION_SUFFIX.search(name)):
        return name
    return None


def _expand(name: str, text: str) -> str:
    """'西长安街街道' → '西长安街街道办事处' when the body uses the full name."""
    if not name.endswith(("街道", "乡", "镇")):
        return name
    m = re.search(re.escape(name) + r"(办事处|人民政府)", text)
    return name + m.group(1) if m else name


def agency(lines: list[str]) -> str | None:
    """Name of the reporting body, from the title, the body text or the signature."""
    text = simplify("\n".join(lines))
    m = _BODY_AGENCY[2].search(text)  # 填报单位 of the old table: the formal name
    if m and (name := _clean_agency(m["a"])):
        return name
    head = [_MARKUP.sub("", simplify(ln)).strip() for ln in lines[:15] if ln.strip()]
    for line in head:
        for part in (line, line.rsplit(" - ", 1)[-1]):
            compact = "".join(part.split())
            for rx in _TITLE_AGENCY:
                m = rx.search(compact)
                if m and (name := _clean_agency(m["a"], region_ok=True)):
                    return _expand(name, text)
    for rx in _BODY_AGENCY[:2]:
        m = rx.search(text)
        if m and (name := _clean_agency(m["a"])):
            return name
    return _signature_agency(lines) or recover_agency(text)


def _signature_agency(lines: list[str]) -> str | None:
    tail = [simplify(ln).strip() for ln in lines if ln.strip()][-6:]
    for i in range(len(tail) - 1, 0, -1):
        if _DATE_CN.fullmatch(re.sub(r"\s+", "", tail[i])) or _DATE_CN.match(tail[i]):
            cand = re.sub(r"\s+", "", tail[i - 1])
            if len(cand) <= 30 and (name := _clean_agency(cand)):
                return name
    return None


def admin_level(agency_name: str | None) -> str:
    if not agency_name:
        return "unknown"
    for level, rx in _LEVELS:
        if rx.search(agency_name):
            return level
    return "unknown"


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
    standalone = [p for p in ("".join(s.split()) for s in simple if "日" in s)
                  if _DATE_CN.fullmatch(p.strip("|"))]
    for line in reversed(standalone + ["".join(s.split()) for s in simple[-8:]]):
        for mm in reversed(list(_DATE_CN.finditer(line))):
            d = _valid(int(mm[1]), int(mm[2]), int(mm[3]))
            if d and (year is None or d.year > year):
                return d
    return None


_ORG_CODE = re.compile(
    r"索\s*引\s*号\s*[:：|]?\s*(?P<code>[0-9A-Z]{18}|[0-9A-Z]{9}|[0-9]{7,8}-[0-9X])\s*/")
_PERIOD = re.compile(
    r"(?:统计(?:期限|时间|期间)|数据)[^。]{0,12}?(?:自|从|为)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*"
    r"(\d{1,2})\s*日[^。\d]{0,8}?(?:至|到|-|—)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_AGGREGATE = re.compile(
    r"综合[^。]{0,20}(?:各县|各区|各部门|各乡镇)|全(?:市|省|区|县|州)各级行政机关|汇总[^。]{0,10}编制|"
    r"本(?:市|省|区|县)(?:各级)?政府信息公开工作年度报告由")
_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开)[^。]{0,12}(年度报告|年报|工作总结)")
_BODY_TYPES = (
    ("subdistrict_office", re.compile(r"街道办事处$|街道$")),
    ("township_government", re.compile(r"(乡|镇|苏木)(人民政府)?$")),
    ("government_office", re.compile(r"(人民政府办公厅|人民政府办公室|政府办公室|政府办公厅)$")),
    ("people_government", re.compile(r"人民政府$|^[^局委厅办]{2,12}(市|县|区|省|自治区|旗)$")),
    ("dev_zone_committee", re.compile(r"(管理委员会|管委会)$")),
    ("department", re.compile(r"(局|委|厅|办|委员会|署|院|所|中心|站|队|会)$")),
)


def agency_org_code(text: str) -> str | None:
    m = _ORG_CODE.search(simplify(text))
    return m["code"] if m else None


def body_type(agency_name: str | None) -> str | None:
    if not agency_name:
        return None
    for kind, rx in _BODY_TYPES:
        if rx.search(agency_name):
            return kind
    return None


def statistics_period(text: str) -> tuple[date | None, date | None]:
    """(start, end) of the statistics period the report states, e.g. 2018-01-01 … 2018-12-30."""
    m = _PERIOD.search(simplify(text))
    if not m:
        return None, None
    y1 = int(m[1])
    y2 = int(m[4]) if m[4] else y1
    return _valid(y1, int(m[2]), int(m[3])), _valid(y2, int(m[5]), int(m[6]))


def report_scope(text: str) -> str:
    """'aggregate' for a region's summary (汇总) report, else 'own'."""
    return "aggregate" if _AGGREGATE.search(simplify(text)[:3000]) else "own"


def title(lines: list[str]) -> str | None:
    for line in lines[:30]:
        s = re.sub(r"\s+", "", _MARKUP.sub("", simplify(line)))
        if any(m in s for m in (">", "|", "当前位置", "索引号", "首页", "。")):
            continue  # breadcrumbs, metadata blocks and prose are not the title
        if 6 <= len(s) <= 80 and _TITLE.search(s):
            return s.rsplit("-", 1)[-1] if s.startswith("Page") else s
    return None


_BARE_LEVEL = re.compile(r"^(自治区|省|市|县|区|州)")


def region_of(agency_name: str | None, text: str) -> Region | None:
    """The agency's division: from its name, else (for '自治区工信厅'-style names) from the
    full region name the report spells out."""
    if agency_name:
        found = resolve(agency_name, text)
        if found:
            return found
        m = _BARE_LEVEL.match(agency_name)
        if m:
            level = m.group(1)
            for r in regions():
                if r.name.endswith(level) and len(r.name) > len(level) + 1 and r.name in text:
                    return r
    return None


def admin_level_of(agency_name: str | None, found: Region | None) -> str:
    """Level from the division code (县级市 are counties), name cues as a fallback."""
    by_name = admin_level(agency_name)
    if by_name in ("township", "national") or found is None:
        return by_name
    return found.level


_SELF_REF = re.compile(r"[我本](局|委|厅|办|中心|署)")
_BARE_BODY = re.compile(
    r"(?:^|[^\u4e00-\u9fff])(?P<level>市|县|区|省|州)(?P<core>[\u4e00-\u9fff]{2,12}?)"
    r"(?P<suffix>局|委员会|厅|办公室|中心|署)")
_NOT_SELF = re.compile(r"政府|政务公开|领导小组|公开办|人大|政协|党委|纪委")
_LEVEL_OF_WORD = {"市": "prefecture", "州": "prefecture", "县": "county", "区": "county",
                  "省": "province"}


def recover_agency(text: str) -> str | None:
    """An agency named only by a self-reference ('我局') and a bare-level mention
    ('市水库和生态移民局') plus the region the text names most: 六盘水市水库和生态移民局."""
    refs = Counter(m.group(1) for m in _SELF_REF.finditer(text))
    if not refs:
        return None
    suffix = refs.most_common(1)[0][0]
    bodies = Counter(
        (m["level"], m["core"], m["suffix"]) for m in _BARE_BODY.finditer(text)
        if m["suffix"].startswith(suffix) and not _NOT_SELF.search(m["core"])
    )
    if not bodies:
        return None
    # the most frequent mention; among equals the longest (市移民局 abbreviates 市水库和生态移民局)
    level, core, body_suffix = max(bodies, key=lambda b: (bodies[b], len(b[1])))
    place = most_mentioned(text, _LEVEL_OF_WORD[level])
    return f"{place.name}{core}{body_suffix}" if place else None
