"""Shared shapes of decoded lines: pipe rows and text fragments joined back together."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")  # Unicode whitespace, ideographic space and NBSP included
_PIPES = re.compile(r"[|¦｜]")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def clean_cell(text: str) -> str:
    return _WS.sub(" ", text).strip()


def join_fragments(parts: list[str]) -> str:
    """Fragments of one cell or paragraph (wrapped lines, several paragraphs) as one text.

    CJK fragments join without a space, so a label wrapped as ``本年新`` / ``制作数量``
    reads ``本年新制作数量``; Latin words and numbers keep a space between them.
    """
    out = ""
    for part in (clean_cell(p) for p in parts):
        if not part:
            continue
        if out and not (_WIDE.match(out[-1]) or _WIDE.match(part[0])):
            out += " "
        out += part
    return out


def pipe_row(cells: list[str]) -> str:
    """One table row as the pipe row every decoder emits: ``a | b |  | d |``."""
    return " | ".join(clean_cell(_PIPES.sub(" ", c)) for c in cells) + " |"
