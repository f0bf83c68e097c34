"""Page images → text boxes with a local OCR engine (RapidOCR: PP-OCR models in its wheel).

Used only where a document has no text: PDF pages without a text layer, image files landed
as reports, images standing for tables in HTML pages and DOCX files. The text path never
imports this module (its imports alone take ~1 s: onnxruntime, OpenCV).

Each page is deskewed by the slope of its text lines (a scan tilted by 1° moves a table's
right edge by a whole row), then its boxes are axis-aligned in the deskewed page, which is
what :mod:`xxgk.decode.ocr_grid` lays out into rows and cells. A ruled table's cell whose
figure the detector missed (a lone ``0`` beside a ruling in a JPEG) or the recogniser read
as a character (``门`` for ``0``) is read again from its ink alone. Cost is bounded by
``Limits.ocr_max_pages`` and ``Limits.ocr_page_timeout_s``; a page is rendered at
``RENDER_DPI``, where a 10.5 pt digit is ~29 px high (the recogniser reads 48 px lines).
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, TOO_LARGE

if TYPE_CHECKING:
    import numpy.typing as npt

    from xxgk.decode.ocr_grid import OcrPage
    from xxgk.decode.ocr_rulings import OcrBox

    Image = npt.NDArray[Any]

log = logging.getLogger(__name__)

RENDER_DPI: Final = 200
# larger images are scaled down to this side first (a 600 dpi scan): above an A4 page at
# RENDER_DPI (2339 px), so small digits are never scaled down before they are read
_MAX_SIDE: Final = 3600
# the detector enlarges an image whose shorter side is below this; its default (736) made a
# 1968×272 table screenshot 5328×736 for nothing: text that small is below 20 px tall anyway
_DET_MIN_SIDE: Final = 320
_MIN_SLANT: Final = 0.05  # degrees: below this a page is read as it is
_MAX_SLANT: Final = 5.0  # degrees: more is not a tilted scan (a stamp, a rotated caption)
_BOX_THRESHOLD: Final = 0.3


@dataclass
class OcrRun:
    """The pages of one document read by OCR, and what was left unread (with why)."""

    pages: list[OcrPage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_ENGINE: dict[int, Any] = {}  # pid → engine: a forked worker never uses its parent's


def _engine() -> Any:
    """The RapidOCR engine of this process, made on first use (~1 s: three ONNX models).

    Keyed by process id: onnxruntime's thread pool does not survive a fork, so the
    extraction worker makes its own even if its parent had one."""
    pid = os.getpid()
    engine = _ENGINE.get(pid)
    if engine is None:
        from rapidocr_onnxruntime import RapidOCR

        engine = RapidOCR(
            intra_op_num_threads=Limits.from_env().ocr_threads,
            inter_op_num_threads=1,
            use_cls=False,  # pages are upright: the 180° classifier only adds misreads
        )
        # a lone thin digit ('1' in a cell) scores below the default 0.5 as a text region;
        # a false region costs one recognition and reads as nothing
        engine.text_det.postprocess_op.box_thresh = _BOX_THRESHOLD
        engine.text_det.limit_side_len = _DET_MIN_SIDE
        _ENGINE.clear()
        _ENGINE[pid] = engine
    return engine


def _quad_slant(quad: Any) -> float | None:
    """The slope (degrees) of a long box's top edge; None for short boxes (too noisy)."""
    (x0, y0), (x1, y1) = quad[0], quad[1]
    width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(quad[3][0] - x0, quad[3][1] - y0)
    if width < 4 * max(height, 1.0):
        return None
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def _slant(quads: Any) -> float:
    slopes = sorted(s for q in quads if (s := _quad_slant(q)) is not None)
    if len(slopes) < 3:
        return 0.0
    median = slopes[len(slopes) // 2]
    return median if _MIN_SLANT <= abs(median) <= _MAX_SLANT else 0.0


def _turn(image: Image, slant: float) -> tuple[Image, Any]:
    """The image turned back by ``slant`` degrees, and the 2×3 matrix mapping its points."""
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), slant, 1.0)
    turned = cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255)
    )
    return turned, matrix


def _extent(quad: Any, matrix: Any) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for x, y in quad:
        if matrix is not None:
            x, y = (
                matrix[0][0] * x + matrix[0][1] * y + matrix[0][2],
                matrix[1][0] * x + matrix[1][1] * y + matrix[1][2],
            )
        xs.append(float(x))
        ys.append(float(y))
    return min(xs), min(ys), max(xs), max(ys)


# letters the recogniser reads for digits when a number stands alone in its cell
_DIGIT_LIKE: Final = re.compile(r"[0-9OoIl|]+(?:\.[0-9Oo]+)?")
_AS_DIGITS: Final = str.maketrans("OoIl|", "00111")


