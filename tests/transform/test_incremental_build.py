"""Incremental builds equal a full refresh: year N, then year N + 1, then a corrected file.

Synthetic reports (``xxgk.synthetic.corpus``) go through the load's steps (land, plan,
extract, load); after each load dbt builds the seeds and models (the data tests are
``test_dbt_build``'s business). The marts keyed by report rebuild only the reports of
``int_reports_to_rebuild``: the new and changed ones and the same agency's neighbour years,
which the rules read across years. At the end the warehouse is copied and rebuilt with
``--full-refresh``: every mart must hold the same rows.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.support.checksums import warehouse_checksums
from xxgk.orchestration import pipeline
from xxgk.synthetic.corpus import CorpusSpec, read_truth, write_corpus
from xxgk.transform.dbt import default_target_dir, run_dbt_build

pytestmark = pytest.mark.integration

YEAR = 2022  # year N; the corpus has reports of the same agencies in N - 1, N and N + 1
CORPUS = CorpusSpec(50)
# the seeds and models: the data tests are test_dbt_build's
TESTS = "resource_type:test resource_type:unit_test"
MARTS = "main"


def _load(inbox: Path, warehouse: Path, years: list[int]) -> None:
    landing = pipeline.land_step(inbox, warehouse, None, years)
    batches = pipeline.plan_step(landing["manifest"])
    results = [pipeline.extract_step(batch, warehouse) for batch in batches]
    pipeline.load_step(warehouse, landing["manifest"], results)


def _build(warehouse: Path, *, incremental: bool) -> dict[str, tuple[str, int | None]]:
    """Build the models; the reports rebuilt: sha256 → (reason, report year)."""
    assert run_dbt_build(warehouse, exclude=TESTS).success
    # the statement dbt ran for the cell fact: rows replaced, or the table created anew
    run = default_target_dir(warehouse) / "run/xxgk/models/marts/core/fct_report_cells.sql"
    assert run.read_text(encoding="utf-8").lstrip().startswith("delete from") == incremental
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select rebuilt.report_sha256, rebuilt.rebuild_reason, versions.report_year "
            "from intermediate.int_reports_to_rebuild as rebuilt "
            "left join intermediate.int_reports_versioned as versions using (report_sha256)"
        ).fetchall()
    return {sha: (reason, year) for sha, reason, year in rows}


def _agencies(warehouse: Path) -> dict[str, str]:
    """report_sha256 → agency_key of every report version."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select report_sha256, agency_key from main.dim_reports").fetchall()
    return dict(rows)


def _correct_a_table_cell(inbox: Path, truth: Path) -> str:
    """Add 1 to the first table cell of a year-N HTML report, the agency's only one that
    year, of an agency that also reported in N - 1 and N + 1 (a corrected report,
    published again at its path)."""
    reports = read_truth(truth)
    years: dict[str, list[int]] = defaultdict(list)
    for report in reports:
        years[_agency_number(report["file"])].append(report["year"])
    path = next(
        report["file"]
        for report in reports
        if report["year"] == YEAR
        and report["layout"] == "html"
        and report["format"] != "narrative"
        and years[_agency_number(report["file"])].count(YEAR) == 1
        and {YEAR - 1, YEAR + 1} <= set(years[_agency_number(report["file"])])
    )
    text = (inbox / path).read_text(encoding="utf-8")
    corrected, count = re.subn(
        r"<td>(\d+)</td>", lambda m: f"<td>{int(m[1]) + 1}</td>", text, count=1
    )
    assert count == 1
    (inbox / path).write_text(corrected, encoding="utf-8")
    return path


def _agency_number(path: str) -> str:
    """The corpus's agency of a file: ``<year>/p<NN>/<agency no>-<report no>.<ext>``."""
    return Path(path).name.split("-")[0]


def _differences(first: Path, second: Path) -> dict[str, object]:
    """The marts whose rows differ between two warehouses, with a few of the rows."""

    def marts(warehouse: Path) -> dict[str, tuple[int, int]]:
        sums = warehouse_checksums(warehouse, ignore=())
        return {name: value for name, value in sums.items() if name.startswith(f"{MARTS}.")}

    one, other = marts(first), marts(second)
    differing = sorted(
        name for name in one.keys() | other.keys() if one.get(name) != other.get(name)
    )
    out: dict[str, object] = {}
    with duckdb.connect(str(first), read_only=True) as con:
        con.execute(f"attach '{second}' as other (read_only)")
        for name in differing:
            if name in one and name in other:
                out[name] = con.execute(
                    f"(select 'incremental' as side, * from {name} "
                    f"except all select 'incremental', * from other.{name}) union all "
                    f"(select 'full', * from other.{name} "
                    f"except all select 'full', * from {name}) limit 6"
                ).fetchall()
            else:
                out[name] = "only in one warehouse"
    return out


def test_incremental_builds_equal_a_full_refresh(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, CORPUS)
    inbox, warehouse = corpus / "inbox", tmp_path / "data" / "warehouse.duckdb"

    # years N - 1 and N: the first build rebuilds everything
    _load(inbox, warehouse, [YEAR - 1, YEAR])
    first = _build(warehouse, incremental=False)
    assert {reason for reason, _ in first.values()} == {"new"}
    assert {year for _, year in first.values()} == {YEAR - 1, YEAR}

    # year N + 1: its reports, and year N of the same agencies (the rules' previous year);
    # an agency whose reports of N - 1 and N get another identity now (the identity of a
    # spelling seen with several organisation codes is the code most of its reports print)
    # has them rebuilt too; the other agencies' reports are left as built
    _load(inbox, warehouse, [YEAR + 1])
    second = _build(warehouse, incremental=True)
    agency = _agencies(warehouse)
    new = {sha for sha, (reason, _) in second.items() if reason == "new"}
    assert new and {second[sha][1] for sha in new} == {YEAR + 1}
    gaining = {agency[sha] for sha in new}
    expected = {sha for sha, key in agency.items() if key in gaining and sha in first}
    neighbours = {sha for sha in expected if first[sha][1] == YEAR}
    assert neighbours, "the corpus must give year N + 1 reports a year-N neighbour"
    assert neighbours <= second.keys() <= new | expected
    assert len(second) < len(agency)

    # a year-N report corrected and published again at its path: the old version is
    # superseded; both are rebuilt with the agency's N - 1 and N + 1 reports, nothing else
    corrected = _correct_a_table_cell(inbox, corpus / "truth.jsonl")
    _load(inbox, warehouse, [YEAR])
    third = _build(warehouse, incremental=True)
    agency = _agencies(warehouse)
    (new_version,) = (sha for sha, (reason, _) in third.items() if reason == "new")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = con.execute(
            "select report_sha256, is_current from main.dim_reports where source_path = $p",
            {"p": corrected},
        ).fetchall()
    assert sorted(current for _, current in versions) == [False, True]
    (old_version,) = (sha for sha, current in versions if not current)
    assert third[old_version][0] == "changed"
    same_agency = {sha for sha, key in agency.items() if key == agency[new_version]}
    assert set(third) == same_agency
    assert {year for _, year in third.values()} >= {YEAR - 1, YEAR, YEAR + 1}

    # the same raw tables built from scratch: every mart identical, row for row
    full = tmp_path / "full" / "warehouse.duckdb"
    full.parent.mkdir()
    shutil.copyfile(warehouse, full)
    assert run_dbt_build(
        full, exclude=TESTS, full_refresh=True, target_dir=default_target_dir(warehouse)
    ).success
    assert _differences(warehouse, full) == {}
