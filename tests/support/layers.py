"""The package's layer contract: a stage package imports only the stages before it.

Read from the source with ``ast`` (function-level imports count too), so the check needs no
imports of the package and runs in well under a second.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Final

LAYERS: Final = (
    "core",
    "dictionary",
    "land",
    "decode",
    "extract",
    "load",
    "transform",
    "quality",
    "publish",
    "orchestration",
)
"""Flow order: each package may import itself and the packages before it."""

SIDE: Final = {"synthetic": ("core", "dictionary")}
"""Packages beside the flow: what they may import; no flow package imports them."""

DOCUMENT_STAGES: Final = ("land", "decode", "extract")
FORBIDDEN: Final = {stage: DOCUMENT_STAGES for stage in ("transform", "quality", "publish")}
"""Pairs the flow order allows but the design does not: the stages after the load read the
warehouse, never the documents, so they import none of the stages that handle them."""


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "xxgk":  # from xxgk import core, …
                for alias in node.names:
                    yield node.lineno, f"xxgk.{alias.name}"
            else:
                yield node.lineno, node.module


def _allowed(importer: str) -> set[str]:
    if importer in SIDE:
        return {importer, *SIDE[importer]}
    return set(LAYERS[: LAYERS.index(importer) + 1]) - set(FORBIDDEN.get(importer, ()))


def violations(package: Path) -> list[str]:
    """``file:line: a imports b`` for every import against the contract, and every module
    that lives directly in the package or in a package the contract does not know."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if len(rel.parts) == 1:
            if rel.name != "__init__.py":
                found.append(f"{rel}: a loose module outside the stage packages")
            continue
        stage = rel.parts[0]
        if stage not in LAYERS and stage not in SIDE:
            found.append(f"{rel}: {stage!r} is not a stage package of the contract")
            continue
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] != "xxgk" or len(parts) < 2:
                continue
            if parts[1] not in _allowed(stage):
                found.append(f"{rel}:{line}: {stage} imports {parts[1]} ({name})")
    return found
