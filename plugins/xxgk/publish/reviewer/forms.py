"""The review on the pages: a finding's status and note, a cell's value source, and — in the
app only — the forms that record a decision.

The static site and the app render the same pages (``agency_page``); the static site passes
no :class:`ReviewForms`, so it shows what was decided and offers nothing to click. Notes and
every value from a report are HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any, Final

from xxgk.core.decisions import Decision
from xxgk.publish.reviewer.html import number

DECIDE_PATH: Final = "/decide"
STATUSES: Final = {
    "open": ("待审核", "open"),
    "confirmed": ("已确认", "confirmed"),
    "dismissed": ("已驳回", "dismissed"),
}
SOURCES: Final = {
    "text": ("文本", "text"),
    "ocr": ("OCR", "OCR"),
    "ocr_corrected": ("OCR 已校正", "OCR corrected"),
    "reviewer": ("审核员", "reviewer"),
    "cross_year": ("跨年度推定", "settled by the neighbouring year"),
}
PENDING: Final = "已记录，下次加载生效 · recorded, applied by the next <code>xxgk load</code>"


def _bi(pair: tuple[str, str]) -> str:
    return f'{escape(pair[0])} <span class="en">{escape(pair[1])}</span>'


def finding_status(f: Mapping[str, Any]) -> str:
    """A finding's review status, who decided and their note (escaped)."""
    status = f.get("review_status")
    if not status:
        return ""
    shown = STATUSES.get(str(status), (str(status), str(status)))
    who = f" · {escape(str(f['reviewer']))}" if f.get("reviewer") else ""
    note = f.get("review_note")
    said = f'<div class="review-note">“{escape(str(note))}”</div>' if note else ""
    return f'<div class="review review-{escape(str(status))}">{_bi(shown)}{who}{said}</div>'


def cell_source(c: Mapping[str, Any]) -> str:
    """Where a cell's value comes from; a reviewer's value shows the value as read too."""
    source = str(c.get("value_source") or "text")
    if source == "text":
        return ""
    shown = _bi(SOURCES.get(source, (source, source)))
    if source != "reviewer":
        # a cross_year value names the neighbouring report and the equation that decided it
        how = c.get("cross_year_evidence")
        said = f' <span class="evidence">{escape(str(how))}</span>' if how else ""
        return f'<div class="source">{shown}{said}</div>'
    read = "空 blank" if c.get("value_as_read") is None else number(c["value_as_read"])
    note = c.get("review_note")
    said = f" “{escape(str(note))}”" if note else ""
    return (
        f'<div class="source reviewed">{shown} · 原读 <span class="en">as read</span> '
        f"{escape(read)}{said}</div>"
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{escape(value)}">'


@dataclass(frozen=True)
class ReviewForms:
    """What the app adds to the pages: forms posting to ``/decide``, and the decisions
    recorded in the log but not loaded yet (shown as pending)."""

    back: str  # the page the forms return to
    pending: Mapping[str, Decision] = field(default_factory=dict)

    def _form(self, item_id: str, anchor: str, fields: str, buttons: str) -> str:
        return (
            f'<form class="decide" method="post" action="{DECIDE_PATH}">'
            f"{_hidden('item_id', item_id)}{_hidden('back', f'{self.back}#{anchor}')}"
            f"{fields}{buttons}</form>"
        )

    def _pending(self, item_id: str) -> str:
        decision = self.pending.get(item_id)
        if decision is None:
            return ""
        value = f" {escape(decision.value)}" if decision.value else ""
        note = f" “{escape(decision.note)}”" if decision.note else ""
        return (
            f'<div class="pending" data-decision="{escape(decision.decision_id)}">'
            f"{escape(decision.action)}{value}{note} · {escape(decision.reviewer)} · {PENDING}"
            "</div>"
        )

    def finding(self, f: Mapping[str, Any], anchor: str) -> str:
        item_id = str(f.get("review_item_id") or "")
        if not item_id:
            return ""
        fields = '<input name="note" placeholder="说明 note (why)" size="28" aria-label="note">'
        buttons = (
            '<button name="action" value="confirm">确认 confirm</button>'
            '<button name="action" value="dismiss">驳回 dismiss</button>'
        )
        return self._pending(item_id) + self._form(item_id, anchor, fields, buttons)

    def cell(self, c: Mapping[str, Any], anchor: str) -> str:
        item_id = str(c.get("review_item_id") or "")
        if not item_id:
            return ""
        # an unread cell (listed with its candidates) is resolved; a cell read is corrected
        action = "resolve" if "candidates" in c else "correct"
        candidates = c.get("candidates") or []
        options = "".join(
            f'<button name="value" value="{escape(number(v))}" class="candidate">'
            f"{escape(number(v))}</button>"
            for v in candidates
        )
        fields = (
            _hidden("action", action)
            + options
            + '<input name="value" size="6" placeholder="值 value" aria-label="value">'
            '<input name="note" size="12" placeholder="说明 note" aria-label="note">'
        )
        buttons = '<button type="submit">改 set</button>'
        return self._pending(item_id) + self._form(item_id, anchor, fields, buttons)

    def report(self, rep: Mapping[str, Any], anchor: str) -> str:
        item_id = str(rep.get("review_item_id") or "")
        if not item_id:
            return ""
        fields = (
            '<select name="action" aria-label="what">'
            '<option value="override_agency">机关 agency</option>'
            '<option value="override_year">年度 year</option>'
            '<option value="override_aggregate">汇总 aggregate (true/false)</option></select>'
            '<input name="value" size="16" placeholder="新值 new value" aria-label="value">'
            '<input name="note" size="16" placeholder="说明 note" aria-label="note">'
        )
        buttons = '<button type="submit">更正 override</button>'
        return self._pending(item_id) + self._form(item_id, anchor, fields, buttons)
