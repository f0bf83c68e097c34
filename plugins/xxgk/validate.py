"""Validate the built warehouse with Great Expectations, publish Data Docs and the review page.

Four suites, one per validated table (stored in the GX File Data Context under
``expectations/gx/``, committed; regenerate with :func:`write_suites`):

* structural — a failed *critical* expectation means the pipeline is broken and
  :func:`validate_warehouse` raises :class:`~xxgk.exceptions.PipelineValidationFailed`;
  *warning* ones (null rates per format, plausible ranges) are reported only. They check what
  dbt's tests do not: value ranges, per-format null rates, compound keys, derived columns.

  * ``fct_report_cells`` — counts are non-negative integers, codes known, raw text kept;
  * ``dim_reports`` — year range, every current report has its rule results, null rates;
  * ``fct_rule_results`` — one row per report and rule, known reasons, lhs − rhs = difference.

* ``rule_results`` — data findings over ``main.fct_rule_results`` (built by dbt from the rule
  seeds of :mod:`xxgk.rule_terms`): one expectation per rule family; a failure is a finding
  about reports, not an error.

Run-time output never goes into the repository: validation results go to
``<data_dir>/quality/gx_validations/``, Data Docs to ``<data_dir>/quality/gx_docs/``, the
rule results to ``rule_results.parquet`` and the reviewer's page to ``report.html`` there.

Great Expectations is imported lazily (~7 s), inside the functions that need it.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from xxgk import rule_terms
from xxgk._gx_quiet import import_gx
from xxgk.exceptions import PipelineValidationFailed

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
GX_ROOT_ENV: Final = "XXGK_GX_ROOT"
BALANCE_SUFFIX: Final = ".t3.balance"
TABLE_FORMATS: Final = ("old", "v2019", "v2021")
REPORT_FORMATS: Final = (*TABLE_FORMATS, "narrative")
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

_CELLS_SQL: Final = """
with metric_types as (
    select metric_code, any_value(value_type) as value_type
    from main.dim_metrics
    group by metric_code
)
select
    c.report_cell_key, c.report_key, r.format, c.metric_code, m.value_type, c.value,
    c.raw_text, c.locator,
    case when c.metric_code is not null and m.metric_code is null
        then c.metric_code end as unknown_metric_code,
    case when m.value_type = 'count' and c.value <> floor(c.value)
        then c.value end as non_integer_count_value
from main.fct_report_cells as c
left join main.dim_reports as r on c.report_key = r.report_key
left join metric_types as m on c.metric_code = m.metric_code
"""
_REPORTS_SQL: Final = """
with expected as (
    select r.report_key, count(d.rule_id) as rule_count
    from main.dim_reports as r
    join main.dim_rules as d on d.format_id = r.format or d.format_id = 'any'
    where r.is_current
    group by r.report_key
), actual as (
    select report_key, count(*) as rule_count from main.fct_rule_results group by report_key
)
select
    r.report_key, r.format, r.report_year, r.agency_name, r.admin_level, r.status,
    r.is_current, date_diff('day', make_date(r.report_year, 12, 31), r.published_on)
        as publication_lag_days,
    case when r.is_current and coalesce(a.rule_count, 0) <> coalesce(e.rule_count, 0)
        then coalesce(a.rule_count, 0) end as rule_count_mismatch
from main.dim_reports as r
left join expected as e on r.report_key = e.report_key
left join actual as a on r.report_key = a.report_key
"""
_RESULTS_SQL: Final = """
select
    f.*, r.agency_name, r.file_name,
    case when abs(f.difference - (f.lhs - f.rhs)) > 1e-6 then f.difference end
        as difference_mismatch
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
order by f.report_key, f.rule_id
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
    report_page: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "structural_success": self.structural_success,
            "suites": {
                name: {
                    "success": s.success,
                    "evaluated": s.evaluated,
                    "successful": s.successful,
                    "unsuccessful": s.unsuccessful,
                    "failed_expectations": list(s.failed_expectations),
                }
                for name, s in self.suites.items()
            },
            "failed_rules_by_severity": dict(self.failed_rules_by_severity),
            "outcomes": dict(self.outcomes),
            "rule_results_path": str(self.rule_results_path),
            "data_docs_index": str(self.data_docs_index),
            "report_page": str(self.report_page) if self.report_page else None,
        }


