"""Great Expectations' Data Docs linked to the reviewer's pages: each failed rule listed in a
validation page names its report (``file · agency year [report key] rule: message``), and
the report key becomes a link to that report on its agency's page, where its numbers, the
rule's evidence and the file itself are.

GX renders the unexpected values as text (``validate._with_findings`` builds them, escaped),
so the links are put in afterwards, in the written pages: only a bracketed 12-hex prefix of
a current report's key that has a page is linked, and a page is rewritten only when that
changes it (linking twice changes nothing: a linked key is no longer bracketed text).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from xxgk.quality.validate import FINDING_KEY_CHARS

logger = logging.getLogger(__name__)

KEY_PREFIX: Final = FINDING_KEY_CHARS
_BRACKETED_KEY: Final = re.compile(rf"\[([0-9a-f]{{{KEY_PREFIX}}})\]")


def link_findings(gx_docs: Path, report_pages: Mapping[str, Path]) -> int:
    """Link the reports named in the validation pages under ``gx_docs`` to their sections.

    Args:
        gx_docs: the Data Docs site (``DataDir.gx_docs``).
        report_pages: report key → the agency page holding its ``#r-<key>`` section.

    Returns:
        The number of pages rewritten.
    """
    by_prefix: dict[str, str | None] = {}
    for key in report_pages:
        prefix = key[:KEY_PREFIX]
        by_prefix[prefix] = None if prefix in by_prefix else key  # two keys: link neither
    changed = 0
    for page in sorted((gx_docs / "validations").rglob("*.html")):
        html = page.read_text(encoding="utf-8")

        def link(found: re.Match[str], page: Path = page) -> str:
            key = by_prefix.get(found[1])
            if key is None:
                return found[0]
            href = Path(os.path.relpath(report_pages[key], page.parent)).as_posix()
            return f'[<a href="{href}#r-{key}">{found[1]}</a>]'

        linked = _BRACKETED_KEY.sub(link, html)
        if linked != html:
            tmp = page.with_name(f".{page.name}.tmp")
            tmp.write_text(linked, encoding="utf-8")
            os.replace(tmp, page)
            changed += 1
    logger.info("Data Docs: %d validation pages link their reports", changed)
    return changed
