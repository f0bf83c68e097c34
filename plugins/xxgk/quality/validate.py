"""Validate the built warehouse with Great Expectations, publish Data Docs and the review page.

Four suites, one per validated table (stored in the GX File Data Context under
``expectations/gx/``, committed; regenerate with :func:`write_suites`). The query preparing
each suite's batch from the warehouse is ``expectations/batches/<suite>.sql``:

* structural — a failed *critical* expectation means the pipeline is broken and
  :func:`validate_warehouse` raises :class:`~xxgk.core.exceptions.PipelineValidationFailed`;
  *warning* ones (null rates per format, plausible ranges) are reported only. They check what
  dbt's tests do not: value ranges, per-format null rates, compound keys, derived columns.

  * ``fct_report_cells`` — per report: counts are non-negative integers, codes known, raw
    text kept; share of filled cells per format;
  * ``dim_reports`` — year range, publication lag, admin levels, null rates per format;
  * ``fct_rule_results`` — per report: one result per applicable rule, no duplicates,
    lhs − rhs = difference, messages and evidence present; share of assessable rules.

* ``rule_results`` — data findings: the failed rows of ``main.fct_rule_results`` (built by dbt
  from the rule seeds of the catalog :mod:`xxgk.dictionary.catalog`), one expectation per rule
  family; a failure is a finding about reports, not an error.

Run-time output never goes into the repository: validation results go to
``<data_dir>/quality/gx_validations/``, Data Docs to ``<data_dir>/quality/gx_docs/``, the
rule results to ``rule_results.parquet`` and the reviewer's page to ``report.html`` there.

Memory: every batch is prepared inside DuckDB (memory bounded by ``XXGK_VALIDATE_MEMORY_LIMIT``,
default 1GB) and reaches pandas small: one row per report for the structural suites, and for
``rule_results`` one row per failed rule with only the columns its expectations read
(``rule_family``, ``difference``, ``finding``), never the evidence or messages.

Great Expectations is imported lazily (~7 s), inside the functions that need it.
"""

from __future__ import annotations

import html
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from xxgk.core.db import limit_memory
from xxgk.core.env import GX_ROOT
from xxgk.core.exceptions import PipelineValidationFailed
from xxgk.core.formats import TABLE_FORMATS
from xxgk.core.limits import Limits
from xxgk.core.paths import REPO_ROOT, DataDir
from xxgk.dictionary import catalog
from xxgk.quality._gx_quiet import import_gx
from xxgk.quality.docs_offline import localize_data_docs

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

logger = logging.getLogger(__name__)

CELLS_SUITE: Final = "fct_report_cells"
REPORTS_SUITE: Final = "dim_reports"
RESULTS_SUITE: Final = "fct_rule_results"
RULES_SUITE: Final = "rule_results"
STRUCTURAL_SUITES: Final = (CELLS_SUITE, REPORTS_SUITE, RESULTS_SUITE)
SUITES: Final = (*STRUCTURAL_SUITES, RULES_SUITE)
DATASOURCE: Final = "xxgk_warehouse"
SITE_NAME: Final = "xxgk_quality"
GX_ROOT_ENV: Final = GX_ROOT
BATCHES_DIR: Final = "batches"  # <context_root>/batches/<suite>.sql: the query of each batch
_ID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "xxgk/expectations")
_SEVERITY: Final = {"error": "critical", "warning": "warning"}
_SITE_CONFIG: Final[dict[str, Any]] = {
    "class_name": "SiteBuilder",
    "show_how_to_buttons": False,
    "store_backend": {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": f"uncommitted/data_docs/{SITE_NAME}/",
    },
    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
}
_RESULT_FORMAT: Final = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
# what the rule_results expectations read; the other columns only build ``finding``
RULES_COLUMNS: Final = ("rule_family", "difference", "finding")
FINDING_KEY_CHARS: Final = 12  # of the report key a finding shows, as [0123456789ab]

_EXPORT_SQL: Final = """
copy (
    select f.*, r.agency_name, r.file_name
    from main.fct_rule_results as f
    left join main.dim_reports as r on f.report_key = r.report_key
    order by f.report_key, f.rule_id
) to '{path}' (format parquet)
"""


