"""How ``xxgk load`` shows its progress: a live display on a terminal, one line per step
otherwise (logs, CI, pipes). Both read a :class:`~xxgk.orchestration.progress.LoadProgress`.

Airflow's start-up (before its first task starts) is shown on its own, before the first
step: the steps' times are their tasks' own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from xxgk.orchestration.progress import LoadProgress, Step


def startup_line(progress: LoadProgress) -> str:
    """``Airflow started (11.2 s)``: the wait before the first step's own time."""
    return f"Airflow started ({progress.startup_seconds or 0.0:.1f} s)"


class StepDisplay:
    """Shows a load's progress step by step."""

    def __init__(self, progress: LoadProgress) -> None:
        self.progress = progress
        self.names = list(progress.steps)

    def __enter__(self) -> StepDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def changed(self, name: str) -> None:
        raise NotImplementedError

    def label(self, name: str) -> str:
        if name not in self.names:  # a task the DAG gained after this CLI was written
            self.names.append(name)
        return f"[{self.names.index(name) + 1}/{len(self.names)}] {name}"

    @staticmethod
    def batches(step: Step) -> str:
        total = "?" if step.total is None else step.total
        return f"{step.done}/{total} batches"


class PlainSteps(StepDisplay):
    """One line per step start and end (and per tenth of the batches)."""

    def __init__(self, progress: LoadProgress) -> None:
        super().__init__(progress)
        self.shown: dict[str, int] = {}  # running step → batches done when last printed
        self.startup_shown = False

    def changed(self, name: str) -> None:
        step = self.progress.steps[name]
        if step.state == "pending":  # batches planned: shown once the step runs
            return
        if step.state == "running":
            if self.progress.ready_at is None:  # Airflow still starting: wait for the task
                return
            if not self.startup_shown:
                self.startup_shown = True
                click.echo(startup_line(self.progress), err=True)
            if name not in self.shown:
                self.shown[name] = 0
                click.echo(f"{self.label(name)} …", err=True)
            elif (
                step.total
                and step.done != self.shown[name]
                and step.done % max(1, step.total // 10) == 0
            ):
                self.shown[name] = step.done
                click.echo(f"{self.label(name)} {self.batches(step)}", err=True)
            return
        self.shown.pop(name, None)  # a retried step prints its start again
        detail = f"{self.batches(step)}, " if step.total is not None else ""
        word = "done" if step.state == "success" else step.state.upper()
        click.echo(f"{self.label(name)} {word} ({detail}{step.seconds:.1f} s)", err=True)


STARTUP_ROW = "Airflow start-up"


class LiveSteps(StepDisplay):
    """A rich live display on the terminal: Airflow's start-up, then one row per step, a bar
    for the batches."""

    def __init__(self, progress: LoadProgress) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        super().__init__(progress)
        self.live = Progress(
            SpinnerColumn(finished_text=" "),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self.startup = self.live.add_task(f"[bold]{STARTUP_ROW}", total=1)
        self.rows = {
            name: self.live.add_task(f"[dim]{self.shown(name)}", total=1, start=False)
            for name in self.names
        }

    def shown(self, name: str) -> str:
        """The step's label as rich markup: the task names come from Airflow's output."""
        from rich.markup import escape

        return escape(self.label(name))

    def __enter__(self) -> StepDisplay:
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()

    def changed(self, name: str) -> None:
        from rich.markup import escape

        if self.progress.ready_at is not None and not self.live.tasks[self.startup].finished:
            self.live.update(self.startup, description=f"[green]✓ {STARTUP_ROW}", completed=1)
            self.live.stop_task(self.startup)
        step = self.progress.steps[name]
        if name not in self.rows:
            self.rows[name] = self.live.add_task(self.shown(name), total=1, start=False)
        row = self.rows[name]
        if step.state == "pending" or (step.state == "running" and self.progress.ready_at is None):
            self.live.update(row, total=step.total)  # batches planned, or Airflow starting
            return
        if step.state == "running":
            self.live.start_task(row)
            self.live.update(
                row, description=f"[bold]{self.shown(name)}", total=step.total, completed=step.done
            )
            return
        ok = step.state == "success"
        mark = "[green]✓" if ok else f"[red]✗ {escape(step.state)}"
        self.live.update(
            row,
            description=f"{mark} {self.shown(name)}",
            total=step.total or 1,
            completed=step.done if ok else 0,
        )
        self.live.stop_task(row)
