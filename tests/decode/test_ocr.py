"""Scans read by OCR: the sample report's tables, printed to images by the test itself, read
back cell for cell; misread digits corrected only when the table's arithmetic proves it.

The v2021 sample (samples/inbox/2021, merged header cells, 200 table cells) goes through
LibreOffice to PDF, its table pages through pdfium to images, and the images into
image-only PDFs: a clean 200 dpi copy, and a degraded one (150 dpi, tilted 0.7°, JPEG
quality 60). Each is OCR'd once per module (~10 s a page on one core); the text layer of
the same PDF is the truth. Skipped with the reason when LibreOffice is absent.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.libreoffice import convert_all
from xxgk.decode.office import soffice_path
from xxgk.extract import extract_bytes, extract_file
from xxgk.extract.ocr_check import OCR_CORRECTED, OCR_UNVERIFIED, check

SAMPLE = REPO / "samples" / "inbox" / "2021" / "shilishi-tongjiju.html"
TABLE_PAGES = (2, 3, 4)  # LibreOffice's page 1 is blank, page 5 prose
_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: the scans are printed through it "
            "(make browser installs it)"
        )
    out = tmp_path_factory.mktemp("ocr-pdf")
    convert_all(soffice, [SAMPLE], "pdf", out)
    return (out / f"{SAMPLE.stem}.pdf").read_bytes()


def _scan(pdf: bytes, dpi: int, tilt: float = 0.0, jpeg: int | None = None) -> bytes:
    """The table pages of ``pdf`` as an image-only PDF, printed at ``dpi``."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    pages = []
    for n in TABLE_PAGES:
        image = doc[n - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        if tilt:
            image = image.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor="white")
        if jpeg is not None:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=jpeg)
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        pages.append(image)
    doc.close()
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def _by_metric(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["metric"]: c for c in record["cells"] if c["metric"]}


@pytest.fixture(scope="module")
def truth(sample_pdf: bytes) -> dict[str, dict[str, Any]]:
    record = extract_bytes(sample_pdf, "sample.pdf")
    assert record["format"] == "v2021"
    cells = _by_metric(record)
    assert len(cells) == 200
    return cells


@pytest.fixture(scope="module")
def clean_scan(sample_pdf: bytes) -> dict[str, Any]:
    return extract_bytes(_scan(sample_pdf, 200), "scan.pdf")


@pytest.fixture(scope="module")
def degraded_scan(sample_pdf: bytes) -> dict[str, Any]:
    return extract_bytes(_scan(sample_pdf, 150, tilt=0.7, jpeg=60), "scan-degraded.pdf")


def _score(truth: dict[str, dict[str, Any]], record: dict[str, Any]) -> tuple[int, int]:
    """(cells read exactly, cells read with another value) against the text layer."""
    read = _by_metric(record)
    exact = sum(1 for m, c in truth.items() if m in read and read[m]["raw"] == c["raw"])
    wrong = sum(1 for m, c in truth.items() if m in read and read[m]["value"] != c["value"])
    return exact, wrong


@pytest.mark.parametrize("scan", ["clean_scan", "degraded_scan"])
def test_a_scanned_report_reads_back_its_cells(
    scan: str, truth: dict[str, dict[str, Any]], request: pytest.FixtureRequest
) -> None:
    record = request.getfixturevalue(scan)
    assert record["status"] == "ok" and record["format"] == "v2021"
    assert record["report_year"] == 2021 and record["agency"] == "示例市统计局"
    exact, wrong = _score(truth, record)
    assert exact >= 0.97 * len(truth), (exact, wrong)
    assert wrong <= 0.01 * len(truth), (exact, wrong)
    assert any("read by OCR" in i["message"] for i in record["issues"])


def test_ocr_cells_carry_confidence_page_and_box(clean_scan: dict[str, Any]) -> None:
    cell = _by_metric(clean_scan)["t3_new_received__total"]
    assert cell["raw"] == "54"
    assert 0.5 < cell["confidence"] <= 1.0
    assert cell["locator"].startswith("table 3, row ")
    assert ", page 2, box " in cell["locator"]  # the scan's second page
    x0, y0, x1, y1 = map(int, cell["locator"].rsplit("box ", 1)[1].split())
    assert 0 <= x0 < x1 and 0 <= y0 < y1


