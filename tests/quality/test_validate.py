"""xxgk.quality.validate end to end: GX suites over the built warehouse and Data Docs."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.quality.conftest import Built
from xxgk.core.exceptions import PipelineValidationFailed
from xxgk.publish.reviewer import publish_site
from xxgk.quality import validate

pytestmark = pytest.mark.integration

GX_DIR = validate.default_context_root() / "gx"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "uncommitted" not in p.parts
    }


@pytest.fixture(scope="module")
def repo_gx_untouched() -> Iterator[None]:
    """Validation must not write into the committed GX project."""
    before = _snapshot(GX_DIR)
    yield
    assert _snapshot(GX_DIR) == before


@pytest.fixture(scope="module")
def validated(
    built: Built, tmp_path_factory: pytest.TempPathFactory, repo_gx_untouched: None
) -> tuple[validate.ValidationSummary, Path]:
    data_dir = tmp_path_factory.mktemp("validated")
    summary = validate.validate_warehouse(built.warehouse, data_dir)
    publish_site(built.warehouse, data_dir / "quality", summary)
    return summary, data_dir


def _copy(built: Built, target: Path, *statements: str) -> Path:
    """A copy of the built warehouse with ``statements`` applied to it."""
    warehouse = target / "warehouse.duckdb"
    shutil.copy(built.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        for statement in statements:
            con.execute(statement)
    return warehouse


def _first_t4_cell_set_to(value: float) -> str:
    return (
        f"update main.fct_report_cells set value = {value} "
        "where report_cell_key = (select min(report_cell_key) from "
        "main.fct_report_cells where metric_code like 't4_%')"
    )


def test_structural_suites_pass(validated: tuple[validate.ValidationSummary, Path]) -> None:
    summary, _ = validated
    assert summary.structural_success
    for name in validate.STRUCTURAL_SUITES:
        stats = summary.suites[name]
        assert not stats.failed_critical, (name, stats.failed_expectations)
    assert summary.suites[validate.RESULTS_SUITE].evaluated == 8
    assert json.dumps(summary.as_dict())  # small and JSON-able, for XCom


def test_rule_findings_come_from_fct_rule_results(
    validated: tuple[validate.ValidationSummary, Path], built: Built
) -> None:
    summary, data_dir = validated
    results = pd.read_parquet(summary.rule_results_path)
    assert summary.rule_results_path == data_dir.resolve() / "quality" / "rule_results.parquet"
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        row = con.execute("select count(*) from main.fct_rule_results").fetchone()
    assert row is not None and len(results) == row[0]
    failed = results[results.outcome == "failed"]
    assert summary.failed_rules_by_severity == failed["severity"].value_counts().to_dict()
    assert summary.outcomes == results["outcome"].value_counts().to_dict()
    assert {"agency_name", "file_name", "message_zh", "evidence"} <= set(results.columns)
    findings = summary.suites[validate.RULES_SUITE]
    assert not findings.success  # findings about reports, not a pipeline failure
    assert any("v2021.t3.balance" in name for name in findings.failed_expectations)
    assert findings.unsuccessful == failed["rule_family"].nunique()


def test_data_docs_and_review_page_are_written_under_the_data_dir(
    validated: tuple[validate.ValidationSummary, Path], built: Built
) -> None:
    summary, data_dir = validated
    index = summary.data_docs_index
    assert index == data_dir.resolve() / "quality" / "gx_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert all(name in html for name in validate.SUITES)
    pages = list((index.parent / "validations" / validate.RULES_SUITE).rglob("*.html"))
    assert any("演示区人力资源和社会保障局" in p.read_text(encoding="utf-8") for p in pages)
    page = data_dir.resolve() / "quality" / "report.html"
    text = page.read_text(encoding="utf-8")
    assert "v2021.t3.balance.natural_person" in text and "<svg" in text
    if built.has_seeds:
        assert "通过门户网站公开783条" in text  # the sentence behind seed 002's finding


def test_the_main_page_summarises_every_suite(
    validated: tuple[validate.ValidationSummary, Path],
) -> None:
    summary, data_dir = validated
    text = (data_dir / "quality" / "report.html").read_text(encoding="utf-8")
    section = text[text.index('id="suites"') : text.index("</table>", text.index('id="suites"'))]
    rows = re.findall(r'<tr data-success="(true|false)"><td>([^<]+)</td>', section)
    assert sorted(name for _, name in rows) == sorted(validate.SUITES)
    assert dict((name, ok) for ok, name in rows)[validate.RULES_SUITE] == "false"
    failed = summary.suites[validate.RULES_SUITE].failed_expectations[0]
    assert html.escape(failed) in section  # which expectation, as GX names it
    assert '<a href="gx_docs/index.html">Data Docs</a>' in section
    assert (data_dir / "quality" / "gx_docs" / "index.html").exists()  # the link resolves


def test_a_structural_failure_still_publishes_the_page_naming_it(
    built: Built, tmp_path: Path, repo_gx_untouched: None
) -> None:
    from xxgk.orchestration.pipeline import validate_step

    warehouse = _copy(built, tmp_path, _first_t4_cell_set_to(-3))
    with pytest.raises(PipelineValidationFailed):
        validate_step(warehouse, {})
    text = (tmp_path / "quality" / "report.html").read_text(encoding="utf-8")
    row = re.search(rf'<tr data-success="false"><td>{validate.CELLS_SUITE}</td>.*?</tr>', text)
    assert row and "<b>critical</b> expect_column_values_to_be_between(negative_counts)" in row[0]


def test_a_negative_count_fails_the_structural_gate(
    built: Built, tmp_path: Path, repo_gx_untouched: None
) -> None:
    warehouse = _copy(built, tmp_path, _first_t4_cell_set_to(-3.5))
    with pytest.raises(PipelineValidationFailed) as caught:
        validate.validate_warehouse(warehouse, tmp_path / "data")
    failing = " | ".join(caught.value.failing_expectations)
    assert caught.value.suite == validate.CELLS_SUITE
    assert "expect_column_values_to_be_between(negative_counts)" in failing
    assert "expect_column_values_to_be_between(non_integer_counts)" in failing
    assert len(caught.value.failing_expectations) == 2
    assert (tmp_path / "data" / "quality" / "gx_docs" / "index.html").exists()


def test_missing_rule_results_fail_the_structural_gate(
    built: Built, tmp_path: Path, repo_gx_untouched: None
) -> None:
    warehouse = _copy(
        built, tmp_path, "delete from main.fct_rule_results where rule_id = 'report.template_year'"
    )
    with pytest.raises(PipelineValidationFailed) as caught:
        validate.validate_warehouse(warehouse, tmp_path / "data")
    assert caught.value.suite == validate.RESULTS_SUITE
    assert [name.split(":")[0] for name in caught.value.failing_expectations] == [
        "expect_column_values_to_be_between(surplus_results)"
    ]


def test_an_empty_warehouse_validates(
    built: Built, tmp_path: Path, repo_gx_untouched: None
) -> None:
    tables = ("fct_rule_results", "fct_report_cells", "fct_narrative_facts", "dim_reports")
    warehouse = _copy(built, tmp_path, *(f"delete from main.{t}" for t in tables))
    summary = validate.validate_warehouse(warehouse, tmp_path / "data")
    page = publish_site(warehouse, tmp_path / "data" / "quality")
    assert summary.structural_success
    assert summary.failed_rules_by_severity == {}
    assert pd.read_parquet(summary.rule_results_path).empty
    assert summary.data_docs_index.exists()
    assert "没有未通过的规则" in page.read_text(encoding="utf-8")


def test_committed_suites_equal_what_build_suites_generates(tmp_path: Path) -> None:
    gx = pytest.importorskip("great_expectations")
    context = gx.get_context(mode="file", project_root_dir=str(tmp_path))
    validate.build_suites(context)
    for name in validate.SUITES:
        generated = json.loads((tmp_path / "gx" / "expectations" / f"{name}.json").read_text())
        committed = json.loads((GX_DIR / "expectations" / f"{name}.json").read_text())
        assert generated == committed, f"regenerate with validate.write_suites(): {name}"
    for folder in ("checkpoints", "validation_definitions"):
        for name in validate.SUITES:
            assert (GX_DIR / folder / f"{name}.json").exists()