def default_context_root() -> Path:
    """The ``expectations/`` folder: ``$XXGK_GX_ROOT``, else ``<repo>/expectations``."""
    env = os.getenv(GX_ROOT_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "expectations"


# --- suites (built from code + the rule catalog, committed as JSON) -----------------------


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def _cells_expectations(gxe: Any, column: Any) -> list[Any]:
    out = [
        gxe.ExpectColumnValuesToNotBeNull(
            column="report_key", description="Every cell belongs to a report."
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="unknown_metric_code",
            description="Every non-null metric_code is a code of dim_metrics.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, row_condition=column("value_type") == "count",
            description="Count metrics are >= 0 (blank stays NULL).",
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="non_integer_count_value", description="Count metrics are integers."
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="raw_text", row_condition=column("value").is_not_null(),
            description="A cell with a value keeps the raw text it was parsed from.",
        ),
    ]  # fmt: skip
    out += [
        gxe.ExpectColumnValuesToNotBeNull(
            column="value", mostly=0.05, row_condition=column("format") == fmt,
            severity="warning",
            description=f"Null rate: at least 5% of the {fmt} cells have a value "
            "(an all-blank format means its tables are no longer read).",
        )
        for fmt in TABLE_FORMATS
    ]  # fmt: skip
    return out


def _reports_expectations(gxe: Any, column: Any) -> list[Any]:
    out = [
        gxe.ExpectColumnValuesToBeBetween(
            column="report_year", min_value=2000, max_value=2100,
            description="Report years are plausible (2000-2100).",
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="rule_count_mismatch",
            description="Every current report has one fct_rule_results row per rule of its "
            "format and per report-level rule.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="publication_lag_days", min_value=-31, max_value=731, mostly=0.95,
            severity="warning",
            description="Publication dates fall within two years after the report year.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="admin_level", severity="warning",
            value_set=["national", "province", "prefecture", "county", "township", "unknown"],
            description="Administrative levels are the known ones.",
        ),
        gxe.ExpectColumnValuesToNotBeInSet(
            column="agency_name", value_set=["(unknown)"], mostly=0.8, severity="warning",
            description="Null rate: at least 80% of the reports name their agency.",
        ),
    ]  # fmt: skip
    out += [
        gxe.ExpectColumnValuesToNotBeNull(
            column="report_year", mostly=0.9, row_condition=column("format") == fmt,
            severity="warning",
            description=f"Null rate: at least 90% of the {fmt} reports have a report year.",
        )
        for fmt in REPORT_FORMATS
    ]  # fmt: skip
    return out


def _results_expectations(gxe: Any, column: Any) -> list[Any]:
    return [
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["report_key", "rule_id"],
            description="One result per report and rule.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="outcome_reason", value_set=sorted(rule_terms.REASONS),
            description="Every reason code is one of rule_reasons.",
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="difference_mismatch", description="difference = lhs - rhs."
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="message_zh", description="Every result has a Chinese message."
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="evidence", regex=r"^[\[{]", description="Evidence is JSON (list or object)."
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="evidence", row_condition=column("outcome") == "failed",
            description="A failed rule shows its evidence.",
        ),
    ]  # fmt: skip


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
    if family.endswith(BALANCE_SUFFIX):  # stated on the form: show the differences
        return gxe.ExpectColumnValuesToBeBetween(
            column="difference", min_value=0, max_value=0, **common
        )
    return gxe.ExpectColumnValuesToBeNull(column="finding", **common)


def _rules_expectations(gxe: Any, column: Any) -> list[Any]:
    families: dict[str, list[Any]] = {}
    for row in rule_terms.build()[0]:
        families.setdefault(row.rule_family, []).append(row)
    return [_family_expectation(gxe, column, f, m) for f, m in families.items()]


_SUITE_SPECS: Final[dict[str, tuple[Callable[[Any, Any], list[Any]], dict[str, Any]]]] = {
    CELLS_SUITE: (_cells_expectations, {"table": "main.fct_report_cells", "kind": "structural"}),
    REPORTS_SUITE: (_reports_expectations, {"table": "main.dim_reports", "kind": "structural"}),
    RESULTS_SUITE: (
        _results_expectations, {"table": "main.fct_rule_results", "kind": "structural"}),
    RULES_SUITE: (_rules_expectations, {"table": "main.fct_rule_results", "kind": "findings"}),
}  # fmt: skip


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
            meta = {**meta, "rules": rule_terms.rule_counts()}
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


def _runtime_config(context_root: Path, quality_dir: Path) -> dict[str, Any]:
    """The committed config with stores and the docs site moved under ``quality_dir``."""
    path = context_root / "gx" / "great_expectations.yml"
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.pop("fluent_datasources", None)  # GX reads those from the file itself
    config["config_variables_file_path"] = None
    store = config["stores"]["validation_results_store"]["store_backend"]
    store["base_directory"] = str(quality_dir / "gx_validations")
    site = dict(_SITE_CONFIG)
    site["store_backend"] = {
        **_SITE_CONFIG["store_backend"],
        "base_directory": str(quality_dir / "gx_docs"),
    }
    config["data_docs_sites"] = {SITE_NAME: site}
    config["progress_bars"] = {"globally": False, "metric_calculations": False}
    config["analytics_enabled"] = False
    return config


