"""Every DAG file imports cleanly, carries approved tags and retries, and stays thin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

DAGS = REPO / "dags"
APPROVED_TAGS = {"landing", "extraction", "transform", "validation"}
DAG_FILES = sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag():  # type: ignore[no-untyped-def]
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.import_errors == {}


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_id_is_file_stem_with_tags_and_retries(dagbag, path: Path) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags.get(path.stem)
    assert dag is not None, f"{path.name} must define a DAG with dag_id {path.stem!r}"
    assert dag.tags and set(dag.tags) <= APPROVED_TAGS
    assert dag.doc_md
    for task in dag.tasks:
        assert task.retries >= 1, f"{task.task_id} has no retries"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_imports_no_heavy_library_at_top_level(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    modules = {a.name for n in top if isinstance(n, ast.Import) for a in n.names} | {
        n.module or "" for n in top if isinstance(n, ast.ImportFrom)
    }
    roots = {m.split(".")[0] for m in modules}
    assert not roots & {"duckdb", "pandas", "great_expectations", "dbt", "pyarrow"}
    # the package only through its dependency-free names (ruff TID253 bans the rest)
    assert {m for m in modules if m.split(".")[0] == "xxgk"} <= {"xxgk.orchestration.names"}


def test_annual_load_wiring(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["xxgk_annual_load"]
    order = ["land", "plan_batches", "extract", "load", "dbt_build", "validate", "summarize"]
    assert set(dag.task_ids) == set(order)
    for up, down in zip(order, order[1:], strict=False):
        assert down in dag.get_task(up).downstream_task_ids
    assert dag.get_task("load").pool == dag.get_task("dbt_build").pool == "xxgk_warehouse"
    assert set(dag.params.keys()) >= {"year", "inbox", "warehouse", "batch_size"}