def _digits(text: str) -> str:
    """A box read as digits and look-alike letters ('O', 'l') is a number: a cell holding
    one letter O is a 0 in these tables (the arithmetic check still verifies it)."""
    return text.translate(_AS_DIGITS) if _DIGIT_LIKE.fullmatch(text) else text


class PageTimeout(Exception):
    """A page's OCR ran past ``Limits.ocr_page_timeout_s`` (checked between batches)."""


_REC_CHUNK: Final = 24  # boxes recognised between two looks at the page's deadline


def _read_crops(
    engine: Any, image: Image, boxes: list[OcrBox], deadline: float
) -> list[tuple[str, float]]:
    """Each box's crop of ``image`` read by the recogniser: (text, confidence), the text
    with a lone number's look-alike letters as digits."""
    h, w = image.shape[:2]
    crops = []
    for b in boxes:
        y0, y1 = max(0, int(b.y0)), min(h, int(math.ceil(b.y1)))
        x0, x1 = max(0, int(b.x0)), min(w, int(math.ceil(b.x1)))
        crops.append(image[y0:y1, x0:x1] if y1 > y0 and x1 > x0 else image[0:1, 0:1])
    out: list[tuple[str, float]] = []
    for start in range(0, len(crops), _REC_CHUNK):
        if time.monotonic() > deadline:
            raise PageTimeout
        found, _ = engine.text_rec(crops[start : start + _REC_CHUNK])
        out.extend((_digits(str(text).strip()), float(score)) for text, score in found)
    return out


def _recognise(engine: Any, image: Image, boxes: list[OcrBox], deadline: float) -> list[OcrBox]:
    from xxgk.decode.ocr_rulings import OcrBox

    return [
        OcrBox(text, score, b.x0, b.y0, b.x1, b.y1)
        for b, (text, score) in zip(boxes, _read_crops(engine, image, boxes, deadline), strict=True)
        if text
    ]


_AGAIN_SCALE: Final = 2  # a cell read again is enlarged first (its strokes resampled smooth)


