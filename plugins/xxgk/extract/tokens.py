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
from typing import Final, Literal, NamedTuple

from xxgk.core.memo import Memo
from xxgk.core.text import HALF_WIDTH
from xxgk.extract.values import UNITS, is_blank_mark, is_value_text

Kind = Literal["label", "value", "unit", "row_end"]
_PIPES = re.compile(r"[|¦｜]")
_GLUED = re.compile(
    r"^(?P<label>.*?\D)(?P<dash>——|—|--)?\s*(?P<num>[+\-]?\d+(?:\.\d+)?(?:万元|萬元|元|人次)?)$"
)
_TRAILING_DASH = re.compile(r"^(?P<label>.+?)(?P<dash>——+|—)$")
_UNIT_SET = frozenset(UNITS) | {"——", "—", "-"}


class Token(NamedTuple):  # a tuple: reports have hundreds of tokens
    kind: Kind
    text: str


_new = tuple.__new__  # builds a Token without NamedTuple's Python-level __new__ (~40% faster)
_ROW_END = _new(Token, ("row_end", ""))
_BLANK = _new(Token, ("value", ""))


def _piece(kind: Kind, text: str) -> Token:
    return _new(Token, (kind, text))


def _classify(text: str) -> Token:
    t = text.strip()
    if t in _UNIT_SET and not is_value_text(t):
        return _piece("unit", t)
    if is_value_text(t):
        return _piece("value", t)
    if t in UNITS:
        return _piece("unit", t)
    return _piece("label", t)


def _free_pieces(text: str) -> tuple[Token, ...]:
    """A line without pipes: one cell, a glued label+number, or several space-separated cells."""
    stripped = text.strip()
    if not stripped:
        return ()
    pieces = stripped.split()
    if len(pieces) > 1 and sum(is_value_text(p) and not is_blank_mark(p) for p in pieces) >= 1:
        out: list[Token] = []
        for p in pieces:
            kind, t = _classify(p)
            if kind == "label" and out and out[-1][0] == "label":
                out[-1] = _piece("label", out[-1][1] + " " + p)
            else:
                out.extend(_glued_pieces(p) if kind == "label" else [_piece(kind, t)])
        return tuple(out)
    return _glued_pieces(stripped)


@lru_cache(maxsize=32768)
def _glued_pieces(text: str) -> tuple[Token, ...]:
    """One cell's text, with a number glued to its label split off."""
    piece = _classify(text)
    if piece.kind != "label":
        return (piece,)
    m = _GLUED.match(text.translate(HALF_WIDTH))
    if m and len(m["label"].strip()) >= 2 and not m["label"].rstrip().endswith(("第", "(", "（")):
        out: list[Token] = [_piece("label", text[: m.end("label")].strip())]
        if m["dash"]:
            out.append(_piece("unit", text[m.start("dash") : m.end("dash")]))
        out.append(_piece("value", text[m.start("num") :]))
        return tuple(out)
    m2 = _TRAILING_DASH.match(text)
    if m2:
        return _piece("label", m2["label"].strip()), _piece("unit", m2["dash"])
    return (piece,)


@lru_cache(maxsize=32768)
def _pipe_cells(line: str) -> tuple[tuple[str, ...], str]:
    """Cells terminated by a pipe, and the text after the last pipe."""
    parts = _PIPES.split(line)
    return tuple(p.strip() for p in parts[:-1]), parts[-1].strip()


def _row_pieces(line: str) -> tuple[Token, ...]:
    """Row mode: one table row per line; empty pipe cells are explicit blanks."""
    if not _PIPES.search(line):
        pieces = _FREE_PIECES[line]
        return (*pieces, _ROW_END) if line.strip() else pieces
    cells, rest = _pipe_cells(line)
    out: list[Token] = []
    for c in cells:
        out.extend(_glued_pieces(c) if c else (_BLANK,))
    out.extend(_FREE_PIECES[rest])
    out.append(_ROW_END)
    return tuple(out)


class _Stream:
    """Stream mode: cells flow across lines; a pipe may terminate the line before."""

    def __init__(self) -> None:
        self.out: list[Token] = []
        self.pending: str | None = None

    def flush(self) -> None:
        if self.pending is not None:
            self.out.extend(_FREE_PIECES[self.pending])
            self.pending = None

    def feed(self, line: str) -> None:
        """One line; a line without pipes waits: a pipe on the next line may end it."""
        if not _PIPES.search(line):
            self.flush()
            if line.strip():
                self.pending = line
            return
        cells, rest = _pipe_cells(line)
        for i, c in enumerate(cells):
            terminates = i == 0 and not c and self.pending is not None
            self.flush()
            if terminates:
                continue
            if c:
                self.out.extend(_FREE_PIECES[c])
            elif len(cells) == 1:
                self.out.append(_BLANK)  # a lone pipe terminating nothing
            # runs of empty pipes ('||||') are span padding, not cells
        if rest:
            self.pending = rest


def _row_pieces_between(line: str) -> tuple[Token, ...]:
    """Row mode where pipes separate cells: a row ending in a pipe ends with a blank."""
    pieces = _ROW_PIECES[line]
    if _PIPES.search(line) and not _pipe_cells(line)[1]:
        return (*pieces[:-1], _BLANK, _ROW_END)
    return pieces


def pipes_between(lines: list[str]) -> bool:
    """True when most rows of several cells go on after their last pipe ('a | 1 | 2'):
    the pipes separate cells instead of ending them, so a row that does end in a pipe
    ('a | 1 | ') has a blank last cell."""
    kinds = list(map(_ROW_TAIL.__getitem__, lines))
    after, ended = kinds.count(1), kinds.count(-1)
    return after >= 3 and after > ended


