"""The decoded form of a report file: text lines plus how they were read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

# C0 controls (but tab), DEL, C1 controls, and lone surrogates never belong in report text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class OcrCell(NamedTuple):
    """A table cell's text as OCR read it: the lowest confidence of its boxes (0–1), the
    page it is on (1-based) and its box in that page's image (pixels at ``dpi``); ``image``
    is the cell's crop of the page as it was read (a grey array), kept so that a cell the
    table's arithmetic rejects can be read again (``xxgk.decode.ocr.read_again``)."""

    text: str
    confidence: float
    page: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    image: Any = None


@dataclass
class Document:
    """A decoded report: its text lines and how it was read.

    ``container`` is one of text | html | pdf | docx | doc (a legacy Word / WPS file read
    through LibreOffice) | rtf | odt; ``encoding`` the text encoding, or the container's
    own name for binary containers; ``notes`` say what was skipped or repaired on the way.
    ``ocr_cells``: the table cells read by OCR (from page images), in reading order, so
    extraction can give their cells confidence and page/box provenance; empty when every
    line came from a text layer.
    """

    lines: list[str]
    encoding: str
    container: str
    notes: list[str] = field(default_factory=list)
    ocr_cells: list[OcrCell] = field(default_factory=list)

    @cached_property  # read by several passes; the lines are not changed once decoded
    def text(self) -> str:
        return "\n".join(self.lines)


def clean_lines(text: str) -> list[str]:
    """Split text into lines; drop control characters (NUL, form feed…) and trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.rstrip(" \t") for line in _CONTROL.sub("", text).split("\n")]


def has_visible_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)
