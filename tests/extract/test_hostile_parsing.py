"""Untrusted bytes parsed outside the extraction worker stay bounded, and ``xxgk extract``
runs each file under the load's per-file limits: a page of unterminated ``<img `` tags is
planned with its picture, a PDF that takes hours to parse is quarantined ``too_slow`` with
its reason while the other files of the command are read. Outcomes only (times are in
``bench/hostile_http.py``); the timeout mark turns a regression's hang into a failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.hostile_pdf import shared_stream_pdf
from tests.support.hostile_site import img_flood
from tests.support.paths import SAMPLES_INBOX
from xxgk.core.digest import sha256_file
from xxgk.extract.batches import plan_batches
from xxgk.extract.page_images import PAGE_IMAGES, PAGE_OF
from xxgk.extract.siblings import img_srcs
from xxgk.orchestration.cli import main

pytestmark = pytest.mark.timeout(120)
SAMPLE = sorted(SAMPLES_INBOX.rglob("*.html"))[0]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _landed(raw: Path, source_path: str, data: bytes) -> dict[str, str]:
    path = raw / source_path.replace("/", "_")
    path.write_bytes(data)
    return {"source_path": source_path, "raw_path": str(path), "report_sha256": source_path}


def test_unterminated_img_tags_are_scanned_once_and_the_real_one_found(tmp_path: Path) -> None:
    page = img_flood(400_000)  # 80,000 "<img " with no '>' before the one real tag
    assert list(img_srcs(page)) == ["t.png"]
    assert list(img_srcs(b"<img " * 80_000)) == []
    landed = [
        _landed(tmp_path, "2021/a/report.html", page),
        _landed(tmp_path, "2021/a/t.png", PNG),
    ]
    [batch] = plan_batches(landed, 10)
    by_path = {item["source_path"]: item for item in batch}
    assert by_path["2021/a/report.html"][PAGE_IMAGES] == {"t.png": landed[1]["raw_path"]}
    assert by_path["2021/a/t.png"][PAGE_OF] == "2021/a/report.html"


def test_a_page_over_the_text_cap_is_not_read_when_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_MAX_TEXT_BYTES", "1000")
    landed = [
        _landed(tmp_path, "a/report.html", img_flood(5_000)),
        _landed(tmp_path, "a/t.png", PNG),
    ]
    [batch] = plan_batches(landed, 10)
    assert all(PAGE_IMAGES not in item and PAGE_OF not in item for item in batch)


def test_xxgk_extract_stops_a_never_ending_pdf_at_the_time_cap_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_EXTRACT_TIMEOUT_S", "3")
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(shared_stream_pdf())  # 300 pages drawing one 5 MB stream: hours
    result = CliRunner().invoke(main, ["extract", str(slow), str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert (first["source"], first["status"]) == (str(slow), "quarantined")
    assert first["sha256"] == sha256_file(slow)
    [issue] = first["issues"]
    assert issue["code"] == "too_slow" and "XXGK_EXTRACT_TIMEOUT_S" in issue["message"]
    assert (second["source"], second["status"]) == (str(SAMPLE), "ok")
    assert second["cells"]


def test_xxgk_extract_names_the_reason_of_a_quarantined_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_EXTRACT_TIMEOUT_S", "2")
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(shared_stream_pdf())
    result = CliRunner().invoke(main, ["extract", str(slow)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{slow}: quarantined") and "(too_slow)" in result.output
