"""Where a report states who published it: one finder per signal.

Each finder reads the simplified text (NFKC, simplified script) and returns the name as
stated with the snippet it came from, or None. ``xxgk.extract.agency`` tries them in order
of reliability and qualifies the winner with its divisions. Finders only look where the
signal lives (the head lines, the first paragraph, the closing lines), so the work per report
is a handful of regex searches over a few kilobytes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from xxgk.dictionary.regions import most_mentioned
from xxgk.extract import townships
from xxgk.extract.metadata import join_split_title

Signal = Literal[
    "hints_file",
    "form_field",
    "title",
    "compiled_by",
    "signature",
    "page_chrome",
    "subject",
    "self_reference",
    "breadcrumb",
    "crawl_title",
    "crawl_anchor",
    "crawl_breadcrumb",
    "inbox_path",
]


@dataclass(frozen=True)
class Found:
    name: str
    signal: Signal
    snippet: str


_AGENCY_SUFFIX = re.compile(
    r"(人民政府|办公厅|办公室|委员会|管理委员会|管委会|街道办事处|办事处|厅|局|委|办|署|院|中心|"
    r"政府|镇|乡|街道|苏木|所|站|队|会)$"
)
_REGION_SUFFIX = re.compile(r"(市|县|区|省|自治区|旗|州|盟)$")
_PLACEHOLDER = re.compile(r"www\.|\.com|\.cn|http|[a-z]{3}", re.I)
# what a mirror inserts into a name: a domain or URL, a run of Latin letters or digits
_INSERTED = re.compile(r"(?:https?://|www\.)?[A-Za-z0-9][A-Za-z0-9._/-]*", re.I)
_SIMPLE_AGENCY = r"[^\d\s，,。:：;；《》|>/<]"
# page chrome that a copy glues onto a name ('…局发布时间：', '…局(以下简称…')
_CHROME_TAIL = re.compile(r"(?:[(（]以下简称|发布时间|发布日期|来源|时间|字号|浏览|点击|打印).*$")
_GENERIC = re.compile(
    r"^(?:人民政府|政府|本机关|本局|本级|机关|政务公开|政府信息公开|信息公开|首页|年报|正文|"
    r"镇街|部门|区县|乡镇|街道|各县|市直部门|办公室|管委会|委员会|领导小组|单位)$"
)
_STOP_START = re.compile(
    r"^(?:关于|本|我|在|由|为|经|根据|按照|以|对|将|从|各|全|今年|去年|现将|现公布|特)"
)
STOP_START = _STOP_START


def clean(name: str, *, region_ok: bool = False) -> str | None:
    """The name without quotes, chrome and leading function words; None if it is no name."""
    name = _CHROME_TAIL.sub("", re.sub(r"\s+", "", name))
    name = name.strip("《》“”\"'()（）:：,，、._-—·")
    name = re.sub(r"^(关于|本|我)", "", name)
    if len(name) < 2 or len(name) > 40 or _GENERIC.match(name):
        return None
    if _PLACEHOLDER.search(name):
        # a placeholder ('www. 57365.com') is no name; a name a mirror inserted a domain
        # into ('puroview.com溪下乡') is kept whole: agency_names strips and grades it
        rest = clean(_INSERTED.sub("", name), region_ok=region_ok)
        return name if rest and not _PLACEHOLDER.search(rest) else None
    if _AGENCY_SUFFIX.search(name) or (region_ok and _REGION_SUFFIX.search(name)):
        return name
    return None


# ------------------------------------------------------------------ form field, title

_FORM = re.compile(r"填报单位\s*(?:\(盖章\))?\s*[:：]\s*(?P<a>[^\s|]{3,40})")
# '单位：X' on a line of its own or between commas ('…联系,单位:溪下乡党政办,电话:…'): the
# office that compiled a township's report; '计量单位:', '(单位:万元)' and '主办单位:' are not
_UNIT_LINE = re.compile(
    r"(?:^|[\n,，;；。 \t])(?:编制|报送)?单位[ \t]*[:：][ \t]*(?P<a>[^\s|,，;；。:：()（）]{3,40})"
    r"(?=[\s,，;；。]|$)"
)
_REPORT = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报|工作总结)"
_TITLE = (
    re.compile(rf"^\d{{4}}年度?(?P<a>{_SIMPLE_AGENCY}{{2,40}}?)(?:\d{{4}}年度?)?{_REPORT}"),
    re.compile(rf"^(?P<a>{_SIMPLE_AGENCY}{{2,40}}?)(?:关于)?\d{{4}}年度?{_REPORT}"),
    # 'X政府信息公开工作2020年度报告': the year after the subject
    re.compile(
        rf"^(?P<a>{_SIMPLE_AGENCY}{{2,40}}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?"
        r"\d{4}年度?(?:报告|年报)"
    ),
)
_YEAR_TITLE = re.compile(rf"^\d{{4}}年度?(?:度)?{_REPORT}")
_CHROME_LABEL = re.compile(r"^(?:标题|文章标题|题名|名称)[:：]")
_MARKUP = re.compile(r"^[#>\s*]+|\*\*|__")
_FLIPBOOK = re.compile(r"^Page\s*\d+\s*[-–]\s*")
_TITLE_WORD = re.compile(r"报告|年报|总结")
_CRUMB_LINE = re.compile(r"当前位置|首页|>|›|»")
_HEAD_CHARS = 400  # a crawler's one-line dump: the title is in its first few hundred characters


def form_field(text: str) -> Found | None:
    """The old 统计表's '填报单位：X' — the formal name."""
    m = _FORM.search(text)
    if m and (name := clean(m["a"])):
        return Found(name, "form_field", m[0])
    for m in _UNIT_LINE.finditer(text):
        if name := clean(m["a"]):
            return Found(name, "form_field", m[0].strip(",，;；。 \t\n"))
    return None


