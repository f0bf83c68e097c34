"""Is a decoded file a report at all? Error, login and 404 pages are not.

A report says what it is: 政府信息公开 / 年度报告 / 统计表, or carries the labels of the
statistical tables. A page with none of them is ``not_a_report``. A short page whose
title or first lines announce an error (404, 页面不存在, 请登录…) is ``not_a_report`` even
when its site navigation mentions 信息公开, unless it names an annual report or a table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xxgk.core.text import simplify, squash
from xxgk.dictionary.metrics import detection_markers

_REPORT_WORDS = (
    "信息公开",
    "政务公开",
    "年度报告",
    "工作报告",
    "统计表",
    "依申请公开",
    "主动公开",
    "申请人情况",
    "行政复议",
    "政府信息",
)
_STRONG_WORDS = ("年度报告", "工作报告", "统计表", "统计指标", "申请人情况")
_ERROR_PAGE = re.compile(
    r"(?:HTTP\s*)?\b(?:40[034]|50[0-4])\b\s*(?:not ?found|forbidden|error|错误|页面|bad)|"
    r"not ?found|forbidden|页面不存在|页面没有找到|找不到|无法找到|未找到|出错了|错误页|"
    r"访问受限|拒绝访问|无权访问|请登录|用户登录|登录页|验证码|已被删除|已删除|已过期|"
    r"维护中|系统繁忙",
    re.I,
)
_SHORT_PAGE = 3000  # characters of visible text: error pages are short
_HEAD_LINES = 8


@lru_cache(maxsize=1)
def _markers() -> tuple[str, ...]:
    table_labels = [squash(m) for ms in detection_markers().values() for m in ms]
    return tuple(squash(w) for w in _REPORT_WORDS) + tuple(table_labels)


def report_problem(lines: list[str]) -> str | None:
    """Why ``lines`` are not a report (a message), or None when they may be one."""
    raw = "\n".join(lines)
    # squash() keeps a run of plain Chinese characters intact: a marker and a strong word
    # found in the raw text settle it without normalising every line
    if any(m in raw for m in _markers()) and any(w in raw for w in _STRONG_WORDS):
        return None
    text = squash(raw)
    if not any(m in text for m in _markers()):
        return "no report marker (政府信息公开 / 年度报告 / 统计表 / table labels)"
    if len(text) < _SHORT_PAGE and not any(w in text for w in _STRONG_WORDS):
        head = " ".join([ln.strip() for ln in lines if ln.strip()][:_HEAD_LINES])[:300]
        if _ERROR_PAGE.search(simplify(head)):
            return f"an error or login page: {head[:80]!r}"
    return None
