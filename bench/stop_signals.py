"""Stop a real ``xxgk load`` or ``xxgk ui`` with a signal; print what was left (never a test).

Starts the command (the load on samples/inbox, or the UI), waits for the step given (a load
step's start line, or the UI's health check), records every process it started, sends the
signal, and prints: how long the stop took, the exit code, the command's last line, and any
process of the tree still alive (there should be none). ``--rerun`` then runs the same load
again to the end, to show that a re-run after the stop is safe.

    .venv/bin/python bench/stop_signals.py load --at extract --signal SIGTERM --rerun
    .venv/bin/python bench/stop_signals.py ui --signal SIGINT
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
XXGK = REPO / ".venv" / "bin" / "xxgk"


def _alive(proc: Any) -> bool:
    try:
        return bool(proc.is_running()) and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _command(args: argparse.Namespace, data: Path) -> tuple[list[str], Any]:
    if args.command == "load":
        inbox = REPO / "samples" / "inbox"
        cmd = [str(XXGK), "load", "--inbox", str(inbox), "--warehouse", str(data / "w.duckdb")]
        return [*cmd, "--batch-size", "3"], f"] {args.at} …"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/v2/monitor/health"
    return [str(XXGK), "ui", "--data-dir", str(data), "--port", str(port)], url


def _ready(marker: Any, lines: list[str]) -> bool:
    if marker.startswith("http"):
        try:
            urllib.request.urlopen(marker, timeout=2)
            return True
        except OSError:
            return False
    return any(marker in line for line in lines)


def run(args: argparse.Namespace, data: Path) -> None:
    cmd, marker = _command(args, data)
    proc = subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True
    )
    lines: list[str] = []
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True)
    reader.start()
    seen: dict[int, Any] = {}
    started = time.monotonic()
    while not _ready(marker, lines):
        if proc.poll() is not None:
            raise SystemExit(f"{args.command} ended before {args.at}:\n" + "".join(lines[-20:]))
        seen.update({p.pid: p for p in psutil.Process(proc.pid).children(recursive=True)})
        time.sleep(0.2)
    seen.update({p.pid: p for p in psutil.Process(proc.pid).children(recursive=True)})
    names = sorted({" ".join(p.cmdline()[1:3])[-40:] for p in seen.values() if _alive(p)})
    print(f"reached {args.at} after {time.monotonic() - started:.0f} s; running: {names}")
    sent = time.monotonic()
    signum = signal.Signals[args.signal]
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # as the terminal's Ctrl-C
    else:
        os.kill(proc.pid, signum)
    code = proc.wait(timeout=300)
    reader.join(timeout=10)
    print(f"exit {code} after {time.monotonic() - sent:.1f} s")
    print(f"last line: {lines[-1].strip() if lines else ''}")
    left = [(p.pid, " ".join(p.cmdline()[:3])) for p in seen.values() if _alive(p)]
    print(f"processes left: {left or 'none'} (of {len(seen)} seen)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["load", "ui"])
    parser.add_argument("--at", default="extract", help="load step to stop at (load only)")
    parser.add_argument("--signal", default="SIGTERM", choices=["SIGTERM", "SIGINT", "SIGHUP"])
    parser.add_argument("--rerun", action="store_true", help="then the same load to the end")
    args = parser.parse_args()
    if args.command == "ui":
        args.at = "healthy"
    with tempfile.TemporaryDirectory(prefix="xxgk-stop-") as tmp:
        data = Path(tmp) / "data"
        run(args, data)
        if args.rerun and args.command == "load":
            again = time.monotonic()
            done = subprocess.run(
                [*_command(args, data)[0]],
                capture_output=True,
                text=True,
                check=False,
            )
            print(f"re-run: exit {done.returncode} in {time.monotonic() - again:.0f} s")
            print(done.stdout.strip().splitlines()[3] if done.returncode == 0 else done.stderr)


if __name__ == "__main__":
    sys.exit(main())
