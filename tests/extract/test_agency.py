"""Who published a report: each signal on real wording, qualification, and the scorer's figure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, require_shared
from xxgk.core.text import simplify
from xxgk.extract import extract_bytes, townships
from xxgk.extract.agency import Hint, Provenance, load_hints, resolve


def _resolve(text: str, prov: Provenance | None = None) -> tuple[str | None, ...]:
    s = simplify(text)
    a = resolve(s, prov)
    signal = a.evidence["signal"] if a.evidence else None
    return a.name, a.qualified, a.region_code, a.admin_level, a.body_type, signal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title split over two lines (a city government's PDF)
        (
            "淮安市人民政府\n2024年政府信息公开工作年度报告\n一、总体情况",
            (
                "淮安市人民政府",
                "淮安市人民政府",
                "320800",
                "prefecture",
                "people_government",
                "title",
            ),
        ),
        # year-first title, a municipality
        (
            "2022年上海市政府信息公开工作年度报告\n",
            ("上海市", "上海市", "310000", "province", "people_government", "title"),
        ),
        # a township title whose name the township list places in its county
        (
            "铁边城镇2022年度政府信息公开年报\n一、总体情况\n今年以来,我镇…",
            (
                "铁边城镇",
                "延安市吴起县铁边城镇",
                "610626101",
                "township",
                "township_government",
                "title",
            ),
        ),
        # the first paragraph's subject
        (
            "一、总体情况\n今年以来,荣昌区林业局认真贯彻落实《条例》",
            ("荣昌区林业局", "重庆市荣昌区林业局", "500153", "county", "department", "subject"),
        ),
        (
            "一、总体情况\n文登区住建局高度重视政府信息公开工作",
            ("文登区住建局", "威海市文登区住建局", "371003", "county", "department", "subject"),
        ),
        # a self-reference resolved to the township the text names
        (
            "2021年政府信息公开工作年度报告\n一、总体情况\n《定兴县2021年政务公开工作要点》,"
            "肖村乡坚持党委领导。2021年度我乡主动公开政务信息8条。",
            (
                "肖村乡人民政府",
                "保定市定兴县肖村乡人民政府",
                "130626204",
                "township",
                "township_government",
                "subject",
            ),
        ),
        (
            "一、总体情况\n2021年度我乡主动公开政务信息8条。定兴县肖村乡的公开目录…我乡",
            (
                "肖村乡人民政府",
                "保定市定兴县肖村乡人民政府",
                "130626204",
                "township",
                "township_government",
                "self_reference",
            ),
        ),
        # statements in the body; a bare level word qualified by the region named elsewhere
        (
            "一、总体情况\n本报告由保康县农业农村局根据《条例》要求编制。",
            (
                "保康县农业农村局",
                "襄阳市保康县农业农村局",
                "420626",
                "county",
                "department",
                "compiled_by",
            ),
        ),
        (
            "现将市经信委2017年政府信息公开工作年度报告如下。台州市各级…",
            ("台州市经信委", "台州市经信委", "331000", "prefecture", "department", "compiled_by"),
        ),
        (
            "2021年政府信息公开工作年度报告\n一、总体情况\n2021年,县乡村振兴局认真贯彻青川县委部署",
            (
                "青川县乡村振兴局",
                "广元市青川县乡村振兴局",
                "510822",
                "county",
                "department",
                "subject",
            ),
        ),
        # page chrome, flip-book titles, signature
        (
            "发布机构：青川县统计局\n2020年度报告\n",
            ("青川县统计局", "广元市青川县统计局", "510822", "county", "department", "page_chrome"),
        ),
        (
            "Page 9 - 2020年报_审计局\n一、总体情况",
            ("审计局", None, None, "unknown", "department", "title"),
        ),
        (
            "一、总体情况\n2019年,我局做好公开。\n吴起县统计局\n2020年1月15日",
            ("吴起县统计局", "延安市吴起县统计局", "610626", "county", "department", "signature"),
        ),
        (
            "一、总体情况\n2019年,我局做好公开。\n吴起县统计局  2020年1月15日",
            ("吴起县统计局", "延安市吴起县统计局", "610626", "county", "department", "signature"),
        ),
        (
            "青川县审计局政府信息公开工作2019年度报告\n",
            ("青川县审计局", "广元市青川县审计局", "510822", "county", "department", "title"),
        ),
        # a development zone is no division of its own
        (
            "标题: 平潭综合实验区管委会2014年度政府信息公开工作年度报告\n",
            (
                "平潭综合实验区管委会",
                "福州市平潭综合实验区管委会",
                "350128",
                "county",
                "dev_zone_committee",
                "title",
            ),
        ),
    ],
)
def test_signals_on_real_wording(text: str, expected: tuple[str | None, ...]) -> None:
    assert _resolve(text) == expected


def test_a_name_many_counties_share_stays_without_county() -> None:
    assert len(townships.candidates("城关镇")) > 1
    name, qualified, code, *_ = _resolve("一、总体情况\n城关镇坚持依法公开。我镇公开信息12条。")
    assert (name, qualified, code) == ("城关镇人民政府", None, None)


def test_a_shared_name_resolves_with_the_county_the_text_names() -> None:
    # 太平镇 exists in 50 counties; the report names its own
    name, qualified, code, *_ = _resolve(
        "太平镇人民政府2022年政府信息公开工作年度报告\n在巨野县委、巨野县人民政府的领导下"
    )
    assert name == "太平镇人民政府"
    assert code is not None and code.startswith("371724")


def test_a_compiler_statement_with_a_verb_before_its_编制() -> None:
    text = "本年度报告由安康市统计局围绕2020年度政府信息公开工作情况编制而成。\n一、总体情况"
    assert _resolve(text)[:3] == ("安康市统计局", "安康市统计局", "610900")


def test_chrome_and_abbreviation_notes_are_cleaned_off() -> None:
    name, *_ = _resolve("一、总体情况\n本报告由中原区审计局(以下简称本局)根据《条例》编制。")
    assert name == "中原区审计局"


def test_provenance_names_the_body_when_the_text_does_not(tmp_path: Path) -> None:
    text = "2020年政府信息公开工作年度报告\n一、总体情况\n全年公开信息12条。"
    by_path = _resolve(text, Provenance(source="inbox/2020/青川县统计局/report.pdf"))
    assert by_path[:3] == ("青川县统计局", "广元市青川县统计局", "510822")
    assert by_path[-1] == "inbox_path"
    hints = tmp_path / "agencies.csv"
    hints.write_text(
        "pattern,agency,division_code\n*/tongji/*,青川县统计局,510822\n", encoding="utf-8"
    )
    loaded = load_hints(hints)
    assert loaded == (Hint("*/tongji/*", "青川县统计局", "510822"),)
    by_hint = _resolve(text, Provenance(url="http://example.org/tongji/a.html", hints=loaded))
    assert by_hint[0] == "青川县统计局" and by_hint[-1] == "hints_file"


def test_a_crawled_page_names_the_body_when_the_attachment_does_not() -> None:
    """An attachment whose text names no publisher: the page the crawl took it from does
    (its title, the link's text, its breadcrumb), after every signal of the text itself."""
    text = "2020年政府信息公开工作年度报告\n一、总体情况\n全年公开信息12条。"
    page = Provenance(page_title="荣昌区林业局2020年政府信息公开工作年度报告")
    assert _resolve(text, page)[:3] == ("荣昌区林业局", "重庆市荣昌区林业局", "500153")
    assert _resolve(text, page)[-1] == "crawl_title"
    link = Provenance(anchor_text="青川县统计局2020年度政府信息公开工作年度报告")
    assert _resolve(text, link)[0] == "青川县统计局"
    crumb = Provenance(breadcrumb="首页 > 政务公开 > 青川县统计局 > 政府信息公开年报")
    assert _resolve(text, crumb)[0] == "青川县统计局" and _resolve(text, crumb)[-1] == (
        "crawl_breadcrumb"
    )
    # the report's own title still decides over what the site says
    own = "荣昌区林业局2020年政府信息公开工作年度报告\n一、总体情况"
    assert _resolve(own, Provenance(page_title="青川县统计局年报"))[0] == "荣昌区林业局"


def test_a_government_domain_names_the_region_a_mirror_does_not() -> None:
    text = "2020年政府信息公开工作年度报告\n一、总体情况\n2020年,区林业局认真贯彻《条例》"
    gov = _resolve(text, Provenance(url="http://www.rongchang.gov.cn/zwgk/2021/a.html"))
    assert gov[:3] == ("荣昌区林业局", "重庆市荣昌区林业局", "500153")
    mirror = _resolve(text, Provenance(url="http://www.example.com/rongchang.gov.cn/a.html"))
    assert mirror[:3] == ("区林业局", None, None)
    # a crawl's dump prints the page's address: the region is known, the agency is not
    dump = "原文链接: https://www.pingtan.gov.cn/zwgk/a.htm\n一、总体情况\n全年公开信息12条。"
    assert _resolve(dump)[:3] == (None, None, "350128")


def test_unknown_agency_is_null_with_a_reason() -> None:
    rec = extract_bytes(
        "2023年政府信息公开工作年度报告\n一、总体情况\n全年公开信息12条。\n".encode(), "x.txt"
    )
    assert (rec["agency"], rec["agency_qualified"], rec["agency_evidence"]) == (None, None, None)
    assert "agency_unknown" in [i["code"] for i in rec["issues"]]


def test_record_carries_evidence_and_confidence() -> None:
    rec = extract_bytes("淮安市人民政府\n2024年政府信息公开工作年度报告\n".encode(), "x.txt")
    assert rec["agency_evidence"]["signal"] == "title"
    assert "淮安市人民政府" in rec["agency_evidence"]["snippet"]
    assert 0 < rec["agency_confidence"] <= 1


def _agency_score(truth: Path) -> tuple[int, int]:
    scorer = require_shared(SHARED / "tools" / "score_extract.py")
    xxgk = Path(sys.executable).with_name("xxgk")
    out = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--truth",
            str(truth),
            "--cmd",
            f"{xxgk} extract {{files}} --json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=300,
    ).stdout
    m = re.search(r"agency (\d+)/(\d+)", out.strip().splitlines()[-1])
    assert m, out
    return int(m[1]), int(m[2])


