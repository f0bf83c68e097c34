"""Degraded scans: cells read back from scanned copies of reports whose cells are known
(prints figures; never a test).

Each known report — the hand-read dev truth of ../shared/eval/real and eval/hard, or the
bundled samples (``--reports samples``) — is printed as a Word document through LibreOffice
and imaged (``tests/support/scans.py``): degraded by default (150 dpi, tilted 0.6°, JPEG
quality 60: a photocopy or a phone scan), and clean (200 dpi) with ``--clean``. Each scan is
extracted in this process, one OCR thread (``XXGK_OCR_THREADS``, default 1); a known cell
is *read* when the record has its value, *wrong* when it has another value, *unread*
otherwise. Seconds are this process's CPU seconds (``time.process_time``) per scan, the
OCR engine built before the first. The page cap and time limit are lifted
(``XXGK_OCR_MAX_PAGES``, ``XXGK_OCR_PAGE_TIMEOUT_S``): what is measured is reading, not the
machine's load. The printed reports are cached under ``--work``. ``--equal-columns`` prints
the tables with columns of one width (labels wrapped a few characters a line, rows taller and
more often cut by a page break), ``--dpi/--tilt/--jpeg`` set the degradation.

    .venv/bin/python bench/degraded_scans.py                    # the dev sets, degraded
    .venv/bin/python bench/degraded_scans.py --clean --equal-columns --json
    .venv/bin/python bench/degraded_scans.py --reports samples --only sample:2021 --tables 4
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "plugins")]
os.environ.setdefault("XXGK_OCR_MAX_PAGES", "50")
os.environ.setdefault("XXGK_OCR_PAGE_TIMEOUT_S", "600")

from tests.support.known import dev_truth, samples  # noqa: E402
from tests.support.scans import CLEAN, Degradation, print_pdfs, report_docx, scan_pdf  # noqa: E402
from xxgk.dictionary.metrics import table_no_of  # noqa: E402
from xxgk.extract import extract_bytes  # noqa: E402
from xxgk.synthetic.grids import KnownReport, printed_cells  # noqa: E402


def _reports(which: str, only: list[str]) -> list[KnownReport]:
    found = list(samples() if which == "samples" else dev_truth())
    if which == "dev" and not found:
        sys.exit("../shared/eval is not beside the checkout: use --reports samples")
    if only:
        found = [r for r in found if any(r.name.startswith(o) for o in only)]
    return found


def _pdfs(reports: list[KnownReport], args: argparse.Namespace, work: Path) -> dict[str, bytes]:
    """Each report printed to PDF (cached by name, type size and tables)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    tables = "".join(map(str, args.tables)) or "all"
    key = f"pt{args.table_pt:g}-t{tables}{'-equal' if args.equal_columns else ''}"
    cache = work / key
    names = {r.name: r.name.replace("/", "-").replace(":", "-") for r in reports}
    missing = [r for r in reports if not (cache / "pdf" / f"{names[r.name]}.pdf").exists()]
    if missing:
        if soffice is None:
            sys.exit("LibreOffice (soffice) is needed to print the reports: make browser")
        documents = {
            names[r.name]: report_docx(
                r, args.table_pt, args.tables, equal_columns=args.equal_columns
            )
            for r in missing
        }
        print_pdfs(soffice, documents, cache)
    return {r.name: (cache / "pdf" / f"{names[r.name]}.pdf").read_bytes() for r in reports}


def _measure(
    report: KnownReport, pdf: bytes, how: Degradation, tables: list[int]
) -> dict[str, Any]:
    data, pages = scan_pdf(pdf, how)
    cpu = time.process_time()
    record = extract_bytes(data, f"{report.name.replace('/', '-')}.pdf")
    cpu = time.process_time() - cpu
    want = {
        m: v for m, v in printed_cells(report).items() if table_no_of(m) in tables or not tables
    }
    got = {c["metric"]: c["value"] for c in record["cells"] if c["metric"]}
    wrong = {m: [v, got[m]] for m, v in want.items() if got.get(m) is not None and got[m] != v}
    read = sum(1 for m, v in want.items() if m in got and got[m] == v)
    unread = sorted(m for m, v in want.items() if m not in wrong and (m not in got or got[m] != v))
    return {
        "report": report.name,
        "format": record["format"],
        "pages": pages,
        "cells": len(want),
        "read": read,
        "wrong": len(wrong),
        "wrong_cells": wrong,
        "unread_cells": unread,
        "ocr_corrected": sum(i["code"] == "ocr_corrected" for i in record["issues"]),
        "cpu_s": round(cpu, 2),
    }


def _total(rows: list[dict[str, Any]], how: Degradation) -> dict[str, Any]:
    cells, read = sum(r["cells"] for r in rows), sum(r["read"] for r in rows)
    pages, cpu = sum(r["pages"] for r in rows), sum(r["cpu_s"] for r in rows)
    return {
        "scan": how.name,
        "reports": len(rows),
        "pages": pages,
        "cells": cells,
        "read": read,
        "read_share": round(read / cells, 4) if cells else None,
        "wrong": sum(r["wrong"] for r in rows),
        "ocr_corrected": sum(r["ocr_corrected"] for r in rows),
        "cpu_s": round(cpu, 1),
        "cpu_s_per_page": round(cpu / pages, 2) if pages else None,
        "by_report": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", choices=("dev", "samples"), default="dev")
    ap.add_argument("--only", nargs="*", default=[], help="report names starting so")
    ap.add_argument("--tables", type=int, nargs="*", default=[], help="print only these")
    ap.add_argument("--table-pt", type=float, default=10.5, help="tables' type size")
    ap.add_argument(
        "--equal-columns", action="store_true", help="tables' columns of one width, as inserted"
    )
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--tilt", type=float, default=0.6, help="degrees")
    ap.add_argument("--jpeg", type=int, default=60, help="quality; 0: lossless")
    ap.add_argument("--clean", action="store_true", help="also a clean 200 dpi scan")
    ap.add_argument("--work", type=Path, help="cache of printed reports (default: temporary)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    reports = _reports(args.reports, args.only)
    if not reports:
        sys.exit("no report matches --only")
    how = Degradation(args.dpi, args.tilt, args.jpeg or None)
    scans = [CLEAN, how] if args.clean else [how]
    with tempfile.TemporaryDirectory(prefix="xxgk-scans-") as tmp:
        pdfs = _pdfs(reports, args, args.work or Path(tmp))
        extract_bytes(scan_pdf(next(iter(pdfs.values())), CLEAN, [1])[0], "warm-up.pdf")
        out = []
        for scan in scans:
            rows = []
            for report in reports:
                rows.append(_measure(report, pdfs[report.name], scan, args.tables))
                if not args.json:
                    r = rows[-1]
                    print(
                        f"{r['report']:<12} {r['read']:>4}/{r['cells']:<4} wrong {r['wrong']}"
                        f"  {r['pages']} p  {r['cpu_s']:>6.1f} CPU s  {r['wrong_cells'] or ''}",
                        flush=True,
                    )
            out.append(_total(rows, scan))
            if not args.json:
                t = out[-1]
                share = 100 * (t["read_share"] or 0)
                print(
                    f"{t['scan']}: cells {t['read']}/{t['cells']} ({share:.1f}%)"
                    f", wrong {t['wrong']}, {t['ocr_corrected']} corrected by the arithmetic, "
                    f"{t['pages']} pages, {t['cpu_s']} CPU s "
                    f"({t['cpu_s_per_page']} a page)",
                    flush=True,
                )
    if args.json:
        print(json.dumps({"scans": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()
