"""The statistics pages in a real Chromium, at a desktop's and a phone's width: the
dashboard's charts are drawn (a canvas per chart, by the static script from the JSON data
blocks) with no console error and no CSP violation, its tables open, and axe-core finds
nothing serious; the public statistics page is reached from the footer."""

import importlib

import pytest
from django.apps import apps

from xinyong.lists.models import ListType
from xinyong.stats.tests import world

pytestmark = pytest.mark.browser
PASSWORD = "Xinyong-demo-2026"


@pytest.fixture
def errors(page):
    seen: list[str] = []
    page.on("console", lambda m: m.type == "error" and seen.append(m.text))
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_dashboard_draws_its_charts(live_server, page, transactional_db, users, departments,
                                        csp_violations, errors, a11y, size):  # fmt: skip
    if not ListType.objects.exists():  # a transactional test before this one flushed the seeds
        for module in ("lists.migrations.0002_default_list_types",
                       "sanctions.migrations.0002_default_measures"):  # fmt: skip
            importlib.import_module(f"xinyong.{module}").seed(apps, None)
    world.build(departments)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("input[name=username]", "market_clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/backoffice/statistics/?{world.PERIOD}")
    assert page.locator("h1").inner_text() == "统计分析"
    boxes = page.locator("div.chart[data-chart]")
    assert boxes.count() >= 5
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(b => b.querySelector('canvas'))"
    )
    page.locator("summary", has_text="数据表").first.click()
    assert page.locator("table").first.is_visible()
    # a clerk's department picker offers its own department only
    assert page.locator("select[name=department] option").all_inner_texts() == ["市市场监督管理局"]
    a11y(page, f"statistics dashboard {size}")
    page.goto(live_server.url + "/backoffice/")
    page.click("footer >> text=统计数据")
    page.wait_for_url("**/statistics/")
    assert page.locator("h1").inner_text() == "统计数据"
    a11y(page, f"public statistics {size}")
    assert csp_violations == [] and errors == []
    assert a11y.found == []
