"""``xxgk review serve``: the reviewer's pages as a local web app on 127.0.0.1.

The pages are the static site's (``xxgk.publish.reviewer``: one code path), rendered per
request from the warehouse (opened read-only for each request, so a load can take the write
lock between two clicks), plus the forms of :class:`ReviewForms`. A decision is appended to
the log at once and shown as recorded; the next ``xxgk load`` applies it to the marts.
Starlette and uvicorn come with Airflow 3 (no framework of our own to install).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from xxgk.core.paths import DataDir
from xxgk.publish.review.decide import InvalidDecision, decide
from xxgk.publish.review.items import UnknownItem, pending_by_item, read_state
from xxgk.publish.reviewer import queries
from xxgk.publish.reviewer.agency_page import render_agency_page
from xxgk.publish.reviewer.forms import PENDING, ReviewForms
from xxgk.publish.reviewer.html import document
from xxgk.publish.reviewer.overview import AGENCY_DIR
from xxgk.publish.reviewer.site import agency_pages, overview_html
from xxgk.publish.views import connect

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

HOST: Final = "127.0.0.1"
# the static site's relative link from report.html, served by the app at the same path
DBT_DOCS_HREF: Final = DataDir(Path()).dbt_docs.relative_to(DataDir(Path()).quality).as_posix()
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
_DECISIONS_HEAD: Final = (
    "决定 decision",
    "对象 item",
    "动作 action",
    "值 value",
    "说明 note",
    "审核员 reviewer",
    "时间 when",
    "状态 state",
)


def _html(body: str, status: int = 200) -> Response:
    from starlette.responses import HTMLResponse

    return HTMLResponse(body, status_code=status)


def _error(message: str, status: int = 400) -> Response:
    return _html(
        document(
            "错误 Error",
            [
                '<h1>错误 <span class="en">error</span></h1>',
                f'<p class="error">{escape(message)}</p>',
                '<p><a href="javascript:history.back()">← 返回 back</a></p>',
            ],
        ),
        status,
    )


def _safe_back(back: str) -> str:
    """Only a path of this app (no other host) is a place to return to."""
    return back if back.startswith("/") and not back.startswith("//") else "/"


def _decisions_page(warehouse: Path) -> str:
    state = read_state(warehouse)
    rows = [
        (d["decision_id"], d["item_id"], d["action"], d["decided_value"], d["note"],
         d["reviewer"], d["decided_at"], d["review_state"]
         + (f": {d['stale_reason']}" if d.get("stale_reason") else ""))
        for d in state.decisions
    ] + [
        (d.decision_id, d.item_id, d.action, d.value, d.note, d.reviewer, d.decided_at,
         "pending: `xxgk load` applies it")
        for d in state.pending
    ]  # fmt: skip
    body = "".join(
        f'<tr class="state-{escape(str(r[7]).split(":")[0])}">'
        + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r)
        + "</tr>"
        for r in rows
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in _DECISIONS_HEAD)
    return document(
        "审核决定 Review decisions",
        [
            '<p><a href="/">← 数据质量报告 <span class="en">data-quality report</span></a></p>',
            f'<h1>审核决定 <span class="en">review decisions</span> ({len(rows)})</h1>',
            f'<p class="note">{PENDING}</p>',
            f'<table id="decisions"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>',
        ],
    )


def _raw_href(sha256: str) -> str:
    return f"/raw/{sha256}"


class _Pages:
    """The app's endpoints over one warehouse."""

    def __init__(self, warehouse: Path, reviewer: str | None = None) -> None:
        self.warehouse = warehouse
        self.reviewer = reviewer

    def overview(self, request: Request) -> Response:
        href = DBT_DOCS_HREF if DataDir.of(self.warehouse).dbt_docs.is_file() else None
        with connect(self.warehouse) as con:
            agencies, pages = agency_pages(con)
            page = overview_html(
                con, agencies, pages, datetime.now(UTC), dbt_docs=href, raw_href=_raw_href
            )
        nav = '<p><a href="/decisions">审核决定 <span class="en">review decisions</span></a></p>'
        return _html(page.replace("<body>", f"<body>{nav}", 1))

    def agency(self, request: Request) -> Response:
        name = str(request.path_params["page"])
        with connect(self.warehouse) as con:
            _, pages = agency_pages(con)
            key = next((k for k, p in pages.items() if p == name), None)
            if key is None:
                return _error(f"no agency page {name}", 404)
            view = next(queries.iter_agency_views(con, [key]))
        pending = pending_by_item(read_state(self.warehouse).pending)
        forms = ReviewForms(back=f"/{AGENCY_DIR}/{name}", pending=pending)
        return _html(render_agency_page(view, raw_href=_raw_href, forms=forms))

    def decisions(self, request: Request) -> Response:
        return _html(_decisions_page(self.warehouse))

    def dbt_docs(self, request: Request) -> Response:
        """dbt's one-page docs of the warehouse, as the static site has them beside it."""
        from starlette.responses import FileResponse

        docs = DataDir.of(self.warehouse).dbt_docs
        if not docs.is_file():
            return _error("no dbt docs yet: a load writes them", 404)
        return FileResponse(docs, media_type="text/html")

    def raw(self, request: Request) -> Response:
        from starlette.responses import Response

        sha = str(request.path_params["sha256"])
        path = DataDir.of(self.warehouse).raw / sha[:2] / sha
        if not _SHA256.fullmatch(sha) or not path.is_file():
            return _error(f"no file {sha} in the raw store", 404)
        return Response(path.read_bytes(), media_type="application/octet-stream")

    async def decide(self, request: Request) -> Response:
        from starlette.responses import RedirectResponse

        form = await request.form()
        values = [str(v) for v in form.getlist("value") if str(v).strip()]
        try:
            decide(
                self.warehouse,
                str(form.get("item_id") or ""),
                str(form.get("action") or ""),
                value=values[0] if values else None,
                note=str(form.get("note") or "") or None,
                reviewer=str(form.get("reviewer") or "") or self.reviewer,
            )
        except (UnknownItem, InvalidDecision) as exc:
            return _error(str(exc).strip("'\""))
        return RedirectResponse(_safe_back(str(form.get("back") or "/")), status_code=303)


