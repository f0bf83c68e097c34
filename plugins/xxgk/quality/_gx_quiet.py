"""Import Great Expectations without its import-time log noise.

GX registers its public API at import time and logs one INFO line per function it skips
("Skipping registering function ..."), a few hundred lines once Airflow/structlog route
stdlib logging to the console. Raising the level of that one logger before the import keeps
our task logs readable without touching anyone else's logging configuration.

Import GX only through :func:`import_gx`, and only inside functions: the import takes ~7 s.
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Final

NOISY_LOGGERS: Final = ("great_expectations._docs_decorators",)
GX_LOGGER: Final = "great_expectations"


def quiet_gx_logging() -> None:
    """Raise GX's loggers to WARNING before the import.

    The import-time registry logger is always raised. GX's other INFO lines (fluent config
    loading, metric registry) are raised only when nobody configured the ``great_expectations``
    logger, so a deliberate ``logging.getLogger("great_expectations").setLevel(DEBUG)`` wins.
    """
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    gx_logger = logging.getLogger(GX_LOGGER)
    if gx_logger.level == logging.NOTSET:
        gx_logger.setLevel(logging.WARNING)


def import_gx() -> ModuleType:
    """``import great_expectations`` with its import-time INFO noise silenced."""
    quiet_gx_logging()
    import great_expectations

    return great_expectations
