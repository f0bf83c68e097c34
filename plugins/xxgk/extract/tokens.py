"""Lines of a table region → a stream of cell tokens, whatever the layout.

Layouts seen in real copies: pipe rows (``a | b | c |``), one cell per line ending in
``|`` or separated by blank lines or by lone ``|`` lines, label and number glued
(``政府网站公开政府信息数426``), a whole table flattened onto one line with spaces, and
PDF text rows split on spaces. A token is a label, a value (number or explicit blank) or
a unit; ``row_end`` marks a line end when each line is a table row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from xxgk.values import UNITS, is_blank_mark, is_value_text

Kind = Literal["label", "value", "unit", "row_end"]
_PIPES = re.compile(r"[|¦｜]")
_GLUED = re.compile(
    r"^(?P<label>.*?\D)(?P<dash>——|—|--)?\s*(?P<num>[+\-]?\d+(?:\.\d+)?(?:万元|萬元|元|人次)?)$")
_TRAILING_DASH = re.compile(r"^(?P<label>.+?)(?P<dash>——+|—)$")
_UNIT_SET = frozenset(UNITS) | {"——", "—", "-"}


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str
    line: int  # 0-based line index in the document

    @property
    def is_cell(self) -> bool:
        return self.kind == "value"


def _classify(text: str, line: int) -> Token:
    t = text.strip()
    if t in _UNIT_SET and not is_value_text(t):
        return Token("unit", t, line)
    if is_value_text(t):
        return Token("value", t, line)
    if t in UNITS:
        return Token("unit", t, line)
    return Token("label", t, line)


def _split_free_text(text: str, line: int) -> list[Token]:
    """A line without pipes: one cell, a glued label+number, or several space-separated cells."""
    stripped = text.strip()
    if not stripped:
        return []
    pieces = stripped.split()
    if len(pieces) > 1 and sum(is_value_text(p) and not is_blank_mark(p) for p in pieces) >= 1:
        out: list[Token] = []
        for p in pieces:
            tok = _classify(p, line)
            if tok.kind == "label" and out and out[-1].kind == "label":
                out[-1] = Token("label", out[-1].text + " " + p, line)
            else:
                out.extend(_split_glued(p, line) if tok.kind == "label" else [tok])
        return out
    return _split_glued(stripped, line)


# full-width ASCII → ASCII, one character for one, so match positions index the raw text
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _split_glued(text: str, line: int) -> list[Token]:
    tok = _classify(text, line)
    if tok.kind != "label":
        return [tok]
    m = _GLUED.match(text.translate(_HALF_WIDTH))
    if m and len(m["label"].strip()) >= 2 and not m["label"].rstrip().endswith(("第", "(", "（")):
        out = [Token("label", text[: m.end("label")].strip(), line)]
        if m["dash"]:
            out.append(Token("unit", text[m.start("dash") : m.end("dash")], line))
        out.append(Token("value", text[m.start("num") :], line))
        return out
    m2 = _TRAILING_DASH.match(text)
    if m2:
        return [Token("label", m2["label"].strip(), line), Token("unit", m2["dash"], line)]
    return [tok]


def _pipe_cells(line: str) -> tuple[list[str], str]:
    """Cells terminated by a pipe, and the text after the last pipe."""
    parts = _PIPES.split(line)
    return [p.strip() for p in parts[:-1]], parts[-1].strip()


def _row_tokens(line: str, n: int) -> list[Token]:
    """Row mode: one table row per line; empty pipe cells are explicit blanks."""
    if not _PIPES.search(line):
        toks = _split_free_text(line, n)
        return toks + [Token("row_end", "", n)] if line.strip() else toks
    cells, rest = _pipe_cells(line)
    out: list[Token] = []
    for c in cells:
        out.extend(_split_glued(c, n) if c else [Token("value", "", n)])
    out.extend(_split_free_text(rest, n))
    out.append(Token("row_end", "", n))
    return out


class _Stream:
    """Stream mode: cells flow across lines; a pipe may terminate the line before."""

    def __init__(self) -> None:
        self.out: list[Token] = []
        self.pending: tuple[str, int] | None = None

    def flush(self) -> None:
        if self.pending is not None:
            self.out.extend(_split_free_text(*self.pending))
            self.pending = None

    def feed(self, line: str, n: int) -> None:
        if not _PIPES.search(line):
            self.flush()
            if line.strip():
                self.pending = (line, n)
            return
        cells, rest = _pipe_cells(line)
        for i, c in enumerate(cells):
            terminates = i == 0 and not c and self.pending is not None
            self.flush()
            if terminates:
                continue
            if c:
                self.out.extend(_split_free_text(c, n))
            elif len(cells) == 1:
                self.out.append(Token("value", "", n))  # a lone pipe terminating nothing
            # runs of empty pipes ('||||') are span padding, not cells
        if rest:
            self.pending = (rest, n)


def tokenize(lines: list[str], start: int, *, row_mode: bool) -> list[Token]:
    """Tokens of ``lines`` (numbered from ``start``).

    In row mode every line is a table row and gets a ``row_end``; pipe cells that are
    empty are explicit blank cells. In stream mode cells flow across lines and only a
    pipe that terminates nothing marks a blank cell.
    """
    if row_mode:
        return [t for i, ln in enumerate(lines) for t in _row_tokens(ln, start + i)]
    stream = _Stream()
    for i, line in enumerate(lines):
        stream.feed(line, start + i)
    stream.flush()
    return stream.out


def cells_per_line(lines: list[str]) -> float:
    """Average number of non-empty cells on the non-empty lines (decides row vs stream)."""
    counts = []
    for line in lines:
        if not line.strip():
            continue
        if _PIPES.search(line):
            cells, rest = _pipe_cells(line)
            counts.append(sum(1 for c in cells if c) + (1 if rest else 0))
        else:
            counts.append(len([t for t in _split_free_text(line, 0) if t.kind != "unit"]))
    return sum(counts) / len(counts) if counts else 0.0


def has_pipe_rows(lines: list[str]) -> bool:
    """True when rows carry several pipe-separated cells (explicit blanks)."""
    multi = sum(1 for ln in lines if len(_PIPES.findall(ln)) >= 2 and ln.strip("|¦｜ \t"))
    return multi >= 3
