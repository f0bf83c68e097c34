"""OCR speed: scanned pages per second per core (prints figures; never a test).

Prints the bundled v2021 sample (samples/inbox/2021) through LibreOffice to PDF, renders its
table pages to an image-only PDF (200 dpi, as a scanner would), then extracts that PDF
``--runs`` times in this process, one OCR thread (``XXGK_OCR_THREADS``, default 1: batches
scale by processes). Speed is pages per CPU second of this process (``time.process_time``,
all threads counted), so other work on the machine slows it less than wall time.

    .venv/bin/python bench/ocr_speed.py            # 3 runs of 3 pages
    .venv/bin/python bench/ocr_speed.py --runs 5 --json
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

from xxgk.extract import extract_bytes  # noqa: E402

SAMPLE = REPO / "samples" / "inbox" / "2021" / "shilishi-tongjiju.html"
PAGES = (2, 3, 4)  # LibreOffice's page 1 of the sample is blank


def _scan(work: Path, dpi: int) -> bytes:
    import pypdfium2 as pdfium

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to print the sample: make browser")
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-bench-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
            + ["--convert-to", "pdf", "--outdir", str(work), str(SAMPLE)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    doc = pdfium.PdfDocument((work / f"{SAMPLE.stem}.pdf").read_bytes())
    images = [doc[n - 1].render(scale=dpi / 72).to_pil().convert("RGB") for n in PAGES]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-ocr-bench-") as work:
        data = _scan(Path(work), args.dpi)
    runs: list[dict[str, Any]] = []
    for _ in range(args.runs):
        cpu, wall = time.process_time(), time.perf_counter()
        record = extract_bytes(data, "scan.pdf")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        cells = sum(1 for c in record["cells"] if "confidence" in c)
        runs.append({"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "ocr_cells": cells})
    best = min(r["cpu_s"] for r in runs[1:] or runs)  # the first run also builds the engine
    out = {
        "pages": len(PAGES),
        "dpi": args.dpi,
        "runs": runs,
        "pages_per_cpu_second": round(len(PAGES) / best, 3),
        "cpu_seconds_per_page": round(best / len(PAGES), 2),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for r in runs:
            print(f"run: {r['cpu_s']} CPU s, {r['wall_s']} s wall, {r['ocr_cells']} OCR'd cells")
        print(
            f"{out['pages']} pages at {args.dpi} dpi: {out['pages_per_cpu_second']} pages/s "
            f"per core ({out['cpu_seconds_per_page']} CPU s a page)"
        )


if __name__ == "__main__":
    main()
