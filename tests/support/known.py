"""Reports whose table cells are known, as ``KnownReport``s: the bundled samples, and the
hand-read dev truth of ../shared/eval/real and eval/hard (mapped to metric codes by the
shared scorer with the project's dictionary; none when ../shared is not beside the checkout).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from xxgk.dictionary.metrics import metrics
from xxgk.synthetic.grids import KnownReport, known_from_values

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV_SETS = (SHARED / "eval" / "real", SHARED / "eval" / "hard")
METRICS = REPO / "plugins" / "xxgk" / "data" / "metrics.yaml"


def samples() -> Iterator[KnownReport]:
    """The bundled sample reports with tables (samples/expected.json), named
    ``sample:<inbox path>``."""
    expected = json.loads((REPO / "samples" / "expected.json").read_text(encoding="utf-8"))
    for name, want in sorted(expected["reports"].items()):
        if want["format"] != "narrative":
            yield known_from_values(
                f"sample:{name}", want["format"], want["report_year"], want["cells"]
            )


def scorer() -> ModuleType | None:
    """../shared/tools/score_extract.py as a module; None without ../shared."""
    path = SHARED / "tools" / "score_extract.py"
    spec = importlib.util.spec_from_file_location("score_extract", path)
    if not path.exists() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def dev_truth() -> Iterator[KnownReport]:
    """The dev truth, named ``<set>/<stem>``: every hand-read cell of the table formats,
    including those the reader misses on the copy as published. Reports with a provincial
    table variant (历年累计) are left out (the layouts print national forms), and so are
    amounts the truth keeps in 元 (they would print as 万元)."""
    score = scorer()
    if score is None:
        return
    variant_codes = {m.code for ms in metrics().values() for m in ms if m.table_variant}
    for root in DEV_SETS:
        for doc in score.load_truth(root, str(METRICS)):
            fmt = doc.expected_format
            if fmt not in ("old", "v2019", "v2021"):
                continue
            if any(code in variant_codes for code in doc.mapped):
                continue
            values = {
                code: value
                for code, (_key, value) in doc.mapped.items()
                if not (doc.yuan_notes and isinstance(value, float))
            }
            yield known_from_values(
                f"{root.name}/{doc.stem}", fmt, int(doc.data.get("year") or 2020), values
            )
