"""The landing digest cache: a no-change re-run reads no file; any change is hashed again."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path
from typing import IO

import pytest

from xxgk.land import inbox as land
from xxgk.land.inbox import default_cache_path, land_inbox

REPORT = "2020年度政府信息公开工作年度报告\n全年主动公开政府信息{n}条。\n"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the inbox files landing opens (the only place their bytes are read).

    The files of these tests are seconds old: the racy window is closed so they are cached
    (``test_a_file_changed_just_before_landing_is_not_cached`` keeps it).
    """
    monkeypatch.setattr(land, "RACY_WINDOW_NS", 0)
    counts: Counter[str] = Counter()
    real_open = land._open_regular

    def counting(path: Path | str) -> IO[bytes]:
        counts[Path(path).name] += 1
        return real_open(path)

    monkeypatch.setattr(land, "_open_regular", counting)
    return counts


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    (box / "2020").mkdir(parents=True)
    for i in range(5):
        (box / "2020" / f"r{i}.txt").write_text(REPORT.format(n=100 + i), encoding="utf-8")
    return box


def _rows(inbox: Path, raw: Path, **kwargs: bool) -> list[dict[str, object]]:
    return [f.as_row() for f in land_inbox(inbox, raw, **kwargs)]


def test_a_no_change_rerun_reads_no_file(inbox: Path, tmp_path: Path, opened: Counter[str]) -> None:
    raw = tmp_path / "data" / "raw"
    first = _rows(inbox, raw)
    assert sum(opened.values()) == 5
    assert default_cache_path(raw) == tmp_path / "data" / "landing" / "sha256-cache.sqlite"
    assert default_cache_path(raw).is_file()
    opened.clear()
    assert _rows(inbox, raw) == first
    assert sum(opened.values()) == 0


def test_without_the_cache_every_file_is_read(
    inbox: Path, tmp_path: Path, opened: Counter[str]
) -> None:
    raw = tmp_path / "raw"
    _rows(inbox, raw, use_cache=False)
    _rows(inbox, raw, use_cache=False)
    assert sum(opened.values()) == 10
    assert not default_cache_path(raw).exists()


def test_a_touched_file_is_hashed_again(inbox: Path, tmp_path: Path, opened: Counter[str]) -> None:
    raw = tmp_path / "raw"
    first = _rows(inbox, raw)
    opened.clear()
    st = (inbox / "2020" / "r1.txt").stat()
    os.utime(inbox / "2020" / "r1.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert _rows(inbox, raw) == first  # same bytes, same digest, same landing
    assert opened == Counter({"r1.txt": 1})


def test_same_size_new_bytes_new_mtime_is_detected(
    inbox: Path, tmp_path: Path, opened: Counter[str]
) -> None:
    raw = tmp_path / "raw"
    first = {r["source_path"]: r["report_sha256"] for r in _rows(inbox, raw)}
    path = inbox / "2020" / "r2.txt"
    size, mtime = path.stat().st_size, path.stat().st_mtime_ns
    path.write_text(REPORT.format(n=999), encoding="utf-8")  # 102 → 999: same length
    os.utime(path, ns=(mtime, mtime + 10**9))
    assert path.stat().st_size == size
    opened.clear()
    again = {r["source_path"]: r["report_sha256"] for r in _rows(inbox, raw)}
    assert opened == Counter({"r2.txt": 1})
    assert again["2020/r2.txt"] != first["2020/r2.txt"]
    assert {k: v for k, v in again.items() if k != "2020/r2.txt"} == {
        k: v for k, v in first.items() if k != "2020/r2.txt"
    }


def test_a_restored_mtime_does_not_hide_a_change(
    inbox: Path, tmp_path: Path, opened: Counter[str]
) -> None:
    """Same size and the old mtime put back (``touch -r``, ``cp -p``): the ctime still moved."""
    raw = tmp_path / "raw"
    first = {r["source_path"]: r["report_sha256"] for r in _rows(inbox, raw)}
    path = inbox / "2020" / "r3.txt"
    st = path.stat()
    path.write_text(REPORT.format(n=777), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    opened.clear()
    again = {r["source_path"]: r["report_sha256"] for r in _rows(inbox, raw)}
    assert opened == Counter({"r3.txt": 1})
    assert again["2020/r3.txt"] != first["2020/r3.txt"]


@pytest.mark.parametrize("damage", [b"this is not a database", b""])
def test_a_corrupt_cache_falls_back_to_hashing(
    inbox: Path,
    tmp_path: Path,
    opened: Counter[str],
    damage: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    raw = tmp_path / "raw"
    first = _rows(inbox, raw)
    default_cache_path(raw).write_bytes(damage)
    opened.clear()
    with caplog.at_level(logging.WARNING, logger="xxgk.land.inbox"):
        assert _rows(inbox, raw) == first
    assert sum(opened.values()) == 5
    assert damage == b"" or "unreadable" in caplog.text
    opened.clear()
    assert _rows(inbox, raw) == first  # rebuilt by the run that found it damaged
    assert sum(opened.values()) == 0


def test_an_unwritable_cache_is_not_an_error(
    inbox: Path, tmp_path: Path, opened: Counter[str]
) -> None:
    raw = tmp_path / "raw"
    cache = tmp_path / "no-such-dir" / "file-not-dir"
    (tmp_path / "no-such-dir").write_text("a file where the cache's folder should be")
    rows = [f.as_row() for f in land_inbox(inbox, raw, cache_path=cache)]
    assert len(rows) == 5 and sum(opened.values()) == 5
    assert [f.as_row() for f in land_inbox(inbox, raw, cache_path=cache)] == rows
    assert sum(opened.values()) == 10  # nothing could be cached: hashed again


def test_a_digest_whose_stored_file_is_gone_is_stored_again(
    inbox: Path, tmp_path: Path, opened: Counter[str]
) -> None:
    raw = tmp_path / "raw"
    first = _rows(inbox, raw)
    stored = Path(str(first[0]["raw_path"]))
    stored.chmod(0o644)
    stored.unlink()
    opened.clear()
    again = _rows(inbox, raw)
    assert stored.is_file()
    assert opened == Counter({Path(str(first[0]["source_path"])).name: 1})
    assert [r["report_sha256"] for r in again] == [r["report_sha256"] for r in first]


def test_file_names_that_are_not_text_are_cached_too(tmp_path: Path, opened: Counter[str]) -> None:
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    inbox.mkdir()
    name = os.fsdecode("年报".encode("gbk") + b".txt")  # a GBK name on a UTF-8 file system
    (inbox / name).write_text(REPORT.format(n=1), encoding="utf-8")
    first = _rows(inbox, raw)
    assert first[0]["source_path"] == "年报.txt"
    opened.clear()
    assert _rows(inbox, raw) == first
    assert sum(opened.values()) == 0


def test_a_file_changed_just_before_landing_is_not_cached(
    inbox: Path, tmp_path: Path, opened: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written in the same timestamp tick as its hashing could change again without
    a visible stat change (coarse file-system clocks): it is hashed again next time."""
    monkeypatch.setattr(land, "RACY_WINDOW_NS", 3600 * 10**9)
    raw = tmp_path / "raw"
    first = _rows(inbox, raw)
    assert _rows(inbox, raw) == first
    assert sum(opened.values()) == 10