def _title_in(compact: str) -> str | None:
    for rx in _TITLE:
        m = rx.search(compact)
        if m and (name := clean(m["a"], region_ok=True)) and not _STOP_START.match(name):
            return name
    return None


def _flipbook(line: str) -> str | None:
    """'Page 9 - 2020年报_审计局': the part beside the year's 年报."""
    for part in re.split(r"[_｜|]", _FLIPBOOK.sub("", line)):
        if not re.search(r"\d{4}", part) and (name := clean(part)):
            return name
    return None


def title(head: list[str]) -> Found | None:
    """'X2020年度政府信息公开工作年度报告' (or year first) in the first lines; a title split
    over two lines ('淮安市人民政府' / '2024年政府信息公开工作年度报告'); a title after a
    chrome label or inside a breadcrumb line (tried from each space)."""
    for i, raw in enumerate(head):
        flipbook = "Page" in raw[:12]
        if not flipbook and not _TITLE_WORD.search(raw, 0, _HEAD_CHARS):
            if i + 1 < len(head) and (joined := join_split_title(raw, head[i + 1])):
                raw = joined  # '道县文广新局2013年度信息公开工作' / '年度报告'
            else:
                continue  # no 报告/年报/总结: neither a title nor a title's second line
        line = _CHROME_LABEL.sub("", _MARKUP.sub("", raw[:_HEAD_CHARS]).strip())
        if flipbook and _FLIPBOOK.match(line) and (name := _flipbook(line)):
            return Found(name, "title", line[:80])
        words = line.split()
        # a title inside a chrome or breadcrumb line starts at a space; prose has none
        for k in range(min(len(words), 12) if "。" not in line else 1):
            compact = "".join(words[k:])
            if (name := _title_in(compact)) is not None:
                return Found(name, "title", compact[:80])
        compact = "".join(words)
        if i > 0 and _YEAR_TITLE.match(compact):
            above = "".join(head[i - 1].split())
            if _CRUMB_LINE.search(above) or re.search("[:：]", above):
                continue  # a breadcrumb or a labelled field above the title is no name
            if (name := clean(_MARKUP.sub("", above))) is not None:
                return Found(name, "title", f"{above} / {compact[:40]}")
    return None


# ------------------------------------------------------------------ statements in the body