def open_context(context_root: Path, quality_dir: Path) -> Any:
    """The committed File Data Context, writing results and Data Docs under ``quality_dir``.

    The run-time config lives in memory only; nothing here saves it back to the
    committed ``great_expectations.yml``.
    """
    gx = import_gx()
    config = _runtime_config(context_root, quality_dir)
    return gx.get_context(mode="file", project_root_dir=str(context_root), project_config=config)


def _expectation_name(result: Any) -> str:
    config = result.expectation_config
    column = config.kwargs.get("column")
    name = f"{config.type}({column})" if column else str(config.type)
    return f"{name}: {config.description}" if config.description else name


def _run_checkpoint(context: Any, name: str, frame: pd.DataFrame) -> SuiteStatistics:
    result = context.checkpoints.get(name).run(batch_parameters={"dataframe": frame})
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
        name, bool(result.success), evaluated, successful, unsuccessful, tuple(failed),
        tuple(critical),
    )  # fmt: skip


def _with_findings(results: pd.DataFrame) -> pd.DataFrame:
    """Rule results plus a ``finding`` text (failed rows only) for Data Docs."""
    frame = results.copy()
    year = frame["report_year"].astype("Int64").astype(str).replace("<NA>", "?")
    label = (
        frame["agency_name"].fillna("?").astype(str) + " " + year + " ["
        + frame["report_key"].astype(str).str[:12] + "] " + frame["rule_id"].astype(str)
        + ": " + frame["message_zh"].astype(str)
    )  # fmt: skip
    frame["finding"] = label.where(frame["outcome"] == "failed", None).astype("object")
    return frame


def write_rule_results(results: pd.DataFrame, path: Path) -> Path:
    """Write the rule results (with agency and finding text) as Parquet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    results.drop(columns=["difference_mismatch"], errors="ignore").to_parquet(path, index=False)
    return path


def _read_warehouse(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    results = _with_findings(con.execute(_RESULTS_SQL).df())
    return {
        CELLS_SUITE: con.execute(_CELLS_SQL).df(),
        REPORTS_SUITE: con.execute(_REPORTS_SQL).df(),
        RESULTS_SUITE: results,
        RULES_SUITE: results,
    }


def _counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[column].value_counts().sort_index().items()}


def validate_warehouse(
    warehouse: Path, data_dir: Path, *, context_root: Path | None = None
) -> ValidationSummary:
    """Run the suites on the warehouse; publish Data Docs and the review page.

    Args:
        warehouse: the DuckDB file built by dbt (opened read-only).
        data_dir: the data folder; output goes to ``data_dir/quality/`` (``rule_results.parquet``,
            ``report.html``, ``gx_validations/``, ``gx_docs/index.html``).
        context_root: the folder holding the committed ``gx/`` project; default
            :func:`default_context_root`.

    Returns:
        The summary: structural success, per-suite statistics, failed rules by severity, the
        Data Docs index and the review page.

    Raises:
        PipelineValidationFailed: a critical expectation of a structural suite failed.
    """
    import duckdb

    from xxgk import report_page

    quality_dir = data_dir.resolve() / "quality"
    quality_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frames = _read_warehouse(con)
        page = report_page.write_report_page(con, quality_dir / report_page.PAGE_NAME)
    results = frames[RULES_SUITE]
    results_path = write_rule_results(results, quality_dir / "rule_results.parquet")

    context = open_context(context_root or default_context_root(), quality_dir)
    stats = {name: _run_checkpoint(context, name, frames[name]) for name in SUITES}
    broken = [s for s in STRUCTURAL_SUITES if stats[s].failed_critical]
    summary = ValidationSummary(
        structural_success=not broken,
        suites=stats,
        failed_rules_by_severity=_counts(results[results["outcome"] == "failed"], "severity"),
        rule_results_path=results_path,
        data_docs_index=quality_dir / "gx_docs" / "index.html",
        outcomes=_counts(results, "outcome"),
        report_page=page,
    )
    logger.info("validation: %s", summary.as_dict())
    if broken:
        failing = tuple(name for s in broken for name in stats[s].failed_critical)
        raise PipelineValidationFailed(broken[0], failing, summary)
    return summary
