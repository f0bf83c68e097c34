"""Numbers stated in prose ("主动公开政府信息142条"), as facts with their sentence.

Known facts come from the dictionary's ``narrative_facts`` patterns; every other counted
number in prose (a number followed by a counting unit, or a percentage) is kept as a
generic ``stated_count`` / ``stated_percentage`` fact, so nothing said in words is lost.
Narrative numbers are never table cells.
"""

from __future__ import annotations

import re
import re._parser as re_parser  # the regex parser, to find a pattern's literal runs
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xxgk.core.text import simplify
from xxgk.dictionary.metrics import narrative_fact_specs
from xxgk.extract.values import MAX_DIGITS, as_number, chinese_numeral

_ENDS = "。；;！!？?"  # sentence-ending punctuation; a line break ends a sentence too
_SENTENCE = re.compile(f"[^{_ENDS}\n]+[{_ENDS}]?")
_SENTENCE_END = re.compile(f"[{_ENDS}\n]")
# '\d\d*', not '\d+': a pattern opening with a single character class lets the regex
# engine skip to the next digit in C instead of trying a match at every character
# '(?<!\d\d)' after the first digit: a number starts where a digit run starts (a try from
# inside the run could only match what the try from its start matched)
_COUNT = re.compile(
    r"(?P<n>\d(?<!\d\d)\d*(?:\.\d+)?)\s*(?P<approx>余|多|多余)?\s*"
    r"(?P<unit>人次|件次|条|件|篇|次|期|个|项|名|场|份|家|批|万元|元|人)"
)
_PERCENT = re.compile(r"(?P<n>\d(?<!\d\d)\d*(?:\.\d+)?)\s*%")
_APPROX_BEFORE = re.compile(r"(约|近|超过|逾|达|共计约)$")
_NOT_A_COUNT_BEFORE = re.compile(r"(〔|\[|第|号|编号|电话|邮编|传真)$")
# a sentence can only state a fact with a digit, a Chinese numeral or a negation ('未收到…')
_WORTH_READING = re.compile(r"[\d零〇一二两三四五六七八九十百千无未没不]")
# A digit run can be tried from each of its digits, each try scanning to its end: quadratic
# in the run (20,000 digits took 35 s). Runs longer than any value are masked, length kept so
# offsets hold, before any pattern runs; what is left is bounded per run, so linear overall.
_LONG_RUN = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


@dataclass(frozen=True)
class Fact:
    fact: str
    value: float | int
    approx: bool
    text: str
    unit: str | None = None


@dataclass(frozen=True)
class _Pattern:
    fact: str
    rx: re.Pattern[str]
    value: int | None  # the fact's fixed value ('未收到…申请' → 0), else read from the match
    keys: tuple[str, ...]  # every match contains one of these; () when unknown
    runs: tuple[str, ...]  # every match contains all of these (a pattern without branches)

    def sentences(self, prose: str, starts: list[int]) -> Iterator[int]:
        """Indexes of the sentences (by start offset) that may match: those holding a key.
        Every sentence when the pattern has no key."""
        if not self.keys or any(_SENTENCE_END.search(k) for k in self.keys):
            yield from range(len(starts))
            return
        for key in self.keys:
            at = prose.find(key)
            while at >= 0:
                yield bisect_right(starts, at) - 1
                at = prose.find(key, at + 1)


def _literal_runs(items: list[tuple[Any, Any]]) -> tuple[str, ...]:
    """Runs of consecutive literal characters every match of the sequence contains."""
    runs, run = [], ""
    for op, arg in items:
        if op is re_parser.LITERAL:
            run += chr(arg)
        else:
            runs.append(run)
            run = ""
    return tuple(r for r in [*runs, run] if r)


def _branch_keys(branches: list[list[tuple[Any, Any]]]) -> tuple[str, ...] | None:
    keys = [_sequence_keys(b) for b in branches]
    return None if any(k is None for k in keys) else tuple(x for k in keys if k for x in k)