_COMPILED = (
    re.compile(
        rf"本报告由(?P<a>{_SIMPLE_AGENCY}{{3,30}}?)(?:根据|依据|按照|依照|结合|编制|"
        r"负责编制|汇总)"
    ),
    re.compile(
        r"现(?:将|公布|公开|特向社会公布)\s*(?:\d{4}\s*年度?)?\s*"
        rf"(?P<a>{_SIMPLE_AGENCY}{{3,30}}?)\s*\d{{4}}\s*年度?\s*(?:政府|政务)?信息公开"
    ),
    re.compile(rf"由(?P<a>{_SIMPLE_AGENCY}{{3,30}}?)编制"),
    # '由安康市统计局围绕2020年度…工作情况编制而成': a verb between the body and 编制
    re.compile(
        rf"由(?P<a>{_SIMPLE_AGENCY}{{3,30}}?)(?:围绕|根据|依据|按照|依照|结合|负责|牵头|汇总)"
        r"[^。]{0,40}?编制"
    ),
)


def compiled_by(text: str) -> Found | None:
    """'本报告由X根据…编制', '现将X2019年政府信息公开工作年度报告如下'."""
    for rx in _COMPILED:
        m = rx.search(text)
        if m and (name := clean(m["a"])) and not _STOP_START.match(name):
            return Found(name, "compiled_by", m[0][:80])
    return None


_DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


_NAME_DATE = re.compile(r"(?P<a>[^\d]{3,30}?)\d{4}年\d{1,2}月\d{1,2}日$")


def signature(tail: list[str]) -> Found | None:
    """The name on the line above the closing date ('X' / '2021年1月20日'), or before it on
    the same line ('X 2021年1月20日')."""
    for i in range(len(tail) - 1, -1, -1):
        line = re.sub(r"\s+", "", tail[i])
        m = _NAME_DATE.search(line)
        if m and (name := clean(m["a"])) and not _STOP_START.match(name):
            return Found(name, "signature", line)
        if i > 0 and _DATE_LINE.match(line):
            cand = re.sub(r"\s+", "", tail[i - 1])
            if len(cand) <= 30 and (name := clean(cand)) and not _STOP_START.match(name):
                return Found(name, "signature", f"{cand} / {line}")
    return None


_CHROME_FIELDS = (
    re.compile(
        r"(?:发布机构|发文机关|发布单位|公开主体|信息来源)[ \t]*[:：][ \t]*"
        r"(?P<a>[^\s|]{2,40})"
    ),
    re.compile(r"(?<![信息])来源[ \t]*[:：][ \t]*(?P<a>[^\s|]{2,40})"),
)


def page_chrome(text: str) -> Found | None:
    """'发布机构：X', '信息来源：X' of the page's metadata block, else '来源：X' (often the
    portal's government, so tried last)."""
    head = text[:3000]
    for rx in _CHROME_FIELDS:
        for m in rx.finditer(head):
            if (name := clean(m["a"], region_ok=True)) and not _STOP_START.match(name):
                return Found(name, "page_chrome", m[0][:60])
    return None


_VERBS = (
    "始终|认真|高度重视|坚持|深入|严格|积极|全面|进一步|紧紧|紧扣|紧密|按照|围绕|共|切实|持续|"
    "扎实|不断|狠抓|继续|大力|强化|加强|着力|聚焦|依法|主动|全力|立足|结合|贯彻|以|把|将|在|"
    "对|通过|进行|完成|编制|的政府信息公开|政府信息公开工作"
)
_SUBJECT = re.compile(
    r"(?:^|[\n。，,；;:：]|以来|年度?)"
    r"(?P<a>[\u4e00-\u9fff]{2,25}?(?:局|委员会|委|办公室|办|厅|中心|人民政府|政府|乡|镇|"
    rf"街道办事处|街道|管委会|管理委员会|院|署))(?:{_VERBS})"
)
_NOT_BODY = re.compile(r"政务公开|领导小组|公开办|人大|政协|党委|纪委|县委|市委|区委|上级|各|我|度")


# the formal body of a township (乡/镇) or subdistrict (街道) named by its place name
_TOWNSHIP_BODY = {"乡": "人民政府", "镇": "人民政府", "街道": "办事处", "街": "办事处"}


