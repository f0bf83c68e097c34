"""The hostile-server benchmark script runs on tiny inputs and reports every case with its
outcome (its time and memory figures are printed, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.paths import REPO


@pytest.mark.timeout(240)
def test_the_hostile_http_bench_reports_each_case_with_its_outcome() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "bench" / "hostile_http.py"), "--tiny", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    ).stdout
    cases = json.loads(out)["cases"]
    for client in ("crawler", "url_landing"):
        for drip in ("drip-headers", "drip-body"):
            assert cases[f"{client}/{drip}"]["reason"] == "fetch_timeout"
            assert cases[f"{client}/{drip}"]["attempts"] == 1
        assert cases[f"{client}/flood"]["reason"] == "too_large"
    assert cases["crawl/pager_bomb"]["page_cap_reached"] is True
    assert cases["crawl/pager_bomb"]["pages"] == 10
    assert cases["crawl/unclosed_pager"]["pages"] == 1
    assert cases["script_pages/pager_bomb"]["urls"] == 10
    assert cases["script_pages/unclosed"]["urls"] == 0
    assert cases["parse_page/nested_50000_bytes"]["links"] == 1
    assert cases["plan_batches/20000_bytes"]["images_linked"] == 1
    assert cases["xxgk_extract/shared_stream_pdf"]["reason"] == "too_slow"
    assert all(c["seconds"] >= 0 and c["peak_mb"] >= 0 for c in cases.values())
