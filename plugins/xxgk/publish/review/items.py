"""What a reviewer can decide about, read from the marts (read-only).

Items are findings (``f:…``, fct_rule_results), cells (``c:…``, fct_report_cells) and
reports (``r:…``, dim_reports); their ids are made by the dbt macro ``review_item_id`` and
only read here. Decisions recorded in the log but not yet loaded are *pending*: the next
``xxgk load`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from xxgk.core.decisions import ITEM_KINDS, Decision, read_log
from xxgk.core.paths import DataDir
from xxgk.publish.views import connect

Row = dict[str, Any]

_FINDING_SQL: Final = """
select f.review_item_id as item_id, 'finding' as kind, r.report_sha256, r.file_name,
    r.agency_name, r.report_year, f.rule_id, f.severity, f.message_zh as shown,
    f.review_status, f.review_note, f.evidence,
    cast(f.rule_id as varchar) as locator,
    f.message_zh as value_as_read
from main.fct_rule_results as f
inner join main.dim_reports as r on f.report_key = r.report_key
where f.review_item_id = $item_id
"""
_CELL_SQL: Final = """
select c.review_item_id as item_id, 'cell' as kind, c.report_sha256, r.file_name,
    r.agency_name, r.report_year, c.metric_code, c.row_label, c.column_label,
    c.value, c.value_as_read, c.value_source, c.raw_text, c.locator, c.review_note
from main.fct_report_cells as c
inner join main.dim_reports as r on c.report_key = r.report_key
where c.review_item_id = $item_id and c.is_current_report
"""
_REPORT_SQL: Final = """
select review_item_id as item_id, 'report' as kind, report_sha256, file_name, agency_name,
    report_year, report_scope, source_path as locator,
    agency_name || ' · ' || coalesce(cast(report_year as varchar), '?') || ' · '
        || coalesce(report_scope, 'own') as value_as_read
from main.dim_reports
where review_item_id = $item_id and is_current
"""
_OPEN_SQL: Final = """
select f.review_item_id as item_id, 'finding' as kind, r.report_sha256, r.file_name,
    r.agency_name, r.report_year, f.rule_id, f.severity, f.message_zh as shown
from main.fct_rule_results as f
inner join main.dim_reports as r on f.report_key = r.report_key
where f.review_status = 'open'
order by f.severity <> 'error', r.agency_name, r.report_year, f.rule_id
limit $limit
"""
_UNREAD_COLUMNS: Final = """
select u.review_item_id as item_id, 'cell' as kind, u.report_sha256, r.file_name,
    r.agency_name, r.report_year, u.metric_code, u.row_label, u.column_label, u.reason,
    u.candidates, u.raw_text, u.locator, cast(null as double) as value_as_read,
    '未读 unread: ' || coalesce(u.row_label, '?') || ' / ' || coalesce(u.column_label, '?')
        as shown,
    'unread' as severity
from main.fct_unread_cells as u
inner join main.dim_reports as r on u.report_key = r.report_key
"""
_UNREAD_ITEM_SQL: Final = (
    _UNREAD_COLUMNS + "where u.review_item_id = $item_id and u.is_current_report"
)
_UNREAD_OPEN_SQL: Final = (
    _UNREAD_COLUMNS
    + """
where u.is_current_report and u.is_value_unassigned
    and not exists (
        select 1 from main.fct_report_cells as c
        where c.review_item_id = u.review_item_id
            and c.value_source in ('reviewer', 'cross_year')
    )
order by r.agency_name, r.report_year, u.table_no, u.row_no, u.column_no
limit $limit
"""
)
_DECISIONS_SQL: Final = """
select decision_id, item_id, action, review_state, stale_reason, decided_value, note,
    reviewer, decided_at, file_name, agency_name, report_year
from main.fct_review_decisions
order by decided_at, decision_id
"""
_ITEM_SQL: Final = {"f": _FINDING_SQL, "c": _CELL_SQL, "r": _REPORT_SQL}


class UnknownItem(LookupError):
    """No current finding, cell or report has this item_id."""


def _rows(con: Any, sql: str, params: Mapping[str, Any]) -> list[Row]:
    cursor = con.execute(sql, dict(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def find_item(warehouse: Path, item_id: str) -> Row:
    """The current item with this id, as the reviewer sees it.

    Raises:
        UnknownItem: no current finding, cell or report has this id.
    """
    sql = _ITEM_SQL.get(item_id.split(":", 1)[0])
    if sql is None:
        kinds = ", ".join(f"{k}: ({v})" for k, v in ITEM_KINDS.items())
        raise UnknownItem(f"unknown item {item_id!r}: an item_id starts with {kinds}")
    with connect(warehouse) as con:
        found = _rows(con, sql, {"item_id": item_id})
        if not found and sql is _CELL_SQL:  # an unread cell: not in fct_report_cells yet
            found = _rows(con, _UNREAD_ITEM_SQL, {"item_id": item_id})
    if not found:
        raise UnknownItem(
            f"unknown item {item_id!r}: no current {ITEM_KINDS[item_id[0]]} has this id "
            "(see `xxgk review list`)"
        )
    return found[0]


@dataclass(frozen=True)
class ReviewState:
    """Open findings, every loaded decision with its state, and the pending ones."""

    open_items: list[Row]  # unread cells (with candidates), then open findings
    decisions: list[Row]  # fct_review_decisions: applied, replaced, undone, undo, stale
    pending: list[Decision]  # in the log, not loaded yet

    @property
    def stale(self) -> list[Row]:
        return [d for d in self.decisions if d["review_state"] == "stale"]


def _has_table(con: Any, name: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'main' and table_name = $n",
        {"n": name},
    ).fetchone()
    return bool(found and found[0])


def read_state(warehouse: Path, limit: int = 10_000) -> ReviewState:
    """What the reviewer has to do and what was decided (loaded or pending)."""
    with connect(warehouse) as con:
        open_items = _rows(con, _UNREAD_OPEN_SQL, {"limit": limit})
        open_items += _rows(con, _OPEN_SQL, {"limit": limit})
        loaded = _rows(con, _DECISIONS_SQL, {}) if _has_table(con, "fct_review_decisions") else []
    known = {str(d["decision_id"]) for d in loaded}
    pending = [d for d in read_log(DataDir.of(warehouse).review) if d.decision_id not in known]
    return ReviewState(open_items, loaded, pending)


def pending_by_item(pending: Sequence[Decision]) -> dict[str, Decision]:
    """The latest pending decision per item (what the app shows as recorded)."""
    return {d.item_id: d for d in pending}
