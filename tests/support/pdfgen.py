"""A tiny PDF writer for tests: text lines, ruled tables, images, RC4 encryption.

No PDF library on this machine writes PDFs offline (reportlab and fpdf2 are not installed),
so the tests build their own. Text uses a Type0 font with Identity-H encoding (a character's
code is its Unicode code point) and a ToUnicode CMap, so readers recover the text exactly;
the font is not embedded (a viewer substitutes one). Tables are drawn as one rectangle per
cell, which is what pdfplumber's ``lines`` strategy looks for.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 595.0, 842.0
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


@dataclass
class Text:
    text: str
    size: float = 10.0


@dataclass
class Span:
    """A merged table cell."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[str | Span]]
    size: float = 9.0


@dataclass
class Image:
    width: float = 400.0
    height: float = 500.0


Block = Text | Table | Image


@dataclass
class _Page:
    ops: list[str] = field(default_factory=list)
    images: int = 0


def _hex(text: str) -> str:
    return "<" + "".join(f"{min(ord(c), 0xFFFD):04X}" for c in text) + ">"


def _text_op(x: float, y: float, size: float, text: str) -> str:
    return f"BT /F1 {size:.1f} Tf {x:.1f} {y:.1f} Td {_hex(text)} Tj ET"


Slot = tuple[tuple[int, int], Span] | None


def span_grid(rows: list[list[str | Span]]) -> list[list[Slot]]:
    """Grid positions of the cells: each slot names its cell's origin and the cell."""
    grid: list[list[Slot]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for item in row:
            span = item if isinstance(item, Span) else Span(item)
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(span.rowspan):
                if r + dr >= len(grid):
                    break
                line = grid[r + dr]
                while len(line) < c + span.colspan:
                    line.append(None)
                for dc in range(span.colspan):
                    line[c + dc] = ((r, c), span)
            c += span.colspan
    return grid


def _slot_edges(
    grid: list[list[Slot]], r: int, c: int, origin: tuple[int, int], page_top: bool
) -> list[tuple[float, float, float, float]]:
    """Edges (in slot units) of one grid slot that are not interior to its merged cell."""

    def same(rr: int, cc: int) -> bool:
        if rr < 0 or rr >= len(grid) or cc < 0 or cc >= len(grid[rr]):
            return False
        slot = grid[rr][cc]
        return slot is not None and slot[0] == origin

    edges = []
    if not same(r - 1, c) or page_top:
        edges.append((0.0, 0.0, 1.0, 0.0))
    if not same(r + 1, c):
        edges.append((0.0, 1.0, 1.0, 1.0))
    if not same(r, c - 1):
        edges.append((0.0, 0.0, 0.0, 1.0))
    if not same(r, c + 1):
        edges.append((1.0, 0.0, 1.0, 1.0))
    return edges


class _Layout:
    """Flows blocks onto pages top to bottom; tables continue on the next page."""

    def __init__(self, margin: float, page_w: float, page_h: float) -> None:
        self.margin, self.w, self.h = margin, page_w, page_h
        self.pages: list[_Page] = [_Page()]
        self.y = page_h - margin

    def _room(self, need: float) -> None:
        if self.y - need < self.margin:
            self.pages.append(_Page())
            self.y = self.h - self.margin

    def text(self, block: Text) -> None:
        self._room(block.size * 1.6)
        self.y -= block.size * 1.4
        self.pages[-1].ops.append(_text_op(self.margin, self.y, block.size, block.text))
        self.y -= block.size * 0.2

    def table(self, block: Table) -> None:
        grid = span_grid(block.rows)
        ncols = max((len(r) for r in grid), default=1)
        width = (self.w - 2 * self.margin) / ncols
        row_h = block.size * 2.0
        for r, row in enumerate(grid):
            self._room(row_h)
            ops, top = self.pages[-1].ops, self.y
            for c, slot in enumerate(row):
                if slot is None:
                    continue
                origin, span = slot
                x = self.margin + c * width
                edges = _slot_edges(grid, r, c, origin, top == self.h - self.margin)
                for x0, y0, x1, y1 in edges:
                    ops.append(
                        f"{x + x0 * width:.1f} {top - y0 * row_h:.1f} m "
                        f"{x + x1 * width:.1f} {top - y1 * row_h:.1f} l S"
                    )
                if (r, c) == origin and span.text:
                    ops.append(
                        _text_op(x + 2, top - row_h + block.size * 0.6, block.size, span.text)
                    )
            self.y -= row_h
        self.y -= 6

    def image(self, block: Image) -> None:
        self._room(block.height)
        self.y -= block.height
        page = self.pages[-1]
        page.images += 1
        page.ops.append(
            f"q {block.width:.1f} 0 0 {block.height:.1f} {self.margin:.1f} "
            f"{self.y:.1f} cm /Im1 Do Q"
        )


def _tounicode() -> bytes:
    ranges = [
        f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF
    ]
    body = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /XXGK-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for i in range(0, len(ranges), 100):
        chunk = ranges[i : i + 100]
        body += [f"{len(chunk)} beginbfrange", *chunk, "endbfrange"]
    body += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(body).encode("ascii")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


@dataclass
class _Crypt:
    """Standard security handler, revision 2 (40-bit RC4)."""

    user: str
    owner: str
    file_id: bytes = b"xxgk-test-pdf-id"
    permissions: int = -44

    def __post_init__(self) -> None:
        def pad(password: str) -> bytes:
            return (password.encode("latin-1") + _PAD)[:32]

        self.o = _rc4(hashlib.md5(pad(self.owner)).digest()[:5], pad(self.user))
        p = self.permissions.to_bytes(4, "little", signed=True)
        self.key = hashlib.md5(pad(self.user) + self.o + p + self.file_id).digest()[:5]
        self.u = _rc4(self.key, _PAD)

    def stream(self, num: int, data: bytes) -> bytes:
        obj_key = hashlib.md5(self.key + num.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return _rc4(obj_key, data)

    def dictionary(self) -> bytes:
        return (
            f"<< /Filter /Standard /V 1 /R 2 /O <{self.o.hex()}> /U <{self.u.hex()}> "
            f"/P {self.permissions} >>"
        ).encode("ascii")


class _Writer:
    def __init__(self, crypt: _Crypt | None, compress: bool) -> None:
        self.objects: list[bytes] = []
        self.crypt, self.compress = crypt, compress

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"null")

    def set(self, num: int, body: bytes) -> None:
        self.objects[num - 1] = body

    def stream(self, data: bytes, extra: str = "", num: int | None = None) -> int:
        num = num or self.reserve()
        if self.compress:
            data, extra = zlib.compress(data), extra + " /Filter /FlateDecode"
        if self.crypt is not None:
            data = self.crypt.stream(num, data)
        head = f"<< /Length {len(data)}{extra} >>\nstream\n".encode("ascii")
        self.set(num, head + data + b"\nendstream")
        return num

    def build(self, root: int, encrypt: int | None, file_id: bytes) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{num} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode("ascii")
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode("ascii")
        enc = f" /Encrypt {encrypt} 0 R" if encrypt else ""
        out += (
            f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R{enc} "
            f"/ID [<{file_id.hex()}> <{file_id.hex()}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n"
        ).encode("ascii")
        return bytes(out)


def _font(w: _Writer) -> int:
    cmap = w.stream(_tounicode())
    desc = w.add(
        b"<< /Type /FontDescriptor /FontName /XXGKSans /Flags 4 "
        b"/FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 "
        b"/CapHeight 700 /StemV 80 >>"
    )
    cid = w.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XXGKSans "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {desc} 0 R /DW 1000 /W [32 126 500] "
        f"/CIDToGIDMap /Identity >>".encode("ascii")
    )
    return w.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /XXGKSans /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] /ToUnicode {cmap} 0 R >>".encode("ascii")
    )