def test_stated_agencies_found_on_real_and_hard_reports() -> None:
    """≥ 90% of the agencies the reports state (the scorer's agency column, both sets)."""
    real = _agency_score(require_shared(SHARED / "eval" / "real"))
    hard = _agency_score(require_shared(SHARED / "eval" / "hard"))
    ok, total = real[0] + hard[0], real[1] + hard[1]
    assert ok / total >= 0.9, (real, hard)


_NO_NAME = "2020年政府信息公开工作年度报告\n一、总体情况\n全年公开信息12条。"


def test_a_breadcrumb_is_read_by_its_last_crumb_not_pasted() -> None:
    """A page whose first line is its breadcrumb, above a title naming no body: the crumb
    naming a body, not the whole line (issue 27, 1)."""
    text = "首页 > 信息公开 > 政府信息公开年报 > 桃江县松木塘镇人民政府\n" + _NO_NAME
    assert _resolve(text)[:3] == (
        "桃江县松木塘镇人民政府",
        "益阳市桃江县松木塘镇人民政府",
        "430922109",
    )
    crumb = Provenance(breadcrumb="首页›信息公开›政府信息公开年报›桃江县松木塘镇人民政府")
    assert _resolve(_NO_NAME, crumb)[0] == "桃江县松木塘镇人民政府"
    assert _resolve(_NO_NAME, crumb)[-1] == "crawl_breadcrumb"


