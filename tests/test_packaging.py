"""The wheel a user installs carries the package's data and its type marker."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import REPO

UV = shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")


def test_the_wheel_ships_py_typed_and_the_dictionary_data(tmp_path: Path) -> None:
    if not Path(UV).exists():
        pytest.skip("uv is not installed (make setup installs it under .tools/)")
    built = subprocess.run(
        [UV, "build", "--wheel", "--out-dir", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("xxgk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # mypy --strict users of `import xxgk` get our annotations only with the PEP 561 marker
    assert "xxgk/py.typed" in names
    for data in ("data/metrics.yaml", "data/report_rules.yaml", "data/regions.csv"):
        assert f"xxgk/{data}" in names, data
    assert not any(name.startswith(("tests/", "xxgk/tests/")) for name in names)
