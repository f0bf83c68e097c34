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