@dataclass(frozen=True)
class SuiteStatistics:
    """Outcome of one suite: expectation counts and the names of the failed ones."""

    suite: str
    success: bool
    evaluated: int
    successful: int
    unsuccessful: int
    failed_expectations: tuple[str, ...] = ()
    failed_critical: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationSummary:
    """What :func:`validate_warehouse` found; :meth:`as_dict` is small and JSON-able (XCom)."""

    structural_success: bool
    suites: dict[str, SuiteStatistics]
    failed_rules_by_severity: dict[str, int]
    rule_results_path: Path
    data_docs_index: Path
    outcomes: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        suite_keys = ("success", "evaluated", "successful", "unsuccessful")
        return {
            "structural_success": self.structural_success,
            "suites": {
                name: {
                    **{k: getattr(s, k) for k in suite_keys},
                    "failed_expectations": list(s.failed_expectations),
                }
                for name, s in self.suites.items()
            },
            "failed_rules_by_severity": dict(self.failed_rules_by_severity),
            "outcomes": dict(self.outcomes),
            "rule_results_path": str(self.rule_results_path),
            "data_docs_index": str(self.data_docs_index),
        }


def default_context_root() -> Path:
    """The ``expectations/`` folder: ``$XXGK_GX_ROOT``, else ``<repo>/expectations``."""
    env = os.getenv(GX_ROOT_ENV)
    return Path(env) if env else REPO_ROOT / "expectations"


# --- suites (built from code + the rule catalog, committed as JSON) -----------------------


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def _all_zero(gxe: Any, checks: dict[str, str]) -> list[Any]:
    """column → description: each column counts problems per report and must be 0."""
    return [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=0, description=d)
        for c, d in checks.items()
    ]


def _cells_expectations(gxe: Any, column: Any) -> list[Any]:
    checks = {
        "negative_counts": "Count metrics are >= 0 (blank stays NULL).",
        "non_integer_counts": "Count metrics are integers.",
        "values_without_raw_text": "A cell with a value keeps the raw text it was parsed from.",
    }
    out = [
        gxe.ExpectColumnValuesToNotBeNull(
            column="report_key", description="Every cell belongs to a report."
        )
    ]
    out += _all_zero(gxe, checks)
    out += [
        gxe.ExpectColumnValuesToBeBetween(
            column="value_share",
            min_value=0.05,
            mostly=0.9,
            row_condition=column("format") == fmt,
            severity="warning",
            description=f"Null rate: 90% of the {fmt} reports have a value in at least 5% of "
            "their cells (an all-blank format means its tables are no longer read).",
        )
        for fmt in TABLE_FORMATS
    ]
    return out


def _reports_expectations(gxe: Any, column: Any) -> list[Any]:
    out = [
        gxe.ExpectColumnValuesToBeBetween(
            column="report_year",
            min_value=2000,
            max_value=2100,
            description="Report years are plausible (2000-2100).",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="publication_lag_days",
            min_value=-31,
            max_value=731,
            mostly=0.95,
            severity="warning",
            description="Publication dates fall within two years after the report year.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="admin_level",
            severity="warning",
            value_set=["national", "province", "prefecture", "county", "township", "unknown"],
            description="Administrative levels are the known ones.",
        ),
        gxe.ExpectColumnValuesToNotBeInSet(
            column="agency_name",
            value_set=["(unknown)"],
            mostly=0.8,
            severity="warning",
            description="Null rate: at least 80% of the reports name their agency.",
        ),
    ]
    out += [
        gxe.ExpectColumnValuesToNotBeNull(
            column="report_year",
            mostly=0.9,
            row_condition=column("format") == fmt,
            severity="warning",
            description=f"Null rate: at least 90% of the {fmt} reports have a report year.",
        )
        for fmt in (*TABLE_FORMATS, "narrative")
    ]
    return out


