"""Report extraction: bytes in, contract record out (see ``xxgk.extract.record``)."""

from __future__ import annotations

from xxgk.extract.record import EXTRACTOR_VERSION, extract_bytes, extract_file

__all__ = ["EXTRACTOR_VERSION", "extract_bytes", "extract_file"]
