"""The ``xxgk`` command line: a thin shell over the package (no Airflow at import time)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xxgk.extract import extract_file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Warehouse of government information-disclosure annual reports (政府信息公开工作年度报告)."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON record per file (JSON Lines).")
def extract(files: tuple[Path, ...], as_json: bool) -> None:
    """Extract the statistics of report FILES (the contract of CONTRACT.md).

    Example: xxgk extract report.html --json
    """
    for path in files:
        record = extract_file(path)
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            ncells = sum(c["value"] is not None for c in record["cells"])
            click.echo(
                f"{path}: {record['status']} · {record['format']} · {record['report_year']} · "
                f"{record['agency'] or '?'} · {ncells}/{len(record['cells'])} cells with values"
                f" · {len(record['issues'])} issues"
            )
