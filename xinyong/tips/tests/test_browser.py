"""A real Chromium on a desktop: a visitor opens a company's page, reports it (anonymously)
and reads the receipt code shown once; follows the tip with the code; the market
regulator's clerk finds it in the queue and accepts it; the visitor sees it accepted, with
its deadline; the clerk then transfers it to the tax bureau and the visitor reads
"transferred to" it. Each state is checked by axe-core."""

import pytest

from xinyong.tips.models import Tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "Xinyong-demo-2026"  # the shared fixtures' staff password


def test_a_visitor_reports_and_follows_and_the_clerk_accepts_then_transfers(
    live_server, browser, org_with_rep, domains, users, a11y
):
    base = live_server.url
    visitor = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    visitor.set_default_timeout(60_000)
    visitor.goto(f"{base}/subjects/{org_with_rep.pk}/")
    visitor.click("text=举报失信行为")
    visitor.wait_for_url(f"**/tips/new/{org_with_rep.pk}/")
    visitor.fill("textarea[name=content]", "门店销售过期食品，并拒绝退换。")
    visitor.fill("input[name=occurred_on]", "2025-11-20")
    visitor.fill("input[name=place]", "文三路 100 号")
    visitor.select_option("select[name=domain]", "market")
    a11y(visitor, "the tip, filled")
    visitor.click("main button[type=submit]:has-text('提交举报')")
    code = visitor.locator("#receipt-code").inner_text()
    assert len(code) == 19
    a11y(visitor, "the receipt code")
    visitor.click("text=凭查询码查询举报")
    visitor.fill("input[name=receipt]", code)
    visitor.click("main button[type=submit]:has-text('查询')")
    assert visitor.locator("dd.tip-status").inner_text().startswith("待受理")
    a11y(visitor, "the tip followed")

    tip = Tip.objects.get()
    clerk = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    clerk.set_default_timeout(60_000)
    clerk.goto(f"{base}/backoffice/login/")
    clerk.fill("input[name=username]", "market_clerk")
    clerk.fill("input[name=password]", PASSWORD)
    clerk.click("main button[type=submit]")
    clerk.wait_for_url(lambda u: "login" not in u)
    clerk.goto(f"{base}/backoffice/tips/")
    clerk.click(f"#tip-{tip.pk} a")
    a11y(clerk, "the tip's page (clerk)")
    clerk.click("button:has-text('受理（本人为承办人）')")
    clerk.wait_for_selector("dd.tip-status:has-text('已受理')")

    visitor.fill("input[name=receipt]", code)
    visitor.click("main button[type=submit]:has-text('查询')")
    assert visitor.locator("dd.tip-status").inner_text().startswith("已受理")
    assert "办结期限" in visitor.locator("#tip-status").inner_text()

    # Not the market regulator's business after all: the clerk sends it on to the tax bureau,
    # lands back on the queue (the tip is no longer the department's); the visitor reads
    # where it went, waiting for the new department's acceptance.
    clerk.select_option("#transfer-form select[name=department]", "SW")
    clerk.fill("#transfer-form textarea[name=reason]", "举报事项为偷逃税款，属税务部门职责。")
    clerk.click("#transfer-form button[type=submit]")
    clerk.wait_for_url(f"{base}/backoffice/tips/")
    assert "已转办至市税务局" in clerk.locator("main").inner_text()
    a11y(clerk, "the queue after the transfer")
    visitor.fill("input[name=receipt]", code)
    visitor.click("main button[type=submit]:has-text('查询')")
    assert visitor.locator("dd.tip-transfers").inner_text().startswith("已转办至市税务局")
    assert visitor.locator("dd.tip-status").inner_text().startswith("待受理")
    a11y(visitor, "the tip followed after its transfer")
    assert a11y.found == []
