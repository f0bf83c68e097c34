"""Exceptions raised by the xxgk package."""

from __future__ import annotations


class XxgkError(Exception):
    """Base class of the package's errors."""


class UnreadableDocument(XxgkError):
    """A file that cannot be read as a report; ``reason`` is the quarantine reason code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class DbtCommandFailed(XxgkError):
    """A dbt command (``dbt build``, ``dbt docs generate``) did not succeed.

    ``failing_nodes`` lists the unique ids of the nodes that failed or errored, read from
    ``run_results.json``; it is empty when dbt stopped before running any node (a parse or
    connection error), in which case ``output_tail`` holds the end of dbt's output.
    """

    def __init__(
        self,
        command: str,
        returncode: int,
        failing_nodes: tuple[str, ...] = (),
        output_tail: str = "",
    ) -> None:
        if failing_nodes:
            detail = f"{len(failing_nodes)} node(s) failed: " + ", ".join(failing_nodes)
        else:
            detail = "no node results; dbt output ends with:\n" + output_tail
        super().__init__(f"dbt {command} failed (exit code {returncode}): {detail}")
        self.command = command
        self.returncode = returncode
        self.failing_nodes = failing_nodes
        self.output_tail = output_tail


class DbtBuildFailed(DbtCommandFailed):
    """``dbt build`` failed: a model errored or a data/unit test failed."""


class PipelineValidationFailed(XxgkError):
    """The structural GX suite failed: the warehouse content is broken, not just the reports.

    ``failing_expectations`` names the failed expectations of that suite; ``summary`` is the
    ``xxgk.quality.validate.ValidationSummary`` of the run (Data Docs are built before this
    is raised).
    """

    def __init__(self, suite: str, failing_expectations: tuple[str, ...], summary: object) -> None:
        detail = "; ".join(failing_expectations) or "(no expectation result)"
        super().__init__(f"structural suite {suite!r} failed: {detail}")
        self.suite = suite
        self.failing_expectations = failing_expectations
        self.summary = summary


class NothingToLoad(XxgkError):
    """No report file for a load: an empty inbox, or no file under ``inbox/<year>/`` for the
    years asked. ``xxgk load`` refuses it before Airflow starts (exit code 3) and the DAG's
    ``land`` task fails with the same line, so neither finishes green having loaded nothing."""
