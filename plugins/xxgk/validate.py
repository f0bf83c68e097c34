"""Validate the built warehouse with Great Expectations and publish Data Docs.

Two suites, one per validated table, stored in the GX File Data Context under
``expectations/gx/`` (committed; regenerate with :func:`write_suites`):

* ``fct_report_cells`` — structural: a failure means the pipeline is broken and
  :func:`validate_warehouse` raises :class:`~xxgk.exceptions.PipelineValidationFailed`.
* ``rule_results`` — data findings: one expectation per rule family of metrics.yaml
  (evaluated by :mod:`xxgk.rules`); a failure is a finding about reports, not an error.

Run-time output never goes into the repository: validation results go to
``<data_dir>/quality/gx_validations/`` and Data Docs to ``<data_dir>/quality/gx_docs/``
(the committed store/site paths are replaced in memory when the context is opened).

Great Expectations is imported lazily (~7 s), inside the functions that need it.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from xxgk import rules
from xxgk._gx_quiet import import_gx
from xxgk.exceptions import PipelineValidationFailed

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

logger = logging.getLogger(__name__)

CELLS_SUITE: Final = "fct_report_cells"
RULES_SUITE: Final = "rule_results"
SUITES: Final = (CELLS_SUITE, RULES_SUITE)
DATASOURCE: Final = "xxgk_warehouse"
SITE_NAME: Final = "xxgk_quality"
GX_ROOT_ENV: Final = "XXGK_GX_ROOT"
BALANCE_SUFFIX: Final = ".t3.balance"
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
    c.report_cell_key,
    c.report_key,
    c.metric_code,
    m.value_type,
    c.value,
    c.raw_text,
    c.locator,
    case when c.metric_code is not null and m.metric_code is null
        then c.metric_code end as unknown_metric_code,
    case when m.value_type = 'count' and c.value <> floor(c.value)
        then c.value end as non_integer_count_value
from main.fct_report_cells as c
left join metric_types as m on c.metric_code = m.metric_code
"""
_REPORTS_SQL: Final = "select report_key, agency_name, report_year from main.dim_reports"


@dataclass(frozen=True)
class SuiteStatistics:
    """Outcome of one suite: expectation counts and the names of the failed ones."""

    suite: str
    success: bool
    evaluated: int
    successful: int
    unsuccessful: int
    failed_expectations: tuple[str, ...] = ()


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
        }


def default_context_root() -> Path:
    """The ``expectations/`` folder: ``$XXGK_GX_ROOT``, else ``<repo>/expectations``."""
    env = os.getenv(GX_ROOT_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "expectations"


# --- suites (built from code + metrics.yaml, committed as JSON) ---------------------------


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def _cells_expectations(gxe: Any, column: Any) -> list[Any]:
    is_count = column("value_type") == "count"
    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="report_key", description="Every cell belongs to a report."
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="unknown_metric_code",
            description="Every non-null metric_code is a code of dim_metrics.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            row_condition=is_count,
            description="Count metrics are >= 0 (blank stays NULL).",
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="non_integer_count_value",
            description="Count metrics are integers.",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="raw_text",
            row_condition=column("value").is_not_null(),
            description="A cell with a value keeps the raw text it was parsed from.",
        ),
    ]


def _family_description(family: str, members: tuple[rules.Rule, ...]) -> str:
    first = members[0]
    more = f" (and {len(members) - 1} more rules of the family)" if len(members) > 1 else ""
    return f"{family} [{first.severity}, {first.null_policy}]: {first.expr}{more}"


def _family_expectation(gxe: Any, column: Any, family: str, members: tuple[rules.Rule, ...]) -> Any:
    first = members[0]
    common: dict[str, Any] = {
        "row_condition": column("rule_family") == family,
        "severity": _SEVERITY.get(first.severity, "warning"),
        "description": _family_description(family, members),
        "meta": {
            "rule_ids": [r.rule_id for r in members],
            "severity": first.severity,
            "basis": first.basis,
            "null_policy": first.null_policy,
        },
    }
    if family.endswith(BALANCE_SUFFIX):  # stated on the form: show the differences
        return gxe.ExpectColumnValuesToBeBetween(
            column="difference", min_value=0, max_value=0, **common
        )
    return gxe.ExpectColumnValuesToBeNull(column="finding", **common)


def _companion_expectation(gxe: Any, column: Any, family: str) -> Any:
    return gxe.ExpectColumnValuesToBeNull(
        column="finding",
        row_condition=column("rule_family") == family,
        severity="warning",
        description=f"{family} [warning]: a total is blank while a component of it is "
        "positive (companion flag of the children_null_as_zero sum rules)",
        meta={"severity": "warning", "null_policy": "children_null_as_zero"},
    )


def _rules_expectations(gxe: Any, column: Any, rule_set: rules.RuleSet) -> list[Any]:
    out = [
        _family_expectation(gxe, column, family, members)
        for family, members in rule_set.families().items()
    ]
    out += [_companion_expectation(gxe, column, f) for f in rule_set.companion_families()]
    return out


