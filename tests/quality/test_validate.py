"""xxgk.validate end to end: GX suites over a temp warehouse, Data Docs under the data dir."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.quality.marts import SEED001, build_warehouse, shanghai_2019_t3
from xxgk import validate
from xxgk.exceptions import PipelineValidationFailed

pytestmark = pytest.mark.integration

GX_DIR = validate.default_context_root() / "gx"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def repo_gx_untouched() -> Iterator[None]:
    """Validation must not write into the committed GX project."""
    before = _snapshot(GX_DIR)
    yield
    assert _snapshot(GX_DIR) == before


@pytest.fixture(scope="module")
def validated(
    tmp_path_factory: pytest.TempPathFactory, repo_gx_untouched: None
) -> tuple[validate.ValidationSummary, Path]:
    base = tmp_path_factory.mktemp("quality")
    seed001 = {**SEED001, "old_resp_press_conf": None, "old_org_staff_total": None}
    warehouse = build_warehouse(
        base / "warehouse.duckdb",
        [
            {"report_key": "seed001", "format_id": "old", "values": seed001,
             "agency": "台州市经济和信息化委员会", "year": 2017},
            {"report_key": "sh2019", "format_id": "v2019", "values": shanghai_2019_t3(),
             "agency": "上海市人民政府办公厅", "year": 2019},
        ],
    )  # fmt: skip
    data_dir = base / "data"
    return validate.validate_warehouse(warehouse, data_dir), data_dir


def test_structural_suite_passes(validated: tuple[validate.ValidationSummary, Path]) -> None:
    summary, _ = validated
    assert summary.structural_success
    cells = summary.suites[validate.CELLS_SUITE]
    assert cells.success and cells.evaluated == cells.successful == 5
    assert json.dumps(summary.as_dict())  # small and JSON-able, for XCom


def test_rule_findings_include_the_seed001_subset_violation(
    validated: tuple[validate.ValidationSummary, Path],
) -> None:
    summary, data_dir = validated
    results = pd.read_parquet(data_dir / "quality" / "rule_results.parquet")
    assert summary.rule_results_path == data_dir.resolve() / "quality" / "rule_results.parquet"
    assert {"report_key", "rule_id", "outcome", "severity", "lhs", "rhs", "difference",
            "message"} <= set(results.columns)  # fmt: skip
    press = results[(results.report_key == "seed001")
                    & (results.rule_id == "old.subset_press_principal")]  # fmt: skip
    assert press[["outcome", "severity", "lhs"]].values.tolist() == [["failed", "error", 2.0]]
    assert not (results[results.report_key == "sh2019"].outcome == "failed").any()
    assert summary.failed_rules_by_severity == {"error": 1, "warning": 3}
    findings = summary.suites[validate.RULES_SUITE]
    assert not findings.success  # findings about reports, not a pipeline failure
    assert findings.unsuccessful == 4  # subset_press_principal, two resp_* sums, companion
    assert any("old.subset_press_principal" in name for name in findings.failed_expectations)


def test_data_docs_are_written_under_the_data_dir(
    validated: tuple[validate.ValidationSummary, Path],
) -> None:
    summary, data_dir = validated
    index = summary.data_docs_index
    assert index == data_dir.resolve() / "quality" / "gx_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert validate.CELLS_SUITE in html and validate.RULES_SUITE in html
    pages = list((index.parent / "validations" / validate.RULES_SUITE).rglob("*.html"))
    assert any("parent blank while subset = 2" in p.read_text(encoding="utf-8") for p in pages)
    assert list((data_dir / "quality" / "gx_validations").rglob("*.json"))


def test_a_negative_count_fails_the_structural_suite(
    tmp_path: Path, repo_gx_untouched: None
) -> None:
    warehouse = build_warehouse(
        tmp_path / "warehouse.duckdb",
        [{"report_key": "neg", "format_id": "v2019",
          "values": {"t4_review_total": -3.0, "t4_review_upheld": 1.5}}],
    )  # fmt: skip
    with pytest.raises(PipelineValidationFailed) as caught:
        validate.validate_warehouse(warehouse, tmp_path / "data")
    failing = " | ".join(caught.value.failing_expectations)
    assert "expect_column_values_to_be_between(value)" in failing
    assert "non_integer_count_value" in failing
    assert len(caught.value.failing_expectations) == 2
    assert (tmp_path / "data" / "quality" / "gx_docs" / "index.html").exists()


def test_an_empty_warehouse_validates(tmp_path: Path, repo_gx_untouched: None) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", [])
    summary = validate.validate_warehouse(warehouse, tmp_path / "data")
    assert summary.structural_success
    assert all(s.success for s in summary.suites.values())
    assert summary.failed_rules_by_severity == {}
    assert pd.read_parquet(summary.rule_results_path).empty
    assert summary.data_docs_index.exists()


def test_committed_suites_equal_what_build_suites_generates(tmp_path: Path) -> None:
    gx = pytest.importorskip("great_expectations")
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path))
    validate.build_suites(context)
    for name in validate.SUITES:
        generated = json.loads((tmp_path / "gx" / "expectations" / f"{name}.json").read_text())
        committed = json.loads((GX_DIR / "expectations" / f"{name}.json").read_text())
        assert generated == committed, f"regenerate with xxgk.validate.write_suites(): {name}"
    for folder in ("checkpoints", "validation_definitions"):
        for name in validate.SUITES:
            assert (GX_DIR / folder / f"{name}.json").exists()
