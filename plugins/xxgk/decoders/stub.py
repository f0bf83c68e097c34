"""Quarantine stubs: what the raw store holds for an input that has no readable bytes.

A URL that answered 404, or an inbox symlink pointing outside the inbox, still has to reach
the warehouse as a quarantined report (the load's count check refuses silent losses). Landing
stores a small stub instead of content; decoding recognises it and raises
``UnreadableDocument`` with the stub's reason, so the stub flows through extraction and load
like any other file.
"""

from __future__ import annotations

import json
from typing import Any

from xxgk.decoders import REASONS

MAGIC = b"XXGK-QUARANTINE-STUB/1\n"


def make_stub(reason: str, message: str, source: str, **details: Any) -> bytes:
    """Stub bytes for ``source``: deterministic, so re-landing the same problem stores the
    same stub (landing stays idempotent); times belong in the landing record, not here.

    Raises:
        ValueError: ``reason`` is not a known reason code.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown quarantine reason {reason!r}")
    body = {"reason": reason, "message": message, "source": source, **details}
    return MAGIC + json.dumps(body, ensure_ascii=False, sort_keys=True,
                              default=str).encode("utf-8") + b"\n"


def read_stub(data: bytes) -> tuple[str, str] | None:
    """(reason, message) of a stub; None when ``data`` is not a well-formed stub."""
    if not data.startswith(MAGIC) or len(data) > 65536:
        return None
    try:
        body = json.loads(data[len(MAGIC):].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("reason") not in REASONS:
        return None
    return str(body["reason"]), f"{body.get('message', '')} ({body.get('source', '')})"