@pytest.fixture(scope="module")
def table_images() -> dict[str, bytes]:
    """The sample page's tables as screenshots (chromium, 2x: a hi-dpi screen) printed
    without rulings (the scans above have them: these read by the cells' gaps), and the
    page with each ``<table>`` replaced by an ``<img>`` of it ('report.html')."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed: the table screenshots need it")
    from playwright.sync_api import sync_playwright

    out: dict[str, bytes] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(device_scale_factor=2, viewport={"width": 1000, "height": 800})
        page.goto(SAMPLE.as_uri())
        page.add_style_tag(content="table, tr, td, th { border: none !important }")
        page.evaluate(
            "document.querySelectorAll('table').forEach(t => t.removeAttribute('border'))"
        )
        for n, table in enumerate(page.query_selector_all("table"), start=1):
            out[f"table{n}.png"] = table.screenshot()
        browser.close()
    names = iter(out)
    html = re.sub(
        r"<table\b.*?</table>",
        lambda _: f'<img src="{next(names)}" alt="">',
        SAMPLE.read_text(encoding="utf-8"),
        flags=re.S | re.I,
    )
    out["report.html"] = html.encode("utf-8")
    return out


def test_an_html_page_whose_tables_are_images_beside_it_reads_the_same(
    table_images: dict[str, bytes], truth: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    for name, data in table_images.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "elsewhere.png").write_bytes(table_images["table1.png"])
    record = extract_file(tmp_path / "report.html", with_images=True)
    assert record["status"] == "ok" and record["format"] == "v2021"
    exact, wrong = _score(truth, record)
    assert exact >= 0.97 * len(truth), (exact, wrong)
    assert wrong <= 0.01 * len(truth), (exact, wrong)
    assert any("picture(s) 1, 2, 3 read by OCR" in i["message"] for i in record["issues"])
    # without the images beside it (a copy in the raw store), the page reads as before
    alone = extract_file(tmp_path / "report.html")
    assert not any(c["value"] is not None for c in alone["cells"])


def test_a_table_pasted_into_a_docx_as_a_picture_is_read(
    table_images: dict[str, bytes], truth: dict[str, dict[str, Any]]
) -> None:
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_paragraph("2021年示例市统计局政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_picture(io.BytesIO(table_images["table1.png"]), width=Inches(4))
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    out = io.BytesIO()
    document.save(out)
    record = extract_bytes(out.getvalue(), "report.docx")
    read = {m: c for m, c in _by_metric(record).items() if m.startswith("v21_t2")}
    expected = {m for m in truth if m.startswith("v21_t2")}
    assert expected and set(read) == expected, record["issues"]
    assert all(read[m]["raw"] == truth[m]["raw"] for m in read)
    assert all("confidence" in c for c in read.values() if c["raw"])
    assert any("picture(s) 1 read by OCR" in i["message"] for i in record["issues"])


def _ocr_cells(truth: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The sample's cells as if read by OCR (a confidence each)."""
    return [
        {**c, "confidence": 0.97, "locator": c["locator"] + ", page 1, box 1 2 3 4"}
        for c in truth.values()
    ]


def _misread(cells: list[dict[str, Any]], metric: str, raw: str) -> dict[str, Any]:
    cell = next(c for c in cells if c["metric"] == metric)
    cell["raw"], cell["value"], cell["confidence"] = raw, int(raw), 0.71
    return cell


def test_a_misread_digit_the_arithmetic_proves_is_corrected(
    truth: dict[str, dict[str, Any]],
) -> None:
    cells = _ocr_cells(truth)
    cell = _misread(cells, "t3_new_received__natural_person", "43")  # printed 48
    issues = check(cells, "v2021")
    corrected = [i for i in issues if i.code == OCR_CORRECTED]
    assert len(corrected) == 1
    assert "'43'" in corrected[0].message and "'48'" in corrected[0].message
    assert (cell["raw"], cell["value"]) == ("48", 48)
    assert not any(i.code == OCR_UNVERIFIED and "row 1, column 1 " in i.message for i in issues)


def test_misreads_the_arithmetic_cannot_resolve_stay_unverified(
    truth: dict[str, dict[str, Any]],
) -> None:
    cells = _ocr_cells(truth)
    first = _misread(cells, "t3_new_received__natural_person", "43")  # printed 48
    second = _misread(cells, "t3_new_received__org_commercial", "7")  # printed 1
    issues = check(cells, "v2021")
    assert not any(i.code == OCR_CORRECTED for i in issues)
    assert (first["value"], second["value"]) == (43, 7)  # never a silent guess
    unverified = next(i for i in issues if i.code == OCR_UNVERIFIED)
    assert "'43' (0.71)" in unverified.message and "'7' (0.71)" in unverified.message