def _results_expectations(gxe: Any, column: Any) -> list[Any]:
    checks = {
        "surplus_results": "Every current report has exactly one result per rule of its format "
        "and per report-level rule (negative = missing, positive = extra or orphaned).",
        "difference_mismatches": "difference = lhs - rhs.",
        "missing_messages": "Every result has a Chinese and an English message.",
        "malformed_evidence": "Evidence is JSON (a list or an object).",
        "failures_without_evidence": "A failed rule shows its evidence.",
    }
    out = _all_zero(gxe, checks)
    out += [
        gxe.ExpectColumnValuesToBeBetween(
            column="assessed_share",
            min_value=0.2,
            mostly=0.9,
            row_condition=column("format") == fmt,
            severity="warning",
            description=f"Null rate: at least 20% of the table rules are assessable on 90% of "
            f"the {fmt} reports (blank tables make every rule not assessable).",
        )
        for fmt in TABLE_FORMATS
    ]
    return out


def _family_expectation(gxe: Any, column: Any, family: str, members: list[Any]) -> Any:
    first = members[0]
    more = f" (and {len(members) - 1} more rules of the family)" if len(members) > 1 else ""
    common: dict[str, Any] = {
        "row_condition": column("rule_family") == family,
        "severity": _SEVERITY.get(first.severity, "warning"),
        "description": f"{family} [{first.severity}, {first.automation}]: {first.title_en}{more}",
        "meta": {
            "rule_ids": [r.rule_id for r in members],
            "severity": first.severity,
            "automation": first.automation,
            "basis": first.basis,
            "null_policy": first.null_policy,
            "title_zh": first.title_zh,
        },
    }
    # every family lists its findings by report (file, agency, year) with the numbers of the
    # message (a balance rule's 差 N included), not only the differing values
    return gxe.ExpectColumnValuesToBeNull(column="finding", **common)


def _rules_expectations(gxe: Any, column: Any) -> list[Any]:
    families: dict[str, list[Any]] = {}
    for row in catalog.build()[0]:
        families.setdefault(row.rule_family, []).append(row)
    return [_family_expectation(gxe, column, f, m) for f, m in families.items()]


_SUITE_SPECS: Final[dict[str, tuple[Callable[[Any, Any], list[Any]], dict[str, Any]]]] = {
    CELLS_SUITE: (_cells_expectations, {"table": "main.fct_report_cells", "kind": "structural"}),
    REPORTS_SUITE: (_reports_expectations, {"table": "main.dim_reports", "kind": "structural"}),
    RESULTS_SUITE: (
        _results_expectations,
        {"table": "main.fct_rule_results", "kind": "structural"},
    ),
    RULES_SUITE: (_rules_expectations, {"table": "main.fct_rule_results", "kind": "findings"}),
}


def suite_definitions() -> dict[str, Any]:
    """The suites as GX ``ExpectationSuite`` objects with stable ids (not yet stored)."""
    gx = import_gx()
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    suites: dict[str, Any] = {}
    for name, (make, meta) in _SUITE_SPECS.items():
        configs = []
        for expectation in make(gxe, Column):
            config = expectation.configuration.to_json_dict()
            # id from what is checked (type + kwargs), so editing a description or adding a
            # family does not renumber the others
            config["id"] = _stable_id(
                name, config["type"], json.dumps(config["kwargs"], sort_keys=True)
            )
            configs.append(config)
        if name == RULES_SUITE:
            meta = {**meta, "rules": catalog.rule_counts()}
        suites[name] = gx.ExpectationSuite(
            name=name, expectations=configs, id=_stable_id(name), meta=dict(meta)
        )
    return suites


def _ensure_assets(context: Any) -> dict[str, Any]:
    """Pandas datasource with one whole-dataframe batch definition per suite."""
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE)
    batch_definitions = {}
    for name in SUITES:
        try:
            asset = datasource.get_asset(name)
        except LookupError:
            asset = datasource.add_dataframe_asset(name)
        try:
            batch_definitions[name] = asset.get_batch_definition(name)
        except KeyError:
            batch_definitions[name] = asset.add_batch_definition_whole_dataframe(name)
    return batch_definitions


