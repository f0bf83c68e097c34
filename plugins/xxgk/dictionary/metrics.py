"""The packaged metric dictionary (metrics.yaml), loaded once and indexed for extraction.

Everything format-specific the extractor knows — row labels, column order, units, value
types — comes from here, so a new table format is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Final

import yaml

from xxgk.core.text import label_core, leading_enumerator, squash

# The applicant columns of table 三, in printed order; 总计 follows them.
APPLICANT_COLUMNS = (
    "natural_person",
    "org_commercial",
    "org_research",
    "org_social_welfare",
    "org_legal_service",
    "org_other",
)
T3_COLUMNS = (*APPLICANT_COLUMNS, "total")


@dataclass(frozen=True)
class Metric:
    code: str
    format_id: str
    label_path: tuple[str, ...]
    unit: str | None
    value_type: str
    parent: str | None
    on_template: Any
    row_key: str | None
    column_key: str | None
    comparable_to: str | None
    table_variant: str | None = None  # a provincial layout of the format's table
    variant_row: str | None = None  # its printed row (the metrics of one row share it)
    variant_column: str | None = None  # its value column: 'year' | 'cumulative'

    @property
    def table_no(self) -> int:
        return table_no_of(self.code)


@dataclass(frozen=True)
class RowSpec:
    """One printed row of a table: its label(s) and the metric of each value column."""

    key: str
    label: str  # innermost printed label, as in the dictionary
    cores: frozenset[str]  # label cores that identify the row (variants included)
    enumerator: str | None
    metrics: tuple[Metric, ...]  # one per value column, in printed order
    group: str | None = None  # enclosing group label ('（三）不予公开'), if any
    on_template: bool = True

    @cached_property  # read for every row of every table
    def ncols(self) -> int:
        return len(self.metrics)

    @cached_property
    def columns(self) -> tuple[tuple[str, str | None, str], ...]:
        """(metric code, unit, printed column label) of each value column."""
        return tuple((m.code, m.unit, _column_label(m)) for m in self.metrics)


_VARIANT_COLUMNS: Final[dict[str, str]] = {"cumulative": "历年累计", "year_end": "年末统计"}


def _column_label(m: Metric) -> str:
    if m.format_id != "old":
        return m.label_path[-1]
    if m.table_variant is not None:  # '<year>年度' / '历年累计' / '年末统计'
        return _VARIANT_COLUMNS.get(m.variant_column or "", "年度")
    return "统计数"


@dataclass(frozen=True)
class TableVariant:
    """A provincial layout of a format's table, recognised by its labels."""

    variant_id: str
    format_id: str
    markers_all: tuple[str, ...]
    markers_any: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    format_id: str
    table_no: int
    rows: tuple[RowSpec, ...]
    column_labels: tuple[str, ...] = field(default=())
    variant: str | None = None

    @property
    def key(self) -> tuple[str, int, str | None]:
        """``table_spec``'s arguments for this table."""
        return self.format_id, self.table_no, self.variant


def table_no_of(code: str) -> int:
    if code.startswith("old_"):
        return 1
    if code.startswith(("v19_t2_", "v21_t2_")):
        return 2
    if code.startswith("t3_"):
        return 3
    if code.startswith("t4_"):
        return 4
    raise ValueError(f"metric code {code!r} belongs to no known table")


@lru_cache(maxsize=1)
def raw_dictionary() -> dict[str, Any]:
    text = resources.files("xxgk").joinpath("data/metrics.yaml").read_text(encoding="utf-8")
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


def _variant(v: str) -> str:
    """'其他对外管理服务数量 (SEED004)' → '其他对外管理服务数量'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", v)


@lru_cache(maxsize=1)
def metrics() -> dict[str, tuple[Metric, ...]]:
    """format id → metrics in dictionary order."""
    out: dict[str, tuple[Metric, ...]] = {}
    for fmt in raw_dictionary()["formats"]:
        out[fmt["id"]] = tuple(
            Metric(
                code=m["code"],
                format_id=fmt["id"],
                label_path=tuple(m["label_path"]),
                unit=m.get("unit"),
                value_type=m.get("value_type") or "count",
                parent=m.get("parent"),
                on_template=m.get("on_template"),
                row_key=m.get("row_key"),
                column_key=m.get("column_key"),
                comparable_to=m.get("comparable_to"),
                table_variant=m.get("table_variant"),
                variant_row=m.get("variant_row"),
                variant_column=m.get("variant_column"),
            )
            for m in fmt["metrics"]
        )
    return out


@lru_cache(maxsize=1)
def _variants_by_code(format_id: str) -> dict[str, list[str]]:
    for fmt in raw_dictionary()["formats"]:
        if fmt["id"] == format_id:
            return {
                m["code"]: [_variant(v) for v in m.get("label_variants") or []]
                for m in fmt["metrics"]
            }
    raise KeyError(format_id)


def _row_label(m: Metric) -> tuple[str, str | None]:
    """(innermost row label, group label) of a metric's label path."""
    path = list(m.label_path)
    if m.code.startswith("t3_"):
        rows = path[1 : path.index("申请人情况")]
    elif m.format_id == "old":  # a provincial variant's column closes its path ('历年累计')
        column = _VARIANT_COLUMNS.get(m.variant_column or "")
        rows = path[:-1] if column is not None and path[-1] == column else path
    else:
        rows = path[1:-1]
    inner = rows[-1]
    group = rows[-2] if len(rows) >= 2 and m.code.startswith("t3_res_") else None
    return inner, group