def test_inserted_spam_loses_to_clean_provenance_and_is_stripped() -> None:
    """A mirror's inserted words: the clean signals decide and agree with the polluted
    name's real remainder (issue 27, 2)."""
    text = "新葡京博彩官网区人民政府北京街道办事处2019年政府信息公开工作年度报告\n一、总体情况\n"
    prov = Provenance(
        anchor_text="北京街道办事处2019年政府信息公开工作年度报告",
        breadcrumb="首页 > 信息公开 > 北京街道办事处",
    )
    a = resolve(simplify(text), prov)
    assert (a.name, a.qualified, a.region_code) == (
        "北京街道办事处",
        "广州市越秀区北京街道办事处",
        "440104003",
    )
    assert a.evidence is not None and a.evidence["signal"] == "crawl_anchor"
    assert set(a.evidence.get("agrees", [])) == {"title", "crawl_breadcrumb"}
    # the only signal, polluted: its real remainder, with what was stripped
    only = resolve(simplify("一、总体情况\n现公布puroview.com溪下乡2017年政府信息公开工作年度报告"))
    assert (only.name, only.region_code) == ("溪下乡", "330324228")
    assert only.evidence is not None and only.evidence.get("inserted") == "puroview.com"
    # inserted text and no real name left: unknown, not the spam
    spam = resolve(simplify("新葡京博彩官网区人民政府2019年政府信息公开工作年度报告\n"))
    assert spam.name is None and spam.issue is not None