def suite_definitions(rule_set: rules.RuleSet | None = None) -> dict[str, Any]:
    """The suites as GX ``ExpectationSuite`` objects with stable ids (not yet stored)."""
    gx = import_gx()
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    rule_set = rule_set or rules.load_rules()
    skipped = Counter(s.reason.split(":")[0].split(" (")[0] for s in rule_set.skipped)
    specs: dict[str, tuple[list[Any], dict[str, Any]]] = {
        CELLS_SUITE: (
            _cells_expectations(gxe, Column),
            {"table": "main.fct_report_cells", "kind": "structural"},
        ),
        RULES_SUITE: (
            _rules_expectations(gxe, Column, rule_set),
            {
                "table": "rule_results (xxgk.rules.evaluate_warehouse)",
                "kind": "findings",
                "rules_automated": sum(len(r) for r in rule_set.rules.values()),
                "rules_not_automated": dict(sorted(skipped.items())),
            },
        ),
    }
    suites: dict[str, Any] = {}
    for name, (expectations, meta) in specs.items():
        configs = []
        for expectation in expectations:
            config = expectation.configuration.to_json_dict()
            # id from what is checked (type + kwargs), so editing a description or adding a
            # family does not renumber the others
            config["id"] = _stable_id(
                name, config["type"], json.dumps(config["kwargs"], sort_keys=True)
            )
            configs.append(config)
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


def build_suites(context: Any, rule_set: rules.RuleSet | None = None) -> None:
    """Create or update the suites, validation definitions and checkpoints in ``context``.

    Idempotent: ids are stable, so re-running it on an unchanged dictionary changes no
    committed file, and a rule change in metrics.yaml shows up as a suite diff.
    """
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.exceptions.exceptions import DataContextError

    rule_set = rule_set or rules.load_rules()
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
    for name in SUITES:
        key = store.get_key(name=name, id=None)
        if not store.has_key(key):  # a store add draws random ids; the update sets ours
            store.add(key=key, value=suite_definitions(rule_set)[name])
        store.update(key=key, value=suite_definitions(rule_set)[name])
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
    for run in result.run_results.values():
        stats = run.statistics
        evaluated += int(stats["evaluated_expectations"])
        successful += int(stats["successful_expectations"])
        unsuccessful += int(stats["unsuccessful_expectations"])
        failed += [_expectation_name(r) for r in run.results if not r.success]
    logger.info("suite %s: %d/%d expectations met", name, successful, evaluated)
    return SuiteStatistics(
        name, bool(result.success), evaluated, successful, unsuccessful, tuple(failed)
    )


def _findings_frame(results: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Rule results plus a ``finding`` text (failed rows only) for Data Docs."""
    frame = results.merge(reports, on="report_key", how="left")
    label = (
        frame["agency_name"].fillna("?").astype(str)
        + " "
        + frame["report_year"].astype("Int64").astype(str).replace("<NA>", "?")
        + " ["
        + frame["report_key"].astype(str).str[:12]
        + "] "
        + frame["rule_id"].astype(str)
        + ": "
        + frame["message"].astype(str)
    )
    frame["finding"] = label.where(frame["outcome"] == "failed", None).astype("object")
    return frame.drop(columns=["agency_name", "report_year"])


def write_rule_results(results: pd.DataFrame, path: Path) -> Path:
    """Write the rule results as Parquet with a fixed schema (also when empty)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            (c, pa.float64() if c in ("lhs", "rhs", "difference") else pa.string())
            for c in rules.RESULT_COLUMNS
        ]
    )
    table = pa.Table.from_pandas(
        results[list(rules.RESULT_COLUMNS)], schema=schema, preserve_index=False
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def _read_warehouse(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells = con.execute(_CELLS_SQL).df()
    results = rules.evaluate_warehouse(con)
    reports = con.execute(_REPORTS_SQL).df()
    return cells, _findings_frame(results, reports)


def validate_warehouse(
    warehouse: Path, data_dir: Path, *, context_root: Path | None = None
) -> ValidationSummary:
    """Run both suites on the warehouse and publish Data Docs under ``data_dir/quality``.

    Args:
        warehouse: the DuckDB file built by dbt (opened read-only).
        data_dir: the data folder; output goes to ``data_dir/quality/`` (``rule_results.parquet``,
            ``gx_validations/``, ``gx_docs/index.html``).
        context_root: the folder holding the committed ``gx/`` project; default
            :func:`default_context_root`.

    Returns:
        The summary: structural success, per-suite statistics, failed rules by severity and
        the Data Docs index path.

    Raises:
        PipelineValidationFailed: the structural suite ``fct_report_cells`` failed.
    """
    import duckdb

    quality_dir = data_dir.resolve() / "quality"
    quality_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells, findings = _read_warehouse(con)
    results_path = write_rule_results(findings, quality_dir / "rule_results.parquet")

    context = open_context(context_root or default_context_root(), quality_dir)
    stats = {
        name: _run_checkpoint(context, name, frame)
        for name, frame in ((CELLS_SUITE, cells), (RULES_SUITE, findings))
    }
    failed = findings[findings["outcome"] == "failed"]
    summary = ValidationSummary(
        structural_success=stats[CELLS_SUITE].success,
        suites=stats,
        failed_rules_by_severity={
            str(k): int(v) for k, v in failed["severity"].value_counts().sort_index().items()
        },
        rule_results_path=results_path,
        data_docs_index=quality_dir / "gx_docs" / "index.html",
        outcomes={
            str(k): int(v) for k, v in findings["outcome"].value_counts().sort_index().items()
        },
    )
    logger.info("validation: %s", summary.as_dict())
    if not summary.structural_success:
        raise PipelineValidationFailed(CELLS_SUITE, stats[CELLS_SUITE].failed_expectations, summary)
    return summary
