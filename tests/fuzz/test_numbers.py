"""Pathological numbers: digit runs of any length, in table cells and in prose.

Extraction never raises: a figure too long to be a value (over ``MAX_DIGITS`` digits, and
past Python's 4,300-digit ``int()`` limit) is a null value with a ``figure_too_long``
warning, never a ValueError that fails the batch; prose digit runs cost linear time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.test_fuzz import REPORT, assert_contract, fuzz
from tests.support.paths import SAMPLES_INBOX
from xxgk.extract import extract_bytes
from xxgk.extract.batches import extract_batch
from xxgk.extract.narrative import narrative_facts
from xxgk.extract.values import MAX_DIGITS, parse_cell
from xxgk.orchestration.cli import main

BOUND = 10**MAX_DIGITS
SAMPLES = SAMPLES_INBOX
CELL = "| 条 | 645 |"
SENTENCE = "全年主动公开政府信息645条。"
DIGITS = st.sampled_from("0123456789")
RUNS = st.one_of(st.integers(1, 40), st.sampled_from([4299, 4300, 4301, 5000, 20_000]))
GROUPED = st.lists(st.text(DIGITS, min_size=3, max_size=3), min_size=1, max_size=40).map(
    lambda groups: "1," + ",".join(groups)
)


def _values(record: dict[str, Any]) -> list[float | int]:
    numbers = [c["value"] for c in record["cells"] if c["value"] is not None]
    return numbers + [f["value"] for f in record["narrative"]]


def _run(n: int, digit: str = "7") -> str:
    return digit * n


@fuzz(60)
@given(
    st.one_of(RUNS.map(_run), GROUPED, st.tuples(RUNS.map(_run), RUNS.map(_run)).map(".".join)),
    st.sampled_from(["", "元", "万元", "人次"]),
    st.sampled_from(["", "+", "-", "增", "减"]),
)
def test_a_cell_of_any_length_is_a_bounded_value_or_a_warning(
    number: str, unit: str, sign: str
) -> None:
    record = extract_bytes(REPORT.replace(CELL, f"| 条 | {sign}{number}{unit} |").encode(), "n.txt")
    assert_contract(record)
    assert record["status"] == "ok"
    assert all(abs(v) < BOUND for v in _values(record))
    cell = next(c for c in record["cells"] if c["metric"] == "old_act_info_total")
    warned = [i for i in record["issues"] if i["code"] == "figure_too_long"]
    if cell["value"] is None:  # not read: the record says why
        assert warned and "line 7" in warned[0]["message"]
    else:
        assert not warned


@fuzz(60)
@given(
    RUNS,
    st.sampled_from(["条", "%", "件次", "元", "", "说明", ".5条"]),
    st.sampled_from(["全年", "主动公开政府信息", "收到申请", "专职人员", "名兼职", "约"]),
)
def test_prose_numbers_of_any_length_are_bounded(n: int, after: str, before: str) -> None:
    text = f"{before}{_run(n, '3')}{after}。"
    record = extract_bytes(REPORT.replace(SENTENCE, text).encode(), "n.txt")
    assert_contract(record)
    assert all(abs(v) < BOUND for v in _values(record))


def test_a_number_at_the_bound_is_still_read() -> None:
    assert parse_cell("9" * MAX_DIGITS).value == BOUND - 1
    assert parse_cell("9" * (MAX_DIGITS + 1)).value is None
    assert parse_cell("0" * 30 + "12").value == 12  # leading zeros are not magnitude
    assert parse_cell("1" * 5000).is_number  # a value text, not a row label


def test_facts_keep_their_original_sentence_beside_a_long_run() -> None:
    run = "8" * 20_000
    facts = narrative_facts([f"主动公开政府信息12条，编号{run}说明。"])
    assert [(f.fact, f.value) for f in facts] == [("active_items", 12)]
    assert run in facts[0].text  # the text is the report's, not the masked one


def test_prose_digit_runs_take_linear_time() -> None:
    # quadratic before: 20,000 digits took 35-50 s, 200,000 would take over an hour
    for n in (20_000, 200_000):
        lines = [f"全年{'1' * n}说明。", f"收到申请{'2' * n}名兼职。", f"{'3' * n}.{'4' * n}%"]
        start = time.process_time()
        narrative_facts(lines)
        assert time.process_time() - start < 2.0, n


def test_a_batch_with_a_5000_digit_cell_loads_its_neighbours(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(REPORT.replace(CELL, f"| 条 | {'9' * 5000} |"), encoding="utf-8")
    valid = sorted(SAMPLES.rglob("*.*"))[:2]
    batch = [
        {"raw_path": str(p), "source_path": str(p), "report_sha256": f"{i:064x}"}
        for i, p in enumerate([hostile, *valid])
    ]
    result = extract_batch(batch, tmp_path / "out")
    assert sum(result["statuses"].values()) == 3 and "quarantined" not in result["statuses"]


def test_the_cli_extracts_a_hostile_number_with_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT.replace(CELL, f"| 条 | {'9' * 5000} |"), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--json", str(path)])
    assert result.exit_code == 0 and result.exception is None
    record = json.loads(result.output)
    assert (record["status"], record["format"], record["report_year"]) == ("ok", "old", 2016)
    assert "figure_too_long" in {i["code"] for i in record["issues"]}
