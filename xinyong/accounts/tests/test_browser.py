"""In Chromium, under the Content-Security-Policy: a clerk who mistyped too often sees the
Chinese lockout page, the credit office unlocks the account in the admin, the clerk signs
in; no page on the way breaks the policy."""

import pytest
from axes.models import AccessAttempt

from xinyong.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, url, username, password):
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")


def test_locked_out_then_unlocked_by_the_credit_office(
    live_server, transactional_db, users, browser, page, csp_violations, a11y
):
    login = live_server.url + "/backoffice/login/"
    for n in range(5):
        sign_in(page, login, "market_clerk", f"guess-{n}")
    assert page.locator("h1").inner_text() == "登录已暂时锁定"
    assert "请于 15 分钟后" in page.content() and "联系市信用办" in page.content()
    a11y(page, "the lockout page")

    office = browser.new_context(locale="zh-CN").new_page()
    office.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(office, live_server.url + "/admin/login/", "operator", PASSWORD)
    office.goto(live_server.url + "/admin/axes/accessattempt/")
    assert "market_clerk" in office.content()
    office.check("input.action-select")
    office.select_option("select[name=action]", "delete_selected")
    office.click("button[name=index]")
    office.click("input[type=submit]")  # "yes, I'm sure"
    office.wait_for_selector("ul.messagelist li.success")
    assert not AccessAttempt.objects.exists()
    office.context.close()

    sign_in(page, login, "market_clerk", PASSWORD)
    page.wait_for_url(live_server.url + "/backoffice/")
    assert "工作台" in page.locator("h1").inner_text()
    assert csp_violations == []
    assert a11y.found == []
