"""Division codes from agency names: longest prefix, nesting, ties decided by the text."""

from __future__ import annotations

import pytest

from xxgk.dictionary.regions import resolve as region_of_name
from xxgk.dictionary.regions import short_name
from xxgk.extract import agency_signals
from xxgk.extract.agency import admin_level, resolve


@pytest.mark.parametrize(
    ("agency", "text", "code"),
    [
        ("呼图壁县商务和工业信息化局", "", "652323"),
        ("威海市文登区信访局", "", "371003"),  # prefecture, then its district
        ("新疆维吾尔自治区工业和信息化厅", "", "650000"),
        ("朝阳区人民政府", "北京市朝阳区", "110105"),  # 朝阳区 exists in Beijing and Changchun
        ("朝阳区人民政府", "长春市朝阳区", "220104"),
        ("太平镇人民政府", "", None),  # 太平 is not 太平区
        ("安仁乡人民政府", "来源:将乐县人民政府门户网站", "350428"),  # township: county named
        ("上海市", "", "310000"),
    ],
)
def test_resolve(agency: str, text: str, code: str | None) -> None:
    found = region_of_name(agency, text)
    assert (found.code if found else None) == code


def test_bare_level_name_takes_the_region_the_text_names_most() -> None:
    text = "自治区工信厅\n2018年政府信息公开工作年度报告\n新疆维吾尔自治区工业和信息化厅"
    found = resolve(text)
    assert (found.name, found.qualified, found.region_code) == (
        "新疆维吾尔自治区工信厅",
        "新疆维吾尔自治区工信厅",
        "650000",
    )


def test_county_level_city_is_a_county() -> None:
    found = region_of_name("阜康市发展和改革委员会")
    assert found is not None and found.code == "652302"
    assert admin_level("阜康市发展和改革委员会", found, "department") == "county"


def test_short_names() -> None:
    assert [short_name(n) for n in ("新疆维吾尔自治区", "昌吉回族自治州", "麻阳苗族自治县")] == [
        "新疆",
        "昌吉",
        "麻阳",
    ]


def test_recover_agency_from_self_reference_and_mentions() -> None:
    text = (
        "《六盘水市2016年度政务公开工作实施方案》(六盘水府办发电〔2016〕43号)。我局高度重视。"
        "落实《市移民局工作要点》。市水库和生态移民局申请开通政务微博。"
    )
    found = agency_signals.self_reference(text)
    assert found is not None and found.name == "六盘水市水库和生态移民局"
    assert agency_signals.self_reference("没有自称的文本。市水库和生态移民局。") is None
