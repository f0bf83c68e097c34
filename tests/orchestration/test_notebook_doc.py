"""docs/notebook.md as printed: each Python block runs (in one namespace, as cells of one
notebook) in a checkout-like folder holding the demo warehouse, and prints exactly the text
block that follows it."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

NOTEBOOK = REPO / "docs" / "notebook.md"
_PAIR = re.compile(r"```python\n(.*?)```\n\n(?:.*?\n\n)*?```text\n(.*?)```", re.DOTALL)


def _cells() -> list[tuple[str, str]]:
    return _PAIR.findall(NOTEBOOK.read_text(encoding="utf-8"))


def test_the_notebook_has_its_cells() -> None:
    assert len(_cells()) == NOTEBOOK.read_text(encoding="utf-8").count("```python") == 4


def test_every_cell_prints_what_the_doc_shows(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(demo_warehouse, tmp_path / "data" / "warehouse.duckdb")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for code, shown in _cells():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(NOTEBOOK), "exec"), namespace)  # noqa: S102
        assert out.getvalue() == shown, code
    assert not (tmp_path / "reports.csv").exists()
