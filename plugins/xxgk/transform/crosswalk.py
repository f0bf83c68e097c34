"""The warehouse dictionary as dbt seeds: metrics, conformed measures and their crosswalk.

The packaged ``data/metrics.yaml`` lists every cell of every table format; SPEC §4 says which
cells of the old, 2019 and 2021 formats measure the same thing. This module turns both into the
CSV seeds of ``dbt_project/seeds/`` so that the dbt models never name a metric code:

* ``dictionary/dictionary_metrics.csv`` — one row per metric code and format (metrics.yaml,
  flattened, with an English name derived from the code);
* ``dictionary/dictionary_conformed_measures.csv`` — one row per conformed measure;
* ``dictionary/dictionary_crosswalk.csv`` — one row per conformed measure and format: the metric
  codes that compose it (``+``-separated, summed), a comparability flag (``good`` /
  ``approximate`` / ``not_comparable``) and a note. ``not_comparable`` rows list no codes: the
  measure is NULL for that format, never 0;
* ``reference/reference_formats.csv`` and ``reference/reference_applicant_types.csv``.

A new format is a data change: add its metrics to metrics.yaml and its codes to ``MEASURES``
(``xxgk.dictionary.measures``; English names in ``xxgk.dictionary.metric_names``),
then regenerate. ``tests/transform/test_crosswalk.py`` fails when a committed seed differs from what
this module writes.

The division-code seed ``reference/reference_admin_divisions.csv`` is made from the
``adcodes.csv`` of the cpca wheel (MIT; see ``seeds/reference/NOTICE``) with ``--adcodes``.

Regenerate from the project root::

    PYTHONPATH=plugins .venv/bin/python -m xxgk.transform.crosswalk \
        [--adcodes cpca/resources/adcodes.csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from xxgk.core.formats import REPORT_FORMATS, TABLE_FORMATS, YEAR_RANGES
from xxgk.core.paths import REPO_ROOT
from xxgk.dictionary.measures import MEASURES, NO_ROW_NOTE, Measure, Source
from xxgk.dictionary.metric_names import APPLICANT_TYPES, FORMATS, english_name
from xxgk.dictionary.metrics import raw_dictionary
from xxgk.transform.seed_csv import to_csv

log = logging.getLogger(__name__)

DEFAULT_SEED_DIR: Final = REPO_ROOT / "dbt_project" / "seeds"
NO_TABLE_NOTE: Final = "no statistics table in this format"

Row = dict[str, Any]


def _dictionary_formats(dictionary: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {str(f["id"]): list(f["metrics"]) for f in dictionary["formats"]}


def metric_rows(dictionary: Mapping[str, Any]) -> list[Row]:
    """One row per metric code and format of metrics.yaml, in dictionary order."""
    from xxgk.dictionary.metrics import table_no_of

    rows: list[Row] = []
    for format_id, metrics in _dictionary_formats(dictionary).items():
        for order, m in enumerate(metrics, start=1):
            labels = [str(label) for label in m["label_path"]]
            on_template = m.get("on_template")
            rows.append(
                {
                    "metric_code": m["code"],
                    "format_id": format_id,
                    "table_no": table_no_of(m["code"]),
                    "dictionary_order": order,
                    "label_path": " › ".join(labels),
                    "label": labels[-1],
                    "section": labels[0],
                    "row_key": m.get("row_key"),
                    "column_key": m.get("column_key"),
                    "unit": m.get("unit"),
                    "value_type": m.get("value_type") or "count",
                    "parent_metric_code": m.get("parent"),
                    "on_template": None if on_template is None else str(on_template).lower(),
                    "comparable_to": m.get("comparable_to"),
                    "english_name": english_name(m["code"]),
                }
            )
    return rows


def _check_sources(measure: Measure, units: Mapping[tuple[str, str], str | None]) -> None:
    for format_id, source in measure.sources.items():
        if format_id not in TABLE_FORMATS:
            raise ValueError(f"{measure.code}: {format_id!r} is not a table format")
        for code in source.codes:
            if (format_id, code) not in units:
                raise ValueError(f"{measure.code}: {code!r} is not a {format_id} metric")
            if units[format_id, code] != measure.unit:
                raise ValueError(f"{measure.code}: {code!r} is not in {measure.unit}")


def measure_rows(measures: Sequence[Measure] = MEASURES) -> list[Row]:
    """One row per conformed measure, in column order."""
    codes = [m.code for m in measures]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate conformed measure codes")
    return [
        {
            "measure_code": m.code,
            "measure_group": m.group,
            "english_name": m.english_name,
            "chinese_name": m.chinese_name,
            "unit": m.unit,
            "sort_order": order,
        }
        for order, m in enumerate(measures, start=1)
    ]


def crosswalk_rows(
    dictionary: Mapping[str, Any], measures: Sequence[Measure] = MEASURES
) -> list[Row]:
    """One row per conformed measure and format (narrative and unknown included).

    Raises:
        ValueError: a measure names a code that is not in metrics.yaml for that format, or
            whose unit differs from the measure's.
    """
    units = {
        (format_id, str(m["code"])): m.get("unit")
        for format_id, metrics in _dictionary_formats(dictionary).items()
        for m in metrics
    }
    rows: list[Row] = []
    for measure in measures:
        _check_sources(measure, units)
        for format_id in REPORT_FORMATS:
            default = NO_ROW_NOTE if format_id in TABLE_FORMATS else NO_TABLE_NOTE
            source = measure.sources.get(format_id, Source((), "not_comparable", default))
            rows.append(
                {
                    "measure_code": measure.code,
                    "format_id": format_id,
                    "metric_codes": "+".join(source.codes) or None,
                    "component_count": len(source.codes),
                    "comparability": source.comparability,
                    "note": source.note or None,
                }
            )
    return rows


def format_rows(dictionary: Mapping[str, Any]) -> list[Row]:
    """One row per report format (the three table formats, narrative, unknown)."""
    names = {str(f["id"]): str(f.get("name") or "") for f in dictionary["formats"]}
    return [
        {
            "format_id": fid,
            "format_name": name,
            "dictionary_name": names.get(fid) or None,
            "legal_basis": basis or None,
            "template": template or None,
            "first_report_year": YEAR_RANGES[fid][0] if fid in YEAR_RANGES else None,  # type: ignore[index]
            "last_report_year": YEAR_RANGES[fid][1] if fid in YEAR_RANGES else None,  # type: ignore[index]
            "has_statistics_tables": fid in TABLE_FORMATS,
            "sort_order": order,
        }
        for order, (fid, name, basis, template) in enumerate(FORMATS, start=1)
    ]


def applicant_type_rows() -> list[Row]:
    """Applicant columns of table 三, plus 'not_applicable' for every other cell."""
    return [
        {
            "applicant_type_id": aid,
            "chinese_name": zh,
            "english_name": en,
            "applicant_group": group,
            "is_on_template": printed,
            "sort_order": order,
        }
        for order, (aid, zh, en, group, printed) in enumerate(APPLICANT_TYPES, start=1)
    ]


_ADCODE: Final = re.compile(r"^(\d{6})0{6}$")


def region_rows(adcodes_csv: str) -> list[Row]:
    """6-digit division codes with names from cpca's ``adcodes.csv`` (12-digit codes).

    Only province, prefecture and county rows are kept (the last six digits are zero).
    """
    rows: dict[str, str] = {}
    for record in csv.DictReader(io.StringIO(adcodes_csv)):
        match = _ADCODE.match(record["adcode"].strip())
        if match:
            rows.setdefault(match[1], record["name"].strip())
    return [{"region_code": code, "region_name": rows[code]} for code in sorted(rows)]


REGION_SEED: Final = "reference/reference_admin_divisions.csv"


def seed_files(dictionary: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Seed path (relative to the seeds folder) → CSV text, for every generated seed."""
    doc = raw_dictionary() if dictionary is None else dictionary
    tables = {
        "dictionary/dictionary_metrics.csv": metric_rows(doc),
        "dictionary/dictionary_conformed_measures.csv": measure_rows(),
        "dictionary/dictionary_crosswalk.csv": crosswalk_rows(doc),
        "reference/reference_formats.csv": format_rows(doc),
        "reference/reference_applicant_types.csv": applicant_type_rows(),
    }
    return {path: to_csv(rows, list(rows[0])) for path, rows in tables.items()}


def write_seeds(seed_dir: Path = DEFAULT_SEED_DIR, adcodes: Path | None = None) -> list[Path]:
    """Write the generated seeds (and the division-code seed when ``adcodes`` is given)."""
    files = seed_files()
    if adcodes is not None:
        rows = region_rows(adcodes.read_text(encoding="utf-8"))
        files[REGION_SEED] = to_csv(rows, ["region_code", "region_name"])
    written = []
    for relative, text in files.items():
        path = seed_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    log.info("wrote %d seeds under %s", len(written), seed_dir)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m xxgk.transform.crosswalk",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seed-dir", type=Path, default=DEFAULT_SEED_DIR)
    parser.add_argument("--adcodes", type=Path, help="cpca/resources/adcodes.csv of cpca 0.5.5")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_seeds(args.seed_dir, args.adcodes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
