"""Text normalisation: the fast paths give exactly what the plain definitions give.

``simplify`` skips its NFKC pass when C's quick check says a line is normalised already, and
``squash`` of a document is the concatenation of its (cached) lines' squash. Both are checked
against straightforward reference implementations on text mixing the characters that matter:
full-width forms, combining marks, traditional characters, odd brackets and whitespace.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.core import text

_ALPHABET = (
    "主动公开政府信息数条件（）()：:，。１２３ＡＢ　 \t\xa0\n"  # full-width, NBSP, U+3000
    "於徵資訊處理【】〔〕「」『』〖〗[]"  # traditional characters and the brackets squash unifies
    "e\u0301\u0344\u2460\u00bd\ufb01\u3164\u200b\u2028"  # combining, compatibility, oddities
)


def _reference_simplify(line: str) -> str:
    line = text._NFKC_CHANGES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line)
    return line.translate(text._TRAD2SIMP)


def _reference_squash(line: str) -> str:
    s = "".join(_reference_simplify(line).split())
    for odd, plain in text._BRACKET_PAIRS:
        s = s.replace(odd, plain)
    return s


@settings(max_examples=400, derandomize=True)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_simplify_equals_the_reference(sample: str) -> None:
    lines = sample.split("\n")
    assert [text.simplify(ln) for ln in lines] == [_reference_simplify(ln) for ln in lines]
    assert text.simplify(sample) == "\n".join(_reference_simplify(ln) for ln in lines)


@settings(max_examples=400, derandomize=True)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_squash_of_a_document_is_its_lines_squashed(sample: str) -> None:
    assert text.squash(sample) == "".join(_reference_squash(ln) for ln in sample.split("\n"))


def test_full_width_and_traditional_text_is_normalised() -> None:
    assert text.simplify("（二）資訊：１２３") == "(二)资讯:123"
    assert text.squash("【其他】 主动\u3000公开\n数 ２") == "(其他)主动公开数2"


def test_a_title_loses_its_field_label_and_keeps_both_of_its_lines() -> None:
    from xxgk.extract.metadata import title

    assert title(["标题：北京市2020年政府信息公开工作年度报告"]) == (
        "北京市2020年政府信息公开工作年度报告"
    )
    # the publisher on a line of its own above a title that starts with the year
    assert title(["XX县人民政府", "2020年政府信息公开工作年度报告"]) == (
        "XX县人民政府2020年政府信息公开工作年度报告"
    )
    # a title cut after its subject
    assert title(["道县文广新局2013年度信息公开工作", "年度报告"]) == (
        "道县文广新局2013年度信息公开工作年度报告"
    )
    # prose or a breadcrumb above is not part of it
    assert title(["根据条例规定，现公布如下", "2020年政府信息公开工作年度报告"]) == (
        "2020年政府信息公开工作年度报告"
    )
    assert title(["首页 > 信息公开", "某某局2019年政府信息公开工作年度报告"]) == (
        "某某局2019年政府信息公开工作年度报告"
    )
