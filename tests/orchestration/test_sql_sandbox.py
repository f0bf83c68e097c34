"""`xxgk sql` runs what a person types in a sandbox: read-only, no file, network or extension
access beyond the warehouse itself, configuration locked. Each escape is refused with one
line and a non-zero exit, and the warehouse file is left byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main
from xxgk.orchestration.sql_shell import HINT
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
        "'autoload_known_extensions', 'autoinstall_known_extensions')",
    )
    assert dict(settings.rows) == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
        "autoinstall_known_extensions": "false",
    }
    attached = query(
        warehouse,
        "select database_name, readonly, path from duckdb_databases() where not internal",
    )
    # the warehouse is the one file, read-only; the default catalog has a fixed name
    assert [(name, readonly) for name, readonly, _ in attached.rows if _] == [("warehouse", True)]


@pytest.mark.parametrize("stem", ["raw", "seeds", "main", "quality", "staging"])
def test_a_warehouse_named_like_a_schema_is_queried_as_any_other(
    warehouse: Path, stem: str
) -> None:
    """DuckDB names a database after its file; ``seeds.duckdb`` must not make ``seeds.…``
    ambiguous, in the views or in the shell."""
    renamed = warehouse.with_name(f"{stem}.duckdb")
    warehouse.rename(renamed)
    with duckdb.connect(str(renamed)) as con:
        (catalog,) = con.execute("select current_database()").fetchone() or ("",)
        con.execute(f'create schema if not exists "{catalog}"."{stem}"')
        con.execute(f'create table "{catalog}"."{stem}".facts as select 7 as n')
    sql = f"select n from {stem}.facts; select report_year from main.dim_reports"
    script = renamed.parent / "q.sql"
    script.write_text(sql, encoding="utf-8")
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(renamed), "-f", str(script)])
    assert result.exit_code == 0, result.output
    assert "7" in result.output and "2020" in result.output
    proc = _shell(renamed, ".mode csv\n" + sql.replace("; ", ";\n") + ";\n")
    assert proc.stdout == "n\n7\nreport_year\n2020\n", proc.stderr


def test_exports_write_only_into_their_folder(warehouse: Path, tmp_path: Path) -> None:
    digest = _digest(warehouse)
    paths = export(warehouse, "csv", tmp_path / "export")
    assert [p.name for p in paths] == ["dim_reports.csv"] and paths[0].exists()
    assert _digest(warehouse) == digest


XXGK = Path(sys.executable).parent / "xxgk"

# Every dot-command of the DuckDB shell that opens, reads, writes or runs something, as an
# attacker would type it. ``.save``, ``.backup`` and ``.restore`` (SQLite's) do not exist in
# DuckDB's shell and are refused as unknown.
DOT_ESCAPES = {
    ".open": ".open {warehouse}",
    ".open memory": ".open :memory:",
    ".shell": ".shell id",
    ".system": ".system id",
    ".sh": ".sh id",
    ".once pipe": ".once '|id'",
    ".once file": ".once {tmp}/once.txt",
    ".output": ".output {tmp}/output.txt",
    ".excel": ".excel",
    ".read": ".read /etc/hostname",
    ".import": ".import /etc/passwd main.dim_reports",
    ".cd": ".cd /",
    ".save": ".save {tmp}/save.duckdb",
    ".backup": ".backup {tmp}/backup.duckdb",
    ".restore": ".restore {tmp}/other.duckdb",
    ".log": ".log {tmp}/log.txt",
}


def _shell(warehouse: Path, typed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(XXGK), "sql", "--warehouse", str(warehouse)],
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", list(DOT_ESCAPES))
def test_each_escaping_dot_command_is_refused(warehouse: Path, name: str) -> None:
    tmp = warehouse.parent.parent
    before = sorted(p.name for p in tmp.rglob("*"))
    digest = _digest(warehouse)
    typed = DOT_ESCAPES[name].format(warehouse=warehouse, tmp=tmp)
    # after the escape attempt: a write that would succeed on a writable reopen, and a
    # statement whose result tells where the output went
    proc = _shell(warehouse, f"{typed}\ndelete from main.dim_reports;\nselect 'still here';\n")
    refused = proc.stderr.splitlines()[0] if proc.stderr else ""
    assert "cannot be used in -safe mode" in refused or "Unrecognized command" in refused, (
        proc.stderr
    )
    assert "uid=" not in proc.stdout + proc.stderr  # nothing ran
    assert "still here" in proc.stdout  # output still goes to the terminal
    assert "read-only mode" in proc.stderr  # the delete was refused on the same file
    assert _digest(warehouse) == digest
    assert sorted(p.name for p in tmp.rglob("*")) == before  # nothing written anywhere
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in proc.stderr  # .read leaks nothing


def test_the_shell_reads_no_file_and_no_network(warehouse: Path) -> None:
    proc = _shell(
        warehouse,
        "select * from read_text('/etc/passwd');\n"
        "select * from 'https://example.com/a.csv';\n"
        "attach ':memory:' as m;\n"
        "set enable_external_access = true;\n"
        ".mode csv\n"
        "select count(*) as n from main.dim_reports;\n",
    )
    assert "root:" not in proc.stdout
    assert proc.stderr.count("file system operations are disabled") == 2, proc.stderr
    assert "the configuration has been locked" in proc.stderr
    assert proc.stdout.endswith("n\n1\n")  # the warehouse itself is still readable


def test_piped_shell_output_has_no_colour_codes(warehouse: Path) -> None:
    proc = _shell(warehouse, ".tables\nselect 1 as one;\nselect * from nowhere;\n")
    assert "dim_reports" in proc.stdout
    assert "\x1b[" not in proc.stdout + proc.stderr


# What the interactive shell asks the terminal before its first prompt, and a terminal's
# answers: background colour (OSC 11), device attributes, cursor position.
_TERMINAL_ANSWERS = {
    b"\x1b]11;?\x07": b"\x1b]11;rgb:0000/0000/0000\x07",
    b"\x1b[c": b"\x1b[?1;2c",
    b"\x1b[6n": b"\x1b[1;1R",
}
_ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


class _Terminal:
    """``xxgk sql`` on a pseudo-terminal, as a person at a terminal runs it. The shell asks
    the terminal questions before each prompt: they are answered while reading, always."""

    def __init__(self, warehouse: Path) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the real command
            os.execv(str(XXGK), [str(XXGK), "sql", "--warehouse", str(warehouse)])
        # a terminal of 50 × 200: no output here is long enough for the shell's pager
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        self.seen = b""
        self.commands = 0

    def _read(self, done: Callable[[bytes], bool]) -> str:
        deadline = time.monotonic() + 60  # only reached when something is broken
        while not done(_ESCAPES.sub(b"", self.seen)):
            assert time.monotonic() < deadline, self.seen.decode("utf-8", "replace")
            if not select.select([self.fd], [], [], 0.2)[0]:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the shell has exited
                break
            self.seen += chunk
            for asked, answer in _TERMINAL_ANSWERS.items():
                os.write(self.fd, answer * chunk.count(asked))
        shown = _ESCAPES.sub(b"", self.seen).decode("utf-8", "replace")
        self.seen = b""
        return shown

    def opening(self) -> str:
        """What the shell shows before its first prompt."""
        return self._read(lambda seen: b"D " in seen)

    def run(self, line: str) -> str:
        """Type ``line``; what it printed (up to a mark the shell prints after it, which its
        echo of the typed line does not contain)."""
        self.commands += 1
        mark = f"END {self.commands}"
        os.write(self.fd, f'{line}\r.print "END" "{self.commands}"\r'.encode())
        return self._read(lambda seen: f"\n{mark}".encode() in seen.replace(b"\r", b""))

    def close(self) -> int:
        """Type ``.quit``; the shell's exit code once it has ended (its questions to the
        terminal answered meanwhile: unanswered, it would wait for ever)."""
        os.write(self.fd, b".quit\r")
        self._read(lambda seen: False)  # until the terminal closes: the shell has exited
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_an_interactive_shell_says_how_to_list_the_marts(warehouse: Path) -> None:
    """``.tables`` lists every schema and cannot be told otherwise (xxgk.orchestration.
    sql_shell): the shell's first line says ``.tables main.%`` lists the marts, and it does."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.landed_files as select 'x.html' as source_path")
    shell = _Terminal(warehouse)
    opening = shell.opening()
    marts = shell.run(".tables main.%")
    everything = shell.run(".tables")
    assert shell.close() == 0
    assert opening.lstrip().startswith(f"{HINT}\r\n"), opening
    assert "dim_reports" in marts and "landed_files" not in marts
    assert "dim_reports" in everything and "landed_files" in everything


def test_a_piped_shell_prints_no_hint(warehouse: Path) -> None:
    proc = _shell(warehouse, ".mode csv\nselect 1 as one;\n")
    assert proc.stdout == "one\n1\n" and HINT not in proc.stderr
