"""``stop_tree`` stops a process tree whatever signals arrive meanwhile, and never signals
the caller's own process group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from xxgk.orchestration.stopping import stop_signals_raise, stop_tree

STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(120)"
)


def _stubborn(**kwargs: bool) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True, **kwargs
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_stop_signal_during_stop_tree_does_not_cut_it_short() -> None:
    proc = _stubborn(start_new_session=True)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        with stop_signals_raise():
            timer.start()
            stop_tree(proc, grace_s=1.5)  # SIGTERM ignored: SIGKILL after the grace
    finally:
        timer.join()
        if proc.poll() is None:  # a failed test leaves no sleeper behind
            proc.kill()
    assert proc.returncode == -signal.SIGKILL


def test_a_child_of_the_callers_group_is_stopped_alone() -> None:
    proc = _stubborn()  # same process group as pytest: its group must not be signalled
    stop_tree(proc, grace_s=0.5)
    assert proc.returncode == -signal.SIGKILL
