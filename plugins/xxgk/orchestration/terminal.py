"""Tables for the terminal that fit its width: whole cells, never cut with an ellipsis.

Left to itself rich shrinks a wide table by cutting cells with ``…`` or cropping the
right-hand columns: a file name or an agency then loses exactly the part that told two rows
apart. Here the widths are decided first: numbers, years and file names keep their natural
width, the free-text columns (agency, rule, message) share what is left and fold inside their
cells, and when even that does not fit the least useful columns are left out, one at a time.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

PIPED_WIDTH: Final = 250  # piped output (a file, another program) is not wrapped to 80
MIN_FLEX: Final = 8  # narrowest a folding column gets before columns are left out
Justify = Literal["left", "right"]


@dataclass(frozen=True)
class Column:
    """How one result column is shown."""

    name: str  # the result's column
    header: str
    justify: Justify = "left"
    flex: bool = False  # folds to share the width left by the others
    cap: int = 0  # at most this wide (0: its content's width)
    drop_rank: int = 0  # 1 is left out first when the table does not fit; 0 never


def terminal_width() -> int:
    """The terminal's width; ``COLUMNS`` when set; a wide page when piped."""
    if os.getenv("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return PIPED_WIDTH


# C0 controls but tab and newline, DEL, C1 controls: ESC sequences would move the cursor,
# recolour or retitle the terminal (rich strips only BEL, BS, VT, FF and CR)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with its control characters written out (``\\x1b``), so that a value from
    a report reaches the terminal as characters, never as a terminal command."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def cell_text(value: Any) -> str:
    """A value as shown: blank for NULL, whole numbers without ``.0``, controls visible."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return visible(str(value))


def _natural(column: Column, texts: Sequence[str]) -> int:
    from rich.cells import cell_len

    width = max([cell_len(column.header), *(cell_len(t) for t in texts)])
    return min(width, column.cap) if column.cap else width


def widths(layout: Sequence[Column], texts: Sequence[Sequence[str]], width: int) -> dict[str, int]:
    """Column name → width for the columns shown within ``width`` (borders included)."""
    natural = {c.name: _natural(c, [t[i] for t in texts]) for i, c in enumerate(layout)}
    shown = list(layout)
    while True:
        fixed = sum(natural[c.name] for c in shown if not c.flex)
        flex = [c for c in shown if c.flex]
        free = width - (3 * len(shown) + 1) - fixed  # "│ x " per column and the last "│"
        if free >= MIN_FLEX * len(flex) or not any(c.drop_rank for c in shown):
            break
        shown.remove(min((c for c in shown if c.drop_rank), key=lambda c: c.drop_rank))
    out = {c.name: natural[c.name] for c in shown}
    out.update(_share(max(free, 0), {c.name: natural[c.name] for c in flex}))
    return out


def _share(free: int, wanted: dict[str, int]) -> dict[str, int]:
    """Split ``free`` fairly: a column needing less than an equal share gets what it needs,
    the rest is shared again among the others (none below ``MIN_FLEX``)."""
    out: dict[str, int] = {}
    left = dict(wanted)
    while left:
        share = free // len(left)
        small = {n: w for n, w in left.items() if w <= share}
        if not small:
            for i, name in enumerate(sorted(left)):  # the remainder one by one
                out[name] = max(MIN_FLEX, share + (i < free - share * len(left)))
            return out
        for name, need in small.items():
            out[name] = max(MIN_FLEX, need)
            free -= out[name]
            del left[name]
    return out


def render(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    layout: Sequence[Column],
    width: int | None = None,
) -> str:
    """The table as text at most ``width`` characters wide (CJK counted double)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = width or terminal_width()
    present = [c for c in layout if c.name in columns]
    index = [list(columns).index(c.name) for c in present]
    texts = [[cell_text(row[i]) for i in index] for row in rows]
    sizes = widths(present, texts, width)
    # every text as Text, never a str: rich reads a str as markup, and a report's agency
    # or file name with "[/x]" in it failed the whole table (MarkupError) or lost its "[b]"
    table = Table(title=Text(title) if title else None)
    kept = [n for n, c in enumerate(present) if c.name in sizes]
    for n in kept:
        c = present[n]
        table.add_column(
            Text(visible(c.header)),
            justify=c.justify,
            overflow="fold",
            width=sizes[c.name],
            no_wrap=c.justify == "right",
        )
    for text in texts:
        table.add_row(*(Text(text[n]) for n in kept))
    console = Console(width=width, color_system=None, soft_wrap=False)
    with console.capture() as capture:
        console.print(table)
    return capture.get()


QUALITY_LAYOUT: Final = (
    Column("year", "year"),
    Column("agency", "agency", flex=True, drop_rank=5),
    Column("file_name", "file", cap=32),
    Column("format", "format", drop_rank=1),
    Column("rule_id", "rule", flex=True),
    Column("severity", "severity", drop_rank=4),
    Column("lhs", "lhs", "right"),
    Column("rhs", "rhs", "right"),
    Column("difference", "diff", "right", drop_rank=3),
    Column("message", "message", flex=True, drop_rank=2),
)
"""``xxgk quality``: the file tells two reports of one agency-year apart, so it always stays."""


def query_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None
) -> str:
    """A query result for ``xxgk sql``: a grid when every value fits whole, else one block
    per row (``column  value`` lines, like psql's expanded display), since a ``select *``
    of 40 columns squeezed into a grid shows ``…`` in every cell. NULL reads ``NULL``."""
    from rich.cells import cell_len

    from xxgk.publish.result_text import shown

    width = width or terminal_width()
    texts = [[visible(shown(v)) for v in row] for row in rows]
    columns = [visible(str(c)) for c in columns]
    natural = [
        max([cell_len(str(c)), *(cell_len(t[i]) for t in texts)]) for i, c in enumerate(columns)
    ]
    if sum(natural) + 3 * len(columns) + 1 <= width:
        layout = [Column(str(c), str(c), _justify(rows, i)) for i, c in enumerate(columns)]
        return render("", [str(c) for c in columns], texts, layout, width)
    label = max((cell_len(str(c)) for c in columns), default=0)
    blocks = []
    for n, text in enumerate(texts, start=1):
        lines = [f"-[ row {n} ]" + "-" * max(0, min(width, 40) - 12 - len(str(n)))]
        lines += [
            f"{c}{' ' * (label - cell_len(str(c)))} | {t}"
            for c, t in zip(columns, text, strict=True)
        ]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _justify(rows: Sequence[Sequence[Any]], index: int) -> Justify:
    values = [r[index] for r in rows if r[index] is not None]
    numeric = values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return "right" if numeric else "left"
