"""Reviewers' decisions: an append-only JSON Lines log outside the rebuildable warehouse.

``<data>/review/decisions.jsonl`` holds one JSON object per line, one line per decision, in
the order they were made. Nothing is ever edited or removed: an undo is a new decision that
names the one it undoes. The load copies the log into ``raw.review_decisions`` on every run
and the marts apply it, so rebuilding everything from the raw store and this file gives the
same warehouse.

Every write takes an exclusive ``fcntl`` lock on the file and appends one whole line through
``O_APPEND``, so two reviewers (two CLI calls, the app and a script) writing at once lose
nothing and never interleave.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

DECISIONS_FILE: Final = "decisions.jsonl"

CELL_ACTIONS: Final = ("resolve", "correct")
"""Set a cell's value: ``resolve`` an unread cell (a candidate or a typed value), ``correct``
a value that was read wrongly."""
FINDING_ACTIONS: Final = ("confirm", "dismiss")
"""A rule finding is the publisher's error (confirmed) or a false alarm (dismissed)."""
REPORT_ACTIONS: Final = ("override_agency", "override_year", "override_aggregate")
"""Overturn what was read about a report: its agency, its year, its 汇总 (aggregate) flag."""
UNDO: Final = "undo"
ACTIONS: Final = (*FINDING_ACTIONS, *CELL_ACTIONS, *REPORT_ACTIONS, UNDO)

ITEM_KINDS: Final = {"f": "finding", "c": "cell", "r": "report"}
"""The prefix of an item_id (``f:…``, ``c:…``, ``r:…``): what the item is. The ids themselves
are made in one place, the dbt macro ``review_item_id``, and read from the marts."""


class ReviewLogError(ValueError):
    """The log holds a line that is not a decision (shown with its line number)."""


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision and what they saw when they made it."""

    decision_id: str
    item_id: str
    action: str
    value: str | None  # the value set (a number, an agency name, a year, true/false)
    note: str | None  # why
    reviewer: str
    decided_at: str  # ISO 8601, UTC
    report_sha256: str | None  # the bytes the reviewer looked at
    value_as_read: str | None  # the value the warehouse showed
    locator: str | None  # where in the document
    undoes: str | None = None  # the decision_id an undo takes back

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}: one of {', '.join(ACTIONS)}")
        if (self.action == UNDO) != (self.undoes is not None):
            raise ValueError("an undo names the decision it undoes (and only an undo does)")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)


DECISION_FIELDS: Final = tuple(f.name for f in fields(Decision))


def default_reviewer() -> str:
    """The OS user, when no ``--reviewer`` is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return str(os.getuid())


def new_decision(
    item_id: str,
    action: str,
    *,
    value: str | None = None,
    note: str | None = None,
    reviewer: str | None = None,
    seen: dict[str, Any] | None = None,
    undoes: str | None = None,
) -> Decision:
    """A decision made now, with a fresh id. ``seen``: ``report_sha256``, ``value_as_read``
    and ``locator`` of the item as the reviewer saw it."""
    seen = seen or {}

    def text(key: str) -> str | None:
        found = seen.get(key)
        return None if found is None else str(found)

    return Decision(
        decision_id="d-" + uuid.uuid4().hex[:16],
        item_id=item_id,
        action=action,
        value=value,
        note=note or None,
        reviewer=reviewer or default_reviewer(),
        decided_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        report_sha256=text("report_sha256"),
        value_as_read=text("value_as_read"),
        locator=text("locator"),
        undoes=undoes,
    )


def log_path(review_dir: Path) -> Path:
    return review_dir / DECISIONS_FILE


def append(review_dir: Path, decision: Decision) -> Path:
    """Append ``decision`` as one line, under an exclusive lock; return the log's path."""
    review_dir.mkdir(parents=True, exist_ok=True)
    path = log_path(review_dir)
    line = (decision.to_json() + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        written = os.write(fd, line)
        if written != len(line):  # a full disk: say so rather than leave half a line
            raise OSError(f"wrote {written} of {len(line)} bytes of a decision to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    return path


def _parse(number: int, line: str, path: Path) -> Decision:
    try:
        data = json.loads(line)
        return Decision(**{k: data.get(k) for k in DECISION_FIELDS})
    except (ValueError, TypeError) as exc:
        raise ReviewLogError(f"{path}:{number}: not a decision ({exc})") from exc


def read_log(review_dir: Path) -> list[Decision]:
    """Every decision in the order made (none when there is no log yet).

    Raises:
        ReviewLogError: a line is not a decision (an edit by hand gone wrong).
    """
    path = log_path(review_dir)
    if not path.exists():
        return []
    with path.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH)  # never read half of a line being written
        data = handle.read().decode("utf-8")
    return [
        _parse(number, line, path)
        for number, line in enumerate(data.splitlines(), start=1)
        if line.strip()
    ]
