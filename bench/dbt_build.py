"""Benchmark: ``dbt build`` on a synthetic warehouse of N reports (prints figures; not a test).

The raw tables are synthesised directly in a temporary DuckDB, without extraction: one
``load_warehouse`` call with nothing landed creates the ``raw`` schema and loads the packaged
metric and rule dictionaries, then SQL fills ``raw.reports``, ``raw.landed_files``,
``raw.cells`` (one cell per on-template metric of the report's format, about 15% blank),
``raw.narrative_facts`` and ``raw.issues``. Every tenth report is narrative only; each agency
reports ten consecutive years (2014–2023), so the format follows the year (old ≤ 2018, v2019
2019–2020, v2021 ≥ 2021) as in real corpora; one report in fifty is a region's aggregate.

    .venv/bin/python bench/dbt_build.py            # N = 100000
    .venv/bin/python bench/dbt_build.py -n 2000 --keep /tmp/bench
    .venv/bin/python bench/dbt_build.py --exclude "path:models/marts/quality path:seeds/quality"
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

import duckdb  # noqa: E402
import psutil  # noqa: E402

from xxgk.dictionary.metrics import raw_dictionary  # noqa: E402
from xxgk.load.raw import load_warehouse  # noqa: E402
from xxgk.transform.crosswalk import metric_rows  # noqa: E402
from xxgk.transform.dbt import WAREHOUSE_ENV, dbt_project_dir, default_target_dir  # noqa: E402

DEFAULT_REPORTS = 100_000
YEARS_PER_AGENCY = 10
FIRST_YEAR = 2014

_REPORTS_SQL = """
insert into raw.reports by name
with numbered as (
    select
        i,
        md5('bench-report-' || i) as sha,
        i // $years as agency_no,
        $first_year + i % $years as report_year,
    from range($n) as t(i)
)
select
    sha as report_sha256,
    'bench/' || report_year || '/' || sha || '.html' as source_path,
    'ok' as status,
    case
        when i % 10 = 7 then 'narrative'
        when report_year <= 2018 then 'old'
        when report_year <= 2020 then 'v2019'
        else 'v2021'
    end as format,
    report_year,
    case when i % 50 = 3 then '合成县第' || agency_no || '人民政府'
        else '合成市第' || agency_no || '局' end as agency,
    case when agency_no % 3 = 0 then 'county' else 'prefecture' end as admin_level,
    make_date(report_year + 1, 1, 1 + i % 28) as published_on,
    report_year || '年政府信息公开工作年度报告' as title,
    case when agency_no % 4 = 0 then lpad(cast(agency_no as varchar), 9, '0') end
        as agency_org_code,
    case when i % 50 = 3 then 'people_government' else 'department' end as body_type,
    case when agency_no % 5 = 0 then '652323' end as region_code,
    case when i % 50 = 3 then 'aggregate' else 'own' end as report_scope,
    make_date(report_year, 1, 1) as period_start,
    make_date(report_year, 12, 31) as period_end,
    'html' as container,
    'bench' as extractor_version,
    timestamp '2025-01-01 00:00:00' as extracted_at,
from numbered
"""

_LANDED_SQL = """
insert into raw.landed_files by name
select
    report_sha256,
    source_path,
    '/raw/' || report_sha256 as raw_path,
    report_sha256 || '.html' as file_name,
    50000 as size_bytes,
    report_year as inbox_year,
    timestamp '2024-06-01 00:00:00' + to_seconds(hash(report_sha256) % 1000000) as landed_at,
from raw.reports
"""

_CELLS_SQL = """
insert into raw.cells by name
select
    reports.report_sha256,
    cast(metrics.metric_no as integer) as cell_no,
    metrics.table_no,
    cast(metrics.metric_no as integer) as row_no,
    1 as column_no,
    metrics.metric_code as metric,
    case when hash(reports.report_sha256, metrics.metric_code) % 100 < 15 then null
        else cast(hash(metrics.metric_code, reports.report_sha256) % 40 as double)
    end as value,
    cast(value as varchar) as raw,
    metrics.label as row_label,
    null as column_label,
    'table ' || metrics.table_no || ', row ' || metrics.metric_no || ', column 1' as locator,
from raw.reports as reports
inner join bench_metrics as metrics
    on reports.format = metrics.format_id
"""

_FACTS_SQL = """
insert into raw.narrative_facts by name
select
    report_sha256,
    cast(n as integer) as fact_no,
    ['active_items', 'applications_received', 'website_items'][n] as fact,
    cast(hash(report_sha256, n) % 500 as double) as value,
    n = 3 as approx,
    '合成文本' as text,