def subject(text: str) -> Found | None:
    """The first paragraph's subject: '今年以来,荣昌区林业局认真贯彻…', '文登区住建局高度重视…'."""
    start = text.find("总体情况")
    body = text[start : start + 800] if start >= 0 else text[:800]
    for m in _SUBJECT.finditer(body):
        name = clean(m["a"])
        if name and not _STOP_START.match(name) and not _NOT_BODY.search(name):
            # '肖村乡坚持…' names the place; the body speaking is its government
            kind = next((k for k in _TOWNSHIP_BODY if name.endswith(k)), None)
            if kind and townships.is_known(name):
                name += _TOWNSHIP_BODY[kind]
            return Found(name, "subject", m[0][:60])
    return None


# ------------------------------------------------------------------ self-references

_SELF_REF = re.compile(r"[我本](局|委|厅|办|中心|署|乡|镇|街道|街)")
_BARE_BODY = re.compile(
    r"(?:^|[^\u4e00-\u9fff])(?P<level>市|县|区|省|州)(?P<core>[\u4e00-\u9fff]{2,12}?)"
    r"(?P<suffix>局|委员会|厅|办公室|中心|署)"
)
_LEVEL_OF_WORD = {
    "市": "prefecture",
    "州": "prefecture",
    "县": "county",
    "区": "county",
    "省": "province",
}


def _township_named(text: str, kind: str) -> Found | None:
    """'我乡' + the 乡 the text names most that the township list knows: 肖村乡人民政府."""
    want = "街道" if kind in ("街道", "街") else kind
    counts = Counter(
        tail
        for m in townships.TOWNSHIP_NAME.finditer(text[:6000])
        if m[0].endswith(want) and (tail := townships.known_tail(m[0]))
    )
    if not counts:
        return None
    name = max(counts, key=lambda n: (counts[n], len(n)))
    return Found(name + _TOWNSHIP_BODY[kind], "self_reference", f"{name} … 我{kind}")


def _department_named(text: str, suffix: str) -> Found | None:
    """'我局' + a bare-level mention ('市水库和生态移民局') + the region the text names most."""
    bodies = Counter(
        (m["level"], m["core"], m["suffix"])
        for m in _BARE_BODY.finditer(text)
        if m["suffix"].startswith(suffix) and not _NOT_BODY.search(m["core"])
    )
    if not bodies:
        return None
    # the most frequent mention; among equals the longest (市移民局 abbreviates 市水库和生态移民局)
    level, core, body_suffix = max(bodies, key=lambda b: (bodies[b], len(b[1])))
    place = most_mentioned(text, _LEVEL_OF_WORD[level])
    if place is None:
        return None
    return Found(
        f"{place.name}{core}{body_suffix}",
        "self_reference",
        f"{level}{core}{body_suffix} … 我{suffix}",
    )


def self_reference(text: str) -> Found | None:
    """A body that calls itself '我局/我乡/我镇' and is named elsewhere in the text."""
    refs = Counter(m.group(1) for m in _SELF_REF.finditer(text))
    if not refs:
        return None
    kind = refs.most_common(1)[0][0]
    if kind in _TOWNSHIP_BODY:
        return _township_named(text, kind)
    return _department_named(text, kind)


# ------------------------------------------------------------------ navigation and provenance


def breadcrumb(head: list[str]) -> Found | None:
    """'首页 > 荣昌区林业局 > 政府信息公开年报': the deepest segment that names a body."""
    for line in head:
        if not _CRUMB_LINE.search(line):
            continue
        parts = [p.strip() for p in re.split(r"[>›»/→]|当前位置[:：]?", line[:_HEAD_CHARS])]
        for part in reversed(parts):
            name = clean(part)
            if name and not _STOP_START.match(name) and len(name) >= 4:
                return Found(name, "breadcrumb", line.strip()[:80])
    return None


def inbox_path(source: str | None) -> Found | None:
    """'inbox/2020/某县统计局/report.pdf': a folder named after the body."""
    if not source:
        return None
    folders = re.split(r"[\\/]", source)[:-1]
    for folder in reversed(folders):
        name = clean(folder)
        if name and len(name) >= 4 and not _STOP_START.match(name):
            return Found(name, "inbox_path", source[-80:])
    return None
