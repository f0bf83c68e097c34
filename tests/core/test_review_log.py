"""The reviewers' log: append-only JSON Lines that concurrent writers cannot corrupt."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from xxgk.core.decisions import (
    DECISIONS_FILE,
    ReviewLogError,
    append,
    new_decision,
    read_log,
)
from xxgk.core.paths import DataDir

WRITERS = 3
DECISIONS_EACH = 60


def _write_many(review_dir: str, writer: int) -> None:
    for i in range(DECISIONS_EACH):
        note = f"writer {writer} decision {i} " + "长" * (i % 50) * 40  # lines of many sizes
        append(Path(review_dir), new_decision(f"f:{writer:016x}:rule.{i}", "dismiss", note=note))


def test_the_log_lives_in_the_data_directory_outside_the_warehouse(tmp_path: Path) -> None:
    data = DataDir.of(tmp_path / "warehouse.duckdb")
    decision = new_decision("c:0123456789abcdef:3.2.1", "resolve", value="12", reviewer="ann")
    path = append(data.review, decision)
    assert path == tmp_path / "review" / DECISIONS_FILE
    line = json.loads(path.read_text(encoding="utf-8"))  # one human-readable line
    assert line["reviewer"] == "ann" and line["value"] == "12" and line["action"] == "resolve"
    assert read_log(data.review) == [decision]


def test_two_reviewers_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_many, args=(str(tmp_path), w)) for w in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    decisions = read_log(tmp_path)  # every line parses: none torn or interleaved
    assert len(decisions) == WRITERS * DECISIONS_EACH
    assert len({d.decision_id for d in decisions}) == WRITERS * DECISIONS_EACH
    for writer in range(WRITERS):  # each writer's decisions in the order it made them
        mine = [d.item_id for d in decisions if d.item_id.startswith(f"f:{writer:016x}:")]
        assert mine == [f"f:{writer:016x}:rule.{i}" for i in range(DECISIONS_EACH)]


def test_an_undo_is_a_decision_naming_the_one_it_takes_back(tmp_path: Path) -> None:
    first = new_decision("f:0123456789abcdef:r", "confirm")
    undo = new_decision(first.item_id, "undo", undoes=first.decision_id)
    append(tmp_path, first)
    append(tmp_path, undo)
    assert [d.action for d in read_log(tmp_path)] == ["confirm", "undo"]
    with pytest.raises(ValueError, match="undo names"):
        new_decision(first.item_id, "undo")
    with pytest.raises(ValueError, match="unknown action"):
        new_decision(first.item_id, "delete")


def test_a_line_broken_by_hand_is_reported_with_its_number(tmp_path: Path) -> None:
    append(tmp_path, new_decision("f:0123456789abcdef:r", "confirm"))
    with (tmp_path / DECISIONS_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"decision_id": "d-x", "action": "confirm"\n')
    with pytest.raises(ReviewLogError, match=rf"{DECISIONS_FILE}:2: not a decision"):
        read_log(tmp_path)
