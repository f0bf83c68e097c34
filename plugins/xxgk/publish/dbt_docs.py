"""dbt's documentation of the warehouse beside the reviewer's pages: one offline page.

``dbt docs generate --static`` (run by the dbt task, ``pipeline.dbt_docs_step``) writes
``static_index.html`` into dbt's target: the docs site with the manifest and the catalog
inlined, every model and column with its description, the lineage graph, the compiled SQL.
It loads nothing from the network and needs no server, so the published copy opens from
disk like the rest of the site (``DataDir.dbt_docs``, linked from ``report.html``).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from xxgk.core.paths import DataDir

logger = logging.getLogger(__name__)


def publish_dbt_docs(page: str | Path | None, data: DataDir) -> Path | None:
    """Copy dbt's static docs page ``page`` to ``data.dbt_docs``; return it (None: there is
    no page to publish, and an earlier copy is left as it was).

    The copy replaces the old one whole (a reader never sees half a page).
    """
    if page is None or not Path(page).is_file():
        logger.warning("no dbt docs to publish (%s)", page)
        return None
    target = data.dbt_docs
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(page, tmp)
    os.replace(tmp, target)
    return target
