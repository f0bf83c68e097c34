"""Cells read by OCR: provenance, confidence, and a check by the table's own arithmetic.

OCR misreads digits (a ``1`` read as ``7``) with no sign of it in the text, so every cell
read from a page image is checked against the dictionary's rules (``xxgk.dictionary.rules``,
the reference evaluator: row totals, the table-三 balance, the subset and chain rules):

* a cell in a rule that holds as an equality is verified by it (a misread would break it);
* when rules fail and exactly one single-digit change of one low-confidence OCR'd cell
  (below ``CORRECTABLE``) makes every failing rule hold without breaking another, that cell
  is corrected and an ``ocr_corrected`` issue records what was read; several such changes,
  or none, correct nothing. A value read with high confidence is never changed: the
  publisher's own arithmetic errors are real findings (seed 001 prints 12 over parts
  summing to 10), not misreads;
* the OCR'd numbers no equality verified are listed in an ``ocr_unverified`` issue, with
  their confidence, which the cell record carries to ``fct_report_cells`` as well.

Never a silent guess: a value either is what was read, or a correction that is the only
one the arithmetic allows, said so in an issue.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import Final

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


def attach(cells: list[Cell], ocr_cells: Sequence[OcrCell]) -> None:
    """Give each table cell read by OCR its confidence and its page and box.

    The table reader emits cells in reading order, as the OCR cells were recorded; each
    cell takes the next OCR cell whose text ends with its raw text (a label glued to its
    number is one OCR cell), so repeated values ('0') pair up in order."""
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
                at = k + 1
                break


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


def _corrections(
    ocr: list[Cell], failing: list[Rule], rules: Sequence[Rule], values: _Values
) -> list[tuple[Cell, str]]:
    """The single-digit changes of one OCR'd cell under the failing rules after which no
    error rule fails."""
    in_failing = {code for r in failing for clause in r.clauses for code in clause.codes}
    out: list[tuple[Cell, str]] = []
    for cell in ocr:
        code = cell["metric"]
        if code not in in_failing or cell["value"] is None or cell["confidence"] >= CORRECTABLE:
            continue
        key = (code, False)
        original = values[key]
        for text, number in _one_digit_changes(str(cell["raw"]).strip()):
            values[key] = float(number)
            if not _failing(rules, values):
                out.append((cell, text))
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


def check(cells: list[Cell], format_id: str, unread: list[UnreadCell] | None = None) -> list[Issue]:
    """Check the OCR'd cells (those with a ``confidence``) by the format's rules; correct
    the one misread digit the arithmetic proves, and list what stays unverified (in the
    issue, and as unread cells in ``unread`` when given)."""
    ocr = [c for c in cells if "confidence" in c and c["metric"] is not None]
    if not ocr:
        return []
    rules = _rules(format_id)
    values: _Values = {(c["metric"], False): c["value"] for c in cells if c["metric"]}
    issues: list[Issue] = []
    failing = _failing(rules, values)
    if failing:
        fixes = _corrections(ocr, failing, rules, values)
        if len(fixes) == 1:
            cell, text = fixes[0]
            issues.append(_corrected(cell, text, [r.rule_id for r in failing]))
            values[(cell["metric"], False)] = cell["value"]
    verified = _verified(rules, values)
    unverified = [c for c in ocr if c["value"] is not None and c["metric"] not in verified]
    if unverified:
        issues.append(_unverified(unverified))
        if unread is not None:
            unread.extend(ocr_unverified(unverified))
    return issues


def _corrected(cell: Cell, text: str, rule_ids: list[str]) -> Issue:
    read, confidence = cell["raw"], cell["confidence"]
    cell["raw"], cell["value"] = text, int(text)
    return Issue(
        OCR_CORRECTED,
        "warning",
        f"{_where(cell)} ({cell['metric']}): OCR read '{read}' (confidence {confidence}); "
        f"'{text}' is the only one-digit change that makes {', '.join(rule_ids)} hold",
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