def make_pdf(
    blocks: list[Block],
    *,
    user_password: str | None = None,
    owner_password: str = "owner",
    compress: bool = True,
    page_size: tuple[float, float] = (PAGE_W, PAGE_H),
    margin: float = 40.0,
    page_numbers: bool = False,
) -> bytes:
    """A PDF of ``blocks`` laid out top to bottom; encrypted when a user password is given
    (``""`` = encrypted, but opens without a password)."""
    layout = _Layout(margin, *page_size)
    for block in blocks:
        if isinstance(block, Text):
            layout.text(block)
        elif isinstance(block, Table):
            layout.table(block)
        else:
            layout.image(block)
    if page_numbers:
        for n, page in enumerate(layout.pages, start=1):
            page.ops.append(_text_op(page_size[0] / 2, 20, 9, f"- {n} -"))
    crypt = None if user_password is None else _Crypt(user_password, owner_password)
    w = _Writer(crypt, compress)
    catalog, pages = w.reserve(), w.reserve()
    font = _font(w)
    image = w.stream(
        bytes(range(0, 256, 4)) * 64,
        " /Type /XObject /Subtype /Image /Width 64 /Height 64 "
        "/ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    kids = []
    for page in layout.pages:
        content = w.stream("\n".join(page.ops).encode("ascii"))
        kids.append(
            w.add(
                f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {page_size[0]:.0f} "
                f"{page_size[1]:.0f}] /Resources << /Font << /F1 {font} 0 R >> "
                f"/XObject << /Im1 {image} 0 R >> >> /Contents {content} 0 R >>".encode("ascii")
            )
        )
    w.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>".encode("ascii"))
    w.set(
        pages,
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
        f"/Count {len(kids)} >>".encode("ascii"),
    )
    encrypt = w.add(crypt.dictionary()) if crypt is not None else None
    file_id = crypt.file_id if crypt is not None else b"xxgk-test-pdf-id"
    return w.build(catalog, encrypt, file_id)


def table_cells(line: str) -> list[str] | None:
    """The cells of a pipe row with at least two cells (``a | b |``), else None."""
    stripped = line.strip()
    cells = [c.strip() for c in stripped.split("|")[:-1]]
    if not stripped.endswith("|") or len(cells) < 2 or not any(cells):
        return None
    return cells


def lines_to_blocks(lines: list[str]) -> list[Block]:
    """A text report as PDF blocks: runs of pipe rows become ruled tables; every other
    line (one-cell-per-line copies included) is printed as it is."""
    blocks: list[Block] = []
    run: list[list[str]] = []
    for line in lines + [""]:
        cells = table_cells(line)
        if cells is not None:
            run.append(cells)
            continue
        if run:
            blocks.append(Table(run))
            run = []
        if line.strip():
            blocks.append(Text(line))
    return blocks
