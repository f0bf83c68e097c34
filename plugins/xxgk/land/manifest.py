"""A landing run's manifest, ``landed.json``: every file the run landed, one row each.

Written by the land step into the run's folder (``xxgk.core.paths.LandingRun``), read by the
planning of the extraction (rows as written) and by the load (``landed_at`` as a timestamp).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xxgk.core.exceptions import NothingToLoad
from xxgk.core.paths import LandingRun
from xxgk.land.crawl_provenance import apply_crawl_provenance
from xxgk.land.inbox import land_inbox, scan_inbox


def nothing_to_load(inbox: Path, years: Sequence[int] | None) -> NothingToLoad:
    """The one line a load with no report file for ``years`` (None: every year) says, the
    same from ``xxgk load`` (before Airflow starts) and from the DAG's land task."""
    if not years:
        return NothingToLoad(f"nothing to load: {inbox} has no report file")
    folders = ", ".join(str(inbox / str(year)) for year in years)
    return NothingToLoad(f"nothing to load: no report file under {folders}")


def refuse_nothing_to_load(inbox: Path, years: Sequence[int] | None) -> None:
    """Raise :func:`nothing_to_load`'s error when the inbox has no file a load of ``years``
    would land (the rule of :func:`land_years`, without landing).

    Raises:
        NothingToLoad: no such file.
        FileNotFoundError: ``inbox`` is not a directory.
    """
    if not any(scan_inbox(inbox, year) for year in years or (None,)):
        raise nothing_to_load(inbox, years)


def land_years(inbox: Path, raw_store: Path, years: Sequence[int] | None) -> list[dict[str, Any]]:
    """Land ``inbox/<year>/…`` of each of ``years`` (None: the whole inbox, files outside a
    year folder included) into ``raw_store``.

    Files a crawl put in the inbox carry the crawl manifest's provenance (URL, anchor text,
    breadcrumb: ``xxgk.land.crawl_provenance``).

    Returns:
        The manifest's rows, ordered by source path then digest.

    Raises:
        NothingToLoad: not one file to land (:func:`nothing_to_load`).
    """
    landed: dict[tuple[str, str], dict[str, Any]] = {}
    for year in years or (None,):
        for f in apply_crawl_provenance(land_inbox(inbox, raw_store, year), inbox):
            landed.setdefault((f.report_sha256, f.source_path), f.as_row())
    if not landed:
        raise nothing_to_load(inbox, years)
    return [landed[k] for k in sorted(landed, key=lambda k: (k[1], k[0]))]


def write_manifest(run: LandingRun, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as the run's ``landed.json`` (its folder made if need be)."""
    run.root.mkdir(parents=True, exist_ok=True)
    run.manifest.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
    return run.manifest


def read_manifest(manifest: str | Path) -> list[dict[str, Any]]:
    """The rows of a ``landed.json`` as written (``landed_at`` an ISO text)."""
    rows: list[dict[str, Any]] = json.loads(Path(manifest).read_text(encoding="utf-8"))
    return rows


def read_landed(manifest: str | Path) -> list[dict[str, Any]]:
    """The rows of a ``landed.json`` for the warehouse: ``landed_at`` a timestamp (UTC,
    naive, microseconds)."""
    import pyarrow as pa

    rows = read_manifest(manifest)
    for row in rows:
        row["landed_at"] = pa.scalar(row["landed_at"]).cast(pa.timestamp("us")).as_py()
    return rows
