"""The DAG's ``inbox`` and ``warehouse`` params are confined to ``XXGK_ALLOWED_ROOTS``
(default: the folders of ``XXGK_WAREHOUSE`` and ``XXGK_INBOX``), ``..`` and symlinks
resolved before the check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xxgk.core.allowed_roots import (
    ALLOWED_ROOTS_ENV,
    PathNotAllowed,
    allowed_roots,
    confine,
    with_roots,
)


def test_the_default_roots_are_the_default_data_dir_and_inbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert allowed_roots({}) == [tmp_path / "data", tmp_path / "data" / "inbox"]
    env = {"XXGK_WAREHOUSE": "/srv/w/warehouse.duckdb", "XXGK_INBOX": "/srv/in"}
    assert allowed_roots(env) == [Path("/srv/w"), Path("/srv/in")]
    assert confine("data/inbox/2024", "inbox", {}) == tmp_path / "data" / "inbox" / "2024"
    assert confine("data/warehouse.duckdb", "warehouse", {}) == (
        tmp_path / "data" / "warehouse.duckdb"
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("inbox", "/etc"),
        ("inbox", "{root}/../secret"),  # `..` out of a root
        ("inbox", "{root}x"),  # a sibling whose name starts like a root
        ("warehouse", "/tmp/elsewhere/warehouse.duckdb"),
        ("warehouse", "{root}/../warehouse.duckdb"),  # its data dir would be root's parent
    ],
)
def test_a_path_outside_the_roots_is_refused_with_the_setting_named(
    tmp_path: Path, param: str, value: str
) -> None:
    root = tmp_path / "allowed"
    root.mkdir()
    env = {ALLOWED_ROOTS_ENV: f"{root}{os.pathsep}{tmp_path / 'other'}"}
    with pytest.raises(PathNotAllowed) as refused:
        confine(value.format(root=root), param, env)
    message = str(refused.value)
    assert message.startswith(f"the {param} param {value.format(root=root)} is outside")
    assert f"({root}, {tmp_path / 'other'})" in message and ALLOWED_ROOTS_ENV in message


def test_a_symlink_out_of_a_root_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "allowed", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "inbox").symlink_to(outside)
    with pytest.raises(PathNotAllowed):
        confine(root / "inbox", "inbox", {ALLOWED_ROOTS_ENV: str(root)})


def test_xxgk_load_adds_its_own_inbox_and_data_dir(tmp_path: Path) -> None:
    env = with_roots({ALLOWED_ROOTS_ENV: "/srv/a"}, [tmp_path / "in", tmp_path / "data"])
    assert env[ALLOWED_ROOTS_ENV].split(os.pathsep) == [
        "/srv/a",
        str(tmp_path / "in"),
        str(tmp_path / "data"),
    ]
    assert confine(tmp_path / "data" / "warehouse.duckdb", "warehouse", env)
