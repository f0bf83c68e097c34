"""Which landed images an HTML page shows: only files its ``<img src>`` names inside the
page's own folder (never a URL, an absolute path or a way out with ``..``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xxgk.extract.page_images import PAGE_IMAGES, PAGE_OF, link_page_images


def _row(tmp_path: Path, source_path: str, data: bytes = b"") -> dict[str, Any]:
    raw = tmp_path / "raw" / source_path.replace("/", "_")
    raw.parent.mkdir(exist_ok=True)
    raw.write_bytes(data)
    return {"source_path": source_path, "raw_path": str(raw), "report_sha256": source_path}


def test_a_page_takes_the_images_it_names_inside_its_folder(tmp_path: Path) -> None:
    page = (
        b"<p>x</p><img src=\"files/t1.png\"><IMG SRC='files/t%32.png'>"
        b'<img src="../other/t3.png"><img src="/abs/t4.png">'
        b'<img src="http://example.gov.cn/files/t1.png"><img src="files/missing.png">'
    )
    rows = [
        _row(tmp_path, "2021/a/report.html", page),
        _row(tmp_path, "2021/a/files/t1.png"),
        _row(tmp_path, "2021/a/files/t2.png"),
        _row(tmp_path, "2021/other/t3.png"),
        _row(tmp_path, "2021/a/files/alone.png"),
    ]
    linked = {r["source_path"]: r for r in link_page_images(rows)}
    assert linked["2021/a/report.html"][PAGE_IMAGES] == {
        "files/t1.png": rows[1]["raw_path"],
        "files/t%32.png": rows[2]["raw_path"],
    }
    assert linked["2021/a/files/t1.png"][PAGE_OF] == "2021/a/report.html"
    assert linked["2021/a/files/t2.png"][PAGE_OF] == "2021/a/report.html"
    assert PAGE_OF not in linked["2021/other/t3.png"]  # outside the page's folder
    assert PAGE_OF not in linked["2021/a/files/alone.png"]  # shown by no page: its own file


def test_a_landing_without_images_is_left_as_it_is(tmp_path: Path) -> None:
    rows = [_row(tmp_path, "2021/report.html", b'<img src="t1.png">')]
    assert link_page_images(rows) == rows