def _variants(grey: Image) -> list[Image]:
    """A cell's crop prepared three ways for a second reading: enlarged; enlarged and
    binarised (Otsu: a JPEG's grey halo and a photocopy's background gone); enlarged,
    binarised and its strokes thickened by a pixel (a faint thin digit)."""
    import cv2
    import numpy as np

    pad = max(4, grey.shape[0] // 4)
    framed = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    big = cv2.resize(framed, None, fx=_AGAIN_SCALE, fy=_AGAIN_SCALE, interpolation=cv2.INTER_CUBIC)
    _, binary = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bold = cv2.erode(binary, np.ones((2, 2), np.uint8))
    return [cv2.cvtColor(v, cv2.COLOR_GRAY2RGB) for v in (big, binary, bold)]


def read_again(images: list[Image]) -> list[list[tuple[str, float]]]:
    """Cells' crops (``OcrCell.image``) read again, each prepared several ways
    (:func:`_variants`): for each crop, every distinct text read, with its best confidence.
    For the cells a table's arithmetic rejects: a handful, never a page."""
    engine = _engine()
    out: list[list[tuple[str, float]]] = []
    for grey in images:
        if grey is None or grey.size == 0 or min(grey.shape[:2]) < 4:
            out.append([])
            continue
        found, _ = engine.text_rec(_variants(grey))
        best: dict[str, float] = {}
        for text, score in found:
            text = _digits(str(text).strip())
            if text:
                best[text] = max(best.get(text, 0.0), float(score))
        out.append(sorted(best.items(), key=lambda item: -item[1]))
    return out


def read_image(rgb: Image, page_no: int, dpi: int, timeout_s: float) -> OcrPage:
    """OCR one page image (RGB, uint8) within ``timeout_s``.

    The detector runs on the page with its table rulings erased (a ruling beside a digit
    hides the digit or is read as ``|``); the page is deskewed by its text lines' slope;
    a detected line crossing a column ruling is cut there; each piece is recognised.

    Raises:
        PageTimeout: the page took longer than ``timeout_s``.
    """
    import cv2

    from xxgk.decode.ocr_grid import OcrPage
    from xxgk.decode.ocr_reread import doubtful_cells, settle_doubts, split_boxes
    from xxgk.decode.ocr_rulings import OcrBox, erase_rulings, find_grids

    started = time.monotonic()
    engine = _engine()
    if max(rgb.shape[:2]) > _MAX_SIDE:
        scale = _MAX_SIDE / max(rgb.shape[:2])
        size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
        rgb, dpi = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), round(dpi * scale)
    # text touching the image's edge (a screenshot cropped to its table) is missed by the
    # detector or cut too tight for the recogniser: read it inside a white margin
    margin = max(8, dpi // 5)
    rgb = cv2.copyMakeBorder(
        rgb, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(255, 255, 255)
    )
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    clean = cv2.cvtColor(erase_rulings(grey, dpi), cv2.COLOR_GRAY2RGB)
    quads, _ = engine.text_det(clean)
    if time.monotonic() > started + timeout_s:  # the detector alone took the page's time
        raise PageTimeout
    quads = [] if quads is None else list(quads)
    slant, matrix = _slant(quads), None
    if slant:
        grey, matrix = _turn(grey, slant)
        clean, _ = _turn(clean, slant)
    found = [OcrBox("", 0.0, *_extent(q, matrix)) for q in quads]
    grids = find_grids(grey, dpi)
    clean_grey = cv2.cvtColor(clean, cv2.COLOR_RGB2GRAY)
    pieces = split_boxes(found, grids, clean_grey)
    boxes = _recognise(engine, clean, pieces, started + timeout_s)
    # a table cell whose figure the detector missed or the recogniser misread: its ink alone
    doubts = doubtful_cells(grids, boxes, clean_grey, dpi)
    if doubts:
        readings = _read_crops(engine, clean, [d.ink for d in doubts], started + timeout_s)
        boxes = settle_doubts(boxes, doubts, readings)
    boxes.sort(key=lambda b: (b.cy, b.x0))
    seconds = time.monotonic() - started
    log.info("OCR page %d: %d boxes in %.1f s (slant %.2f°)", page_no, len(boxes), seconds, slant)
    return OcrPage(
        page_no, boxes, grids, float(grey.shape[0]), dpi, slant, seconds, margin, clean_grey
    )


def _check_pixels(width: int, height: int, limits: Limits, what: str) -> None:
    if width * height > limits.max_image_pixels:
        raise UnreadableDocument(
            TOO_LARGE,
            f"{what} of {width}×{height} pixels; the cap is {limits.max_image_pixels}",
        )


def image_frames(data: bytes, limits: Limits) -> Iterator[tuple[Image, int]]:
    """The frames of an image file (a TIFF or GIF may hold several) as RGB arrays with the
    resolution they were scanned at (``RENDER_DPI`` when the file does not say).

    Raises:
        UnreadableDocument: ``decode_failed`` (not an image Pillow reads), ``too_large``.
    """
    import numpy as np
    from PIL import Image as PilImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        image = PilImage.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocument(DECODE_FAILED, f"unreadable image: {exc}") from exc
    _check_pixels(*image.size, limits, "an image")
    dpi = image.info.get("dpi", (RENDER_DPI, RENDER_DPI))[0] or RENDER_DPI
    for frame in ImageSequence.Iterator(image):
        _check_pixels(*frame.size, limits, "an image frame")
        try:
            yield np.asarray(frame.convert("RGB")), int(dpi)
        except (OSError, ValueError) as exc:
            raise UnreadableDocument(DECODE_FAILED, f"unreadable image: {exc}") from exc


def render_pdf_page(pdf: Any, page_no: int, limits: Limits) -> Image:
    """Page ``page_no`` (1-based) of an open pypdfium2 document as an RGB array at
    ``RENDER_DPI``.

    Raises:
        UnreadableDocument: ``too_large`` (a page too big to render at that resolution).
    """
    import numpy as np

    page = pdf[page_no - 1]
    try:
        scale = RENDER_DPI / 72
        width, height = page.get_size()
        _check_pixels(int(width * scale), int(height * scale), limits, f"page {page_no}")
        bitmap = page.render(scale=scale)
        return np.asarray(bitmap.to_pil().convert("RGB"))
    finally:
        page.close()


class OcrBudget:
    """Bounds one document's OCR: at most ``ocr_max_pages`` pages, and none after a page
    that ran past ``ocr_page_timeout_s`` (the rest would too: same scan, same density);
    what is skipped is said in the document's notes."""

    def __init__(self, limits: Limits, run: OcrRun) -> None:
        self.limits = limits
        self.run = run
        self.stopped = ""

    def allows(self, page_no: int) -> bool:
        if not self.stopped and len(self.run.pages) >= self.limits.ocr_max_pages:
            self.stopped = f"the OCR page cap ({self.limits.ocr_max_pages}, XXGK_OCR_MAX_PAGES)"
        if self.stopped:
            self.run.notes.append(f"page {page_no} not read by OCR: past {self.stopped}")
            return False
        return True

    def add(self, page: OcrPage) -> None:
        self.run.pages.append(page)

    def timed_out(self, page_no: int) -> None:
        """Page ``page_no`` ran past the per-page time limit: it and the rest stay unread
        (the rest of a scan is as dense as this page)."""
        self.stopped = (
            f"page {page_no}'s OCR time limit ({self.limits.ocr_page_timeout_s:.0f} s, "
            "XXGK_OCR_PAGE_TIMEOUT_S)"
        )
        self.run.notes.append(f"page {page_no} not read by OCR: past {self.stopped}")
