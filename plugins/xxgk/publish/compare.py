"""Year over year: one agency's two years side by side, every conformed measure with its
change, the rule findings of each year and the cross-year chains that break between them;
and the same changes for every agency of a region, in one table.

A measure a report does not give is NULL in its year, and so is its change: a change is
only computed between two numbers the reports printed (NULL is not zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xxgk.publish.views import QueryResult, query


class CompareError(ValueError):
    """The agency or the years asked for are not in the warehouse (one line says which)."""


@dataclass(frozen=True)
class Comparison:
    agency_key: str
    agency_name: str
    year_a: int
    year_b: int
    measures: QueryResult  # one row per conformed measure
    findings: QueryResult  # failed or not-assessable rules of either year, cross-year too


_AGENCIES_SQL = """
SELECT agency_key, agency_name, agency_qualified
FROM main.dim_agencies
WHERE NOT is_unknown
  AND (agency_name = $name OR agency_qualified = $name OR agency_key = $name
       OR contains(agency_name, $name) OR contains(coalesce(agency_qualified, ''), $name))
ORDER BY agency_name = $name OR agency_qualified = $name DESC, agency_name
"""

_YEARS_SQL = """
SELECT DISTINCT report_year FROM main.fct_agency_year_measure_values
WHERE agency_key = $agency ORDER BY report_year
"""

# every conformed measure, in the dictionary's order, with the agency's value in each year
_MEASURES_SQL = """
WITH v AS (
    SELECT measure_code, report_year, value
    FROM main.fct_agency_year_measure_values
    WHERE agency_key = $agency AND report_year IN ($a, $b)
)
SELECT m.measure_code,
       m.chinese_name AS measure,
       a.value AS value_a,
       b.value AS value_b,
       b.value - a.value AS change,
       round(100.0 * (b.value - a.value) / nullif(a.value, 0), 1) AS change_pct
FROM main.dim_measures m
LEFT JOIN v a ON a.measure_code = m.measure_code AND a.report_year = $a
LEFT JOIN v b ON b.measure_code = m.measure_code AND b.report_year = $b
ORDER BY m.sort_order, m.measure_code
"""

# what either year's report fails or cannot be checked on; a cross-year rule of year B is
# the chain between the two years (B's carried-over = A's carried-forward, …)
_FINDINGS_SQL = """
SELECT r.report_year AS year,
       r.rule_id,
       d.is_cross_year AS cross_year,
       r.severity,
       r.outcome,
       r.difference,
       coalesce(r.message_zh, r.outcome_reason) AS message
FROM main.fct_rule_results r
JOIN main.dim_rules d USING (rule_key)
WHERE r.agency_key = $agency AND r.report_year IN ($a, $b)
  AND r.outcome IN ('failed', 'not_assessable')
  AND (r.outcome = 'failed' OR d.is_cross_year)
ORDER BY r.report_year, r.outcome, r.severity, r.rule_id
"""

_REGION_SQL = """
WITH v AS (
    SELECT f.agency_key, f.report_year, f.measure_code, f.value
    FROM main.fct_agency_year_measure_values f
    JOIN main.dim_agencies ag USING (agency_key)
    WHERE NOT ag.is_unknown AND starts_with(coalesce(ag.region_code, ''), $region)
),
pairs AS (
    SELECT a.agency_key, a.measure_code, a.report_year AS year_a, b.report_year AS year_b,
           a.value AS value_a, b.value AS value_b
    FROM v a JOIN v b
      ON b.agency_key = a.agency_key AND b.measure_code = a.measure_code
     AND b.report_year = a.report_year + 1
)
SELECT ag.region_code, ag.agency_name, p.year_a, p.year_b, m.measure_code,
       m.chinese_name AS measure, p.value_a, p.value_b, p.value_b - p.value_a AS change,
       round(100.0 * (p.value_b - p.value_a) / nullif(p.value_a, 0), 1) AS change_pct
FROM pairs p
JOIN main.dim_agencies ag USING (agency_key)
JOIN main.dim_measures m USING (measure_code)
ORDER BY ag.region_code, ag.agency_name, p.year_b, m.sort_order
"""


def find_agency(warehouse: Path, name: str) -> tuple[str, str]:
    """(agency_key, agency_name) of the one agency ``name`` names (its name, qualified name,
    key, or a part of one of them).

    Raises:
        CompareError: no agency, or several (they are listed).
    """
    found = query(warehouse, _AGENCIES_SQL, {"name": name}).rows
    exact = [row for row in found if name in (row[1], row[2], row[0])]
    if len(exact) == 1 or len(found) == 1:
        key, agency, _ = (exact or found)[0]
        return str(key), str(agency)
    if not found:
        raise CompareError(f"no agency named like {name!r}: `xxgk sql` on dim_agencies lists them")
    names = ", ".join(sorted({str(row[1]) for row in found})[:10])
    raise CompareError(f"{len(found)} agencies match {name!r} ({names}): give the whole name")


def compare(
    warehouse: Path, agency: str, year_a: int | None = None, year_b: int | None = None
) -> Comparison:
    """One agency's two years (by default its last two with measures) side by side.

    Raises:
        CompareError: the agency is unknown or ambiguous, or has no measures in a year.
    """
    key, name = find_agency(warehouse, agency)
    years = [int(row[0]) for row in query(warehouse, _YEARS_SQL, {"agency": key}).rows]
    if year_a is None or year_b is None:
        if len(years) < 2:
            raise CompareError(
                f"{name} has measures for {len(years)} year(s) ({', '.join(map(str, years))}): "
                "nothing to compare"
            )
        year_a, year_b = years[-2], years[-1]
    missing = [y for y in (year_a, year_b) if y not in years]
    if missing:
        raise CompareError(
            f"{name} has no measures for {', '.join(map(str, missing))}; its years: "
            f"{', '.join(map(str, years)) or 'none'}"
        )
    params = {"agency": key, "a": year_a, "b": year_b}
    return Comparison(
        key,
        name,
        year_a,
        year_b,
        query(warehouse, _MEASURES_SQL, params),
        query(warehouse, _FINDINGS_SQL, params),
    )


def region_changes(warehouse: Path, region: str = "") -> QueryResult:
    """Every agency's change between consecutive years, per measure, for the agencies whose
    region code starts with ``region`` (all of them when empty)."""
    return query(warehouse, _REGION_SQL, {"region": region})