@pytest.mark.parametrize(
    ("text", "publisher", "compiler"),
    [
        (
            "两城镇人民政府党政办公室2020年政府信息公开工作年度报告\n",
            "两城镇人民政府",
            "两城镇人民政府党政办公室",
        ),
        (
            "包垟乡人民政府办公室2020年政府信息公开工作年度报告\n",
            "包垟乡人民政府",
            "包垟乡人民政府办公室",
        ),
        (
            "2020年政府信息公开工作年度报告\n单位：溪下乡党政办\n一、总体情况\n",
            "溪下乡人民政府",
            "溪下乡党政办",
        ),
        # a one-line dump: the statement between commas, beside a mirror's inserted domain
        (
            "要求,现公布puroview.com溪下乡2017年政府信息公开工作年度报告。如有疑问,请与本单位"
            "政府信息公开受理机构联系,单位:溪下乡党政办,电话:0577-67137027。一、概述",
            "溪下乡人民政府",
            "溪下乡党政办",
        ),
    ],
)
def test_a_township_office_compiled_the_governments_report(
    text: str, publisher: str, compiler: str
) -> None:
    """The township's 党政办/办公室 only compiled it: the government publishes (issue 27, 3)."""
    a = resolve(simplify(text))
    assert (a.name, a.compiler, a.body_type, a.admin_level) == (
        publisher,
        compiler,
        "township_government",
        "township",
    )
    assert a.region_code is not None and len(a.region_code) == 9


def test_unit_and_footer_lines_are_no_compiler() -> None:
    text = "表1 (单位:万元)\n计量单位:件\n主办单位:示例县人民政府\n2020年政府信息公开工作年度报告\n"
    assert resolve(simplify(text)).name is None


def test_unqualified_names_take_the_division_the_text_or_crawl_names() -> None:
    """A bare level word by the region the text names; a bare department by the division
    another signal spells for the same body or the crawled site's name (issue 27, 4)."""
    text = "区政府办公室2020年政府信息公开工作年度报告\n一、总体情况\n武汉市汉阳区深入推进政务公开"
    a = resolve(simplify(text))
    assert (a.name, a.qualified, a.region_code) == (
        "汉阳区政府办公室",
        "武汉市汉阳区政府办公室",
        "420105",
    )
    assert a.region_evidence == {"via": "text", "snippet": "汉阳区"}
    # a neighbour named as often: the county spelt with its city is the report's own
    both = resolve(simplify(text + ",与江岸区交流经验。"))
    assert both.region_code == "420105"
    tied = resolve(simplify("区政府办公室2020年政府信息公开工作年度报告\n汉阳区与江岸区交流经验。"))
    assert (tied.qualified, tied.region_code) == (None, None)  # two counties, no answer
    page = Provenance(page_title="统计局2020年政府信息公开工作年度报告_桃江县人民政府")
    b = resolve(simplify("统计局2020年政府信息公开工作年度报告\n"), page)
    assert (b.qualified, b.region_code) == ("益阳市桃江县统计局", "430922")
    assert b.region_evidence is not None and b.region_evidence["via"] == "crawl"


def test_a_title_split_after_its_year_is_joined() -> None:
    text = "硚口区人民政府汉正街道办事处2025年\n政府信息公开工作年度报告\n依据《条例》编制本报告。"
    assert _resolve(text)[:3] == (
        "硚口区人民政府汉正街道办事处",
        "武汉市硚口区人民政府汉正街道办事处",
        "420104009",
    )


def test_a_title_split_after_its_subject_is_joined() -> None:
    """'道县文广新局2013年度信息公开工作' / '年度报告' (issue 27, 5)."""
    text = "道县文广新局2013年度信息公开工作\n年度报告\n一、概述\n"
    assert _resolve(text) == (
        "道县文广新局",
        "永州市道县文广新局",
        "431124",
        "county",
        "department",
        "title",
    )


def test_a_region_for_an_unnamed_publisher_only_when_one_place_is_named() -> None:
    text = "一、总体情况\n我局按照青川县政务公开要点,在青川县委领导下公开信息12条。"
    a = resolve(simplify(text))
    assert (a.name, a.region_code) == (None, "510822")
    assert a.region_evidence == {"via": "text", "snippet": "青川县"}
    # 通州区 is a district of Beijing and of Nantong: the text does not say which
    shared = resolve(simplify("一、总体情况\n我局按照通州区政务公开工作要点开展工作。"))
    assert shared.region_code is None


def test_a_page_dumps_site_owner_places_a_body_named_without_its_division() -> None:
    """'主办单位：桃江县人民政府' in a dump's footer: the site's division."""
    footer = "\n主办单位：桃江县人民政府 承办：县政务服务中心"
    a = resolve(simplify("审计局2020年政府信息公开工作年度报告\n一、总体情况\n" + footer))
    assert (a.name, a.qualified, a.region_code) == ("审计局", "益阳市桃江县审计局", "430922")
    assert a.region_evidence is not None and a.region_evidence["via"] == "site"
    # a footer naming no real division places nothing
    fake = resolve(simplify("审计局2020年政府信息公开工作年度报告\n主办单位：示例市人民政府"))
    assert fake.region_code is None
