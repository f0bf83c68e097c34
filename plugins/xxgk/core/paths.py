"""Where things live: the checkout's folders and the data directory's layout, defined once.

The data directory is the warehouse file's folder (``data/`` by default)::

    <data>/warehouse.duckdb                 the warehouse
    <data>/inbox/                           the report files to load (the UI's default inbox)
    <data>/raw/<aa>/<sha256>                every landed file, byte for byte
    <data>/landing/<years>-<key>/           one landing run: landed.json (land), batch-*.json
                                            and reused.json (extract)
    <data>/landing/sha256-cache.sqlite      digests of inbox files landed before
    <data>/extracted/<table>/               extraction output, one Parquet file per batch
    <data>/dbt/<warehouse>/target, logs     dbt's target and logs
    <data>/quality/                         rule results, Data Docs, the reviewer site, the
                                            dbt docs (one static page), the last
                                            validation's inputs
    <data>/review/                          the reviewers' decisions (decisions.jsonl), kept
                                            outside the rebuildable warehouse
    <data>/airflow/                         the local Airflow home, the last load's log, the
                                            load lock

Every path under the data directory comes from :class:`DataDir` (or :class:`LandingRun` for
one landing run's folder); the stages own what they write there, not where it is.

``python -m xxgk.core.paths dbt-target data/warehouse.duckdb`` prints one of them, so the
Makefile asks the package rather than spelling the layout again.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parents[3]
"""The checkout (dags/, dbt_project/, expectations/ beside plugins/)."""

DEFAULT_DATA_DIR: Final = Path("data")
"""The data directory when nothing says otherwise (relative to the working directory)."""
WAREHOUSE_FILE: Final = "warehouse.duckdb"
INBOX_DIR: Final = "inbox"
LOAD_LOG: Final = "last_load.log"
REPORT_PAGE: Final = "report.html"
STATIC_DOCS_PAGE: Final = "static_index.html"  # the name dbt gives its one-file docs site


@dataclass(frozen=True)
class LandingRun:
    """One landing run's folder, ``<data>/landing/<years>-<key>/``: the hand-off files
    between land (its manifest) and extract (the batches to extract, the ones reused)."""

    root: Path

    @classmethod
    def of_manifest(cls, manifest: str | Path) -> LandingRun:
        """The run whose manifest is ``manifest`` (the path the land step hands on)."""
        return cls(Path(manifest).resolve().parent)

    @property
    def data_dir(self) -> DataDir:
        return DataDir(self.root.parents[1])

    @property
    def manifest(self) -> Path:
        """``landed.json``: every file of the run as landed (``xxgk.land.manifest``)."""
        return self.root / "landed.json"

    def batch(self, index: int) -> Path:
        """``batch-<index>.json``: the reports of one batch to extract."""
        return self.root / f"batch-{index:05d}.json"

    def batches(self) -> list[Path]:
        """The batch files present, in order."""
        return sorted(self.root.glob("batch-*.json"))

    @property
    def reused(self) -> Path:
        """``reused.json``: batches extracted before, which this run loads without extracting."""
        return self.root / "reused.json"


@dataclass(frozen=True)
class DataDir:
    """The data directory of one warehouse file."""

    root: Path

    @classmethod
    def of(cls, warehouse: Path) -> DataDir:
        """Everything a load writes lives beside the warehouse file."""
        return cls(warehouse.resolve().parent)

    @property
    def warehouse(self) -> Path:
        """The default warehouse file of this directory."""
        return self.root / WAREHOUSE_FILE

    @property
    def inbox(self) -> Path:
        """The default inbox of this directory (the Airflow UI's runs)."""
        return self.root / INBOX_DIR

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    def landing_run(self, inbox: Path, years: Sequence[int] | None) -> LandingRun:
        """The folder of the landing run of ``inbox`` for ``years`` (None: every year).

        Named after the years and keyed by the inbox's real path and the years, so a re-run
        of the same inbox and years reuses its folder.
        """
        key = hashlib.sha256(f"{inbox.resolve()}|{list(years or [])}".encode()).hexdigest()[:12]
        label = "all" if not years else "-".join(dict.fromkeys((str(years[0]), str(years[-1]))))
        return LandingRun(self.landing / f"{label}-{key}")

    @property
    def sha_cache(self) -> Path:
        """The digests of inbox files landed before (``xxgk.land.inbox.ShaCache``)."""
        return self.landing / "sha256-cache.sqlite"

    @property
    def extracted(self) -> Path:
        return self.root / "extracted"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def rule_results(self) -> Path:
        """Every rule result with agency and file name, as Parquet."""
        return self.quality / "rule_results.parquet"

    @property
    def gx_validations(self) -> Path:
        """Great Expectations' validation results store."""
        return self.quality / "gx_validations"

    @property
    def gx_docs(self) -> Path:
        """Great Expectations' Data Docs site."""
        return self.quality / "gx_docs"

    @property
    def gx_docs_index(self) -> Path:
        return self.gx_docs / "index.html"

    @property
    def dbt_docs(self) -> Path:
        """dbt's documentation of the project and the warehouse's catalog, one offline page
        (``dbt docs generate --static``), beside the reviewer's pages that link it."""
        return self.quality / "dbt_docs" / STATIC_DOCS_PAGE

    @property
    def report_page(self) -> Path:
        """The reviewer's main page (its agency pages beside it)."""
        return self.quality / REPORT_PAGE

    @property
    def last_validation(self) -> Path:
        """Inputs and summary of the last successful validation (skips an unchanged one)."""
        return self.quality / "last_validation.json"

    @property
    def review(self) -> Path:
        """The reviewers' decisions (``decisions.jsonl``): outside the rebuildable
        warehouse, never removed by a rebuild."""
        return self.root / "review"

    @property
    def airflow(self) -> Path:
        """The local Airflow home."""
        return self.root / "airflow"

    @property
    def load_log(self) -> Path:
        return self.airflow / LOAD_LOG

    @property
    def load_lock(self) -> Path:
        """Held by a local ``xxgk load`` for as long as it runs."""
        return self.airflow / "load.lock"

    def dbt_target(self, warehouse: Path) -> Path:
        """dbt's ``--target-path`` for ``warehouse``: one per warehouse file."""
        return self.root / "dbt" / warehouse.stem / "target"

    def dbt_logs(self, warehouse: Path) -> Path:
        """dbt's ``--log-path`` for ``warehouse``: beside its target."""
        return self.dbt_target(warehouse).parent / "logs"


_COMMANDS: Final[dict[str, Callable[[DataDir, Path], Path]]] = {
    "data-dir": lambda d, w: d.root,
    "raw": lambda d, w: d.raw,
    "dbt-target": lambda d, w: d.dbt_target(w),
    "dbt-logs": lambda d, w: d.dbt_logs(w),
    "quality": lambda d, w: d.quality,
    "dbt-docs": lambda d, w: d.dbt_docs,
    "review": lambda d, w: d.review,
}


def main(argv: Sequence[str]) -> int:
    """``python -m xxgk.core.paths WHAT WAREHOUSE``: print the path ``WHAT`` of the data
    directory of ``WAREHOUSE`` (for the Makefile)."""
    if len(argv) != 2 or argv[0] not in _COMMANDS:
        names = "|".join(_COMMANDS)
        sys.stderr.write(f"usage: python -m xxgk.core.paths {{{names}}} WAREHOUSE\n")
        return 2
    warehouse = Path(argv[1])
    sys.stdout.write(f"{_COMMANDS[argv[0]](DataDir.of(warehouse), warehouse)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
