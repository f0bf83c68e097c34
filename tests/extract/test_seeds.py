"""`xxgk extract` on the seed reports returns the values of SPEC Appendix A."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import seed
from tests.support.report_values import SEED001
from xxgk.extract import extract_file

SEED002_NONZERO = {
    "old_act_info_total": 645,
    "old_act_channels_total": 976,
    "old_act_ch_website": 927,
    "old_act_ch_weibo": 12,
    "old_act_ch_wechat": 37,
    "old_s2_header_total": 19,
    "old_resp_hotspots": 2,
    "old_resp_channels_total": 17,
    "old_resp_press_conf": 1,
    "old_resp_press_conf_principal": 1,
    "old_resp_interpretations": 14,
    "old_resp_weibo_wechat": 1,
    "old_resp_other": 1,
    "old_s3_header_total": 1,
    "old_app_received": 1,
    "old_app_recv_online": 1,
    "old_app_closed": 1,
    "old_app_closed_on_time": 1,
    "old_app_answered": 1,
    "old_ans_granted": 1,
    "old_org_dedicated_units": 1,
    "old_org_reading_points": 1,
    "old_org_staff_total": 1,
    "old_org_staff_parttime": 1,
    "old_org_special_funds": 2,
    "old_train_meetings": 2,
    "old_train_classes": 2,
    "old_train_trainees": 6,
}


def _values(record: dict[str, Any]) -> dict[str, Any]:
    values = {c["metric"]: c["value"] for c in record["cells"] if c["metric"]}
    assert len(values) == len([c for c in record["cells"] if c["metric"]]), "duplicate metric"
    return values


def test_seed001_glued_old_table(seeds_dir: Path) -> None:
    rec = extract_file(seed(seeds_dir, "001"))
    assert (rec["format"], rec["report_year"], rec["status"]) == ("old", 2017, "ok")
    assert rec["agency"] == "台州市经济和信息化委员会"  # 填报单位, not the title's 市经信委
    assert (rec["agency_org_code"], rec["region_code"]) == ("002668274", "331000")
    assert rec["title"] == "台州市经信委2017年度政务信息公开工作总结"
    values = _values(rec)
    assert {k: v for k, v in values.items() if v is not None} == SEED001
    # blank is not zero: the 1.政府公报 row is printed without a value
    assert "old_act_ch_gazette" in values and values["old_act_ch_gazette"] is None
    assert values["old_lit_total"] == 0
    assert len(values) == 64  # every printed row of the Zhejiang table (no 建议提案 block)


def test_seed002_pipe_old_table(seeds_dir: Path) -> None:
    rec = extract_file(seed(seeds_dir, "002"))
    assert (rec["format"], rec["report_year"]) == ("old", 2016)
    values = _values(rec)
    assert {k: v for k, v in values.items() if v} == SEED002_NONZERO
    # every printed zero is a reported 0, and the only blanks are the two header rows
    assert sorted(k for k, v in values.items() if v is None) == [
        "old_s1_header_total",
        "old_s9_header_total",
    ]
    assert values["old_act_ch_gazette"] == 0 and values["old_den_state_secret"] == 0
    # the scraped placeholder 'www. 57365.com' is rejected; the body names 市水库和生态移民局
    # ('我局') and 六盘水 (document numbers): SPEC §5
    assert rec["agency"] == "六盘水市水库和生态移民局"
    assert (rec["region_code"], rec["admin_level"]) == ("520200", "prefecture")


def test_seed004_v2019_cell_per_line_and_flattened(seeds_dir: Path) -> None:
    rec = extract_file(seed(seeds_dir, "004"))
    assert (rec["format"], rec["report_year"]) == ("v2019", 2020)
    assert rec["agency"] == "呼图壁县商务和工业信息化局"
    assert rec["published_on"] == "2021-01-20"
    assert (rec["region_code"], rec["admin_level"], rec["body_type"]) == (
        "652323",
        "county",
        "department",
    )
    assert (rec["period_start"], rec["period_end"]) == ("2020-01-01", "2020-12-31")
    values = _values(rec)
    t2 = {k: v for k, v in values.items() if k.startswith("v19_t2_")}
    assert len(t2) == 22
    assert {k: v for k, v in t2.items() if v} == {
        "v19_t2_ndoc_total_published": 6,
        "v19_t2_penalty_prev_items": 9,
    }
    t3 = {k: v for k, v in values.items() if k.startswith("t3_")}
    t4 = {k: v for k, v in values.items() if k.startswith("t4_")}
    assert len(t3) == 23 * 7 and set(t3.values()) == {0}
    assert len(t4) == 15 and set(t4.values()) == {0}
    assert rec["issues"] == []


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_narrative_only_seeds(seeds_dir: Path, prefix: str) -> None:
    rec = extract_file(seed(seeds_dir, prefix))
    assert rec["format"] == "narrative" and rec["cells"] == []
    values = {f["value"] for f in rec["narrative"]}
    assert {"000": {142}, "003": {206}}[prefix] <= values


def test_seed001_narrative_numbers(seeds_dir: Path) -> None:
    rec = extract_file(seed(seeds_dir, "001"))
    values = [f["value"] for f in rec["narrative"]]
    for expected in (66, 329, 416, 5, 22, 17):
        assert expected in values


def test_seed003_statistics_period_ends_early(seeds_dir: Path) -> None:
    rec = extract_file(seed(seeds_dir, "003"))
    assert (rec["period_start"], rec["period_end"]) == ("2018-01-01", "2018-12-30")  # SPEC §7.1
    assert (rec["region_code"], rec["admin_level"]) == ("650000", "province")
