"""Stopping a command and every process it started, on SIGTERM or Ctrl-C (SIGINT).

``xxgk load`` and ``xxgk ui`` start Airflow in a session of its own (``start_new_session``),
so that what Airflow starts in turn (task processes, dbt, extraction workers, the UI's
scheduler and API server) shares one process group that can be signalled at once. A stop
signal to the command raises :class:`Stopped` in its main thread; the command then stops
that group and every descendant (:func:`stop_tree`: SIGTERM, then SIGKILL after a grace
period), releases its locks on the way out and says in one line what happened.

Signalling the whole group, not just Airflow's own process, matters: Airflow's CLI exits on
SIGTERM while dbt or a task's extraction worker keep running (and keep the warehouse's
DuckDB lock) for a minute or more.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any, Final

# SIGHUP too: Airflow, in a session of its own, no longer gets the hangup of a closed terminal
_stopping = False  # stop_tree is running: a stop signal now must not cut it short
STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# then SIGKILL: a task inside a long DuckDB call does not act on SIGTERM before it returns
# (a real `xxgk load` or `xxgk ui` stopped here in ~6 s, this grace included)
DEFAULT_GRACE_S: Final = 5.0
_KILL_WAIT_S: Final = 5.0  # after SIGKILL only the kernel is left to act
_POLL_S: Final = 0.05


class Stopped(BaseException):
    """A stop signal arrived. A ``BaseException`` like ``KeyboardInterrupt``: the
    ``except Exception`` handlers between the signal and the command must not catch it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The shell's convention for a death by signal: 130 for SIGINT, 143 for SIGTERM,
        129 for SIGHUP."""
        return 128 + self.signum


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """While inside, SIGINT, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread.

    The first signal also ignores the next ones: a second Ctrl-C must not cut short the
    stopping of the process tree it asked for (bounded by the grace period). The previous
    handlers are back on leaving. Outside the main thread (no handlers can be set there)
    nothing changes.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if not _stopping:  # else a stop_tree (after another error) is under way: let it end
            raise Stopped(signum)

    try:
        previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _alive(proc: Any) -> bool:
    """Running and not a zombie: an orphan's zombie may wait for a PID 1 that never reaps."""
    import psutil

    try:
        return bool(proc.is_running()) and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _members(group: int | None) -> list[Any]:
    """The living processes of process group ``group``."""
    import psutil

    if group is None:
        return []
    found = []
    for proc in psutil.process_iter():
        try:
            if os.getpgid(proc.pid) == group and _alive(proc):
                found.append(proc)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


def _tree(procs: list[Any], group: int | None) -> list[Any]:
    """``procs``, the members of ``group`` and all their living descendants, each once."""
    import psutil

    seen: dict[int, Any] = {}
    for proc in [*procs, *_members(group)]:
        try:
            found = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            found = [proc]
        seen.update({p.pid: p for p in found if _alive(p)})
    return list(seen.values())


def _signal_all(group: int | None, procs: list[Any], sig: signal.Signals) -> None:
    import psutil

    if group is not None:
        try:
            os.killpg(group, sig)
        except (ProcessLookupError, PermissionError):
            pass
    for proc in procs:
        try:
            proc.send_signal(sig)  # psutil checks the PID still names the same process
        except psutil.Error:
            pass


def _wait_gone(procs: list[Any], timeout_s: float) -> list[Any]:
    """Wait until every one of ``procs`` is gone or ``timeout_s`` passed; the living."""
    deadline = time.monotonic() + timeout_s
    alive = [p for p in procs if _alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(_POLL_S)
        alive = [p for p in alive if _alive(p)]
    return alive


def stop_tree(
    proc: subprocess.Popen[Any], grace_s: float = DEFAULT_GRACE_S, *, own_group: bool = True
) -> None:
    """Stop ``proc``, its process group and every descendant; reap ``proc``.

    SIGTERM to all of them: the group, and each descendant found before anything dies (a
    process that started a session of its own has left the group; an orphan is no longer
    anyone's descendant, but still in the group). SIGKILL to whatever is left after
    ``grace_s``, including what was started in the meantime.

    Args:
        proc: the process, running or already exited (its group may outlive it).
        grace_s: seconds between SIGTERM and SIGKILL.
        own_group: ``proc`` was started with ``start_new_session=True``, so its PID names
            a process group of its own (Linux does not reuse a PID while a group has it).
    """
    global _stopping
    was, _stopping = _stopping, True
    try:
        _stop_tree(proc, grace_s, own_group)
    finally:
        _stopping = was


def _stop_tree(proc: subprocess.Popen[Any], grace_s: float, own_group: bool) -> None:
    import psutil

    try:
        root = [psutil.Process(proc.pid)] if proc.poll() is None else []
    except psutil.Error:
        root = []
    group = _group_of(proc, own_group)
    procs = _tree(root, group)
    _signal_all(group, procs, signal.SIGTERM)
    alive = _wait_gone(procs, grace_s)
    leftovers = _tree(alive, group)  # and what was started in the meantime
    if leftovers:
        _signal_all(group, leftovers, signal.SIGKILL)
        _wait_gone(leftovers, _KILL_WAIT_S)
    try:
        proc.wait(timeout=_KILL_WAIT_S)
    except subprocess.TimeoutExpired:  # unkillable (a process stuck in the kernel)
        pass


def _group_of(proc: subprocess.Popen[Any], own_group: bool) -> int | None:
    """The process group ``proc`` leads, if it leads one: never the caller's own group."""
    if not own_group or proc.pid == os.getpgrp():
        return None
    try:
        return proc.pid if os.getpgid(proc.pid) == proc.pid else None
    except ProcessLookupError:  # reaped: its PID is not reused while its group lives on
        return proc.pid


def run_until_stopped(cmd: list[str], env: Mapping[str, str]) -> int:
    """Run ``cmd`` in a session of its own until it exits or a stop signal arrives.

    Either way, nothing it started outlives this call: on a stop signal the whole tree is
    stopped and :class:`Stopped` raised; when ``cmd`` exits by itself, what is left in its
    process group is stopped. Returns ``cmd``'s exit code.

    Raises:
        Stopped: a stop signal arrived (the process tree is gone by then).
    """
    with stop_signals_raise():
        proc = subprocess.Popen(cmd, env=dict(env), start_new_session=True)
        try:
            code = proc.wait()
        except BaseException:
            stop_tree(proc)
            raise
        stop_tree(proc)  # components the command left behind when it exited by itself
        return code


def stopped_line(command: str, stop: Stopped, what: str) -> str:
    """The one line a command stopped by a signal prints: what was stopped, and that
    running it again is safe."""
    return f"{command} stopped by {stop.signal_name}: {what}"
