"""Metamorphic layout harness: every report whose cells are known, in every layout.

Known reports are the bundled samples, a deterministic slice of the synthetic corpus and,
when ../shared is beside the checkout, the seeds (their cells as the reader returns them,
held to SPEC Appendix A by test_seeds.py) and the hand-read dev truth of eval/real and
eval/hard (mapped to metric codes by the shared scorer with our dictionary).
Each is re-rendered through every layout of ``xxgk.synthetic.layouts`` and read back:
the same cells, or, where a layout cannot print a blank cell, the same cells less those of
the rows reported ``column_ambiguous`` — never a value in a wrong cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from tests.conftest import SEEDS, SHARED
from tests.support.known import dev_truth, samples
from xxgk.core.text import label_core
from xxgk.extract import extract_bytes, extract_file
from xxgk.synthetic.corpus import CorpusSpec, make_report
from xxgk.synthetic.grids import KnownCell, KnownReport, grids, known_from_values, printed_cells
from xxgk.synthetic.layouts import LAYOUTS, render

CORPUS_REPORTS = 12  # table reports taken from the synthetic corpus, in index order
_QUOTED = re.compile(r"row '(.*)' has")


def _corpus() -> Iterator[KnownReport]:
    spec, taken, index = CorpusSpec(n=400), 0, 0
    while taken < CORPUS_REPORTS:
        truth = make_report(spec, index).truth
        index += 1
        if truth["format"] != "narrative":
            taken += 1
            yield known_from_values(
                f"corpus:{index - 1}", truth["format"], truth["year"], truth["cells"]
            )


def _read_copies() -> Iterator[KnownReport]:
    """The seeds: the cells the reader returns on the copy as published (tests/extract/
    test_seeds.py holds them to SPEC Appendix A)."""
    files = sorted(SEEDS.glob("*.txt")) if SHARED.exists() else []
    for path in files:
        rec = extract_file(path)
        cells = {c["metric"]: KnownCell(c["value"], c["raw"]) for c in rec["cells"] if c["metric"]}
        if cells and rec["format"] in ("old", "v2019", "v2021"):
            yield KnownReport(
                f"{path.parent.name}/{path.name}", rec["format"], rec["report_year"] or 2020, cells
            )


@cache
def known_reports() -> tuple[KnownReport, ...]:
    return (*samples(), *_corpus(), *_read_copies(), *dev_truth())


def _row_labels(report: KnownReport) -> dict[str, str]:
    """metric → the label of its printed row ('四' for table 四's single row)."""
    return {
        code: (row.path[-1] if row.path else "四")
        for g in grids(report)
        for b in g.blocks
        for row in b.rows
        for code in row.codes
        if code
    }


def _named(issue: dict[str, Any]) -> str:
    m = _QUOTED.search(issue["message"])
    return label_core(m[1]) if m else ("四" if "table 四" in issue["message"] else "")


def check(report: KnownReport, layout: str) -> list[str]:
    """What is wrong with ``report`` read back in ``layout`` (empty: nothing)."""
    spec = LAYOUTS[layout]
    text = render(report, layout)
    rec = extract_bytes(text.encode("utf-8"), "report.html" if spec.html else "report.txt")
    want = printed_cells(report)
    got = {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}
    problems = (
        [f"format {rec['format']} for {report.format}"] if rec["format"] != report.format else []
    )
    problems += [
        f"wrong {m}: {v!r}, want {want.get(m, '<not printed>')!r}"
        for m, v in got.items()
        if m not in want or want[m] != v
    ]
    if not spec.names_lost_rows:
        return problems
    missing = {m for m in want if m not in got}
    labels = _row_labels(report)
    missing_rows = {label_core(labels[m]) or labels[m] for m in missing}
    named = [_named(i) for i in rec["issues"] if i["code"] == "column_ambiguous"]
    if spec.keeps_blanks:
        problems += [f"missing {sorted(missing)[:6]} ({len(missing)})"] if missing else []
        problems += [f"ambiguous {named}"] if named else []
        return problems
    for row in sorted(missing_rows):
        if not any(n and (n in row or row in n) for n in named):
            problems.append(f"row {row} lost without a column_ambiguous issue")
    for n in named:
        if not any(n and (n in row or row in n) for row in missing_rows):
            problems.append(f"column_ambiguous for {n} whose cells were all read")
    return problems


def test_enough_reports_and_layouts() -> None:
    assert len(LAYOUTS) >= 15
    assert len(known_reports()) >= 10


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_known_report_reads_the_same_in_layout(layout: str) -> None:
    failures = {r.name: p for r in known_reports() if (p := check(r, layout))}
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)[:4000]


# --- publisher tables that do not balance (issue 26) -----------------------------------------

UNBALANCED_LAYOUTS = ("dump_glued", "pdf_spaced_glued", "pdf_rows", "labels_only", "pipe_padded")


def unbalanced(report: KnownReport) -> KnownReport | None:
    """The report as a publisher who slipped would print it: table 三's 总计 row one more
    for 自然人 and 总计 (its own row rule still holds; the column totals and the balance
    fail). None when the report has no such printed row."""
    codes = ("t3_res_total__natural_person", "t3_res_total__total")
    cells = dict(report.cells)
    if not all(isinstance(cells.get(c) and cells[c].value, int) for c in codes):
        return None
    for code in codes:
        value = cells[code].value
        assert isinstance(value, int)
        cells[code] = KnownCell(value + 1, str(value + 1))
    return KnownReport(f"{report.name}+unbalanced", report.format, report.year, cells)


@pytest.mark.parametrize("layout", UNBALANCED_LAYOUTS)
def test_unbalanced_publisher_tables_read_no_wrong_value(layout: str) -> None:
    copies = [u for r in known_reports() if (u := unbalanced(r)) is not None]
    assert len(copies) >= 10
    failures = {r.name: p for r in copies if (p := check(r, layout))}
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)[:4000]


def test_an_unbalanced_glued_table_is_flagged_and_its_zero_rows_read() -> None:
    flagged = read = 0
    for report in filter(None, map(unbalanced, known_reports())):
        rec = extract_bytes(render(report, "dump_glued").encode("utf-8"), "report.txt")
        if any(i["code"] == "table_does_not_balance" for i in rec["issues"]):
            flagged += 1
            read += sum(1 for c in rec["cells"] if (c["metric"] or "").startswith("t3_"))
    assert flagged >= 5 and read > 0
