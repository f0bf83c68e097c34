"""The stage packages import only the stages before them (see ``xxgk/__init__.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.support.layers import violations

PACKAGE = REPO / "plugins" / "xxgk"


def test_the_package_keeps_its_layers() -> None:
    assert violations(PACKAGE) == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "xxgk" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "xxgk"


def test_a_lower_stage_importing_a_higher_one_is_reported(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "extract/tables.py": "from xxgk.core.text import simplify\n",
            "decode/pdf.py": "def f():\n    from xxgk.extract import tables\n",
            "core/text.py": "import xxgk.orchestration.cli\n",
            "land/fetch.py": "from xxgk import publish\n",
        },
    )
    assert violations(package) == [
        "core/text.py:1: core imports orchestration (xxgk.orchestration.cli)",
        "decode/pdf.py:2: decode imports extract (xxgk.extract)",
        "land/fetch.py:1: land imports publish (xxgk.publish)",
    ]


def test_the_warehouse_stages_never_import_the_document_stages(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "quality/validate.py": "from xxgk.extract.record import EXTRACTOR_VERSION\n",
            "publish/site.py": "def f():\n    import xxgk.decode.pdf\n",
            "transform/seeds.py": "from xxgk import land\nfrom xxgk.load import raw\n",
            "load/raw.py": "from xxgk.extract import batches\n",
            "orchestration/pipeline.py": "from xxgk.land import inbox\n",
        },
    )
    assert violations(package) == [
        "publish/site.py:2: publish imports decode (xxgk.decode.pdf)",
        "quality/validate.py:1: quality imports extract (xxgk.extract.record)",
        "transform/seeds.py:1: transform imports land (xxgk.land)",
    ]


def test_loose_modules_and_synthetic_imports_are_reported(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "helpers.py": "",
            "misc/x.py": "",
            "load/raw.py": "from xxgk.synthetic.corpus import CorpusSpec\n",
            "synthetic/corpus.py": "from xxgk.extract import extract_bytes\n",
        },
    )
    assert violations(package) == [
        "helpers.py: a loose module outside the stage packages",
        "load/raw.py:1: load imports synthetic (xxgk.synthetic.corpus)",
        "misc/x.py: 'misc' is not a stage package of the contract",
        "synthetic/corpus.py:1: synthetic imports extract (xxgk.extract)",
    ]
