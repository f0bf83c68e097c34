"""The main page's Great Expectations section: each suite's outcome and failed expectations.

A suite-level failure ("≥ 90% of v2019/v2021 reports have a year") is about the load as a
whole, not one report, so no failed-rule row shows it; without this section it reached only
the Airflow log. The Data Docs link is relative: the data folder can move as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from xxgk.publish.reviewer.html import bi
from xxgk.quality.validate import SuiteStatistics

SUITES_TITLE: Final = ("数据校验（Great Expectations）", "Great Expectations suites")
DOCS_HREF: Final = "gx_docs/index.html"  # beside the main page, in <data dir>/quality/


def render_suites(suites: Sequence[SuiteStatistics] | None) -> str:
    """The section; says so when the page was written without a validation run."""
    head = f'<h2 id="suites">{bi(SUITES_TITLE)}</h2>'
    if suites is None:
        return (
            head
            + f'<p class="note">{bi(("本次未运行校验", "no validation ran for this page"))}</p>'
        )
    rows = "".join(_row(s) for s in suites)
    failed = sum(not s.success for s in suites)
    verdict = (
        bi(("全部通过", "every suite passed"))
        if not failed
        else bi((f"{failed} 个套件未通过", f"{failed} of {len(suites)} suites failed"))
    )
    return (
        head
        + f'<p class="note">{verdict} · <a href="{DOCS_HREF}">Data Docs</a></p>'
        + '<table id="suites-table"><thead><tr><th>套件 suite</th><th>结果 result</th>'
        + "<th>期望 expectations</th><th>未通过 failed</th>"
        + "<th>未通过的期望 failed expectations</th>"
        + f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _row(suite: SuiteStatistics) -> str:
    result = bi(("通过", "passed")) if suite.success else bi(("未通过", "failed"))
    critical = set(suite.failed_critical)
    items = "".join(
        f"<li>{'<b>critical</b> ' if name in critical else ''}{escape(name)}</li>"
        for name in suite.failed_expectations
    )
    return (
        f'<tr data-success="{str(suite.success).lower()}"><td>{escape(suite.suite)}</td>'
        f"<td>{result}</td><td>{suite.evaluated}</td><td>{suite.unsuccessful}</td>"
        f"<td>{f'<ul>{items}</ul>' if items else ''}</td></tr>"
    )