def _row_tail(line: str) -> int:
    """1: a row of two cells or more with text after its last pipe; -1: one ending in a
    pipe; 0: not such a row."""
    if not _PIPES.search(line):
        return 0
    cells, rest = _pipe_cells(line)
    if sum(1 for c in cells if c) + (1 if rest else 0) < 2:
        return 0
    return 1 if rest else -1


def tokenize(lines: list[str], *, row_mode: bool, between: bool = False) -> list[Token]:
    """Tokens of ``lines``.

    In row mode every line is a table row and gets a ``row_end``; pipe cells that are
    empty are explicit blank cells (``between``: pipes separate the cells, see
    ``pipes_between``). In stream mode cells flow across lines and only a pipe that
    terminates nothing marks a blank cell.
    """
    if row_mode:
        rows = _ROW_PIECES_BETWEEN if between else _ROW_PIECES
        out: list[Token] = []
        for line in lines:
            out.extend(rows[line])
        return out
    stream = _Stream()
    for line in lines:
        stream.feed(line)
    stream.flush()
    return stream.out


def join_open_parens(lines: list[str], text: str) -> list[str]:
    """Lines with a parenthesis left open joined to the lines that close it (at most
    ``_PAREN_SPAN`` more): a label wrapped inside its annotation ('…（不同渠道和方式公开' /
    '相同信息计1条）') is one label, so the digit in it is not read as the row's value.
    ``text`` is the lines joined by newlines (one C-level scan: almost always nothing)."""
    if not _UNCLOSED.search(text):
        return lines
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line, depth = lines[i], _OPEN_DEPTH[lines[i]]
        j = i + 1
        if depth < 0:
            depth = 0
        while depth > 0 and j < n and j <= i + _PAREN_SPAN:
            depth += _CLOSE_DEPTH[lines[j]]
            j += 1
            if _PIPES.search(lines[j - 1]):
                break  # its first pipe ended the cell
        if depth == 0 and j > i + 1:
            head, values = _trailing_values(line)
            joined = "".join(part.strip() for part in (head, *lines[i + 1 : j]))
            out.append(f"{joined} {values}" if values else joined)
            i = j
        else:
            out.append(line)
            i += 1
    return out


_PAREN_SPAN: Final = 3
# an opening parenthesis with no closing one (nor a pipe) after it on its line
_UNCLOSED: Final = re.compile(r"[(（][^)）|¦｜\n]*$", re.M)


def _trailing_values(line: str) -> tuple[str, str]:
    """A line split before the values that end it: a PDF prints a row's values beside the
    first line of its wrapped label ('（一）…政府信息数（不 507' / '同渠道…计1条）')."""
    if _PIPES.search(line):
        return line, ""
    pieces = line.split()
    k = len(pieces)
    while k > 1 and is_value_text(pieces[k - 1]):
        k -= 1
    if k == len(pieces):
        return line, ""
    return " ".join(pieces[:k]), " ".join(pieces[k:])


def _depth(text: str) -> int:
    if "(" not in text and "（" not in text and ")" not in text and "）" not in text:
        return 0
    return text.count("(") + text.count("（") - text.count(")") - text.count("）")


def _open_depth(line: str) -> int:
    """Parentheses left open by the line's unterminated text (after its last pipe)."""
    return _depth(_PIPES.split(line)[-1]) if _PIPES.search(line) else _depth(line)


def _close_depth(line: str) -> int:
    """The same for a continuation line, up to its first pipe (which ends the cell)."""
    return _depth(_PIPES.split(line, maxsplit=1)[0])


def cells_per_line(lines: list[str]) -> float:
    """Average number of non-empty cells on the non-empty lines (decides row vs stream)."""
    counts = [n for n in map(_CELL_COUNT.__getitem__, lines) if n is not None]
    return sum(counts) / len(counts) if counts else 0.0


def _cell_count(line: str) -> int | None:
    """Non-empty cells of a line; None for a blank line."""
    if not line.strip():
        return None
    if _PIPES.search(line):
        cells, rest = _pipe_cells(line)
        return sum(1 for c in cells if c) + (1 if rest else 0)
    return sum(1 for kind, _ in _FREE_PIECES[line] if kind != "unit")


def has_pipe_rows(lines: list[str]) -> bool:
    """True when rows carry several pipe-separated cells (explicit blanks): three such
    lines at least, and a third of the lines with text, so a one-cell-per-line table with
    its header rows on one line each stays a stream of cells."""
    pipe_rows = sum(map(_PIPE_ROW.__getitem__, lines))
    if pipe_rows < 3:
        return False
    filled = len(lines) - lines.count("") - sum(map(str.isspace, lines))
    return 3 * pipe_rows >= filled


def _is_pipe_row(line: str) -> bool:
    """Two filled cells on the line: a caption padded to the table's width
    ('第二十条第(一)项 | | | |') is one cell, even in a one-cell-per-line table."""
    if len(_PIPES.findall(line)) < 2:
        return False
    cells, rest = _pipe_cells(line)
    return sum(1 for c in cells if c) + (1 if rest else 0) >= 2


# per-line results: table lines repeat across reports ('（一）自然人 | 0 | 0 |')
_FREE_PIECES: Final = Memo(_free_pieces, 32768)
_ROW_PIECES: Final = Memo(_row_pieces, 32768)
_ROW_PIECES_BETWEEN: Final = Memo(_row_pieces_between, 32768)
_CELL_COUNT: Final = Memo(_cell_count, 32768)
_PIPE_ROW: Final = Memo(_is_pipe_row, 32768)
_OPEN_DEPTH: Final = Memo(_open_depth, 32768)
_ROW_TAIL: Final = Memo(_row_tail, 32768)
_CLOSE_DEPTH: Final = Memo(_close_depth, 32768)
