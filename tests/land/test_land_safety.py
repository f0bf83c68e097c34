"""Landing writes only into the raw store, whatever the names and links in the inbox."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from xxgk.core.quarantine import MAGIC, make_stub, read_stub
from xxgk.extract.batches import extract_batch, plan_batches
from xxgk.land import inbox as land
from xxgk.land.inbox import land_file, land_inbox, safe_name, scan_inbox

REPORT = "2020年度政府信息公开工作年度报告\n全年主动公开政府信息12条。\n".encode()


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:do not land me")
    return secret


def test_symlinks_are_followed_only_inside_the_inbox(tmp_path: Path, outside: Path) -> None:
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    (inbox / "2020").mkdir(parents=True)
    (inbox / "2020" / "report.txt").write_bytes(REPORT)
    (inbox / "inside-link.txt").symlink_to(inbox / "2020" / "report.txt")
    (inbox / "passwd.txt").symlink_to(outside)
    (inbox / "etc").symlink_to(outside.parent, target_is_directory=True)
    (inbox / "dangling.txt").symlink_to(inbox / "deleted.txt")
    landed = {f.source_path: f for f in land_inbox(inbox, raw)}
    assert {k: f.quarantine_reason for k, f in landed.items()} == {
        "2020/report.txt": None,
        "inside-link.txt": None,
        "passwd.txt": "unsafe_path",
        "etc": "unsafe_path",
        "dangling.txt": "unreadable_file",
    }
    assert landed["inside-link.txt"].report_sha256 == landed["2020/report.txt"].report_sha256
    for f in landed.values():
        stored = Path(f.raw_path).read_bytes()
        assert b"do not land me" not in stored
        assert Path(f.raw_path).parent.parent == raw.resolve()
    assert read_stub(Path(landed["passwd.txt"].raw_path).read_bytes()) == (
        "unsafe_path",
        "symlink leading outside the inbox (passwd.txt)",
    )


def test_a_path_outside_the_inbox_is_never_read(tmp_path: Path, outside: Path) -> None:
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    inbox.mkdir()
    for path in (inbox / ".." / "outside" / "secret.txt", outside, Path("/etc/passwd")):
        landed = land_file(path, inbox, raw)
        assert landed.quarantine_reason == "unsafe_path"
        assert Path(landed.raw_path).read_bytes().startswith(MAGIC)
    assert _tree(tmp_path) - _tree(tmp_path / "raw") >= {"inbox", "outside", "raw"}
    assert all(len(p.name) in (2, 64) or p.name == "stubs" for p in raw.rglob("*"))


def test_fifos_are_not_opened(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / "pipe.html")  # opening it for reading would block forever
    (landed,) = land_inbox(inbox, tmp_path / "raw")
    assert (landed.source_path, landed.quarantine_reason) == ("pipe.html", "not_a_regular_file")


def test_unreadable_files_land_as_stubs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "locked.txt").write_bytes(REPORT)

    def denied(path: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(land, "_open_regular", denied)  # root would read a chmod-0 file
    (landed,) = land_inbox(inbox, tmp_path / "raw")
    assert landed.quarantine_reason == "unreadable_file"
    assert read_stub(Path(landed.raw_path).read_bytes()) == (
        "unreadable_file",
        "PermissionError: Permission denied (locked.txt)",
    )


def test_odd_names_become_valid_text(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = {
        os.fsdecode("报告.txt".encode("gbk")): "报告.txt",  # a GBK name from a Windows zip
        os.fsdecode(b"bad-\xff\xfe.txt"): "bad-\\xff\\xfe.txt",
        "line\nbreak.txt": "line\\x0abreak.txt",
        "emoji-📄-\u202eevil.txt": "emoji-📄-\u202eevil.txt",
        "report..txt": "report..txt",
    }
    for i, name in enumerate(names):
        (inbox / name).write_bytes(REPORT + str(i).encode())
    landed = land_inbox(inbox, tmp_path / "raw")
    assert sorted(f.source_path for f in landed) == sorted(names.values())
    for f in landed:
        f.source_path.encode("utf-8")  # no lone surrogates: JSON, Parquet and DuckDB accept it
    assert safe_name("普通.html") == "普通.html"


def test_landing_twice_is_idempotent_for_stubs_too(tmp_path: Path, outside: Path) -> None:
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(REPORT)
    (inbox / "passwd.txt").symlink_to(outside)
    first = land_inbox(inbox, raw)
    second = land_inbox(inbox, raw)
    assert first == second
    assert sum(1 for p in raw.rglob("*") if p.is_file()) == 2


def test_hidden_entries_and_year_filter(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for rel in ("2019/a.txt", "2020/b.txt", "c.txt", ".git/config", "2020/.hidden"):
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_bytes(REPORT)
    # a file outside every year folder is no year's (only a scan of every year has it)
    assert [e.path.relative_to(inbox).as_posix() for e in scan_inbox(inbox, 2020)] == ["2020/b.txt"]
    assert [e.path.relative_to(inbox).as_posix() for e in scan_inbox(inbox)] == [
        "2019/a.txt",
        "2020/b.txt",
        "c.txt",
    ]


def test_stubs_are_known_by_where_they_are_not_by_their_bytes(
    tmp_path: Path, outside: Path
) -> None:
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    inbox.mkdir()
    # an inbox file dressed as a stub, claiming a reason and message of its choosing
    spoof = make_stub("http_error", "HTTP 404: nothing to see here", "http://spoof")
    (inbox / "spoof.txt").write_bytes(spoof + REPORT)
    (inbox / "passwd.txt").symlink_to(outside)  # a real stub
    landed = {f.source_path: f for f in land_inbox(inbox, raw)}
    assert Path(landed["passwd.txt"].raw_path).parent == raw.resolve() / "stubs"
    assert Path(landed["spoof.txt"].raw_path).parent.name == landed["spoof.txt"].report_sha256[:2]

    rows = [f.as_row() for f in landed.values()]
    result = extract_batch(plan_batches(rows, 10)[0], tmp_path / "extracted")
    issues = pq.read_table(result["paths"]["issues"]).to_pylist()
    reports = {r["report_sha256"]: r for r in pq.read_table(result["paths"]["reports"]).to_pylist()}
    codes = {
        reports[i["report_sha256"]]["source_path"]: i["code"]
        for i in issues
        if i["severity"] == "error"
    }
    assert codes.get("passwd.txt") == "unsafe_path"
    assert codes.get("spoof.txt") != "http_error"  # read as the content it is
    assert reports[landed["spoof.txt"].report_sha256]["status"] != "quarantined"