def _row_spec(key: str, members: list[Metric], variants: dict[str, list[str]]) -> RowSpec:
    inner, group = _row_label(members[0])
    labels = [inner] + [v for m in members for v in variants.get(m.code, [])]
    cores = {label_core(x) for x in labels}
    if inner.endswith("小计"):  # subtotals are printed on the bare group label
        cores.add(label_core(inner.removesuffix("小计").strip()))
    on_template = all(m.on_template is not False for m in members)
    return RowSpec(
        key=key,
        label=inner,
        cores=frozenset(c for c in cores if c),
        enumerator=leading_enumerator(inner),
        metrics=tuple(members),
        group=group,
        on_template=on_template,
    )


@lru_cache(maxsize=16)
def table_spec(format_id: str, table_no: int, variant: str | None = None) -> TableSpec:
    """Printed rows of one table of one format (or of one of its ``table_variants``)."""
    variants = _variants_by_code(format_id)
    grouped: dict[str, list[Metric]] = {}
    for m in metrics()[format_id]:
        if m.table_no != table_no or m.column_key == "org_subtotal" or m.table_variant != variant:
            continue
        if table_no == 4:
            key = "t4"
        elif m.row_key or m.variant_row:
            key = m.row_key or m.variant_row or m.code
        elif table_no == 2:
            key = _row_label(m)[0]
        else:
            key = m.code
        grouped.setdefault(key, []).append(m)
    specs = [_row_spec(k, ms, variants) for k, ms in grouped.items()]
    return TableSpec(
        format_id=format_id, table_no=table_no, rows=_subtotals_first(specs), variant=variant
    )


def _subtotals_first(specs: list[RowSpec]) -> tuple[RowSpec, ...]:
    """Put each off-template group subtotal where its group label is printed."""
    subtotals = {s.label.removesuffix("小计").strip(): s for s in specs if s.label.endswith("小计")}
    out: list[RowSpec] = []
    for s in specs:
        if s.label.endswith("小计"):
            continue
        if s.group in subtotals:
            out.append(subtotals.pop(s.group))
        out.append(s)
    return tuple(out + list(subtotals.values()))


def tables_of(format_id: str) -> tuple[int, ...]:
    return (1,) if format_id == "old" else (2, 3, 4)


def detection_markers() -> dict[str, list[str]]:
    """format id → labels that make a table of that format (its variants' labels included)."""
    return {
        f["id"]: list(f["detection"]["markers_any"])
        + [m for v in f.get("table_variants") or [] for m in v["detection"]["markers_any"]]
        for f in raw_dictionary()["formats"]
    }


def table_variant_of(format_id: str, table_text: str) -> str | None:
    """The id of the format's ``table_variants`` entry whose labels ``table_text`` carries."""
    found = [v for v in table_variants() if v.format_id == format_id]
    if not any(m[:2] in table_text for v in found for m in v.markers_all):
        return None  # the common case, without normalising the table's text
    text = squash(table_text)
    for v in found:
        if all(m in text for m in v.markers_all) and any(m in text for m in v.markers_any):
            return v.variant_id
    return None


@lru_cache(maxsize=1)
def table_variants() -> tuple[TableVariant, ...]:
    """Every provincial table layout of every format, in dictionary order."""
    return tuple(
        TableVariant(
            v["id"],
            f["id"],
            tuple(v["detection"].get("markers_all") or ()),
            tuple(v["detection"].get("markers_any") or ()),
        )
        for f in raw_dictionary()["formats"]
        for v in f.get("table_variants") or []
    )


@lru_cache(maxsize=8)
def cross_check_codes(format_id: str) -> dict[str, tuple[str, ...]]:
    """narrative fact → the table cells of a format it states (``cross_check``; 'a / b' lists
    several, e.g. a national row and its provincial variant)."""
    out: dict[str, tuple[str, ...]] = {}
    for spec in raw_dictionary()["narrative_facts"]:
        target = (spec.get("cross_check") or {}).get(format_id)
        if target:
            out[str(spec["fact"])] = tuple(c.strip() for c in str(target).split("/") if c.strip())
    return out


def narrative_fact_specs() -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = raw_dictionary()["narrative_facts"]
    return specs
