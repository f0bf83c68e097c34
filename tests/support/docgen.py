"""Build test documents: an HTML page or a text report as blocks, then as DOCX or PDF.

``html_blocks`` keeps an HTML table's merged cells (rowspan / colspan) as ``Span``s, so the
same report can be written as a DOCX with merged cells (python-docx) or a PDF with merged
ruled cells (``tests.support.pdfgen``) and compared with the HTML original.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.shared import Pt
from lxml import html

from tests.support.pdfgen import Block, Span, Table, Text, lines_to_blocks, span_grid

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "li", "center", "section", "article", "br"}


def _cell(td: Any) -> Span:
    text = " ".join(" ".join(td.itertext()).split())
    return Span(text, int(td.get("rowspan", "1")), int(td.get("colspan", "1")))


def _table(node: Any) -> Table:
    rows = [[_cell(td) for td in tr if td.tag in ("td", "th")] for tr in node.iter("tr")]
    return Table([list(r) for r in rows if r])


def html_blocks(page: str) -> list[Block]:
    """Visible text and tables of an HTML page, in order (tables keep their spans)."""
    root = html.document_fromstring(page)
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    blocks: list[Block] = []

    def walk(node: Any) -> None:
        if node.tag == "table":
            blocks.append(_table(node))
        elif node.xpath(".//table") or node.tag in ("body", "html"):
            if (node.text or "").strip():
                blocks.append(Text(node.text.strip()))
            for child in node:
                walk(child)
                if (child.tail or "").strip():
                    blocks.append(Text(child.tail.strip()))
        else:
            text = " ".join(" ".join(node.itertext()).split())
            if text:
                blocks.append(Text(text))

    walk(root)
    return blocks


def text_blocks(text: str) -> list[Block]:
    return lines_to_blocks(text.split("\n"))


def _add_table(document: Any, table: Table) -> None:
    grid = span_grid(table.rows)
    ncols = max(len(r) for r in grid)
    out = document.add_table(rows=len(grid), cols=ncols)
    out.style = "Table Grid"
    merged: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        for c, slot in enumerate(row):
            if slot is None or slot[0] != (r, c) or (r, c) in merged:
                continue
            span = slot[1]
            cell = out.cell(r, c)
            last_r = min(r + span.rowspan, len(grid)) - 1
            last_c = min(c + span.colspan, ncols) - 1
            if (last_r, last_c) != (r, c):
                cell = cell.merge(out.cell(last_r, last_c))
                merged.add((r, c))
            cell.text = span.text


def blocks_to_docx(blocks: list[Block]) -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    for block in blocks:
        if isinstance(block, Table):
            _add_table(document, block)
        elif isinstance(block, Text):
            document.add_paragraph(block.text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