def build_suites(context: Any) -> None:
    """Create or update the suites, validation definitions and checkpoints in ``context``.

    Idempotent: ids are stable, so re-running it on an unchanged dictionary changes no
    committed file, and a rule change in metrics.yaml shows up as a suite diff.
    """
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.exceptions.exceptions import DataContextError

    sites = context.variables.data_docs_sites or {}
    if "local_site" in sites:  # one site only: ours (GX scaffolds local_site)
        context.delete_data_docs_site("local_site")
    if SITE_NAME not in sites:
        context.add_data_docs_site(site_name=SITE_NAME, site_config=dict(_SITE_CONFIG))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.analytics_enabled = False
    context.variables.save()
    batch_definitions = _ensure_assets(context)
    store = context.expectations_store
    definitions = suite_definitions()
    for name in SUITES:
        key = store.get_key(name=name, id=None)
        if not store.has_key(key):  # add draws random ids (into the object): use a copy
            store.add(key=key, value=suite_definitions()[name])
        store.update(key=key, value=definitions[name])
        try:
            definition = context.validation_definitions.get(name)
        except DataContextError:
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=name, data=batch_definitions[name], suite=context.suites.get(name)
                )
            )
        update_docs = gx.checkpoint.UpdateDataDocsAction(
            name="update_data_docs", site_names=[SITE_NAME]
        )
        context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                actions=[update_docs],
                result_format=dict(_RESULT_FORMAT),
            )
        )


def write_suites(context_root: Path | None = None) -> Path:
    """Regenerate the committed GX project under ``<context_root>/gx`` (a dev task)."""
    gx = import_gx()
    root = context_root or default_context_root()
    context = gx.get_context(mode="file", project_root_dir=str(root))
    build_suites(context)
    return root / "gx"


# --- run time ---------------------------------------------------------------------------


def _runtime_config(context_root: Path, data: DataDir) -> dict[str, Any]:
    """The committed config with stores and the docs site moved under ``data``'s quality
    folder."""
    path = context_root / "gx" / "great_expectations.yml"
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.pop("fluent_datasources", None)  # GX reads those from the file itself
    config["config_variables_file_path"] = None
    store = config["stores"]["validation_results_store"]["store_backend"]
    store["base_directory"] = str(data.gx_validations)
    site = dict(_SITE_CONFIG)
    site["store_backend"] = {
        **_SITE_CONFIG["store_backend"],
        "base_directory": str(data.gx_docs),
    }
    config["data_docs_sites"] = {SITE_NAME: site}
    config["progress_bars"] = {"globally": False, "metric_calculations": False}
    config["analytics_enabled"] = False
    return config


def open_context(context_root: Path, data: DataDir) -> Any:
    """The committed File Data Context, writing results and Data Docs under ``data``'s
    quality folder.

    The run-time config lives in memory only; nothing here saves it back to the
    committed ``great_expectations.yml``.
    """
    gx = import_gx()
    config = _runtime_config(context_root, data)
    return gx.get_context(mode="file", project_root_dir=str(context_root), project_config=config)


def _expectation_name(result: Any) -> str:
    config = result.expectation_config
    column = config.kwargs.get("column")
    name = f"{config.type}({column})" if column else str(config.type)
    return f"{name}: {config.description}" if config.description else name


def _as_html_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text HTML-escaped. GX 1.x's Data Docs put unexpected values into
    the validation page unescaped (the unexpected-values table): a report's own text (an
    agency named ``<script>…``) would run in the reader's browser. The expectations compare
    text only with sets free of ``<>&'"``, so escaping changes no outcome."""
    out = frame.copy(deep=False)
    for column in frame.select_dtypes(include=["object", "string"]).columns:
        out[column] = frame[column].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    return out


def _run_checkpoint(context: Any, name: str, frame: pd.DataFrame) -> SuiteStatistics:
    batch = {"dataframe": _as_html_text(frame)}
    result = context.checkpoints.get(name).run(batch_parameters=batch)
    evaluated = successful = unsuccessful = 0
    failed: list[str] = []
    critical: list[str] = []
    for run in result.run_results.values():
        stats = run.statistics
        evaluated += int(stats["evaluated_expectations"])
        successful += int(stats["successful_expectations"])
        unsuccessful += int(stats["unsuccessful_expectations"])
        for r in run.results:
            if not r.success:
                failed.append(_expectation_name(r))
                if str(getattr(r.expectation_config.severity, "value", "critical")) == "critical":
                    critical.append(_expectation_name(r))
    logger.info("suite %s: %d/%d expectations met", name, successful, evaluated)
    return SuiteStatistics(
        name,
        bool(result.success),
        evaluated,
        successful,
        unsuccessful,
        tuple(failed),
        tuple(critical),
    )


