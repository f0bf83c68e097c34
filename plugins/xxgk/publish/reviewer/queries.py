"""What the reviewer's pages read from the warehouse marts (read-only, plain SQL).

The overview reads aggregates only (counts, the measures per year, the first failed results),
so its cost does not grow with the number of cells. The agency pages read cells, findings and
narrative facts of a chunk of agencies at a time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import duckdb

Row = dict[str, Any]
TREND_MEASURE: Final = "applications_received"  # conformed across old / v2019 / v2021
REFUSAL_GROUP: Final = "withheld_reasons"  # 不予公开 reasons in dim_measures
AGENCY_CHUNK: Final = 200  # agencies whose cells are read in one query

_FAILED_SQL: Final = """
select
    f.report_key, f.agency_key, f.rule_id, f.rule_category, f.format_id, f.report_year,
    f.outcome, f.severity, f.automation, f.lhs, f.rhs, f.difference, f.message_zh,
    f.message_en, f.evidence, r.agency_name, r.file_name
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
where f.outcome = 'failed'
order by f.severity <> 'error', r.agency_name, f.report_year, f.rule_id
limit $limit
"""
_COUNTS_SQL: Final = """
select outcome, severity, rule_category, count(*)
from main.fct_rule_results
group by all
"""
_REPORTS_SQL: Final = "select count(*) from main.dim_reports where is_current"
_COMPLETENESS_SQL: Final = """
select count(*) filter (where status = 'ok') as complete,
    count(*) filter (where status = 'partial') as partial,
    coalesce(sum(cells_unread), 0) as cells_unread
from main.dim_reports
where is_current and status <> 'quarantined'
"""
_UNKNOWN_SQL: Final = """
select r.report_key, r.agency_key, r.report_sha256, r.file_name, r.source_path,
    a.is_unknown as agency_unknown,
    r.report_year is null as year_unknown, a.region_code is null as region_unknown
from main.dim_reports as r
inner join main.dim_agencies as a on r.agency_key = a.agency_key
where r.is_current and r.status <> 'quarantined'
    and (a.is_unknown or r.report_year is null or a.region_code is null)
order by r.source_path
"""
_TREND_SQL: Final = """
select report_year, sum(value) as value
from main.fct_agency_year_measure_values
where measure_code = $measure and report_year is not null
group by report_year
order by report_year
"""
_REFUSALS_SQL: Final = """
select m.measure_code, m.chinese_name, m.english_name, sum(v.value) as value
from main.dim_measures as m
left join main.fct_agency_year_measure_values as v on m.measure_code = v.measure_code
where m.measure_group = $group
group by m.measure_code, m.chinese_name, m.english_name, m.sort_order
order by m.sort_order
"""
_AGENCIES_SQL: Final = """
with current_reports as (
    select report_key, agency_key, report_year from main.dim_reports where is_current
),
years as (
    select agency_key, list(distinct report_year order by report_year) as years,
        count(*) as reports
    from current_reports
    group by agency_key
),
failed as (
    select f.agency_key,
        count(*) filter (where f.severity = 'error') as errors,
        count(*) filter (where f.severity = 'warning') as warnings
    from main.fct_rule_results as f
    inner join current_reports as c on f.report_key = c.report_key
    where f.outcome = 'failed'
    group by f.agency_key
)
select a.agency_key, a.agency_name, y.years, y.reports,
    coalesce(f.errors, 0) as errors, coalesce(f.warnings, 0) as warnings
from main.dim_agencies as a
inner join years as y on a.agency_key = y.agency_key
left join failed as f on a.agency_key = f.agency_key
order by errors desc, warnings desc, a.agency_name, a.agency_key
limit $limit
"""
_CHUNK: Final = "agency_key in (select unnest($keys::varchar[]))"
_AGENCY_SQL: Final = f"select * from main.dim_agencies where {_CHUNK}"
_VERSIONS_SQL: Final = f"""
select * from main.dim_reports where {_CHUNK}
order by report_year, is_current desc, landed_at
"""
_CELLS_SQL: Final = f"""
select c.report_key, c.table_no, c.row_no, c.column_no, c.metric_code, c.row_label,
    c.column_label, c.value, c.raw_text, c.locator, c.ocr_confidence, m.english_name, m.unit,
    c.review_item_id, c.value_as_read, c.value_source, c.review_note, c.reviewer,
    c.cross_year_evidence
