"""The same report as text, PDF, DOCX, legacy .doc and GBK HTML extracts to the same cells.

The seed reports (../shared/seeds) and the demo reports (samples/inbox, with merged cells)
are converted by the tests themselves: PDF and DOCX with the generators of this folder
(always), PDF and .doc through LibreOffice when it is installed (else skipped).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.docgen import blocks_to_docx, html_blocks, text_blocks
from tests.support.libreoffice import convert_all
from tests.support.pdfgen import make_pdf, table_cells
from xxgk.decode.office import soffice_path
from xxgk.extract import extract_bytes

SEEDS = ["000", "001", "002", "003", "004"]
SAMPLE_HTML = sorted((REPO / "samples" / "inbox").glob("*/*.html"))


def _cells(record: dict[str, Any]) -> dict[str, Any]:
    assert record["status"] != "quarantined", record["issues"]
    return {c["metric"]: c["value"] for c in record["cells"] if c["metric"]}


def _seed_text(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def text_to_html(text: str) -> str:
    """A text report as an HTML page: runs of pipe rows become a <table>, no charset."""
    out = ["<html><head><title>报告</title></head><body>"]
    in_table = False
    for line in text.split("\n"):
        cells = table_cells(line)
        if cells is not None and not in_table:
            out.append("<table border='1'>")
        elif cells is None and in_table:
            out.append("</table>")
        in_table = cells is not None
        if cells is not None:
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    out.append("</table></body></html>" if in_table else "</body></html>")
    return "\n".join(out)


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_as_pdf_docx_and_gbk_html(seeds_dir: Path, prefix: str) -> None:
    text = _seed_text(seeds_dir, prefix)
    expected = _cells(extract_bytes(text.encode("utf-8"), f"{prefix}.txt"))
    blocks = text_blocks(text)
    pdf = make_pdf(blocks, page_size=(6000, 842), margin=20)
    gbk = text_to_html(text).encode("gbk", "xmlcharrefreplace")
    for name, data in (
        ("seed.pdf", pdf),
        ("seed.docx", blocks_to_docx(blocks)),
        ("seed.html", gbk),
    ):
        record = extract_bytes(data, name)
        assert record["container"] == name.split(".")[1]
        assert _cells(record) == expected, name


@pytest.mark.parametrize("page", SAMPLE_HTML, ids=lambda p: p.parent.name)
def test_html_tables_with_spans_as_pdf_and_docx(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    expected = _cells(extract_bytes(source.encode("utf-8"), page.name))
    blocks = html_blocks(source)
    for name, data in (
        ("page.pdf", make_pdf(blocks, page_size=(6000, 842))),
        ("page.docx", blocks_to_docx(blocks)),
    ):
        assert _cells(extract_bytes(data, name)) == expected, name


@pytest.fixture(scope="module")
def libreoffice() -> str:
    path = soffice_path()
    if path is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: legacy .doc and LibreOffice PDFs "
            "are not tested (apt-get install libreoffice-writer-nogui)"
        )
    return path


@pytest.fixture(scope="module")
def converted(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds and samples as DOCX, converted by one LibreOffice run per target."""
    out = tmp_path_factory.mktemp("lo")
    sources = {f"seed{p}": text_blocks(_seed_text(_seeds(), p)) for p in SEEDS}
    sources.update(
        {f"sample{p.parent.name}": html_blocks(p.read_text(encoding="utf-8")) for p in SAMPLE_HTML}
    )
    files = []
    for stem, blocks in sources.items():
        (out / f"{stem}.docx").write_bytes(blocks_to_docx(blocks))
        files.append(out / f"{stem}.docx")
    for target in ("pdf", "doc"):
        convert_all(libreoffice, files, target, out)
    return out


def _seeds() -> Path:
    from tests.conftest import SEEDS as seeds_path
    from tests.conftest import require_shared

    return require_shared(seeds_path)


STEMS = [f"seed{p}" for p in SEEDS] + [f"sample{p.parent.name}" for p in SAMPLE_HTML]


def _expected(converted: Path, stem: str) -> dict[str, Any]:
    return _cells(extract_bytes((converted / f"{stem}.docx").read_bytes(), "x.docx"))


@pytest.mark.parametrize("stem", STEMS)
def test_libreoffice_pdf(converted: Path, stem: str) -> None:
    """Real-world PDF layout: wrapped paragraphs, rows cut by page breaks, merged cells."""
    record = extract_bytes((converted / f"{stem}.pdf").read_bytes(), "x.pdf")
    assert record["container"] == "pdf"
    assert _cells(record) == _expected(converted, stem)


@pytest.mark.parametrize("stem", ["seed002", "seed004", "sample2021"])
def test_legacy_doc_through_libreoffice(converted: Path, stem: str) -> None:
    """Each .doc costs a LibreOffice start (~2 s): three of them are enough."""
    record = extract_bytes((converted / f"{stem}.doc").read_bytes(), "x.doc")
    assert record["container"] == "doc"
    assert _cells(record) == _expected(converted, stem)
