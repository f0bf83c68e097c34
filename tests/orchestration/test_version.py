"""`xxgk --version` names the installed package's version (a bug report starts with it)."""

from __future__ import annotations

from importlib.metadata import version

from click.testing import CliRunner

from xxgk.orchestration.cli import main


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"xxgk {version('xxgk')}"
