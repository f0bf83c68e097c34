"""A generated corpus shared by the ops tests."""

from __future__ import annotations

import pytest

from xxgk.synthetic.corpus import CorpusSpec, CorpusSummary, write_corpus

OPS_SEED = 6060


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusSummary:
    """300 generated reports (every format and layout), written once per session."""
    return write_corpus(tmp_path_factory.mktemp("ops-corpus"), CorpusSpec(300, OPS_SEED))
