"""Inline SVG charts of the reviewer's pages (the machine is offline: no CDN, no script).

Each mark carries ``data-*`` attributes with what it shows (year, value, key), so tests and
a curious reviewer can read the numbers back from the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Final

from xxgk.publish.reviewer.html import CATEGORIES, label, number

COLOURS: Final = {"error": "#d92d20", "warning": "#f79009", "value": "#2563eb"}
_EMPTY: Final = '<p class="note">{zh} <span class="en">{en}</span></p>'


def _svg(width: int, height: int, aria: str, parts: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(aria)}">'
        + "".join(parts)
        + "</svg>"
    )


def failures_by_family(counts: Mapping[str, Mapping[str, int]]) -> str:
    """Horizontal stacked bars: failed results per check family, errors and warnings."""
    if not counts:
        return _EMPTY.format(zh="没有未通过的规则", en="no failed rule")
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    top = max(sum(c.values()) for _, c in rows)
    width, bar_x, row_h = 860, 360, 26
    height = row_h * len(rows) + 30
    parts = []
    for i, (category, by_severity) in enumerate(rows):
        y = i * row_h + 4
        zh, en = label(CATEGORIES, category)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(zh)} · {escape(en)}</text>')
        x = float(bar_x)
        for severity in ("error", "warning"):
            n = by_severity.get(severity, 0)
            w = (width - bar_x - 50) * n / top
            if w:
                parts.append(
                    f'<rect class="bar" data-key="{escape(category)}" '
                    f'data-severity="{severity}" data-value="{n}" x="{x:.1f}" y="{y}" '
                    f'width="{w:.1f}" height="18" fill="{COLOURS[severity]}"><title>'
                    f"{severity}: {n}</title></rect>"
                )
                x += w
        total = sum(by_severity.values())
        parts.append(f'<text x="{x + 5:.1f}" y="{y + 14}" font-size="12">{total}</text>')
    legend_y = height - 8
    parts.append(
        f'<rect x="{bar_x}" y="{legend_y - 10}" width="10" height="10" '
        f'fill="{COLOURS["error"]}"/><text x="{bar_x + 14}" y="{legend_y}" '
        f'font-size="11">错误 error</text><rect x="{bar_x + 90}" y="{legend_y - 10}" '
        f'width="10" height="10" fill="{COLOURS["warning"]}"/><text x="{bar_x + 104}" '
        f'y="{legend_y}" font-size="11">警告 warning</text>'
    )
    return _svg(width, height, "failed rules per check family", parts)


def year_columns(
    points: Sequence[tuple[int, float | None]],
    *,
    aria: str,
    width: int = 560,
    height: int = 220,
) -> str:
    """One column per year from the first to the last year; a year without a value is "—".

    Args:
        points: (year, value) pairs; value ``None`` = reports of that year print no number.
        aria: the chart's accessible name.
        width: SVG width in pixels.
        height: SVG height in pixels.

    Returns:
        The ``<svg>`` element, or a note when there is no year at all.
    """
    by_year = {year: value for year, value in points}
    if not by_year:
        return _EMPTY.format(zh="没有数据", en="no data")
    years = list(range(min(by_year), max(by_year) + 1))
    top = max((v for v in by_year.values() if v is not None), default=0.0) or 1.0
    left, bottom, head = 10, 24, 18
    slot = (width - left * 2) / len(years)
    plot_h = height - bottom - head
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" '
        f'y2="{height - bottom}" stroke="#9aa5b1"/>'
    ]
    for i, year in enumerate(years):
        value = by_year.get(year)
        cx = left + slot * (i + 0.5)
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{year}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom - 4}" font-size="11" '
                f'text-anchor="middle" fill="#9aa5b1">—</text>'
            )
            continue
        h = plot_h * value / top
        parts.append(
            f'<rect class="col" data-year="{year}" data-value="{number(value)}" '
            f'x="{cx - slot * 0.3:.1f}" y="{height - bottom - h:.1f}" '
            f'width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{COLOURS["value"]}">'
            f"<title>{year}: {number(value)}</title></rect>"
            f'<text x="{cx:.1f}" y="{height - bottom - h - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{number(value)}</text>'
        )
    return _svg(width, height, aria, parts)


def labelled_bars(
    rows: Sequence[tuple[str, str, str, float | None]], *, aria: str, width: int = 640
) -> str:
    """Horizontal bars with a bilingual label each, in the order given.

    Args:
        rows: (key, Chinese label, English label, value); value ``None`` = never printed.
        aria: the chart's accessible name.
        width: SVG width in pixels.

    Returns:
        The ``<svg>`` element, or a note when there is no row.
    """
    if not rows:
        return _EMPTY.format(zh="没有数据", en="no data")
    top = max((v for *_, v in rows if v is not None), default=0.0) or 1.0
    bar_x, row_h = 330, 36  # Chinese label above the English one, left of the bar
    parts = []
    for i, (key, zh, en, value) in enumerate(rows):
        y = i * row_h + 4
        w = (width - bar_x - 50) * (value or 0.0) / top
        short = en if len(en) <= 52 else en[:51] + "…"
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="12">{escape(zh)}</text>'
            f'<text x="0" y="{y + 26}" font-size="10" fill="#616e7c">{escape(short)}'
            f"<title>{escape(en)}</title></text>"
            f'<rect class="bar" data-key="{escape(key)}" data-value="{number(value)}" '
            f'x="{bar_x}" y="{y + 4}" width="{w:.1f}" height="18" '
            f'fill="{COLOURS["value"]}"><title>{escape(zh)}: {number(value)}</title>'
            f'</rect><text x="{bar_x + w + 5:.1f}" y="{y + 18}" font-size="12">'
            f"{number(value)}</text>"
        )
    return _svg(width, row_h * len(rows) + 8, aria, parts)
