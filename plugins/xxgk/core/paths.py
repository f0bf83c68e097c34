"""Where things live: the checkout's folders and the data directory's layout, defined once.

The data directory is the warehouse file's folder (``data/`` by default)::

    <data>/warehouse.duckdb        the warehouse
    <data>/raw/<aa>/<sha256>       every landed file, byte for byte
    <data>/landing/                landing manifests per run, the sha256 cache
    <data>/extracted/<table>/      extraction output, one Parquet file per batch
    <data>/dbt/<warehouse>/target  dbt's target and logs
    <data>/quality/                rule results, Data Docs, the reviewer site
    <data>/airflow/                the local Airflow home and the last load's log
    <data>/review/decisions.jsonl  reviewers' decisions (append-only; outside the warehouse)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parents[3]
"""The checkout (dags/, dbt_project/, expectations/ beside plugins/)."""

LOAD_LOG: Final = "last_load.log"


@dataclass(frozen=True)
class DataDir:
    """The data directory of one warehouse file."""

    root: Path

    @classmethod
    def of(cls, warehouse: Path) -> DataDir:
        return cls(warehouse.resolve().parent)

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def extracted(self) -> Path:
        return self.root / "extracted"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def airflow(self) -> Path:
        return self.root / "airflow"

    @property
    def review(self) -> Path:
        """Reviewers' decisions: kept here, outside the rebuildable warehouse."""
        return self.root / "review"

    @property
    def load_log(self) -> Path:
        return self.airflow / LOAD_LOG

    def dbt_target(self, warehouse: Path) -> Path:
        return self.root / "dbt" / warehouse.stem / "target"
