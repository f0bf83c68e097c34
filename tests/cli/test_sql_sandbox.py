"""`xxgk sql` runs what a person types in a sandbox: read-only, no file, network or extension
access beyond the warehouse itself, configuration locked. Each escape is refused with one
line and a non-zero exit, and the warehouse file is left byte for byte as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main
from xxgk.publish.views import export, query


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "warehouse.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table main.dim_reports as select 2020 as report_year, "
            "'=HYPERLINK(\"http://x\")' as agency_name"
        )
    (tmp_path / "other.duckdb").write_bytes(b"")  # a file an ATTACH could create or open
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ESCAPES = {
    "overwrite the warehouse": "copy (select 'x') to '{warehouse}'",
    "copy to any path": "copy (select 'x') to '{tmp}/out.csv'",
    "copy as parquet": "copy main.dim_reports to '{tmp}/out.parquet' (format parquet)",
    "export database": "export database '{tmp}/dump'",
    "attach writable": "attach '{tmp}/new.duckdb' as n (read_only false)",
    "attach the warehouse writable": "attach '{warehouse}' as w2 (read_only false)",
    "read a system file": "select * from read_text('/etc/passwd')",
    "read a csv": "select * from read_csv('/etc/passwd')",
    "list files": "select * from glob('/etc/*')",
    "install an extension": "install httpfs",
    "load an extension": "load httpfs",
    "fetch a url": "select * from 'https://example.com/a.csv'",
    "lift the sandbox": "set enable_external_access = true",
    "unlock": "set lock_configuration = false",
    "write a table": "create table main.t as select 1",
}


@pytest.mark.parametrize("name", list(ESCAPES))
def test_each_escape_is_refused_with_one_line(warehouse: Path, name: str) -> None:
    tmp = warehouse.parent.parent
    before = sorted(p.name for p in tmp.rglob("*"))
    digest = _digest(warehouse)
    statement = ESCAPES[name].format(warehouse=warehouse, tmp=tmp)
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(warehouse), statement])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    assert _digest(warehouse) == digest
    assert sorted(p.name for p in tmp.rglob("*")) == before  # nothing written anywhere


def test_queries_still_run(warehouse: Path) -> None:
    result = CliRunner().invoke(
        main, ["sql", "--warehouse", str(warehouse), "select report_year from main.dim_reports"]
    )
    assert result.exit_code == 0 and "2020" in result.output


def test_every_view_connection_is_locked(warehouse: Path) -> None:
    settings = query(
        warehouse,
        "select name, value from duckdb_settings() where name in "
        "('enable_external_access', 'lock_configuration', "
        "'autoload_known_extensions', 'autoinstall_known_extensions', "
        "'access_mode')",
    )
    assert dict(settings.rows) == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
        "autoinstall_known_extensions": "false",
        "access_mode": "read_only",
    }


def test_exports_write_only_into_their_folder(warehouse: Path, tmp_path: Path) -> None:
    digest = _digest(warehouse)
    paths = export(warehouse, "csv", tmp_path / "export")
    assert [p.name for p in paths] == ["dim_reports.csv"] and paths[0].exists()
    assert _digest(warehouse) == digest