def _sequence_keys(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    """Strings one of which every match of the sequence contains: its longest literal run,
    else the alternatives of a group it cannot skip ('(无|未收到|没有收到)')."""
    runs = _literal_runs(items)
    if runs:
        return (max(runs, key=len),)
    for op, arg in items:
        body = list(arg[3]) if op is re_parser.SUBPATTERN else []
        if len(body) == 1 and body[0][0] is re_parser.BRANCH:
            keys = _branch_keys([list(b) for b in body[0][1][1]])
            if keys:
                return keys
    return None


def _literals(pattern: str) -> list[tuple[Any, Any]] | None:
    """The parsed items of ``pattern``; None when it ignores case (no literal is certain)."""
    parsed = re_parser.parse(pattern)
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def _needed_keys(items: list[tuple[Any, Any]]) -> tuple[str, ...]:
    if len(items) == 1 and items[0][0] is re_parser.BRANCH:
        keys = _branch_keys([list(b) for b in items[0][1][1]])
    else:
        keys = _sequence_keys(items)
    return keys or ()


def _needed_runs(items: list[tuple[Any, Any]]) -> tuple[str, ...]:
    if any(op is re_parser.BRANCH for op, _ in items):
        return ()
    return _literal_runs(items)


@lru_cache(maxsize=1)
def _patterns() -> list[_Pattern]:
    out = []
    for spec in narrative_fact_specs():
        try:
            rx = re.compile(spec["pattern"])
        except re.error:
            continue
        items = _literals(spec["pattern"])
        out.append(
            _Pattern(
                spec["fact"],
                rx,
                spec.get("value"),
                _needed_keys(items) if items is not None else (),
                _needed_runs(items) if items is not None else (),
            )
        )
    return out


def _num(text: str) -> float | int | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return as_number(text)
    return chinese_numeral(text)


def _masked(prose: str) -> str:
    return _LONG_RUN.sub(lambda m: "#" * len(m.group()), prose)


def _known_facts(
    sentence: str, text: str, patterns: list[_Pattern]
) -> list[tuple[Fact, tuple[int, int]]]:
    """Facts of the dictionary's patterns in ``sentence`` (masked); ``text`` is its original."""
    out: list[tuple[Fact, tuple[int, int]]] = []
    for pattern in patterns:
        if not all(map(sentence.__contains__, pattern.runs)):
            continue  # a literal every match needs is missing: the regex cannot match
        fact, rx, fixed = pattern.fact, pattern.rx, pattern.value
        for m in rx.finditer(sentence):
            if fixed is not None:
                out.append((Fact(fact, fixed, False, text), m.span()))
                continue
            for name, val in m.groupdict().items():
                if val is None or (v := _num(val)) is None:
                    continue
                tail = sentence[m.end(name) : m.end(name) + 2]
                name_fact = {
                    "ft": "staff_fulltime",
                    "pt": "staff_parttime",
                    "pt2": "staff_parttime",
                }.get(name, fact)
                out.append((Fact(name_fact, v, tail.startswith(("余", "多")), text), m.span(name)))
    return out


def _patterns_by_sentence(prose: str, starts: list[int]) -> dict[int, list[_Pattern]]:
    """Sentence index → the known-fact patterns worth running on it, in dictionary order.

    One substring scan of the whole prose per pattern replaces a test per sentence."""
    out: dict[int, list[_Pattern]] = {}
    for pattern in _patterns():
        for i in sorted(set(pattern.sentences(prose, starts))):
            out.setdefault(i, []).append(pattern)
    return out


def _by_sentence(
    rx: re.Pattern[str], prose: str, starts: list[int]
) -> dict[int, list[re.Match[str]]]:
    """Matches of ``rx`` in the whole prose, by sentence index (one C-level scan instead of
    one per sentence). A match spanning a line break would span two sentences: dropped."""
    out: dict[int, list[re.Match[str]]] = {}
    for m in rx.finditer(prose):
        if "\n" not in m.group():
            out.setdefault(bisect_right(starts, m.start()) - 1, []).append(m)
    return out


def narrative_facts(lines: list[str]) -> list[Fact]:
    """Facts stated in the report's prose (table rows excluded)."""
    original = simplify("\n".join([ln for ln in lines if "|" not in ln and "¦" not in ln]))
    prose = _masked(original)
    found = list(_SENTENCE.finditer(prose))
    starts = [m.start() for m in found]
    by_sentence = _patterns_by_sentence(prose, starts)
    # only sentences with a pattern's key or a counted number can state a fact
    counts = _by_sentence(_COUNT, prose, starts)
    percents = _by_sentence(_PERCENT, prose, starts) if "%" in prose else {}
    facts: list[Fact] = []
    for i in sorted(by_sentence.keys() | counts.keys() | percents.keys()):
        text = original[found[i].start() : found[i].end()].strip()
        facts.extend(
            _sentence_facts(
                found[i], text, by_sentence.get(i, []), counts.get(i, []), percents.get(i, [])
            )
        )
    return facts


def _sentence_facts(
    found: re.Match[str],
    text: str,
    patterns: list[_Pattern],
    counts: list[re.Match[str]],
    percents: list[re.Match[str]],
) -> list[Fact]:
    sentence, offset = found.group(0), found.start()
    if len(sentence.strip()) < 4 or not _WORTH_READING.search(sentence):
        return []
    known = _known_facts(sentence, text, patterns) if patterns else []
    facts = [f for f, _ in known]
    taken = [span for _, span in known]
    for m in counts:
        n_at = m.start("n") - offset
        if any(a <= n_at < b for a, b in taken):
            continue
        at = m.start() - offset
        before = sentence[max(0, at - 4) : at]
        if _NOT_A_COUNT_BEFORE.search(before):
            continue
        value = _num(m["n"])
        if value is None:
            continue
        approx = bool(m["approx"]) or bool(_APPROX_BEFORE.search(before))
        facts.append(Fact("stated_count", value, approx, text, m["unit"]))
    for m in percents:
        value = _num(m["n"])
        if value is not None:
            end = m.end() - offset
            approx = "以上" in sentence[end : end + 3]
            facts.append(Fact("stated_percentage", value, approx, text, "%"))
    return facts
