"""Record a reviewer's decision: check the item exists, note what the reviewer saw, append.

The CLI (``xxgk review …``) and the app call these; both write the same log
(``<data>/review/decisions.jsonl``). The marts apply a decision at the next load.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

from xxgk.core.decisions import (
    CELL_ACTIONS,
    FINDING_ACTIONS,
    REPORT_ACTIONS,
    UNDO,
    Decision,
    append,
    new_decision,
    read_log,
)
from xxgk.core.paths import DataDir
from xxgk.publish.review.items import UnknownItem, find_item

ACTIONS_BY_KIND: Final = {
    "finding": FINDING_ACTIONS,
    "cell": CELL_ACTIONS,
    "report": REPORT_ACTIONS,
}
BLANK_WORDS: Final = ("blank", "空", "")


class InvalidDecision(ValueError):
    """A decision that cannot be recorded (wrong action for the item, bad value, no note)."""


def _cell_value(value: str | None) -> str:
    """A cell's decided value as logged: a number, or '' for a blank cell."""
    if value is None:
        raise InvalidDecision("a cell needs --value: the number read from the source")
    cleaned = value.strip().replace(",", "").replace("，", "")
    if cleaned.lower() in BLANK_WORDS:
        return ""
    try:
        number = float(cleaned)
    except ValueError:
        raise InvalidDecision(f"--value {value!r} is not a number (or 'blank')") from None
    if not math.isfinite(number):
        raise InvalidDecision(f"--value {value!r} is not a finite number")
    return cleaned


def _report_value(action: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise InvalidDecision(f"{action} needs --value")
    value = value.strip()
    if action == "override_year" and not (value.isdigit() and 1990 <= int(value) <= 2100):
        raise InvalidDecision(f"--value {value!r} is not a year")
    if action == "override_aggregate" and value.lower() not in ("true", "false", "yes", "no"):
        raise InvalidDecision("override_aggregate takes --value true or false")
    return value


def _checked_value(kind: str, action: str, value: str | None, note: str | None) -> str | None:
    allowed = ACTIONS_BY_KIND[kind]
    if action not in allowed:
        raise InvalidDecision(f"a {kind} can be {', '.join(allowed)}, not {action}")
    if kind == "cell":
        return _cell_value(value)
    if kind == "report":
        return _report_value(action, value)
    if action == "dismiss" and not (note and note.strip()):
        raise InvalidDecision("dismissing a finding needs a --note saying why")
    return None


def decide(
    warehouse: Path,
    item_id: str,
    action: str,
    *,
    value: str | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> Decision:
    """Record ``action`` on the current item ``item_id``; return the decision logged.

    Raises:
        UnknownItem: no current item has this id.
        InvalidDecision: the action does not fit the item, or its value or note is missing.
    """
    item = find_item(warehouse, item_id)
    kind = str(item["kind"])
    read = item.get("value_as_read")
    if isinstance(read, float) and read.is_integer():
        item["value_as_read"] = int(read)  # 645, as the page shows it, not 645.0
    decided = _checked_value(kind, action, value, note)
    decision = new_decision(item_id, action, value=decided, note=note, reviewer=reviewer, seen=item)
    append(DataDir.of(warehouse).review, decision)
    return decision


def undo(
    warehouse: Path, decision_id: str, *, note: str | None = None, reviewer: str | None = None
) -> Decision:
    """Take back ``decision_id`` with a new decision (the log is never edited).

    Raises:
        UnknownItem: no such decision in the log.
        InvalidDecision: it is an undo, or undone already.
    """
    review = DataDir.of(warehouse).review
    log = read_log(review)
    target = next((d for d in log if d.decision_id == decision_id), None)
    if target is None:
        raise UnknownItem(f"unknown decision {decision_id!r} (see `xxgk review export`)")
    if target.action == UNDO:
        raise InvalidDecision(f"{decision_id} is an undo: decide again instead of undoing it")
    if any(d.undoes == decision_id for d in log):
        raise InvalidDecision(f"{decision_id} is undone already")
    decision = new_decision(
        target.item_id,
        UNDO,
        note=note,
        reviewer=reviewer,
        seen={
            "report_sha256": target.report_sha256,
            "value_as_read": target.value_as_read,
            "locator": target.locator,
        },
        undoes=decision_id,
    )
    append(review, decision)
    return decision
