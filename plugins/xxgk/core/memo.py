"""A memo for the per-line functions of extraction, cheaper per hit than ``lru_cache``.

Extraction calls a few pure functions of one line (its normalised form, its table pieces)
about a thousand times per report, mostly on lines seen before. A hit on ``Memo`` is one
plain dict lookup (~20 ns, against ~45 ns through ``functools.lru_cache``). When full the
memo is emptied rather than evicting one entry at a time: its values are derived, so
recomputing them is always right.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]`` is ``fn(key)``, computed once while it stays in the memo."""

    __slots__ = ("fn", "maxsize")

    def __init__(self, fn: Callable[[K], V], maxsize: int) -> None:
        super().__init__()
        self.fn, self.maxsize = fn, maxsize

    def __missing__(self, key: K) -> V:
        if len(self) >= self.maxsize:
            self.clear()
        value = self[key] = self.fn(key)
        return value
