"""A real Chromium: the market regulator's clerk, on a desktop, registers a change
subscription for its system (the local receiver), is told of a code nobody has beside the
field, sees the secret once, queues a test message; the worker sends it and the delivery
log shows it delivered. On a phone the clerk opens the subscription, replays from a point in
time and reads the log; no page is wider than the screen. Each state is checked by axe-core."""

import pytest

from xinyong.conftest import HUAWEI
from xinyong.exchange.models import WebhookSubscription
from xinyong.exchange.webhooks.tasks import pump

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"  # the conftest users'
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def _sign_in(page, base: str) -> None:
    page.goto(base + "/backoffice/login/")
    page.fill("input[name=username]", "market_clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)


def test_a_clerk_registers_pings_and_replays(live_server, browser, users, huawei, receiver, a11y):
    base = live_server.url
    desk = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    desk.set_default_timeout(15_000)
    _sign_in(desk, base)
    desk.click("nav >> text=变动订阅")
    desk.wait_for_url("**/backoffice/webhooks/")
    desk.fill("input[name=name]", "市场监管业务系统")
    desk.fill("input[name=url]", receiver.url)
    desk.check("input[name=kinds][value=publicity]")
    desk.fill("textarea[name=codes]", f"{HUAWEI}\n91110000802100433B")
    desk.click("main button[type=submit]:has-text('登记')")
    assert "没有代码为 91110000802100433B 的信用主体" in desk.inner_text("main")
    assert not WebhookSubscription.objects.exists()
    a11y(desk, "a registration with an unknown code (desktop)")
    desk.fill("textarea[name=codes]", HUAWEI)
    desk.click("main button[type=submit]:has-text('登记')")
    secret = desk.inner_text("div.ok code.secret")
    assert secret.startswith("whsec_")
    a11y(desk, "the subscription registered, its secret shown once (desktop)")
    desk.click("main table >> text=市场监管业务系统")
    desk.click("button:has-text('发送测试消息')")
    desk.wait_for_selector("text=测试消息已排队")
    pump(seconds=20)
    desk.reload()
    row = desk.locator("main table tbody tr").first
    assert "已送达" in row.inner_text() and "200" in row.inner_text()
    assert secret not in desk.content()  # shown once only
    a11y(desk, "the delivery log (desktop)")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.set_default_timeout(15_000)
    _sign_in(phone, base)
    phone.goto(desk.url)
    phone.fill("input[name=since]", "2026-01-01T00:00")
    phone.click("button:has-text('重放此时间之后的变动')")
    phone.wait_for_selector("text=已重新排队 0 条投递")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a phone"
    a11y(phone, "the subscription after a replay (phone)")
    assert a11y.found == []