def test_a_sum_printed_wrong_and_read_with_confidence_is_not_changed(
    truth: dict[str, dict[str, Any]],
) -> None:
    cells = _ocr_cells(truth)
    total = _misread(cells, "t3_new_received__total", "55")  # printed 54 = 48+1+0+1+2+2
    total["confidence"] = 0.999  # read clearly: the publisher's error, not the engine's
    issues = check(cells, "v2021")
    assert not any(i.code == OCR_CORRECTED for i in issues)
    assert total["value"] == 55
    assert "'55' (0.999)" in next(i for i in issues if i.code == OCR_UNVERIFIED).message


def test_text_cells_are_not_checked_as_ocr(truth: dict[str, dict[str, Any]]) -> None:
    assert check([dict(c) for c in truth.values()], "v2021") == []


def _font() -> str:
    for path in _FONTS:
        if Path(path).exists():
            return path
    pytest.skip("no CJK font to print a test image with (make browser installs one)")


def _png(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 160), "white")
    if text:
        ImageDraw.Draw(image).text(
            (30, 50), text, fill="black", font=ImageFont.truetype(_font(), 40)
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_an_image_without_a_table_is_quarantined_with_a_reason() -> None:
    record = extract_bytes(_png("今天阳光明媚，我们一起去公园散步。"), "photo.png")
    assert record["status"] == "quarantined"
    assert record["issues"][0]["code"] == "not_a_report"


def test_an_image_without_text_is_quarantined_empty() -> None:
    record = extract_bytes(_png(""), "blank.png")
    assert record["status"] == "quarantined"
    assert record["issues"][0]["code"] == "empty"
    assert "OCR found no text" in record["issues"][0]["message"]


def test_an_image_over_the_pixel_cap_is_too_large() -> None:
    from xxgk.core.exceptions import UnreadableDocument
    from xxgk.core.limits import Limits
    from xxgk.decode.dispatch import decode

    with pytest.raises(UnreadableDocument) as err:
        decode(_png(""), "huge.png", limits=Limits(max_image_pixels=1000))
    assert err.value.reason == "too_large"


def test_an_image_past_the_per_page_time_limit_is_left_unread_and_says_so() -> None:
    from xxgk.core.exceptions import UnreadableDocument
    from xxgk.core.limits import Limits
    from xxgk.decode.dispatch import decode

    with pytest.raises(UnreadableDocument) as err:
        decode(_png("二、主动公开政府信息情况"), "t.png", limits=Limits(ocr_page_timeout_s=1e-6))
    assert err.value.reason == "needs_ocr"
    assert "page 1 not read by OCR: past page 1's OCR time limit" in err.value.message


def test_a_landed_page_and_the_images_it_shows_load_as_one_report(
    table_images: dict[str, bytes], truth: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The pipeline's path (land → plan → worker → load): the raw store keeps the page and
    its pictures apart, the plan puts them back together."""
    import duckdb

    from tests.support.warehouse import land_and_load

    folder = tmp_path / "inbox" / "2021" / "report_files"
    folder.mkdir(parents=True)
    for name, data in table_images.items():
        if name != "report.html":
            (folder / name).write_bytes(data)
    (folder.parent / "report.html").write_bytes(
        table_images["report.html"].replace(b'src="table', b'src="report_files/table')
    )
    (folder.parent / "unrelated.png").write_bytes(_png("与本报告无关的图片"))
    land_and_load(tmp_path / "inbox", tmp_path / "data")
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        reports = dict(
            con.execute(
                "select source_path, status from raw.reports order by source_path"
            ).fetchall()
        )
        reasons = dict(
            con.execute(
                "select r.source_path, i.code from raw.reports r join raw.issues i "
                "using (report_sha256) where i.severity = 'error'"
            ).fetchall()
        )
        values = dict(
            con.execute(
                "select c.metric, c.value from raw.cells c join raw.reports r "
                "using (report_sha256) where r.source_path = '2021/report.html' "
                "and c.confidence is not null"
            ).fetchall()
        )
    assert reports["2021/report.html"] == "ok"
    shown = [f"2021/report_files/{n}" for n in table_images if n != "report.html"]
    assert all(reports[p] == "quarantined" and reasons[p] == "page_image" for p in shown)
    assert reasons.get("2021/unrelated.png") != "page_image"  # no page shows it
    exact = sum(values.get(m) == t["value"] for m, t in truth.items())
    assert exact >= 0.97 * len(truth), exact
