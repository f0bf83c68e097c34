"""The report formats (SPEC §0), defined once: ids, which have statistics tables, and the
report years each national template was meant for (a format is decided by a table's labels,
never by the year: a year outside its range is a warning, not another format)."""

from __future__ import annotations

from typing import Final, Literal, get_args

TableFormat = Literal["old", "v2019", "v2021"]
ReportFormat = Literal[TableFormat, "narrative", "unknown"]

TABLE_FORMATS: Final[tuple[TableFormat, ...]] = get_args(TableFormat)
"""The table formats, oldest first."""
REPORT_FORMATS: Final[tuple[ReportFormat, ...]] = get_args(ReportFormat)
OLD, V2019, V2021 = TABLE_FORMATS
"""The table formats by name, for code that treats one of them apart."""
LATEST_TABLE_FORMAT: Final[TableFormat] = TABLE_FORMATS[-1]
"""The template in force: tables a report shares with it are read as it lays them out."""

YEAR_RANGES: Final[dict[TableFormat, tuple[int, int | None]]] = {
    OLD: (2008, 2018),  # 《条例》 of 2008; the national table of 2014 and provincial ones
    V2019: (2019, 2020),  # 国办公开办函〔2019〕60号
    V2021: (2021, None),  # 国办公开办函〔2021〕30号, still in force
}
"""First and last report year of each template (None: still in force)."""


def format_of_year(year: int) -> TableFormat:
    """The template meant for reports of ``year`` (the oldest one before its first year)."""
    for fmt in reversed(TABLE_FORMATS):
        if YEAR_RANGES[fmt][0] <= year:
            return fmt
    return TABLE_FORMATS[0]


def in_year_range(fmt: str, year: int) -> bool:
    """Whether ``year`` lies in ``fmt``'s template years (True for formats without tables)."""
    if fmt not in YEAR_RANGES:
        return True
    first, last = YEAR_RANGES[fmt]  # type: ignore[index]
    return first <= year and (last is None or year <= last)
