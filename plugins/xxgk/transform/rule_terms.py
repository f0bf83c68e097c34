"""Rules as data: the rule catalog (``xxgk.dictionary.catalog``) → the dbt seeds the SQL rule
evaluator reads.

Three generated seeds under ``dbt_project/seeds/quality/`` (committed; a test checks they
equal what :func:`write_seeds` writes, so a new rule in metrics.yaml or in the packaged
``data/report_rules.yaml`` is a data change):

* ``rule_catalog.csv`` — one row per rule (:class:`~xxgk.dictionary.catalog.CatalogRow`).
* ``rule_terms.csv`` — one row per operand: ``(rule_id, clause_no, side, metric_code,
  coefficient, is_prev, fact)``; constants have no metric code.
* ``rule_reasons.csv`` — the texts (Chinese and English) of every outcome reason code
  (``xxgk.dictionary.rules.reasons``).

``publication_deadlines.csv`` beside them is hand-maintained configuration, not generated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Final

from xxgk.core.paths import REPO_ROOT
from xxgk.dictionary.catalog import CatalogRow, TermRow, build
from xxgk.dictionary.rules import reasons
from xxgk.transform.seed_csv import to_csv

SEED_DIR: Final = REPO_ROOT / "dbt_project" / "seeds" / "quality"
CATALOG_FILE: Final = "rule_catalog.csv"
TERMS_FILE: Final = "rule_terms.csv"
REASONS_FILE: Final = "rule_reasons.csv"


def _csv_text(rows: Sequence[Any], columns: Sequence[str]) -> str:
    return to_csv(
        (
            r
            if isinstance(r, dict)
            else asdict(r)
            if not isinstance(r, tuple)
            else dict(zip(columns, r, strict=True))
            for r in rows
        ),
        columns,
    )


def seed_texts(dictionary: Mapping[str, Any] | None = None) -> dict[str, str]:
    """File name → the CSV text of each generated seed."""
    catalog, terms = build(dictionary)
    rows = [(code, r.outcome, r.zh, r.en) for code, r in reasons().items()]
    return {
        CATALOG_FILE: _csv_text(catalog, [f.name for f in fields(CatalogRow)]),
        TERMS_FILE: _csv_text(terms, [f.name for f in fields(TermRow)]),
        REASONS_FILE: _csv_text(rows, ["reason_code", "outcome", "message_zh", "message_en"]),
    }


def write_seeds(seed_dir: Path | None = None) -> list[Path]:
    """(Re)write the generated seeds; returns their paths."""
    folder = seed_dir or SEED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in seed_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
