"""The bundled demo reports (HTML, pipe text, cell-per-line) read back exactly."""

from __future__ import annotations

import json

import pytest

from tests.support.paths import REPO
from xxgk.extract import extract_file

SAMPLES = REPO / "samples"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))["reports"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_report_extracts_exactly(name: str) -> None:
    want = EXPECTED[name]
    rec = extract_file(SAMPLES / "inbox" / name)
    assert (rec["format"], rec["report_year"], rec["agency"], rec["published_on"]) == (
        want["format"],
        want["report_year"],
        want["agency"],
        want["published_on"],
    )
    got = {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}
    assert got == want["cells"]
    assert rec["status"] == "ok"
