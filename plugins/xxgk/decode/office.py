"""Legacy Word files (.doc, .wps, .rtf, .odt) → DOCX through LibreOffice headless → lines.

LibreOffice is optional: without it such files are quarantined ``unsupported_type`` with a
message naming the missing converter. Each conversion runs in a fresh temporary profile
(parallel conversions do not share a lock), in its own process group, killed whole on
timeout.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from xxgk.core.env import SOFFICE
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, UNSUPPORTED_TYPE
from xxgk.decode.document import Document
from xxgk.decode.docx import decode_docx

log = logging.getLogger(__name__)
SOFFICE_ENV = SOFFICE
_CANDIDATES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    """The LibreOffice binary: ``$XXGK_SOFFICE``, else ``soffice`` / ``libreoffice`` on PATH."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(cmd: list[str], timeout: float) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "LANG": "C.UTF-8",
    }
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=env
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise UnreadableDocument(
            DECODE_FAILED, f"LibreOffice did not convert within {timeout:g} s"
        ) from exc
    if proc.returncode != 0:
        log.info("soffice exited %s: %s", proc.returncode, err[-500:].decode("utf-8", "replace"))


def convert(data: bytes, suffix: str, target: str, limits: Limits) -> bytes:
    """Convert ``data`` (a file ending in ``suffix``) to ``target`` ('docx', 'pdf', 'doc').

    Raises:
        UnreadableDocument: ``unsupported_type`` without LibreOffice; ``decode_failed`` when
            the conversion fails or times out.
    """
    soffice = soffice_path()
    if soffice is None:
        raise UnreadableDocument(
            UNSUPPORTED_TYPE,
            f"legacy office file ({suffix}) needs LibreOffice to convert: "
            f"no soffice on PATH (install libreoffice-writer-nogui or set "
            f"{SOFFICE_ENV})",
        )
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        _run(
            [
                soffice,
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(src),
            ],
            limits.convert_timeout_s,
        )
        result = out / f"input.{target.split(':')[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            raise UnreadableDocument(
                DECODE_FAILED,
                f"LibreOffice could not convert the {suffix} file (corrupt or not a document)",
            )
        return result.read_bytes()


def decode_legacy(data: bytes, suffix: str, limits: Limits, container: str = "doc") -> Document:
    """Decode a .doc / .wps / .rtf / .odt file by converting it to DOCX first.

    Raises:
        UnreadableDocument: see ``convert`` and ``decode_docx``.
    """
    converted = convert(data, suffix, "docx", limits)
    doc = decode_docx(converted, limits, container=container)
    doc.notes.append(f"converted from {suffix} by LibreOffice")
    return doc