from raw.reports, range(1, 4) as t(n)
"""

_ISSUES_SQL = """
insert into raw.issues by name
select
    report_sha256,
    1 as issue_no,
    'table_truncated' as code,
    'warning' as severity,
    'synthetic issue' as message,
from raw.reports
where hash(report_sha256) % 10 = 0
"""


def synthesise(warehouse: Path, reports: int) -> dict[str, int]:
    """Create ``warehouse`` with the raw tables of ``reports`` synthetic reports; row counts."""
    load_warehouse(warehouse, [], [])  # raw schema + packaged metric and rule dictionaries
    metrics = [
        (row["format_id"], row["metric_code"], row["table_no"], row["label"])
        for row in metric_rows(raw_dictionary())
        if row["on_template"] is None  # what a printed form has: no headers, no subtotals
    ]
    params = {"n": reports, "years": YEARS_PER_AGENCY, "first_year": FIRST_YEAR}
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create temp table bench_metrics "
            "(format_id varchar, metric_code varchar, table_no integer, label varchar)"
        )
        con.executemany("insert into bench_metrics values (?, ?, ?, ?)", metrics)
        con.execute(
            "create temp table numbered as select *, row_number() over "
            "(partition by format_id order by metric_code) as metric_no from bench_metrics"
        )
        con.execute("drop table bench_metrics")
        con.execute("alter table numbered rename to bench_metrics")
        con.execute(_REPORTS_SQL, params)
        for sql in (_LANDED_SQL, _CELLS_SQL, _FACTS_SQL, _ISSUES_SQL):
            con.execute(sql)
        return {
            table: int(con.execute(f"select count(*) from raw.{table}").fetchone()[0])  # type: ignore[index]
            for table in ("reports", "cells", "narrative_facts", "issues")
        }


def _peak_rss(process: subprocess.Popen[bytes], interval: float = 0.2) -> int:
    """Largest RSS of ``process`` (and its children) until it exits, sampled every 0.2 s."""
    peak = 0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        rss = 0
        for proc in [watched, *watched.children(recursive=True)]:
            try:
                rss += proc.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        time.sleep(interval)
    return peak


def dbt_build(warehouse: Path, extra_args: Sequence[str]) -> tuple[int, list[dict[str, Any]], int]:
    """Run ``dbt build`` like xxgk.transform.dbt does, with extra arguments (--select/--exclude).

    Returns dbt's exit code, the node results of run_results.json and its peak RSS (bytes).
    """
    project = dbt_project_dir()
    target = default_target_dir(warehouse)
    command = [
        sys.executable,
        "-W",
        "ignore::RuntimeWarning",
        "-m",
        "dbt.cli.main",
        "build",
        *extra_args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target),
        "--log-path",
        str(target.parent / "logs"),
        "--no-use-colors",
        "--quiet",
    ]
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with subprocess.Popen(command, cwd=project, env=env) as process:
        peak = _peak_rss(process)
    results_file = target / "run_results.json"
    results: list[dict[str, Any]] = []
    if results_file.is_file():
        results = json.loads(results_file.read_text(encoding="utf-8")).get("results", [])
    return process.returncode, results, peak


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=DEFAULT_REPORTS)
    parser.add_argument("--keep", type=Path, help="build here and keep the warehouse")
    parser.add_argument("--exclude", help="a dbt --exclude expression (default: nothing)")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = workdir / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    try:
        started = time.perf_counter()
        counts = synthesise(warehouse, args.reports)
        synthesised = time.perf_counter() - started
        print(f"synthesised {counts} in {synthesised:.1f} s")
        started = time.perf_counter()
        extra = ("--exclude", args.exclude) if args.exclude else ()
        returncode, results, peak = dbt_build(warehouse, extra)
        elapsed = time.perf_counter() - started
        statuses = Counter(str(node.get("status")) for node in results)
        print(
            f"dbt build: {args.reports} reports, {counts['cells']} cells: {elapsed:.1f} s, "
            f"peak RSS {peak / 2**30:.2f} GB, exit code {returncode}, nodes {dict(statuses)}; "
            f"warehouse {warehouse.stat().st_size / 2**20:.0f} MiB"
        )
        timings = sorted(results, key=lambda node: -float(node.get("execution_time") or 0))
        print(
            f"  memory_limit {os.environ.get('XXGK_DUCKDB_MEMORY_LIMIT', '2GB (default)')}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        for node in timings[:15]:
            print(f"  {float(node.get('execution_time') or 0):8.1f} s  {node['unique_id']}")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
