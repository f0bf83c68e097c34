"""A generated site on 127.0.0.1 whose report pages name their publisher the ways real
mirrors and portals do: breadcrumbs on every separator (``>``, ``›``, ``»``, ``/``, ``→``,
``>>``, none at all), spam inserted into titles and bodies, a township office compiling its
government's report, a title split over two lines, a department named only with the site's
division. ``EXPECTED`` is what the warehouse must say of each page.

Served with ``tests.support.crawl_site.serve`` (``Site(routes=routes(), fail_first=set())``).
"""

from __future__ import annotations

from typing import NamedTuple

UTF8 = {"Content-Type": "text/html; charset=utf-8"}
BODY = (
    "<p>一、总体情况</p><p>全年主动公开政府信息32条，其中政策文件5条。</p>"
    "<p>二、主动公开政府信息情况</p><p>依申请公开0件。</p>"
    "<p>三、存在的主要问题及改进情况</p><p>公开内容有待丰富。</p>"
)


class Expected(NamedTuple):
    agency: str
    qualified: str | None
    region_code: str
    compiler: str | None = None


class Page(NamedTuple):
    path: str
    anchor: str  # the link's text on the column page
    title: str  # the page's <title>
    crumb: str  # the breadcrumb element, as the site writes it
    heading: str  # the report's own first lines (HTML)
    expected: Expected


PAGES: tuple[Page, ...] = (
    Page(
        "/art/1.html",
        "2020年政府信息公开工作年度报告",
        "2020年政府信息公开工作年度报告",
        "<div class='position'>当前位置：首页 &gt; 信息公开 &gt; 政府信息公开年报 &gt; "
        "桃江县松木塘镇人民政府</div>",
        "<h1>2020年政府信息公开工作年度报告</h1>",
        Expected("桃江县松木塘镇人民政府", "益阳市桃江县松木塘镇人民政府", "430922109"),
    ),
    Page(
        "/art/2.html",
        "北京街道办事处2019年政府信息公开工作年度报告",
        "新葡京博彩官网区人民政府北京街道办事处2019年政府信息公开工作年度报告",
        "<div class='crumb'>首页 › 信息公开 › 北京街道办事处</div>",
        "<h1>新葡京博彩官网区人民政府北京街道办事处2019年政府信息公开工作年度报告</h1>",
        Expected("北京街道办事处", "广州市越秀区北京街道办事处", "440104003"),
    ),
    Page(
        "/art/3.html",
        "2017年政府信息公开工作年度报告",
        "2017年政府信息公开工作年度报告",
        "<div class='location'>您现在的位置: 首页 » 政务公开 » 年度报告</div>",
        "<h1>2017年政府信息公开工作年度报告</h1>"
        "<p>现公布puroview.com溪下乡2017年政府信息公开工作年度报告如下。</p>",
        Expected("溪下乡", "温州市永嘉县溪下乡", "330324228"),
    ),
    Page(
        "/art/4.html",
        "两城镇2020年政府信息公开工作年度报告",
        "两城镇人民政府党政办公室2020年政府信息公开工作年度报告",
        "<div class='position'>首页 / 信息公开 / 年报</div>",
        "<h1>两城镇人民政府党政办公室2020年政府信息公开工作年度报告</h1>",
        Expected(
            "两城镇人民政府",
            "济宁市微山县两城镇人民政府",
            "370826107",
            "两城镇人民政府党政办公室",
        ),
    ),
    Page(
        "/art/5.html",
        "2013年度信息公开工作年度报告",
        "信息公开年报",
        "<div class='bread'>首页 → 部门信息公开 → 年报</div>",
        "<p>道县文广新局2013年度信息公开工作<br>年度报告</p>",
        Expected("道县文广新局", "永州市道县文广新局", "431124"),
    ),
    Page(
        "/art/6.html",
        "统计局2020年政府信息公开工作年度报告",
        "统计局2020年政府信息公开工作年度报告_桃江县人民政府",
        "<div class='position'>首页&gt;&gt;政务公开&gt;&gt;年度报告</div>",
        "<h1>统计局2020年政府信息公开工作年度报告</h1>",
        Expected("统计局", "益阳市桃江县统计局", "430922"),
    ),
    Page(
        "/art/7.html",
        "2021年政府信息公开工作年度报告",
        "2021年政府信息公开工作年度报告",
        # crumbs the site separates by CSS only: the text pastes them together
        "<div class='crumb'><a href='/'>首页</a><a href='/xxgk/'>信息公开</a>"
        "<a href='/xxgk/byx/'>包垟乡人民政府</a></div>",
        "<h1>澳门威尼斯人官网县人民政府2021年政府信息公开工作年度报告</h1>",
        Expected("包垟乡人民政府", "温州市泰顺县包垟乡人民政府", "330329225"),
    ),
)


def _page(p: Page) -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{p.title}</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a></div>{p.crumb}"
        f"<div class='content'>{p.heading}{BODY}</div></body></html>"
    )


def routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    """path → (status, headers, body): a column page linking every report page."""
    items = "".join(f"<li><a href='{p.path}'>{p.anchor}</a></li>" for p in PAGES)
    column = (
        "<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
        f"<div class='position'>当前位置：首页 &gt; 政府信息公开年报</div><ul>{items}</ul>"
        "</body></html>"
    )
    out = {"/col/nb/index.html": (200, UTF8, column.encode())}
    out |= {p.path: (200, UTF8, _page(p).encode()) for p in PAGES}
    return out
