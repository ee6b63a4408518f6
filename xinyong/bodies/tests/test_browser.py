"""A real Chromium on a desktop: the health commission's clerk finds the market regulator's
notice about the hospital in 待签收通报, reads it and acknowledges it; the market
regulator's clerk sees it acknowledged on the hospital's file. Each state is checked by
axe-core."""

import importlib

import pytest
from django.apps import apps

from xinyong.bodies.models import NoticeReceipt
from xinyong.bodies.tests.conftest import decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"  # the fixtures' users'
SEEDS = (  # a transactional test may follow another one, whose flush removed them
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.sanctions.migrations.0002_default_measures",
)


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/backoffice/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)


@pytest.fixture
def seeded(transactional_db):
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)


def test_the_superior_body_acknowledges_a_notice(seeded, live_server, browser, staff, hospital,
                                                 a11y):  # fmt: skip
    entry = decide(staff, hospital)
    receipt = NoticeReceipt.objects.get(entry_notice__entry=entry, role="superior")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded CI machine
    try:
        _sign_in(page, live_server.url, "health_clerk")
        page.goto(live_server.url + "/backoffice/notice-receipts/")
        row = page.locator(f"#receipt-{receipt.pk}")
        assert "市第一人民医院" in row.inner_text()
        a11y(page, "待签收通报")
        row.get_by_role("link", name="签收").click()
        assert "采购中提供虚假材料" in page.locator("pre.notice-text").inner_text()
        a11y(page, "通报")
        page.get_by_role("button", name="确认签收").click()
        assert "已签收" in page.locator("dd.receipt-status").inner_text()
        context.clear_cookies()
        _sign_in(page, live_server.url, "market_clerk")
        page.goto(live_server.url + f"/backoffice/public-bodies/{hospital.pk}/")
        assert "线上签收" in page.locator("table.receipts").first.inner_text()
        a11y(page, "机关事业单位信用档案")
    finally:
        context.close()
    assert a11y.found == []
    assert not NoticeReceipt.objects.get(pk=receipt.pk).outstanding
