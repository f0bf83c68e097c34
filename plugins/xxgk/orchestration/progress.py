"""Which step of a local load is running, read from the output of ``airflow dags test``.

:class:`LoadProgress` reads the task start and end lines of that output one at a time, so
the CLI can show the step running, and times each step by the log lines' own timestamps.

A step's time is its task's own: from the moment Airflow's Execution API starts the task
(its ``Task started`` line) to the task's end, not from ``[DAG TEST] starting``. Before the
first task starts, ``dags test`` spends seconds on its in-process API server (3.7 s on a
warm machine, 11 s and more on a cold one); counted into the first step, that start-up made
a 1.5 s landing read ``land done (13.8 s)``. It is reported on its own
(:attr:`LoadProgress.startup_seconds`): from the command's start to the first task's.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from xxgk.orchestration.names import MAPPED_STEP, STEPS

_START: Final = re.compile(r"\[DAG TEST\] starting task_id=(\w+) map_index=(-?\d+)")
_END: Final = re.compile(r"\[DAG TEST\] end task task_id=(\w+) map_index=(-?\d+)")
# the Execution API's answer to the task's "run" call: the task's own code starts now
_TASK_STARTED: Final = re.compile(r"\bTask started\b")
_STATE: Final = re.compile(r"Task instance state updated\b.*\bnew_state=(\w+)")
_RETURNED: Final = re.compile(r"Returned value was: (\[.*?\]) \[airflow")
_RUN_END: Final = re.compile(r"DagRun Finished: .*?\bstate=(\w+)")
# Airflow's log lines start with their UTC time: 2026-11-24T00:09:18.989995Z
_STAMP: Final = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)?\s")


def line_time(line: str) -> float:
    """When ``line`` was written: its leading timestamp (seconds since the epoch), else now.

    The log's own clock makes a step's time what Airflow measured, not when the line
    reached this process (and a replayed log times its steps as they ran).
    """
    found = _STAMP.match(line)
    if found:
        try:
            stamp = datetime.fromisoformat(found[1] + (found[2] or "Z").replace("Z", "+00:00"))
        except ValueError:
            return time.time()
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()
    return time.time()


@dataclass
class Step:
    """One task of the DAG as seen in the run's output; times in seconds since the epoch."""

    name: str
    state: str = "pending"  # pending → running → success | failed | up_for_retry | …
    started_at: float | None = None
    finished_at: float | None = None
    done: int = 0  # finished mapped instances (extract batches); 0/1 for the others
    total: int | None = None  # mapped instances planned; 1 for the others

    @property
    def seconds(self) -> float:
        """The step's own time: its task started to its end (or now, while it runs)."""
        if self.started_at is None:
            return 0.0
        return max(0.0, (self.finished_at or time.time()) - self.started_at)


@dataclass
class LoadProgress:
    """The state of a ``dags test`` run, updated from its output one line at a time.

    ``feed`` returns the name of the step a line changed (or ``None``), so a display only
    redraws on task starts and ends. Lines of any other shape are ignored: a changed Airflow
    log format makes the progress quiet, never the load fail.

    ``began_at`` is when the command started Airflow (now, unless given): the start-up is
    the time from it to the first task's start.
    """

    steps: dict[str, Step] = field(default_factory=lambda: {s: Step(s) for s in STEPS})
    run_state: str | None = None
    began_at: float = field(default_factory=time.time)
    ready_at: float | None = None  # the first task started: Airflow is up
    _running: str | None = None
    _last_state: str | None = None
    _first_instance: bool = False  # the running step's first task instance is starting

    @property
    def startup_seconds(self) -> float | None:
        """Airflow's start-up, before the first task started (None until then)."""
        return None if self.ready_at is None else max(0.0, self.ready_at - self.began_at)

    @property
    def current(self) -> str | None:
        """The step whose task is running, or None (none started yet, or between two)."""
        return self._running

    def last_started(self) -> str | None:
        """The step that started last, finished or not (None: no step started)."""
        started = [s for s in self.steps.values() if s.started_at is not None]
        return max(started, key=lambda s: s.started_at or 0.0).name if started else None

    def feed(self, line: str) -> str | None:
        if found := _START.search(line):
            return self._start(found[1], line_time(line))
        if found := _END.search(line):
            return self._end(found[1], line_time(line))
        if _TASK_STARTED.search(line):
            return self._task_started(line_time(line))
        if found := _STATE.search(line):
            self._last_state = found[1]
        elif (found := _RETURNED.search(line)) and self._running == "plan_batches":
            return self._planned(found[1])
        elif found := _RUN_END.search(line):
            self.run_state = found[1]
        return None

    def _step(self, name: str) -> Step:
        return self.steps.setdefault(name, Step(name))

    def _start(self, name: str, now: float) -> str:
        step = self._step(name)
        self._running, self._last_state = name, None
        for other in self.steps.values():  # a mapped step whose batch count was not read
            if other.name != name and other.state == "running":
                other.state, other.finished_at = "success", now
        self._first_instance = step.state != "running"
        if self._first_instance:
            step.state, step.started_at, step.finished_at = "running", now, None
        return name

    def _task_started(self, now: float) -> str | None:
        if self.ready_at is None:
            self.ready_at = now
        if self._running is None:
            return None
        if self._first_instance:  # the step's time starts with its own code, not before
            self._step(self._running).started_at = now
            self._first_instance = False
        return self._running

    def _end(self, name: str, now: float) -> str:
        step = self._step(name)
        state = self._last_state or "success"
        self._running = None
        if name == MAPPED_STEP and state == "success":
            step.done += 1
            if step.total is None or step.done < step.total:
                return name  # more batches to come: the step is still running
        elif state == "success":
            step.done = 1
        step.state, step.finished_at = state, now
        return name

    def _planned(self, returned: str) -> str | None:
        try:
            batches = ast.literal_eval(returned)
        except (ValueError, SyntaxError):
            return None
        self._step(MAPPED_STEP).total = len(batches)
        return MAPPED_STEP
