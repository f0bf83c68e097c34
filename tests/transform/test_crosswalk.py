"""The dictionary seeds are what xxgk.transform.crosswalk writes; the crosswalk follows SPEC §4."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from xxgk.dictionary.measures import COMPARABILITY, MEASURES, Measure, Source
from xxgk.dictionary.metric_names import english_name
from xxgk.dictionary.metrics import raw_dictionary
from xxgk.transform.crosswalk import (
    DEFAULT_SEED_DIR,
    REGION_SEED,
    crosswalk_rows,
    region_rows,
    seed_files,
)

REGENERATE = "PYTHONPATH=plugins .venv/bin/python -m xxgk.transform.crosswalk"


def read_seed(relative: str) -> list[dict[str, str]]:
    text = (DEFAULT_SEED_DIR / relative).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("relative", sorted(seed_files()))
def test_committed_seed_equals_generator_output(relative: str) -> None:
    committed = DEFAULT_SEED_DIR / relative
    assert committed.is_file(), f"{relative} missing: run {REGENERATE}"
    assert committed.read_text(encoding="utf-8") == seed_files()[relative], (
        f"{relative} is stale: run {REGENERATE}"
    )


def test_every_metric_has_an_english_name() -> None:
    rows = read_seed("dictionary/dictionary_metrics.csv")
    codes = {(m["code"], f["id"]) for f in raw_dictionary()["formats"] for m in f["metrics"]}
    assert {(r["metric_code"], r["format_id"]) for r in rows} == codes
    assert all(r["english_name"] for r in rows)
    assert english_name("t3_new_received__natural_person") == (
        "New applications received, natural person"
    )
    assert english_name("t4_lit_after_review_pending") == "Lawsuits after review: pending"
    assert english_name("v19_t2_penalty_prev_items") == (
        "Administrative penalties: items in the previous year"
    )


def test_english_name_rejects_unknown_codes() -> None:
    for code in ("old_nonexistent", "t3_new_received__aliens", "x_1"):
        with pytest.raises(ValueError):
            english_name(code)


def test_crosswalk_has_one_row_per_measure_and_format() -> None:
    rows = read_seed("dictionary/dictionary_crosswalk.csv")
    measure_rows = read_seed("dictionary/dictionary_conformed_measures.csv")
    measures = [r["measure_code"] for r in measure_rows]
    formats = [r["format_id"] for r in read_seed("reference/reference_formats.csv")]
    assert sorted((r["measure_code"], r["format_id"]) for r in rows) == sorted(
        (m, f) for m in measures for f in formats
    )
    assert {r["comparability"] for r in rows} <= set(COMPARABILITY)
    for row in rows:
        codes = row["metric_codes"].split("+") if row["metric_codes"] else []
        assert len(codes) == int(row["component_count"])
        # codes are listed exactly when the format feeds the measure
        assert bool(codes) == (row["comparability"] != "not_comparable"), row


def test_crosswalk_follows_spec_section_4() -> None:
    rows = {(r["measure_code"], r["format_id"]): r for r in crosswalk_rows(raw_dictionary())}

    def cell(measure: str, fmt: str) -> tuple[Any, str]:
        return rows[measure, fmt]["metric_codes"], rows[measure, fmt]["comparability"]

    # the provincial year_cumulative table's row stands beside the national one: a report
    # prints one of them, never 历年累计
    assert cell("applications_received", "old") == ("old_app_received+old_yc_app_received", "good")
    assert cell("applications_received", "v2019") == ("t3_new_received__total", "good")
    assert cell("applications_carried_over", "old") == (None, "not_comparable")
    assert cell("applications_withheld", "old") == (
        "old_ans_denied+old_yc_ans_denied",
        "approximate",
    )
    assert cell("applications_withheld", "v2021")[0].count("+") == 7  # 8 reason rows
    assert cell("lawsuits_total", "v2019") == (
        "t4_lit_direct_total+t4_lit_after_review_total",
        "good",
    )
    assert cell("normative_documents_issued", "v2019")[1] == "approximate"  # 制作 vs 制发
    assert cell("normative_documents_in_force", "v2019") == (None, "not_comparable")
    assert cell("disclosure_fees_collected", "v2021") == (None, "not_comparable")
    assert cell("proactive_disclosures", "old") == ("old_act_info_total+old_yc_act_docs", "good")
    assert not any("cumulative" in (r["metric_codes"] or "") for r in rows.values())
    assert all(cell(m.code, "narrative")[0] is None for m in MEASURES)


def test_crosswalk_rejects_codes_outside_the_dictionary() -> None:
    wrong_format = Measure("x", "g", "X", "X", "件", {"old": Source(("t3_new_received__total",))})
    with pytest.raises(ValueError, match="is not a old metric"):
        crosswalk_rows(raw_dictionary(), [wrong_format])
    wrong_unit = Measure("x", "g", "X", "X", "万元", {"old": Source(("old_app_received",))})
    with pytest.raises(ValueError, match="is not in 万元"):
        crosswalk_rows(raw_dictionary(), [wrong_unit])
    with pytest.raises(ValueError):
        Source((), "good")  # a comparable source needs codes


def test_region_rows_cut_codes_to_six_digits() -> None:
    adcodes = (
        "adcode,name,longitude,latitude\n"
        "652323000000,呼图壁县,86.8,44.1\n"
        "650000000000,新疆维吾尔自治区,87.6,43.7\n"
        "652323100000,某镇,0,0\n"  # township: not a 6-digit division
    )
    assert region_rows(adcodes) == [
        {"region_code": "650000", "region_name": "新疆维吾尔自治区"},
        {"region_code": "652323", "region_name": "呼图壁县"},
    ]


def test_committed_region_seed_is_well_formed() -> None:
    rows = read_seed(REGION_SEED)
    codes = [r["region_code"] for r in rows]
    assert len(rows) > 3000
    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"\d{6}", code) for code in codes)
    by_code = {r["region_code"]: r["region_name"] for r in rows}
    assert by_code["652323"] == "呼图壁县" and by_code["331000"] == "台州市"
    notice = (DEFAULT_SEED_DIR / Path(REGION_SEED).parent / "NOTICE").read_text(encoding="utf-8")
    assert "cpca 0.5.5" in notice and "MIT" in notice


def test_every_measure_column_is_documented() -> None:
    path = DEFAULT_SEED_DIR.parent / "models" / "marts" / "measures" / "_measures__models.yml"
    models = {m["name"]: m for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]}
    documented = {c["name"] for c in models["fct_agency_year_measures"]["columns"]}
    seeded = read_seed("dictionary/dictionary_conformed_measures.csv")
    measures = {r["measure_code"] for r in seeded}
    assert measures <= documented, f"describe {sorted(measures - documented)} in {path.name}"