from main.fct_report_cells as c
left join main.dim_metrics as m on c.metric_key = m.metric_key
where c.is_current_report and c.{_CHUNK}
order by c.report_key, c.cell_no
"""
_RESULTS_SQL: Final = f"""
select f.report_key, f.rule_id, f.rule_category, f.outcome, f.severity, f.automation,
    f.lhs, f.rhs, f.difference, f.message_zh, f.message_en, f.evidence,
    r.title_zh, r.title_en, f.review_item_id, f.review_status, f.review_note, f.reviewer
from main.fct_rule_results as f
left join main.dim_rules as r on f.rule_key = r.rule_key
where f.{_CHUNK}
order by f.report_key, f.severity <> 'error', f.rule_id
"""
_UNREAD_SQL: Final = f"""
select u.report_key, u.review_item_id, u.table_no, u.row_no, u.column_no, u.metric_code,
    u.row_label, u.column_label, u.reason, u.candidates, u.raw_text, u.locator,
    c.value as resolved_value, c.value_source as resolved_by, c.review_note, c.reviewer
from main.fct_unread_cells as u
left join main.fct_report_cells as c
    on u.review_item_id = c.review_item_id and c.value_source in ('reviewer', 'cross_year')
where u.is_current_report and u.is_value_unassigned and u.{_CHUNK}
order by u.report_key, u.table_no, u.row_no, u.column_no
"""
_FACTS_SQL: Final = f"""
select report_key, fact, value, is_approximate, sentence
from main.fct_narrative_facts
where {_CHUNK}
order by report_key, fact_no
"""
_MEASURE_SQL: Final = f"""
select agency_key, report_year, value
from main.fct_agency_year_measure_values
where measure_code = $measure and {_CHUNK}
order by agency_key, report_year
"""


@dataclass(frozen=True)
class PageCounts:
    """What the summary and the failures chart show: counts over every result of the load."""

    reports: int
    outcomes: Mapping[str, int]
    failed_by_category: Mapping[str, Mapping[str, int]]  # category → severity → count
    # current readable reports: complete (ok), partial, and cells left unread in all
    completeness: Mapping[str, int] = field(default_factory=dict)

    @property
    def failed_by_severity(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for by_severity in self.failed_by_category.values():
            out.update(by_severity)
        return out

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]], reports: int) -> PageCounts:
        """Counts of in-memory result rows (tests, small loads)."""
        by_category: dict[str, Counter[str]] = {}
        for r in rows:
            if r["outcome"] == "failed":
                by_category.setdefault(str(r["rule_category"]), Counter())[str(r["severity"])] += 1
        return cls(reports, Counter(str(r["outcome"]) for r in rows), by_category)


@dataclass(frozen=True)
class ReportView:
    """One current report of an agency: its printed cells, rule results and prose numbers."""

    report: Row
    cells: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)
    facts: list[Row] = field(default_factory=list)
    unread: list[Row] = field(default_factory=list)  # cells the reader left unread

    @property
    def findings(self) -> list[Row]:
        return [r for r in self.results if r["outcome"] == "failed"]

    @property
    def outcomes(self) -> Counter[str]:
        return Counter(str(r["outcome"]) for r in self.results)


@dataclass(frozen=True)
class AgencyView:
    """Everything an agency's page shows, years in order."""

    agency: Row
    reports: list[ReportView]
    superseded: list[Row]  # versions not current: superseded or duplicates
    applications: list[tuple[int, float | None]]


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> list[Row]:
    """The result of ``sql`` as dicts keyed by column name."""
    cursor = con.execute(sql, dict(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def read_counts(con: duckdb.DuckDBPyConnection) -> PageCounts:
    """Outcome counts and failed results per check family and severity."""
    outcomes: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = {}
    for outcome, severity, category, n in con.execute(_COUNTS_SQL).fetchall():
        outcomes[str(outcome)] += int(n)
        if outcome == "failed":
            by_category.setdefault(str(category), Counter())[str(severity)] += int(n)
    import duckdb  # the exception type; the module is typed against it only

    reports = con.execute(_REPORTS_SQL).fetchone()
    try:
        found = con.execute(_COMPLETENESS_SQL).fetchone()
    except duckdb.BinderException:  # a warehouse built before dim_reports counted cells
        found = None
    names = ("complete", "partial", "cells_unread")
    complete = dict(zip(names, map(int, found), strict=True)) if found else {}
    return PageCounts(int(reports[0]) if reports else 0, outcomes, by_category, complete)


def read_unknowns(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """Current readable reports whose agency, year or region is unknown, by file (a few
    per cent of a load: listed in full, so a reviewer can add hints for them)."""
    return rows(con, _UNKNOWN_SQL, {})


def read_report_agencies(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each current report's key → its agency's key (whose page has the report's section)."""
    found = con.execute(
        "select report_key, agency_key from main.dim_reports where is_current"
    ).fetchall()
    return {str(report): str(agency) for report, agency in found}


def read_failed(con: duckdb.DuckDBPyConnection, limit: int) -> list[Row]:
    """The first ``limit`` failed results, errors first."""
    return rows(con, _FAILED_SQL, {"limit": limit})


def read_trend(con: duckdb.DuckDBPyConnection) -> list[tuple[int, float | None]]:
    """Applications received per report year, summed over the agencies' own reports."""
    found = con.execute(_TREND_SQL, {"measure": TREND_MEASURE}).fetchall()
    return [(int(y), None if v is None else float(v)) for y, v in found]


def read_refusals(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, float | None]]:
    """Withheld (不予公开) applications per reason, summed over every loaded agency-year."""
    found = con.execute(_REFUSALS_SQL, {"group": REFUSAL_GROUP}).fetchall()
    return [(str(c), str(zh), str(en), None if v is None else float(v)) for c, zh, en, v in found]


def read_agencies(con: duckdb.DuckDBPyConnection, limit: int) -> list[Row]:
    """Agencies with current reports, those with failed errors first."""
    return rows(con, _AGENCIES_SQL, {"limit": limit})


def _by(key: str, found: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in found:
        out[str(r[key])].append(r)
    return out


def _chunk_views(con: duckdb.DuckDBPyConnection, keys: list[str]) -> Iterator[AgencyView]:
    params = {"keys": keys}
    cells = _by("report_key", rows(con, _CELLS_SQL, params))
    results = _by("report_key", rows(con, _RESULTS_SQL, params))
    facts = _by("report_key", rows(con, _FACTS_SQL, params))
    unread = _by("report_key", rows(con, _UNREAD_SQL, params))
    versions = _by("agency_key", rows(con, _VERSIONS_SQL, params))
    measures = _by("agency_key", rows(con, _MEASURE_SQL, {**params, "measure": TREND_MEASURE}))
    agencies = {str(a["agency_key"]): a for a in rows(con, _AGENCY_SQL, params)}
    for key in keys:
        reports = [
            ReportView(
                r,
                cells.get(r["report_key"], []),
                results.get(r["report_key"], []),
                facts.get(r["report_key"], []),
                unread.get(r["report_key"], []),
            )
            for r in versions.get(key, [])
            if r["is_current"]
        ]
        yield AgencyView(
            agency=agencies.get(key, {"agency_key": key}),
            reports=reports,
            superseded=[r for r in versions.get(key, []) if not r["is_current"]],
            applications=[(int(m["report_year"]), m["value"]) for m in measures.get(key, [])],
        )


def iter_agency_views(
    con: duckdb.DuckDBPyConnection, agency_keys: Sequence[str], chunk: int = AGENCY_CHUNK
) -> Iterator[AgencyView]:
    """The page data of each agency, reading ``chunk`` agencies per query."""
    for start in range(0, len(agency_keys), chunk):
        yield from _chunk_views(con, list(agency_keys[start : start + chunk]))
