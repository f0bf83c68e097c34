"""The extraction benchmark script runs and reports what it measured (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_extract_speed_reports_every_measured_report(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "extract_speed.py"),
            "--n",
            "12",
            "--warm",
            "3",
            "--work",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    figures = json.loads(out)
    assert figures["corpus_reports"] == 12
    groups = figures["by_container_format"]
    assert sum(g["reports"] for g in groups.values()) == 12
    assert {key.split("/")[0] for key in groups} <= {"text", "html"}
    assert figures["corpus_reports_per_cpu_second"] > 0
