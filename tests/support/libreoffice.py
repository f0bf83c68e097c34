"""LibreOffice as the tests drive it: headless, one throw-away profile per run (a shared
profile locks, and a user's own would be changed)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def convert_all(soffice: str, files: Sequence[Path], target: str, out: Path) -> None:
    """Convert ``files`` to ``target`` (``pdf``, ``docx``, ``doc``…) into ``out``, in one run."""
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-test-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
