"""Cells read by OCR: provenance, confidence, and a check by the table's own arithmetic.

OCR misreads digits (a ``1`` read as ``7``) with no sign of it in the text, so every cell
read from a page image is checked against the dictionary's rules (``xxgk.dictionary.rules``,
the reference evaluator: row totals, the table-三 balance, the subset and chain rules):

* a cell in a rule that holds as an equality is verified by it (a misread would break it);
* when rules fail, each low-confidence OCR'd cell (below ``CORRECTABLE``) in them is read
  again from its crop of the page (enlarged, binarised, its strokes thickened:
  ``xxgk.decode.ocr.read_again``); when exactly one change of one such cell — to a figure
  read again, or by a single digit — makes every failing rule hold without breaking
  another, that cell is corrected and an ``ocr_corrected`` issue records what was read;
  several such changes, or none, correct nothing, and so does a failing rule that names a
  cell the reader left unread (counted blank, it lets a misread balance by chance). A
  value read with high confidence is never changed: the publisher's own arithmetic errors
  are real findings (seed 001 prints 12 over parts summing to 10), not misreads;
* the OCR'd numbers no equality verified are listed in an ``ocr_unverified`` issue, with
  their confidence, which the cell record carries to ``fct_report_cells`` as well.

Never a silent guess: a value either is what was read, or a correction that is the only
one the arithmetic allows, said so in an issue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Final

from xxgk.decode.document import OcrCell
from xxgk.dictionary.rules import Rule, evaluate_clause, evaluate_rule, load_rules
from xxgk.extract.tables import Cell, Issue
from xxgk.extract.unread import UnreadCell, ocr_unverified

OCR_CORRECTED: Final = "ocr_corrected"
OCR_UNVERIFIED: Final = "ocr_unverified"
CORRECTABLE: Final = 0.97  # a digit read with more confidence is what was printed
_LISTED: Final = 20  # unverified cells named in the issue's message (the rest counted)
_GLUED_LABEL: Final = 48  # characters: a row label with its number glued, not a paragraph
_Values = dict[tuple[str, bool], float | None]
_COUNT: Final = re.compile(r"[0-9]{1,7}")
# crops → for each, the texts read again with their confidence (xxgk.decode.ocr.read_again)
ReadAgain = Callable[[list[Any]], list[list[tuple[str, float]]]]


def attach(cells: list[Cell], ocr_cells: Sequence[OcrCell]) -> dict[int, OcrCell]:
    """Give each table cell read by OCR its confidence and its page and box; return the
    OCR cell each was read from (by the table cell's ``id``).

    The table reader emits cells in reading order, as the OCR cells were recorded; each
    cell takes the next OCR cell whose text ends with its raw text (a label glued to its
    number is one OCR cell), so repeated values ('0') pair up in order."""
    pairs: dict[int, OcrCell] = {}
    at = 0
    for cell in cells:
        raw = str(cell["raw"]).strip()
        if not raw:
            continue
        for k in range(at, len(ocr_cells)):
            found = ocr_cells[k]
            if _holds(found.text, raw):
                cell["confidence"] = round(found.confidence, 4)
                x0, y0, x1, y1 = found.box
                cell["locator"] = f"{cell['locator']}, page {found.page}, box {x0} {y0} {x1} {y1}"
                pairs[id(cell)] = found
                at = k + 1
                break
    return pairs


def _holds(text: str, raw: str) -> bool:
    """Is ``raw`` the text of an OCR cell, or its end after a label ('行政规范性文件3'; not
    '10' for '0', nor a sentence of prose that happens to end in the digits)?"""
    if text == raw:
        return True
    text, raw = text.replace(" ", ""), raw.replace(" ", "")
    if len(text) > _GLUED_LABEL or not text.endswith(raw) or len(text) == len(raw):
        return False
    return not text[-len(raw) - 1].isdigit()


@cache
def _rules(format_id: str) -> tuple[Rule, ...]:
    """The rules that must hold within one report (no previous year, no precondition)."""
    return tuple(
        r
        for r in load_rules().get(format_id, ())
        if r.kind == "linear" and not r.precondition and not r.is_cross_year
    )


def _failing(rules: Sequence[Rule], values: _Values) -> list[Rule]:
    return [
        r
        for r in rules
        if r.severity == "error"
        and evaluate_rule(r, values, has_previous=False).outcome == "failed"
    ]


def _one_digit_changes(raw: str) -> Iterator[tuple[str, int]]:
    """Every text differing from ``raw`` (a plain count) in exactly one digit."""
    if not raw.isdigit() or len(raw) > 7:
        return
    for i, digit in enumerate(raw):
        for other in "0123456789":
            if other != digit and not (i == 0 and other == "0" and len(raw) > 1):
                text = raw[:i] + other + raw[i + 1 :]
                yield text, int(text)


def _codes(rule: Rule) -> Iterator[str]:
    return (code for clause in rule.clauses for code in clause.codes)


def _suspects(ocr: list[Cell], failing: list[Rule]) -> list[Cell]:
    """The OCR'd cells a failing rule names that a misread may explain: read with less
    confidence than ``CORRECTABLE``, and holding a value."""
    in_failing = {code for r in failing for clause in r.clauses for code in clause.codes}
    return [
        c
        for c in ocr
        if c["metric"] in in_failing and c["value"] is not None and c["confidence"] < CORRECTABLE
    ]


def _again(
    suspects: list[Cell], read_from: Mapping[int, OcrCell], read_again: ReadAgain | None
) -> dict[int, list[str]]:
    """Each suspect cell's crop read again: the plain counts read (by the cell's ``id``)."""
    crops = [(id(c), read_from[id(c)].image) for c in suspects if id(c) in read_from]
    crops = [(key, image) for key, image in crops if image is not None]
    if not crops or read_again is None:
        return {}
    readings = read_again([image for _, image in crops])
    return {
        key: [text for text, _ in found if _COUNT.fullmatch(text)]
        for (key, _), found in zip(crops, readings, strict=True)
    }


def _corrections(
    suspects: list[Cell], rules: Sequence[Rule], values: _Values, again: Mapping[int, list[str]]
) -> list[tuple[Cell, str, bool]]:
    """The changes of one suspect cell — to a text it was read as again, or by one digit —
    after which no error rule fails: (cell, text, read again)."""
    out: list[tuple[Cell, str, bool]] = []
    for cell in suspects:
        key = (cell["metric"], False)
        original = values[key]
        raw = str(cell["raw"]).strip()
        reread = [t for t in again.get(id(cell), []) if t != raw]
        texts = dict.fromkeys([*reread, *(t for t, _ in _one_digit_changes(raw))])
        for text in texts:
            values[key] = float(int(text))
            if not _failing(rules, values):
                out.append((cell, text, text in reread))
        values[key] = original
    return out


def _verified(rules: Sequence[Rule], values: _Values) -> set[str]:
    """Codes taking part in an equality that holds on present values."""
    out: set[str] = set()
    for rule in rules:
        for clause in rule.clauses:
            if clause.comparator != "==":
                continue
            result = evaluate_clause(clause, rule.null_policy, rule.tolerance, values)
            if result.outcome == "passed":
                out.update(code for code in clause.codes if values.get((code, False)) is not None)
    return out


def _where(cell: Cell) -> str:
    return str(cell["locator"]).split(", page")[0]


def check(
    cells: list[Cell],
    format_id: str,
    unread: list[UnreadCell] | None = None,
    read_from: Mapping[int, OcrCell] | None = None,
    read_again: ReadAgain | None = None,
) -> list[Issue]:
    """Check the OCR'd cells (those with a ``confidence``) by the format's rules; correct
    the one misread the arithmetic proves (reading again, through ``read_again``, the crops
    of the cells ``read_from`` gives: ``attach``'s pairs), and list what stays unverified
    (in the issue, and as unread cells in ``unread`` when given)."""
    ocr = [c for c in cells if "confidence" in c and c["metric"] is not None]
    if not ocr:
        return []
    rules = _rules(format_id)
    values: _Values = {(c["metric"], False): c["value"] for c in cells if c["metric"]}
    issues: list[Issue] = []
    failing = _failing(rules, values)
    # a rule naming a cell the reader left unread counts it as blank: a misread elsewhere may
    # then balance it by chance, so such rules prove no correction
    unknown = {u["metric"] for u in unread or () if u.get("metric")}
    if failing and not any(code in unknown for r in failing for code in _codes(r)):
        suspects = _suspects(ocr, failing)
        again = _again(suspects, read_from or {}, read_again) if suspects else {}
        fixes = _corrections(suspects, rules, values, again)
        if len(fixes) == 1:
            cell, text, reread = fixes[0]
            issues.append(_corrected(cell, text, [r.rule_id for r in failing], reread))
            values[(cell["metric"], False)] = cell["value"]
    verified = _verified(rules, values)
    unverified = [c for c in ocr if c["value"] is not None and c["metric"] not in verified]
    if unverified:
        issues.append(_unverified(unverified))
        if unread is not None:
            unread.extend(ocr_unverified(unverified))
    return issues


def _corrected(cell: Cell, text: str, rule_ids: list[str], reread: bool) -> Issue:
    read, confidence = cell["raw"], cell["confidence"]
    cell["raw"], cell["value"] = text, int(text)
    how = (
        "read again from the page, it is the only change"
        if reread
        else ("the only one-digit change")
    )
    return Issue(
        OCR_CORRECTED,
        "warning",
        f"{_where(cell)} ({cell['metric']}): OCR read '{read}' (confidence {confidence}); "
        f"'{text}' is {how} that makes {', '.join(rule_ids)} hold",
    )


def _unverified(cells: list[Cell]) -> Issue:
    listed = "; ".join(
        f"{_where(c)} '{c['raw']}' ({c['confidence']})"
        for c in sorted(cells, key=lambda c: float(c["confidence"]))[:_LISTED]
    )
    more = f" and {len(cells) - _LISTED} more" if len(cells) > _LISTED else ""
    return Issue(
        OCR_UNVERIFIED,
        "warning",
        f"{len(cells)} OCR'd value(s) no equality of the table checks, lowest confidence "
        f"first: {listed}{more}",
    )
