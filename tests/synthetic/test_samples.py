"""The demo corpus under samples/: reproducible, labelled by the dictionary, and as consistent
(or, for one file, as inconsistent) as samples/README.md says.

The rule checks run the package's reference evaluator of metrics.yaml's rules (the null
policies the dbt models implement) on the cells listed in samples/expected.json; nothing here
imports the extractor.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import REPO
from xxgk.core.formats import TABLE_FORMATS
from xxgk.dictionary import rules
from xxgk.dictionary.metrics import APPLICANT_COLUMNS
from xxgk.synthetic.samples import INCONSISTENT, write_samples

ROOT = REPO
SAMPLES = ROOT / "samples"
DICTIONARY = yaml.safe_load((ROOT / "plugins/xxgk/data/metrics.yaml").read_text("utf-8"))
EXPECTED: dict[str, Any] = json.loads((SAMPLES / "expected.json").read_text("utf-8"))
REPORTS: dict[str, dict[str, Any]] = EXPECTED["reports"]
ITEMS = ("license", "othersvc", "penalty", "coercion", "fee")


def _format(fmt: str) -> dict[str, Any]:
    return next(f for f in DICTIONARY["formats"] if f["id"] == fmt)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _table_reports(consistent: bool) -> list[str]:
    return [
        path
        for path, r in REPORTS.items()
        if r["format"] in TABLE_FORMATS and (path != INCONSISTENT[0]) == consistent
    ]


# --- the single-report rules of metrics.yaml, by the package's reference evaluator -----------


def _evaluate(fmt: str, cells: dict[str, Any]) -> dict[str, bool]:
    """rule id -> passed, for every rule evaluated on the report alone (the rest are absent:
    blanks its null policy skips, cross-year rules, rules that are not linear)."""
    values = {(code, False): value for code, value in cells.items()}
    results: dict[str, bool] = {}
    for rule in rules.load_rules()[fmt]:
        if rule.is_cross_year:
            continue
        result = rules.evaluate_rule(rule, values, has_previous=False)
        if result.outcome != "not_assessable":
            results[rule.rule_id] = result.outcome == "passed"
    return results


# --- reproducibility and dictionary --------------------------------------------------------


def test_committed_corpus_is_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_samples(tmp_path)
    assert _files(SAMPLES) == _files(tmp_path)
    assert sorted(p.relative_to(tmp_path / "inbox").as_posix() for p in written) == sorted(REPORTS)


def test_a_second_run_writes_the_same_bytes(tmp_path: Path) -> None:
    write_samples(tmp_path / "a")
    write_samples(tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_corpus_covers_every_format_and_layout() -> None:
    kinds = sorted((r["format"], Path(p).suffix) for p, r in REPORTS.items())
    assert kinds.count(("old", ".txt")) == kinds.count(("old", ".html")) == 1
    assert kinds.count(("v2019", ".txt")) == kinds.count(("v2019", ".html")) == 1
    assert ("v2021", ".txt") in kinds and ("v2021", ".html") in kinds
    assert ("narrative", ".txt") in kinds
    assert all(p.startswith(f"{r['report_year']}/") for p, r in REPORTS.items())


def _national(metric: dict[str, Any]) -> bool:
    """Printed on the national form: not an off-template subtotal, not a provincial variant."""
    return metric.get("on_template") is not False and not metric.get("table_variant")


@pytest.mark.parametrize("path", [p for p, r in REPORTS.items() if r["format"] != "narrative"])
def test_cells_are_exactly_the_on_form_metrics_of_the_format(path: str) -> None:
    report = REPORTS[path]
    metrics = _format(report["format"])["metrics"]
    on_form = [m["code"] for m in metrics if _national(m)]
    assert set(report["cells"]) <= {m["code"] for m in metrics}
    assert sorted(report["cells"]) == sorted(on_form)


@pytest.mark.parametrize("path", [p for p, r in REPORTS.items() if r["format"] != "narrative"])
def test_every_label_of_the_form_is_printed_verbatim(path: str) -> None:
    text = _plain(path)
    fmt = REPORTS[path]["format"]
    for m in _format(fmt)["metrics"]:
        if _national(m):
            for label in m["label_path"]:
                assert label in text, f"{m['code']}: {label}"


# --- the documented consistency rules ------------------------------------------------------


@pytest.mark.parametrize("path", _table_reports(consistent=True))
def test_consistent_samples_pass_every_single_report_rule(path: str) -> None:
    report = REPORTS[path]
    results = _evaluate(report["format"], report["cells"])
    assert [rule for rule, ok in results.items() if not ok] == []
    assert report["breaks_rules"] == []
    # not vacuous: the partition rules of the format were evaluated
    must = {
        "old": [
            "old.app_received_by_channel",
            "old.app_answered_split",
            "old.denied_reasons",
            "old.review_split",
            "old.staff_split",
            "old.app_closed_split",
        ],
        "v2019": [
            "v2019.t3.balance.natural_person",
            "v2019.t3.results_total.total",
            "v2019.t3.row_total.res_total",
            "v2019.t4.review_total",
        ],
        "v2021": [
            "v2021.t3.balance.total",
            "v2021.t3.results_total.natural_person",
            "v2021.t3.row_total.res_other_misc",
            "v2021.t4.lit_direct_total",
        ],
    }[report["format"]]
    assert set(must) <= set(results)


def test_the_inconsistent_sample_breaks_exactly_the_documented_rule() -> None:
    path, rule = INCONSISTENT
    report = REPORTS[path]
    results = _evaluate(report["format"], report["cells"])
    assert [r for r, ok in results.items() if not ok] == [rule] == report["breaks_rules"]
    assert EXPECTED["inconsistent"] == {"file": path, "rule": rule}
    assert rule in (SAMPLES / "README.md").read_text("utf-8")


T3_COLUMNS = APPLICANT_COLUMNS


def _t3(cells: dict[str, Any], row: str, col: str) -> int:
    value: int | None = cells[f"t3_{row}__{col}"]
    return value or 0


@pytest.mark.parametrize(
    "path", [p for p, r in REPORTS.items() if r["format"] in ("v2019", "v2021")]
)
def test_table3_balance_and_row_totals_by_hand(path: str) -> None:
    """The stated 勾稽关系 and the 总计 column, recomputed without the rule evaluator."""
    cells = REPORTS[path]["cells"]
    for col in (*T3_COLUMNS, "total"):
        balance = _t3(cells, "new_received", col) + _t3(cells, "carried_over", col)
        balance -= _t3(cells, "res_total", col) + _t3(cells, "carried_forward", col)
        broken = path == INCONSISTENT[0] and col == "natural_person"
        assert balance == (1 if broken else 0), col
    rows = {code[3:].split("__")[0] for code in cells if code.startswith("t3_")}
    for row in rows:
        if cells[f"t3_{row}__total"] is not None:
            assert _t3(cells, row, "total") == sum(_t3(cells, row, c) for c in T3_COLUMNS), row


@pytest.mark.parametrize("path", [p for p, r in REPORTS.items() if r["format"] == "old"])
def test_old_applications_by_channel_by_hand(path: str) -> None:
    cells = REPORTS[path]["cells"]
    channels = ("in_person", "fax", "online", "letter")
    assert cells["old_app_received"] == sum(cells[f"old_app_recv_{c}"] or 0 for c in channels)
    assert (
        cells["old_app_closed"]
        == cells["old_app_closed_on_time"] + cells["old_app_closed_extended"]
    )


def test_statistics_bureau_series_chains_across_years() -> None:
    """示例市统计局 2019-2022: carried-over = last year's carried-forward; catalogue items and
    documents in force continue from the previous report."""
    series = sorted(
        (r["report_year"], r["cells"]) for r in REPORTS.values() if r["agency"] == "示例市统计局"
    )
    assert [y for y, _ in series] == [2019, 2020, 2021, 2022]
    for (_, prev), (year, cur) in zip(series, series[1:], strict=False):
        for key in [k for k in cur if k.startswith("t3_carried_over__")]:
            before = prev[key.replace("carried_over", "carried_forward")]
            if cur[key] is not None and before is not None:
                assert cur[key] == before, (year, key)
        if year == 2020:
            for item in ITEMS:
                assert cur[f"v19_t2_{item}_prev_items"] == (
                    prev[f"v19_t2_{item}_prev_items"] + prev[f"v19_t2_{item}_change"]
                )
            assert cur["v19_t2_ndoc_total_published"] >= prev["v19_t2_ndoc_total_published"]
        if year == 2022:
            assert cur["v21_t2_ndoc_in_force"] == (
                prev["v21_t2_ndoc_in_force"]
                + cur["v21_t2_ndoc_issued"]
                - cur["v21_t2_ndoc_repealed"]
            )


# --- what the files look like --------------------------------------------------------------


def _plain(path: str) -> str:
    """Text of a sample; in HTML every tag becomes a line break, except <br> inside a cell."""
    raw = (SAMPLES / "inbox" / path).read_text("utf-8")
    if path.endswith(".html"):
        raw = html.unescape(re.sub(r"<br>", "", re.sub(r"<(?!br>)[^>]+>", "\n", raw)))
    return raw


def _prose(path: str) -> str:
    raw = (SAMPLES / "inbox" / path).read_text("utf-8")
    if path.endswith(".html"):
        raw = re.sub(r"<table.*?</table>", "\n", raw, flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", "\n", raw))
    return "\n".join(line for line in raw.splitlines() if "|" not in line)


@pytest.mark.parametrize("path", list(REPORTS))
def test_title_period_and_signature(path: str) -> None:
    report = REPORTS[path]
    year, agency = report["report_year"], report["agency"]
    text = _plain(path)
    titles = (
        f"{year}年{agency}政府信息公开工作年度报告",
        f"{agency}{year}年政府信息公开工作年度报告",
    )
    assert any(t in text for t in titles)
    assert f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止" in text
    y, m, d = (int(x) for x in report["published_on"].split("-"))
    assert y == year + 1
    lines = [line.strip() for line in _prose(path).splitlines() if line.strip()]
    assert f"{agency}\n{y}年{m}月{d}日" in "\n".join(lines)


@pytest.mark.parametrize("path", [p for p in REPORTS if p.endswith(".html")])
def test_html_pages_declare_utf8_and_carry_page_chrome(path: str) -> None:
    raw = (SAMPLES / "inbox" / path).read_text("utf-8")
    assert '<meta charset="utf-8">' in raw
    assert "打印本页 关闭窗口" in raw and "当前位置" in raw
    assert "<table" in raw or REPORTS[path]["format"] == "narrative"


def test_blank_and_zero_cells_are_both_present() -> None:
    """Blank is not zero: every table format has reports with both."""
    for fmt in TABLE_FORMATS:
        reports = [r["cells"] for r in REPORTS.values() if r["format"] == fmt]
        assert any(None in cells.values() for cells in reports), fmt
        assert all(0 in cells.values() for cells in reports), fmt
    for report in REPORTS.values():
        if report["format"] == "old":
            assert None in report["cells"].values()
    old_html = next(p for p, r in REPORTS.items() if r["format"] == "old" and p.endswith("html"))
    assert "<td>——</td><td></td>" in (SAMPLES / "inbox" / old_html).read_text("utf-8")


def test_v2019_cell_per_line_layout_has_signed_changes_and_an_amount() -> None:
    path = next(p for p, r in REPORTS.items() if r["format"] == "v2019" and p.endswith(".txt"))
    lines = (SAMPLES / "inbox" / path).read_text("utf-8").splitlines()
    assert {"+3 |", "-2 |", "12.5 |"} <= set(lines)
    cells = REPORTS[path]["cells"]
    assert cells["v19_t2_license_change"] == 3 and cells["v19_t2_penalty_change"] == -2
    assert cells["v19_t2_procurement_amount"] == 12.5
    assert None not in cells.values()  # a blank cell would be ambiguous one cell per line
    start = lines.index("二、主动公开政府信息情况")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    headings = ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
    assert all(line.endswith(" |") for line in lines[start + 1 : end] if line not in headings)


def test_narrative_facts_are_what_the_dictionary_patterns_find() -> None:
    patterns = DICTIONARY["narrative_facts"]
    for path, report in REPORTS.items():
        found = []
        for fact in patterns:
            for match in re.finditer(fact["pattern"], _prose(path)):
                if "value" in fact:
                    found.append((fact["fact"], fact["value"]))
                else:
                    number = next(g for g in match.groups()[::-1] if g and g[0].isdigit())
                    found.append((fact["fact"], float(number)))
        expected = [(f["fact"], f["value"]) for f in report["narrative"]]
        assert sorted(found) == sorted(expected), path
