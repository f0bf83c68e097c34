"""``xxgk.core.memo.Memo``: each key computed once while it is held; a full memo starts over."""

from __future__ import annotations

from xxgk.core.memo import Memo


def test_a_key_is_computed_once_and_a_full_memo_starts_over() -> None:
    calls: list[str] = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo = Memo(shout, maxsize=2)
    assert [memo["a"], memo["a"], memo["b"]] == ["A", "A", "B"]
    assert calls == ["a", "b"]
    assert memo["c"] == "C"  # full: emptied, then holds only the new key
    assert dict(memo) == {"c": "C"}
    assert memo["a"] == "A" and calls == ["a", "b", "c", "a"]
