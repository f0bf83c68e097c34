"""Quarantine reasons and stubs: why a file is not read, in stable codes.

Every decoder raises
``xxgk.core.exceptions.UnreadableDocument`` with one of the stable reason codes below, which
become the quarantine reason of the report (``raw.issues.code`` of its error issue).

| code | meaning |
|---|---|
| ``empty`` | no bytes, or nothing visible after decoding |
| ``not_a_report`` | readable, but no report marker (an error / login / 404 page, binary junk) |
| ``encrypted_pdf`` | a PDF that needs a password to open |
| ``needs_ocr`` | a PDF without a usable text layer (scanned pages) |
| ``too_large`` | over a cap of ``xxgk.core.limits.Limits`` (bytes, pages, decompression bomb, |
|  | the extraction's memory) |
| ``too_slow`` | its extraction ran past the per-file time cap (``XXGK_EXTRACT_TIMEOUT_S``) |
| ``unsupported_type`` | a container we do not read (spreadsheet, archive), or .doc / .wps |
|  | without LibreOffice |
| ``decode_failed`` | a supported container that is corrupt or truncated beyond reading |
| ``unsafe_xml`` | an Office document declaring a DTD or entities (XXE / entity bombs) |
| ``unsafe_path`` | an inbox entry that is a symlink leading outside the inbox (not read) |
| ``not_a_regular_file`` | an inbox entry that is a FIFO, socket or device (not read) |
| ``unreadable_file`` | an inbox entry that could not be opened (permissions, broken link) |
| ``http_error`` | a URL answered with an HTTP error status (4xx/5xx after retries) |
| ``fetch_timeout`` | a URL did not answer in time (after retries) |
| ``fetch_failed`` | a URL could not be fetched (connection refused, redirect loop, bad scheme) |
| ``page_image`` | an image an HTML page of the same landing shows: read by OCR with that page |

Identical bytes are stored once by the content-addressed raw store, so an exact duplicate
never reaches extraction twice. The same report landed as different bytes is not a
quarantine reason (the file reads fine): the load digests each report's extracted content
(``raw.report_fingerprints``) and dbt marks the later copies ``dim_reports.is_duplicate``
with ``duplicate_of_sha256``.

Stubs: what the raw store holds for an input that has no readable bytes.

A URL that answered 404, or an inbox symlink pointing outside the inbox, still has to reach
the warehouse as a quarantined report (the load's count check refuses silent losses). Landing
stores a small stub instead of content, in the raw store's own stub area
(``raw/stubs/<sha256>``, never a landed file's place ``raw/<aa>/<sha256>``); extraction reads a
file there as a stub and quarantines it with the stub's reason, so it flows through
extraction and load like any other file. A stub is known by where it is, never by its first
bytes: an inbox file that starts with the stub magic is content like any other, so it
cannot claim a reason of its choosing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EMPTY = "empty"
NOT_A_REPORT = "not_a_report"
ENCRYPTED_PDF = "encrypted_pdf"
NEEDS_OCR = "needs_ocr"
TOO_LARGE = "too_large"
TOO_SLOW = "too_slow"
UNSUPPORTED_TYPE = "unsupported_type"
DECODE_FAILED = "decode_failed"
UNSAFE_XML = "unsafe_xml"
UNSAFE_PATH = "unsafe_path"
NOT_A_REGULAR_FILE = "not_a_regular_file"
UNREADABLE_FILE = "unreadable_file"
HTTP_ERROR = "http_error"
FETCH_TIMEOUT = "fetch_timeout"
FETCH_FAILED = "fetch_failed"
PAGE_IMAGE = "page_image"

REASONS = frozenset(
    {
        EMPTY,
        NOT_A_REPORT,
        ENCRYPTED_PDF,
        NEEDS_OCR,
        TOO_LARGE,
        TOO_SLOW,
        UNSUPPORTED_TYPE,
        DECODE_FAILED,
        UNSAFE_XML,
        UNSAFE_PATH,
        NOT_A_REGULAR_FILE,
        UNREADABLE_FILE,
        HTTP_ERROR,
        FETCH_TIMEOUT,
        FETCH_FAILED,
        PAGE_IMAGE,
    }
)

MAGIC = b"XXGK-QUARANTINE-STUB/1\n"
STUB_AREA = "stubs"  # <raw store>/stubs/<sha256>; landed files are in <raw store>/<aa>/


def stub_path(raw_store: Path, digest: str) -> Path:
    """Where the stub of digest ``digest`` is stored in ``raw_store``."""
    return raw_store / STUB_AREA / digest


def is_stub_path(path: Path) -> bool:
    """Whether ``path`` (a landing's ``raw_path``) is in a raw store's stub area."""
    return path.parent.name == STUB_AREA


def make_stub(reason: str, message: str, source: str, **details: Any) -> bytes:
    """Stub bytes for ``source``: deterministic, so re-landing the same problem stores the
    same stub (landing stays idempotent); times belong in the landing record, not here.

    Raises:
        ValueError: ``reason`` is not a known reason code.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown quarantine reason {reason!r}")
    body = {"reason": reason, "message": message, "source": source, **details}
    return (
        MAGIC
        + json.dumps(body, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        + b"\n"
    )


def read_stub(data: bytes) -> tuple[str, str] | None:
    """(reason, message) of a stub; None when ``data`` is not a well-formed stub."""
    if not data.startswith(MAGIC) or len(data) > 65536:
        return None
    try:
        body = json.loads(data[len(MAGIC) :].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("reason") not in REASONS:
        return None
    return str(body["reason"]), f"{body.get('message', '')} ({body.get('source', '')})"
