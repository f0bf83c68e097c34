"""Accuracy on the real reports with hand-read truth, measured by the shared scorer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SHARED, require_shared


def test_real_reports_scored_by_shared_scorer(real_dir: Path) -> None:
    scorer = require_shared(SHARED / "tools" / "score_extract.py")
    xxgk = Path(sys.executable).with_name("xxgk")
    out = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--truth",
            str(real_dir),
            "--cmd",
            f"{xxgk} extract {{files}} --json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=300,
    ).stdout
    final = out.strip().splitlines()[-1]
    m = re.match(r"cells (\d+)/(\d+) .*format (\d+)/(\d+) · year (\d+)/(\d+)", final)
    assert m, final
    cells_ok, cells, fmt_ok, fmts, year_ok, years = map(int, m.groups())
    assert cells_ok / cells >= 0.99, out
    assert fmt_ok == fmts, out
    assert year_ok == years, out
