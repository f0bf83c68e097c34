"""Every file's extraction runs under a wall-time and a memory cap: a PDF whose pages all
draw one big content stream (2 KB on disk, hours of parsing) ends ``too_slow``, a Flate bomb
behind /ASCIIHexDecode ends ``too_large``, and the valid reports of the same batch load."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.hostile_pdf import hex_wrapped_bomb, shared_stream_pdf
from tests.support.paths import SAMPLES_INBOX
from xxgk.core.limits import Limits
from xxgk.extract.batches import extract_batch
from xxgk.extract.worker import ExtractionGuard

SAMPLES = sorted(SAMPLES_INBOX.rglob("*.*"))


@pytest.fixture()
def batch(tmp_path: Path) -> list[dict[str, str]]:
    (tmp_path / "slow.pdf").write_bytes(shared_stream_pdf())
    (tmp_path / "bomb.pdf").write_bytes(hex_wrapped_bomb(300))
    files = [tmp_path / "slow.pdf", *SAMPLES[:2], tmp_path / "bomb.pdf", *SAMPLES[2:4]]
    return [
        {"raw_path": str(p), "source_path": p.name, "report_sha256": f"{i:064x}"}
        for i, p in enumerate(files)
    ]


def test_a_never_ending_pdf_is_too_slow_and_the_batch_goes_on(
    batch: list[dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XXGK_EXTRACT_TIMEOUT_S", "20")  # the bomb is refused well before
    result = extract_batch(batch, tmp_path / "out")
    reports = pq.read_table(result["paths"]["reports"]).to_pylist()
    issues = pq.read_table(result["paths"]["issues"]).to_pylist()
    status = {r["source_path"]: r["status"] for r in reports}
    reason = {
        r["source_path"]: i["code"]
        for r in reports
        for i in issues
        if i["report_sha256"] == r["report_sha256"] and i["severity"] == "error"
    }
    assert reason["slow.pdf"] == "too_slow" and reason["bomb.pdf"] == "too_large"
    assert [status[p.name] for p in SAMPLES[:4]] == ["ok"] * 4


def test_the_worker_is_replaced_after_a_kill(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(shared_stream_pdf())
    with ExtractionGuard(Limits(extract_timeout_s=5)) as guard:
        first = guard.extract(slow, "slow.pdf")
        after = guard.extract(SAMPLES[0], SAMPLES[0].name)
    assert first["status"] == "quarantined" and first["issues"][0]["code"] == "too_slow"
    assert "XXGK_EXTRACT_TIMEOUT_S" in first["issues"][0]["message"]
    assert after["status"] == "ok"


def test_a_worker_over_the_memory_cap_is_stopped(tmp_path: Path) -> None:
    # the cap is set below what any worker needs, which shows the watchdog's outcome on a
    # file that keeps the worker busy (the bomb above is caught earlier, by the decoder)
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(shared_stream_pdf())
    with ExtractionGuard(Limits(max_extract_memory=1 << 20)) as guard:
        record = guard.extract(slow, "slow.pdf")
    assert record["status"] == "quarantined" and record["issues"][0]["code"] == "too_large"
    assert "XXGK_MAX_EXTRACT_MEMORY" in record["issues"][0]["message"]
