"""One report file → one contract record (../shared/CONTRACT.md).

``extract_bytes`` is the pure core the DAG and the CLI share: bytes in, record out. It
never raises for a bad file: unreadable input becomes a ``quarantined`` record with an
error issue naming the reason.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xxgk.core.digest import sha256_file
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.formats import LATEST_TABLE_FORMAT, TABLE_FORMATS, in_year_range
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, NOT_A_REGULAR_FILE, NOT_A_REPORT, read_stub
from xxgk.core.text import simplify
from xxgk.decode.dispatch import decode
from xxgk.extract import metadata
from xxgk.extract.agency import Agency, Provenance, resolve
from xxgk.extract.chrome import strip_chrome
from xxgk.extract.detect import detect_format
from xxgk.extract.narrative import narrative_facts
from xxgk.extract.screen import report_problem
from xxgk.extract.tables import Issue, read_tables
from xxgk.extract.unread import OCR_UNVERIFIED
from xxgk.extract.values import MAX_DIGITS, is_overlong

log = logging.getLogger(__name__)
# 0.4: agency resolver, glued runs, provincial tables, layouts, bounded figures;
# 0.5: OCR of scans and images (files quarantined needs_ocr before are read now);
# 0.5.1: agency names checked against the gazetteer, crawl signals parsed, compilers, regions;
# 0.6: unread cells with their candidates, each table's coverage (cut, missing), the words
# that make a report aggregate; an incomplete report is partial (report_incomplete)
# 0.7: unbalanced glued tables settled row by row, agreed cells, spaced-and-glued rows,
#      page chrome removed before tables (issue 26)
# 0.8: the above merged, and titles without a field label, over two lines joined
EXTRACTOR_VERSION = "0.8.0"


def quarantined_record(source: str, digest: str, reason: str, message: str) -> dict[str, Any]:
    return {
        "source": source,
        "sha256": digest,
        "status": "quarantined",
        "format": "unknown",
        "report_year": None,
        "agency": None,
        "agency_qualified": None,
        "admin_level": "unknown",
        "body_type": None,
        "region_code": None,
        "agency_evidence": None,
        "agency_confidence": None,
        "agency_compiler": None,
        "region_evidence": None,
        "published_on": None,
        "cells": [],
        "unread_cells": [],
        "coverage": [],
        "narrative": [],
        "issues": [{"code": reason, "severity": "error", "message": message}],
    }


def _year_check(fmt: str, year: int | None) -> list[Issue]:
    if year is None or in_year_range(fmt, year):
        return []
    return [
        Issue(
            "format_year_mismatch",
            "warning",
            f"{fmt} table layout in a report for {year} (template reuse or wrong year)",
        )
    ]


def _overlong_figures(lines: list[str]) -> list[Issue]:
    """One warning for the lines holding figures too long to be values (cells and prose read
    them as no value), so a null there is explained rather than silent."""
    at = [n for n, line in enumerate(lines, 1) if is_overlong(line)]
    if not at:
        return []
    return [
        Issue(
            "figure_too_long",
            "warning",
            f"{len(at)} line(s) hold a figure of over {MAX_DIGITS} digits, not read as a "
            f"value (first: line {at[0]})",
        )
    ]


def _incomplete(unread_cells: list[dict[str, Any]], coverage: list[dict[str, Any]]) -> list[Issue]:
    """A ``report_incomplete`` error when a value was left unassigned or a table is cut,
    missing or printed with no cell read, and nothing else says so: `ok` means complete,
    and `partial` always has an error issue (CONTRACT.md). An OCR'd value no equality
    checks is read (flagged for review)."""
    unread = sum(u["reason"] != OCR_UNVERIFIED for u in unread_cells)
    parts = [f"{unread} cell(s) left unread"] if unread else []
    parts += [c["reason"] for c in coverage if c["reason"]]  # cut, missing, none read
    if not parts:
        return []
    return [Issue("report_incomplete", "error", "; ".join(parts))]


def _agency_fields(found: Agency) -> dict[str, Any]:
    return {
        "agency": found.name,
        "agency_qualified": found.qualified,
        "admin_level": found.admin_level,
        "body_type": found.body_type,
        "region_code": found.region_code,
        "agency_evidence": found.evidence,
        "agency_confidence": found.confidence,
        "agency_compiler": found.compiler,
        "region_evidence": found.region_evidence,
    }


def extract_bytes(
    data: bytes,
    source: str,
    *,
    charset_hint: str | None = None,
    provenance: Provenance | None = None,
    images: Mapping[str, bytes] | None = None,
) -> dict[str, Any]:
    """Extract one report. Never raises for bad input: see the record's status/issues.

    ``charset_hint`` is a charset declared outside the bytes (a fetched page's HTTP header);
    ``provenance`` what else is known of the file (inbox path, URL, user hints), used to
    find its publisher when the text does not name it. Without it, ``source`` is the path.
    ``images``: an HTML page's images landed beside it (``<img src>`` → bytes), read by OCR.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        doc = decode(data, Path(source).name, charset_hint=charset_hint, images=images)
    except UnreadableDocument as exc:
        return quarantined_record(source, digest, exc.reason, exc.message)
    lines = doc.lines
    problem = report_problem(lines)
    if problem is not None:  # an error, login or 404 page
        return quarantined_record(source, digest, NOT_A_REPORT, problem)
    year = metadata.report_year(doc.text)
    decode_notes = [Issue("decode_note", "warning", note) for note in doc.notes]
    # tables and their markers are read without the pages' furniture; metadata with it
    body = strip_chrome(lines)
    fmt = detect_format(doc.text if body is lines else "\n".join(body), year)
    simple_text = simplify(doc.text)
    found = resolve(simple_text, provenance or Provenance(source=source))
    issues: list[Issue] = [*decode_notes, *_overlong_figures(lines)]
    if found.issue:
        issues.append(Issue(found.issue[0], "warning", found.issue[1]))
    cells: list[dict[str, Any]] = []
    unread_cells: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    facts = narrative_facts(lines)
    if fmt in TABLE_FORMATS or fmt == "unknown":
        tables = read_tables(body, fmt, facts)
        issues.extend(tables.issues)
        cells, unread_cells, coverage = tables.cells, tables.unread, tables.coverage
        if doc.ocr_cells:  # read from page images: checked by the table's arithmetic
            from xxgk.decode.ocr import read_again
            from xxgk.extract import ocr_check

            pairs = ocr_check.attach(cells, doc.ocr_cells)
            shared = LATEST_TABLE_FORMAT if fmt == "unknown" else fmt  # as read_tables reads
            issues.extend(ocr_check.check(cells, shared, unread_cells, pairs, read_again))
        if cells and all(c["value"] is None for c in cells):
            issues.append(
                Issue(
                    "tables_blank",
                    "error",  # a form published unfilled: nothing to compare, status `partial`
                    f"all {len(cells)} table cells are blank",
                )
            )
        if not cells:
            issues.append(
                Issue(
                    "no_table_cells",
                    "warning",
                    f"{fmt} markers found but no table cell could be read",
                )
            )
    issues.extend(_year_check(fmt, year))
    if fmt == "unknown":
        issues.append(
            Issue(
                "format_undecided",
                "warning",
                "tables 三/四 found without the table-二 layout or a report year",
            )
        )
    published = metadata.published_on(lines, year)
    if not any(i.severity == "error" for i in issues):
        issues.extend(_incomplete(unread_cells, coverage))
    status = "partial" if any(i.severity == "error" for i in issues) else "ok"
    start, end = metadata.statistics_period(doc.text)
    scope_evidence = metadata.report_scope_evidence(doc.text)
    return {
        "source": source,
        "sha256": digest,
        "status": status,
        "format": fmt,
        "report_year": year,
        **_agency_fields(found),
        "published_on": published.isoformat() if published else None,
        "title": metadata.title(lines),
        "agency_org_code": metadata.agency_org_code(doc.text),
        "report_scope": "own" if scope_evidence is None else "aggregate",
        "report_scope_evidence": scope_evidence,  # the words that make it a 汇总 report
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
        "container": doc.container,
        "cells": cells,
        "unread_cells": unread_cells,
        "coverage": coverage,
        "narrative": [
            {"fact": f.fact, "value": f.value, "approx": f.approx, "text": f.text} for f in facts
        ],
        "issues": [{"code": i.code, "severity": i.severity, "message": i.message} for i in issues],
    }


def extract_file(
    path: Path,
    source: str | None = None,
    *,
    charset_hint: str | None = None,
    provenance: Provenance | None = None,
    with_images: bool = False,
    image_paths: Mapping[str, Path] | None = None,
) -> dict[str, Any]:
    """Extract one file from disk; an unreadable path is a quarantined record too.

    ``with_images``: an HTML page's ``<img>`` files found beside it are read by OCR (a
    page saved with its pictures; ``xxgk extract``). Files in the raw store have none
    beside them: ``image_paths`` names them instead (``<img src>`` → the image's raw path,
    matched when the extraction was planned: ``xxgk.extract.page_images``).

    Only a regular file is read: a FIFO would block forever and a device (``/dev/zero``,
    also through a symlink) never ends, so they are quarantined unread, as landing does.
    """
    src = source if source is not None else str(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return quarantined_record(
                    src,
                    "",
                    NOT_A_REGULAR_FILE,
                    "a FIFO, socket, device or folder, not a file (not read)",
                )
            limit = Limits.from_env().max_bytes
            if st.st_size > limit:  # refuse before reading a huge file into memory
                digest = sha256_file(path)
                return quarantined_record(
                    src,
                    digest,
                    "too_large",
                    f"{st.st_size} bytes is over the {limit}-byte limit (XXGK_MAX_BYTES)",
                )
            data = fh.read(limit + 1)  # bounded even if the file grows meanwhile
    except OSError as exc:
        return quarantined_record(src, "", "unreadable_file", f"{type(exc).__name__}: {exc}")
    images = None
    try:  # an unreadable picture: the page is still read
        if with_images:
            from xxgk.extract.siblings import sibling_images

            images = sibling_images(path, data, Limits.from_env())
        elif image_paths:
            from xxgk.extract.siblings import read_image

            limits = Limits.from_env()
            read = {src: read_image(p, limits) for src, p in image_paths.items()}
            images = {src: image for src, image in read.items() if image is not None}
    except OSError as exc:
        log.warning("images of %s not read: %s", path, exc)
    return extract_bytes(data, src, charset_hint=charset_hint, provenance=provenance, images=images)


def extract_stub(path: Path, source: str) -> dict[str, Any]:
    """The quarantined record of a stub from the raw store's stub area (landing wrote it
    there for an input it could not read): the stub's own reason and message."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return quarantined_record(source, "", "unreadable_file", f"{type(exc).__name__}: {exc}")
    stub = read_stub(data)
    digest = hashlib.sha256(data).hexdigest()
    if stub is None:
        return quarantined_record(source, digest, DECODE_FAILED, "a malformed quarantine stub")
    return quarantined_record(source, digest, *stub)
