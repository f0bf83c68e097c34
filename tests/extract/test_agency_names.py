"""Candidate publisher names checked against the gazetteer: inserted text stripped where a
real name remains, a compiling office's government, crumbs on any separator."""

from __future__ import annotations

import pytest

from xxgk.dictionary import regions
from xxgk.extract.agency_crawl import crumbs, last_crumb, site_region
from xxgk.extract.agency_names import check, compiling_office, same_body


@pytest.mark.parametrize(
    ("name", "grade", "kept"),
    [
        ("桃江县松木塘镇人民政府", "clean", "桃江县松木塘镇人民政府"),
        ("麻阳苗族自治县板栗树乡人民政府", "clean", "麻阳苗族自治县板栗树乡人民政府"),
        ("宁波市鄞州区人民政府东胜街道办事处", "clean", "宁波市鄞州区人民政府东胜街道办事处"),
        ("道县文广新局", "clean", "道县文广新局"),  # a two-character county
        ("区统计局", "bare", "区统计局"),  # a level word: placed by the text later
        ("县人民政府", "bare", "县人民政府"),
        ("城市管理局", "bare", "城市管理局"),
        ("国家税务总局青川县税务局", "bare", "国家税务总局青川县税务局"),
        ("示例市统计局", "unverified", "示例市统计局"),  # no such division
        ("垦利县胜坨镇人民政府", "unverified", "垦利县胜坨镇人民政府"),  # 垦利县 is 垦利区 now
        # zones are no divisions, and no spam either
        ("西湖风景名胜区管委会", "clean", "西湖风景名胜区管委会"),
        ("天津港保税区管委会", "clean", "天津港保税区管委会"),
        ("高新技术产业开发区管理委员会", "unverified", "高新技术产业开发区管理委员会"),
        # inserted text before a real name, in a name or pasted crumbs
        ("新葡京博彩官网区人民政府北京街道办事处", "polluted", "北京街道办事处"),
        ("puroview.com溪下乡", "polluted", "溪下乡"),
        (
            "首页信息公开政府信息公开年报桃江县松木塘镇人民政府",
            "polluted",
            "桃江县松木塘镇人民政府",
        ),
        ("桃江县新葡京松木塘镇人民政府", "polluted", "桃江县松木塘镇人民政府"),
        # nothing real remains: no name at all
        ("新葡京博彩官网区人民政府", "polluted", "新葡京博彩官网区人民政府"),
        ("www.57365.com", "polluted", "www.57365.com"),
        # a column's name, no place: no publisher
        ("乡镇(街道", "polluted", "乡镇(街道"),
        ("镇人民政府", "polluted", "镇人民政府"),
        ("街道办事处", "polluted", "街道办事处"),
        ("puroview.com区统计局", "polluted", "puroview.com区统计局"),
        ("澳门威尼斯人官网县人民政府", "polluted", "澳门威尼斯人官网县人民政府"),
    ],
)
def test_names_are_checked_against_the_gazetteer(name: str, grade: str, kept: str) -> None:
    found = check(name)
    assert (found.grade, found.name) == (grade, kept)
    assert found.usable == (grade != "polluted" or kept != name)


def test_a_township_office_compiles_its_governments_report() -> None:
    assert compiling_office("两城镇人民政府党政办公室") == (
        "两城镇人民政府",
        "两城镇人民政府党政办公室",
    )
    assert compiling_office("包垟乡人民政府办公室") == ("包垟乡人民政府", "包垟乡人民政府办公室")
    assert compiling_office("溪下乡党政办") == ("溪下乡人民政府", "溪下乡党政办")
    assert compiling_office("北京街道党政办公室") == ("北京街道办事处", "北京街道党政办公室")
    # a county government's office is a body of its own
    assert compiling_office("孝感市人民政府办公室") is None


def test_names_of_one_body() -> None:
    assert same_body("北京街道办事处", "越秀区北京街道办事处")
    assert same_body("溪下乡", "溪下乡人民政府")
    assert not same_body("青川县统计局", "青川县审计局")


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "首页 > 信息公开 > 政府信息公开年报 > 桃江县松木塘镇人民政府",
        "首页›信息公开›桃江县松木塘镇人民政府›正文",
        "当前位置：首页 » 政务公开 » 桃江县松木塘镇人民政府 » 年报",
        "您现在的位置: 首页 / 桃江县松木塘镇人民政府 / 政府信息公开年报",
        "首页 → 信息公开 → 桃江县松木塘镇人民政府",
        "首页>>信息公开>>桃江县松木塘镇人民政府",
    ],
)
def test_the_last_crumb_naming_a_body_on_any_separator(breadcrumb: str) -> None:
    found = last_crumb(breadcrumb)
    assert found is not None and found.name == "桃江县松木塘镇人民政府"
    assert found.signal == "crawl_breadcrumb"


def test_crumbs_and_the_sites_division() -> None:
    assert crumbs("当前位置：首页 > 信息公开 › 年报") == ["首页", "信息公开", "年报"]
    site = site_region("松木塘镇2020年年报_桃江县人民政府", "首页 > 信息公开")
    assert site is not None and site[0] == regions.region("430922")
    # a site whose name is no division places nothing
    assert site_region("政府信息公开年报_示例市人民政府", None) is None