def _with_findings(results: pd.DataFrame) -> pd.DataFrame:
    """Rule results plus a ``finding`` text (failed rows only) for Data Docs: the report's
    file, agency and year, the rule and its message with the numbers."""
    frame = results.copy()
    year = frame["report_year"].astype("Int64").astype(str).replace("<NA>", "?")
    has_files = "file_name" in frame.columns
    files = frame["file_name"].fillna("?").astype(str) if has_files else "?"
    label = (
        files
        + " · "
        + frame["agency_name"].fillna("?").astype(str)
        + " "
        + year
        + " ["
        + frame["report_key"].astype(str).str[:FINDING_KEY_CHARS]
        + "] "
        + frame["rule_id"].astype(str)
        + ": "
        + frame["message_zh"].astype(str)
    )
    frame["finding"] = label.where(frame["outcome"] == "failed", None).astype("object")
    return frame


def batch_query(context_root: Path, suite: str) -> str:
    """The SQL that prepares a suite's batch: ``<context_root>/batches/<suite>.sql``."""
    return (context_root / BATCHES_DIR / f"{suite}.sql").read_text(encoding="utf-8")


def _read_warehouse(con: duckdb.DuckDBPyConnection, context_root: Path) -> dict[str, pd.DataFrame]:
    frames = {name: con.execute(batch_query(context_root, name)).df() for name in SUITES}
    frames[RULES_SUITE] = _with_findings(frames[RULES_SUITE])[list(RULES_COLUMNS)]
    return frames


def export_rule_results(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Write every rule result (with agency and file name) as Parquet, inside DuckDB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(_EXPORT_SQL.format(path=str(path).replace("'", "''")))
    return path


def _outcome_counts(con: duckdb.DuckDBPyConnection, *, failed_only: bool) -> dict[str, int]:
    column, where = ("severity", "where outcome = 'failed'") if failed_only else ("outcome", "")
    rows = con.execute(
        f"select {column}, count(*) from main.fct_rule_results {where} group by 1 order by 1"
    ).fetchall()
    return {str(k): int(v) for k, v in rows}


def validate_warehouse(
    warehouse: Path, data_dir: Path, *, context_root: Path | None = None
) -> ValidationSummary:
    """Run the suites on the warehouse; write Data Docs and ``rule_results.parquet``.

    Args:
        warehouse: the DuckDB file built by dbt (opened read-only).
        data_dir: the data folder; output goes to ``data_dir/quality/`` (``rule_results.parquet``,
            ``gx_validations/``, ``gx_docs/index.html``); the reviewer site beside them is
            :func:`xxgk.publish.reviewer.publish_site`'s.
        context_root: the folder holding the committed ``gx/`` project; default
            :func:`default_context_root`.

    Returns:
        The summary: structural success, per-suite statistics, failed rules by severity and
        the Data Docs index.

    Raises:
        PipelineValidationFailed: a critical expectation of a structural suite failed.
    """
    import duckdb

    root = context_root or default_context_root()
    data = DataDir(data_dir.resolve())
    data.quality.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set enable_progress_bar = false")  # no bars in task logs
        limit_memory(con, Limits.from_env().validate_memory_limit)
        frames = _read_warehouse(con, root)
        results_path = export_rule_results(con, data.rule_results)
        failed_by_severity = _outcome_counts(con, failed_only=True)
        outcomes = _outcome_counts(con, failed_only=False)

    context = open_context(root, data)
    stats = {name: _run_checkpoint(context, name, frames[name]) for name in SUITES}
    localize_data_docs(data.gx_docs)  # GX's pages load CDNs: use local copies
    broken = [s for s in STRUCTURAL_SUITES if stats[s].failed_critical]
    summary = ValidationSummary(
        structural_success=not broken,
        suites=stats,
        failed_rules_by_severity=failed_by_severity,
        rule_results_path=results_path,
        data_docs_index=data.gx_docs_index,
        outcomes=outcomes,
    )
    logger.info("validation: %s", summary.as_dict())
    if broken:
        failing = tuple(name for s in broken for name in stats[s].failed_critical)
        raise PipelineValidationFailed(broken[0], failing, summary)
    return summary
