"""A real Chromium, at a desktop's width and a phone's: the credit office opens the
scorecards from the menu, picks October, opens the market regulator's twelve months,
generates the month's report and downloads its PDF; a tax clerk on a phone sees its own
department only. axe-core checks each page on the way."""

import pytest
from django.conf import settings

from xinyong.commitments.tests.test_browser_backoffice import (  # noqa: F401 - fixture
    DESKTOP,
    PASSWORD,
    PHONE,
    _sign_in,
    seeded,
)

# The transactional world of the back-office browser journeys: seeds put back after a flush.
from xinyong.core.tests import shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip


@pytest.fixture
def town(seeded, request):  # noqa: F811 - the imported fixture
    return request.getfixturevalue("city")  # after the seeds: the city needs the measures


ART = settings.VAR_DIR / "artifacts" / "stats"


def _fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width + 1, f"{page.url}: {wide}px wide at {width}px"


def test_scorecards_reports_and_a_department_on_a_phone(live_server, page, town, a11y):
    base = live_server.url
    ART.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    _sign_in(page, base, "operator")
    page.click("header >> text=部门跟踪问效")
    page.wait_for_url("**/backoffice/scorecards/")
    page.fill("input[name=month]", "2026-10")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/scorecards/?month=2026-10")
    table = page.locator("table.scorecards").inner_text()
    assert "市税务局" in table and "75.0%" in table and "环比 +25.0" in table
    a11y(page, "the month's scorecards")
    shots.keep(page, ART / "scorecards-desktop.png", full_page=True)
    page.click("table.scorecards >> text=市市场监督管理局")
    page.wait_for_url("**/scorecards/departments/*/?month=2026-10")
    assert "2025-11" in page.content() and "33.3%" in page.content()
    a11y(page, "a department's twelve months")
    page.click("main >> text=跟踪问效月报")
    page.wait_for_url("**/scorecards/reports/")
    page.fill("input[name=month]", "2026-10")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("text=已生成 2026-10 的跟踪问效月报")
    a11y(page, "the reports, one generated")
    with page.expect_download() as got:
        page.click("#report-2026-10 >> text=PDF")
    assert got.value.suggested_filename == "跟踪问效月报-2026-10.pdf"
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    _sign_in(page, base, "tax_clerk")
    page.goto(f"{base}/backoffice/scorecards/?month=2026-10")
    _fits(page, PHONE[0])
    main = page.locator("main").inner_text()
    assert "市税务局" in main and "市市场监督管理局" not in main and "0 / 1" in main
    a11y(page, "a department's own scorecard, on a phone")
    shots.keep(page, ART / "scorecards-phone.png", full_page=True)
    assert a11y.found == []
