"""GX stays out of eager imports, and its import-time log noise is silenced in one place."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support.paths import REPO
from xxgk.quality._gx_quiet import GX_LOGGER, NOISY_LOGGERS, quiet_gx_logging

PLUGINS = REPO / "plugins"


def test_importing_validate_and_rules_does_not_import_great_expectations() -> None:
    code = (
        "import sys; import xxgk.quality.validate, xxgk.dictionary.rules; "
        "sys.exit('great_expectations' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PLUGINS, check=False)
    assert done.returncode == 0


@pytest.fixture
def gx_loggers() -> Iterator[list[logging.Logger]]:
    loggers = [logging.getLogger(n) for n in (GX_LOGGER, *NOISY_LOGGERS)]
    levels = [lg.level for lg in loggers]
    yield loggers
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def test_quiet_raises_gx_loggers_to_warning(gx_loggers: list[logging.Logger]) -> None:
    for lg in gx_loggers:
        lg.setLevel(logging.NOTSET)
    quiet_gx_logging()
    assert all(lg.level == logging.WARNING for lg in gx_loggers)


def test_quiet_keeps_a_deliberate_gx_level(gx_loggers: list[logging.Logger]) -> None:
    gx_loggers[0].setLevel(logging.DEBUG)
    quiet_gx_logging()
    assert gx_loggers[0].level == logging.DEBUG
    assert logging.getLogger(NOISY_LOGGERS[0]).level == logging.WARNING
