"""Lines of a table region → a stream of cell tokens, whatever the layout.

Layouts seen in real copies: pipe rows (``a | b | c |``), one cell per line ending in
``|`` or separated by blank lines or by lone ``|`` lines, label and number glued
(``政府网站公开政府信息数426``), a whole table flattened onto one line with spaces, and
PDF text rows split on spaces. A token is a label, a value (number or explicit blank) or
a unit; ``row_end`` marks a line end when each line is a table row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from xxgk.values import UNITS, is_blank_mark, is_value_text

Kind = Literal["label", "value", "unit", "row_end"]
_PIPES = re.compile(r"[|¦｜]")
_GLUED = re.compile(
    r"^(?P<label>.*?\D)(?P<dash>——|—|--)?\s*(?P<num>[+\-]?\d+(?:\.\d+)?(?:万元|萬元|元|人次)?)$")
_TRAILING_DASH = re.compile(r"^(?P<label>.+?)(?P<dash>——+|—)$")
_UNIT_SET = frozenset(UNITS) | {"——", "—", "-"}


class Token(NamedTuple):  # a tuple: reports have hundreds of tokens, built in the hot loop
    kind: Kind
    text: str
    line: int  # 0-based line index in the document

    @property
    def is_cell(self) -> bool:
        return self.kind == "value"


Piece = tuple[Kind, str]
_new = tuple.__new__  # builds a Token without NamedTuple's Python-level __new__ (~40% faster)


def _at(pieces: tuple[Piece, ...], line: int) -> list[Token]:
    """Tokens of the (cached) pieces of one line."""
    return [_new(Token, (kind, text, line)) for kind, text in pieces]


def _classify(text: str) -> Piece:
    t = text.strip()
    if t in _UNIT_SET and not is_value_text(t):
        return "unit", t
    if is_value_text(t):
        return "value", t
    if t in UNITS:
        return "unit", t
    return "label", t


def _split_free_text(text: str, line: int) -> list[Token]:
    """A line without pipes: one cell, a glued label+number, or several space-separated cells."""
    return _at(_free_pieces(text), line)


@lru_cache(maxsize=32768)  # table lines repeat across reports ('（一）自然人', '0 0 0 …')
def _free_pieces(text: str) -> tuple[Piece, ...]:
    stripped = text.strip()
    if not stripped:
        return ()
    pieces = stripped.split()
    if len(pieces) > 1 and sum(is_value_text(p) and not is_blank_mark(p) for p in pieces) >= 1:
        out: list[Piece] = []
        for p in pieces:
            kind, t = _classify(p)
            if kind == "label" and out and out[-1][0] == "label":
                out[-1] = ("label", out[-1][1] + " " + p)
            else:
                out.extend(_glued_pieces(p) if kind == "label" else [(kind, t)])
        return tuple(out)
    return _glued_pieces(stripped)


# full-width ASCII → ASCII, one character for one, so match positions index the raw text
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=32768)
def _glued_pieces(text: str) -> tuple[Piece, ...]:
    """One cell's text, with a number glued to its label split off."""
    kind, t = _classify(text)
    if kind != "label":
        return ((kind, t),)
    m = _GLUED.match(text.translate(_HALF_WIDTH))
    if m and len(m["label"].strip()) >= 2 and not m["label"].rstrip().endswith(("第", "(", "（")):
        out: list[Piece] = [("label", text[: m.end("label")].strip())]
        if m["dash"]:
            out.append(("unit", text[m.start("dash") : m.end("dash")]))
        out.append(("value", text[m.start("num") :]))
        return tuple(out)
    m2 = _TRAILING_DASH.match(text)
    if m2:
        return ("label", m2["label"].strip()), ("unit", m2["dash"])
    return ((kind, t),)


@lru_cache(maxsize=32768)
def _pipe_cells(line: str) -> tuple[tuple[str, ...], str]:
    """Cells terminated by a pipe, and the text after the last pipe."""
    parts = _PIPES.split(line)
    return tuple(p.strip() for p in parts[:-1]), parts[-1].strip()


def _row_tokens(line: str, n: int) -> list[Token]:
    """Row mode: one table row per line; empty pipe cells are explicit blanks."""
    return _at(_row_pieces(line), n)


@lru_cache(maxsize=32768)
def _row_pieces(line: str) -> tuple[Piece, ...]:
    if not _PIPES.search(line):
        pieces = _free_pieces(line)
        return (*pieces, ("row_end", "")) if line.strip() else pieces
    cells, rest = _pipe_cells(line)
    out: list[Piece] = []
    blank: tuple[Piece, ...] = (("value", ""),)
    for c in cells:
        out.extend(_glued_pieces(c) if c else blank)
    out.extend(_free_pieces(rest))
    out.append(("row_end", ""))
    return tuple(out)


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
    counts = [n for n in map(_cell_count, lines) if n is not None]
    return sum(counts) / len(counts) if counts else 0.0


@lru_cache(maxsize=32768)
def _cell_count(line: str) -> int | None:
    """Non-empty cells of a line; None for a blank line."""
    if not line.strip():
        return None
    if _PIPES.search(line):
        cells, rest = _pipe_cells(line)
        return sum(1 for c in cells if c) + (1 if rest else 0)
    return sum(1 for kind, _ in _free_pieces(line) if kind != "unit")


def has_pipe_rows(lines: list[str]) -> bool:
    """True when rows carry several pipe-separated cells (explicit blanks)."""
    return sum(map(_is_pipe_row, lines)) >= 3


@lru_cache(maxsize=32768)
def _is_pipe_row(line: str) -> bool:
    return len(_PIPES.findall(line)) >= 2 and bool(line.strip("|¦｜ \t"))
