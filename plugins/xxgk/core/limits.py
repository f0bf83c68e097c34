"""Size, page and time caps that keep hostile or huge files from hurting a batch, and the
resources the pipeline's stages may take (DuckDB memory, OCR threads).

Every setting has a ``DEFAULT_*`` constant and an ``XXGK_*`` environment override
(:data:`ENV_NAMES`). A file over a cap is quarantined (``too_large``, ``too_slow``), never
half-read. dbt's own DuckDB memory limit is set by ``dbt_project/profiles.yml``
(``XXGK_DUCKDB_MEMORY_LIMIT``), which dbt reads itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

_MB = 1024 * 1024

DEFAULT_MAX_BYTES = 100 * _MB  # any input file
DEFAULT_MAX_TEXT_BYTES = 16 * _MB  # HTML / plain text: real reports are < 2 MB
DEFAULT_MAX_PDF_PAGES = 300
DEFAULT_MAX_PDF_STREAM_BYTES = 256 * _MB  # one decompressed PDF stream (Flate bomb guard)
DEFAULT_MAX_UNZIPPED_BYTES = 256 * _MB  # all members of a DOCX/ZIP container, uncompressed
DEFAULT_MAX_ZIP_RATIO = 100  # uncompressed / compressed, for members over 1 MB
DEFAULT_MAX_ZIP_MEMBERS = 5000
DEFAULT_CONVERT_TIMEOUT_S = 120.0  # one LibreOffice conversion (.doc / .wps → .docx)
# one file's whole extraction (real reports take seconds; a .doc conversion can take 120 s)
DEFAULT_EXTRACT_TIMEOUT_S = 180.0
DEFAULT_MAX_EXTRACT_MEMORY = 2048 * _MB  # resident memory one file's extraction adds
# OCR of pages without a text layer: ~10-20 s per A4 page on one core, so a few pages fit
# in one file's extraction time; a longer scan is read up to the cap and says so
DEFAULT_OCR_MAX_PAGES = 8
DEFAULT_OCR_PAGE_TIMEOUT_S = 40.0  # a page slower than this ends the file's OCR (said so)
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000  # one image (a page, a landed picture): a bomb guard
DEFAULT_OCR_THREADS = 1  # batches scale by processes (Celery workers), one core each
# DuckDB's own default is 80 % of the machine's RAM; past the limit it spills to disk
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"
DEFAULT_LOAD_MEMORY_LIMIT = DEFAULT_DUCKDB_MEMORY_LIMIT  # the load (Parquet → raw schema)
# GX batches, the rule-results export, the review site
DEFAULT_VALIDATE_MEMORY_LIMIT = DEFAULT_DUCKDB_MEMORY_LIMIT
_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.IGNORECASE)

ENV_NAMES = {
    "max_bytes": "XXGK_MAX_BYTES",
    "max_text_bytes": "XXGK_MAX_TEXT_BYTES",
    "max_pdf_pages": "XXGK_MAX_PDF_PAGES",
    "max_pdf_stream_bytes": "XXGK_MAX_PDF_STREAM_BYTES",
    "max_unzipped_bytes": "XXGK_MAX_UNZIPPED_BYTES",
    "max_zip_ratio": "XXGK_MAX_ZIP_RATIO",
    "max_zip_members": "XXGK_MAX_ZIP_MEMBERS",
    "convert_timeout_s": "XXGK_CONVERT_TIMEOUT_S",
    "extract_timeout_s": "XXGK_EXTRACT_TIMEOUT_S",
    "max_extract_memory": "XXGK_MAX_EXTRACT_MEMORY",
    "ocr_max_pages": "XXGK_OCR_MAX_PAGES",
    "ocr_page_timeout_s": "XXGK_OCR_PAGE_TIMEOUT_S",
    "max_image_pixels": "XXGK_MAX_IMAGE_PIXELS",
    "ocr_threads": "XXGK_OCR_THREADS",
    "load_memory_limit": "XXGK_LOAD_MEMORY_LIMIT",
    "validate_memory_limit": "XXGK_VALIDATE_MEMORY_LIMIT",
}
"""Each setting's environment variable."""


@dataclass(frozen=True)
class Limits:
    """Caps applied while decoding one file, and the resources the stages may take.

    Raises:
        ValueError: a cap is not positive, a memory limit is not a size such as 1GB or
            512MiB, or the text cap exceeds the file cap.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    max_pdf_stream_bytes: int = DEFAULT_MAX_PDF_STREAM_BYTES
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES
    max_zip_ratio: int = DEFAULT_MAX_ZIP_RATIO
    max_zip_members: int = DEFAULT_MAX_ZIP_MEMBERS
    convert_timeout_s: float = DEFAULT_CONVERT_TIMEOUT_S
    extract_timeout_s: float = DEFAULT_EXTRACT_TIMEOUT_S
    max_extract_memory: int = DEFAULT_MAX_EXTRACT_MEMORY
    ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES
    ocr_page_timeout_s: float = DEFAULT_OCR_PAGE_TIMEOUT_S
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    ocr_threads: int = DEFAULT_OCR_THREADS
    load_memory_limit: str = DEFAULT_LOAD_MEMORY_LIMIT
    validate_memory_limit: str = DEFAULT_VALIDATE_MEMORY_LIMIT

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(f.default, str):
                if not is_memory_size(value):
                    raise ValueError(
                        f"{ENV_NAMES[f.name]}={value!r}: expected a size such as 1GB or 512MiB"
                    )
            elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"{f.name} must be a positive number, got {value!r}")
        if self.max_text_bytes > self.max_bytes:
            raise ValueError("max_text_bytes cannot exceed max_bytes")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults overridden by ``XXGK_*`` variables (e.g. ``XXGK_MAX_BYTES=50000000``).

        Raises:
            ValueError: a variable is not a number, or the result is invalid.
        """
        env = os.environ if environ is None else environ
        return _parse(tuple(env.get(name) for name in ENV_NAMES.values()))


def is_memory_size(value: object) -> bool:
    """Whether ``value`` is a size DuckDB takes as a memory limit (``1GB``, ``512MiB``)."""
    return isinstance(value, str) and _MEMORY_SIZE.fullmatch(value) is not None


@lru_cache(maxsize=32)  # read for every file: parse each set of values once
def _parse(raw_values: tuple[str | None, ...]) -> Limits:
    kwargs: dict[str, int | float | str] = {}
    for (field_name, env_name), raw in zip(ENV_NAMES.items(), raw_values, strict=True):
        if raw is None or not raw.strip():
            continue
        if field_name.endswith("_memory_limit"):
            kwargs[field_name] = raw.strip()
            continue
        try:
            kwargs[field_name] = float(raw) if field_name.endswith("_s") else int(raw)
        except ValueError as exc:
            raise ValueError(f"{env_name}={raw!r} is not a number") from exc
    return Limits(**kwargs)  # type: ignore[arg-type]