def _guarded(render: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """A page whose warehouse is locked (a load running) or missing says so."""

    def endpoint(request: Request) -> Response:
        try:
            return render(request)
        except Exception as exc:
            return _error(f"{type(exc).__name__}: {exc}", 503)

    return endpoint


def create_app(warehouse: Path, reviewer: str | None = None) -> Starlette:
    """The app over ``warehouse`` (its decisions go to ``<its folder>/review/``), deciding
    as ``reviewer`` (default: the OS user)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    pages = _Pages(warehouse, reviewer)
    gx_docs = DataDir.of(warehouse).gx_docs
    return Starlette(
        routes=[
            Route("/", _guarded(pages.overview)),
            Route("/report.html", _guarded(pages.overview)),
            Route(f"/{AGENCY_DIR}/{{page}}", _guarded(pages.agency)),
            Route("/raw/{sha256}", _guarded(pages.raw)),
            Route(f"/{DBT_DOCS_HREF}", _guarded(pages.dbt_docs)),
            Route("/decisions", _guarded(pages.decisions)),
            Route("/decide", pages.decide, methods=["POST"]),
            # Data Docs at the static site's relative path: its failed rules link the
            # reports' sections, /agencies/… here as there
            Mount(f"/{gx_docs.name}", StaticFiles(directory=gx_docs, check_dir=False)),
        ]
    )


def serve(warehouse: Path, port: int, reviewer: str | None = None, **uvicorn_options: Any) -> None:
    """Serve the app on 127.0.0.1:``port`` until interrupted."""
    import uvicorn

    uvicorn.run(
        create_app(warehouse, reviewer),
        host=HOST,
        port=port,
        log_level="warning",
        **uvicorn_options,
    )
