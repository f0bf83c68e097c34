"""Hostile server and hostile bytes: the time and memory each case costs (prints figures;
never a test).

A server on 127.0.0.1 (``tests/support/hostile_site.py``) drips headers and bodies one
byte a second, floods a body with no end, and serves pager bombs; the crawler's client
(httpx), URL landing's (urllib) and a whole crawl are pointed at it. The parsers of
untrusted bytes that run outside the extraction worker (the script pager, a crawled page's
breadcrumb, ``<img`` scanning when planning batches) are timed on the inputs that were
quadratic, and ``xxgk extract`` on a PDF that takes hours to parse. For each case: wall
seconds, the peak of Python memory allocated during it (``tracemalloc``: bodies, URL lists,
parse trees) and the outcome.

    .venv/bin/python bench/hostile_http.py                 # the issue's cases, 5 s deadline
    .venv/bin/python bench/hostile_http.py --tiny --json   # seconds: what the test runs
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "plugins"), str(REPO)]

from tests.support.hostile_pdf import shared_stream_pdf  # noqa: E402
from tests.support.hostile_site import (  # noqa: E402
    COLUMN,
    Hostile,
    img_flood,
    nested_page,
    pager_bomb,
    serve,
    unclosed_pager,
)
from xxgk.extract.batches import plan_batches  # noqa: E402
from xxgk.extract.siblings import img_srcs  # noqa: E402
from xxgk.land.crawl import CrawlSettings, crawl  # noqa: E402
from xxgk.land.crawl_html import parse_page, script_pages  # noqa: E402
from xxgk.land.crawl_http import CrawlClient, Scope  # noqa: E402
from xxgk.land.fetch import Fetcher, FetchSettings  # noqa: E402


@dataclass(frozen=True)
class Scale:
    deadline_s: float
    drip_interval_s: float
    drip_bytes: int
    pager_bytes: int
    unclosed_bytes: int
    img_bytes: tuple[int, ...]
    max_pages: int
    extract_timeout_s: float
    max_bytes: int


FULL = Scale(5.0, 1.0, 600, 57_000, 1_500_000, (400_000, 16 << 20), 500, 30.0, 100 << 20)
TINY = Scale(1.0, 0.05, 100, 5_000, 50_000, (20_000,), 10, 2.0, 1 << 20)


def measure(run: Callable[[], dict[str, Any]], cpu_bound: bool = False) -> dict[str, Any]:
    """``run``'s outcome with its wall seconds and peak Python allocation (MB). A
    ``cpu_bound`` case runs twice: timed without ``tracemalloc`` (which slows every
    allocation several times), then traced for its memory; a case that waits on the
    network runs once, traced."""
    seconds: float | None = None
    if cpu_bound:
        start = time.monotonic()
        run()
        seconds = time.monotonic() - start
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.monotonic()
    try:
        outcome = run()
    finally:
        traced = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    wall = traced if seconds is None else seconds
    return {"seconds": round(wall, 2), "peak_mb": round(peak / 2**20, 1), **outcome}


def _crawler_get(settings: FetchSettings, url: str) -> dict[str, Any]:
    client = CrawlClient(settings, delay_s=0)
    try:
        answer = client.get(url, {}, Scope.of(url).in_column)
    finally:
        client.close()
    body = len(answer.body) if answer.body is not None else None
    return {"reason": answer.reason, "attempts": answer.attempts, "body_bytes": body}


def _urllib_get(settings: FetchSettings, url: str) -> dict[str, Any]:
    result = Fetcher(settings).fetch(url)
    body = len(result.body) if result.body is not None else None
    return {"reason": result.reason, "attempts": result.attempts, "body_bytes": body}


def _crawl(site: Hostile, page: bytes, scale: Scale, settings: FetchSettings) -> dict[str, Any]:
    site.pages[COLUMN + "index.html"] = page
    site.hits.clear()
    with tempfile.TemporaryDirectory() as inbox:
        summary = crawl(
            [site.base + COLUMN + "index.html"],
            Path(inbox),
            CrawlSettings(scale.max_pages, delay_s=0, fetch=settings),
        )
    return {
        "pages": summary.pages,
        "requests": sum(site.hits.values()),
        "page_cap_reached": summary.by_event.get("skipped", 0) > 0,
    }


def http_cases(scale: Scale) -> dict[str, dict[str, Any]]:
    settings = FetchSettings(
        deadline_s=scale.deadline_s,
        max_bytes=scale.max_bytes,
        host_interval_s=0,
        backoff_s=0.01,
        use_env_proxy=False,
    )
    site = Hostile(drip_interval_s=scale.drip_interval_s, drip_bytes=scale.drip_bytes)
    out: dict[str, dict[str, Any]] = {}
    with serve(site):
        for client, get in (("crawler", _crawler_get), ("url_landing", _urllib_get)):
            for case in ("drip-headers", "drip-body", "flood"):
                url = f"{site.base}{COLUMN}{case}.html"
                out[f"{client}/{case}"] = measure(lambda g=get, u=url: g(settings, u))
        bomb, unclosed = pager_bomb(scale.pager_bytes), unclosed_pager(scale.unclosed_bytes)
        out["crawl/pager_bomb"] = measure(lambda: _crawl(site, bomb, scale, settings))
        out["crawl/unclosed_pager"] = measure(lambda: _crawl(site, unclosed, scale, settings))
    return out


def _plan(page: bytes) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as raw:
        rows = []
        for name, data in (("report.html", page), ("t.png", b"\x89PNG\r\n\x1a\n" + bytes(64))):
            (Path(raw) / name).write_bytes(data)
            rows.append({"source_path": f"a/{name}", "raw_path": f"{raw}/{name}"})
        batches = plan_batches([{**r, "report_sha256": r["source_path"]} for r in rows], 10)
    return {"images_linked": sum(len(i.get("page_images", {})) for i in batches[0])}


def _extract(scale: Scale) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "slow.pdf"
        pdf.write_bytes(shared_stream_pdf())
        env = {**os.environ, "XXGK_EXTRACT_TIMEOUT_S": f"{scale.extract_timeout_s:g}"}
        xxgk = Path(sys.executable).with_name("xxgk")
        done = subprocess.run(
            [str(xxgk), "extract", str(pdf), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    record = json.loads(done.stdout)
    return {"status": record["status"], "reason": record["issues"][0]["code"]}


def parse_cases(scale: Scale) -> dict[str, dict[str, Any]]:
    base = "http://h/col/nj/index.html"
    bomb = pager_bomb(scale.pager_bytes).decode()
    unclosed = unclosed_pager(scale.unclosed_bytes).decode()
    nested = nested_page(scale.unclosed_bytes).decode()
    out = {
        "script_pages/pager_bomb": measure(
            lambda: {"urls": len(script_pages(bomb, base, scale.max_pages))}, cpu_bound=True
        ),
        "script_pages/unclosed": measure(
            lambda: {"urls": len(script_pages(unclosed, base))}, cpu_bound=True
        ),
        f"parse_page/nested_{scale.unclosed_bytes}_bytes": measure(
            lambda: {"links": len(parse_page(nested, base).links)}, cpu_bound=True
        ),
    }
    for size in scale.img_bytes:
        page = img_flood(size)
        out[f"img_srcs/{size}_bytes"] = measure(
            lambda p=page: {"srcs": len(list(img_srcs(p)))}, cpu_bound=True
        )
    page = img_flood(scale.img_bytes[0])
    out[f"plan_batches/{scale.img_bytes[0]}_bytes"] = measure(lambda: _plan(page), cpu_bound=True)
    out["xxgk_extract/shared_stream_pdf"] = measure(lambda: _extract(scale))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tiny", action="store_true", help="small inputs, 1 s deadline")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every refused page logs one; the figures say it all
    scale = TINY if args.tiny else FULL
    figures: dict[str, Any] = {
        "deadline_s": scale.deadline_s,
        "drip_interval_s": scale.drip_interval_s,
        "extract_timeout_s": scale.extract_timeout_s,
        "max_bytes": scale.max_bytes,
        "cases": {**http_cases(scale), **parse_cases(scale)},
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    print(f"deadline {scale.deadline_s:g} s, drip every {scale.drip_interval_s:g} s")
    for name, row in figures["cases"].items():
        rest = ", ".join(f"{k}={v}" for k, v in row.items() if k not in ("seconds", "peak_mb"))
        print(f"{name:36} {row['seconds']:8.2f} s {row['peak_mb']:8.1f} MB  {rest}")


if __name__ == "__main__":
    main()
