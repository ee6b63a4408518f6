"""A real Chromium on a desktop: the market regulator's clerk creates a credit-village
campaign and records a village's application with its members; the reviewer tries to award
the title with a criterion unticked (told so beside the field), awards it, publishes the
results; a visitor finds the village on the portal. Checked by axe-core on the way."""

import datetime

import pytest
from django.utils import timezone

from xinyong.demonstration.models import Unit
from xinyong.demonstration.tests.test_demonstration import FARM, SHOP
from xinyong.subjects import services as subjects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"  # the users fixture's
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/backoffice/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)


def test_a_village_is_awarded_and_published(live_server, browser, actors, a11y):
    for uscc, name in ((FARM, "青山村果蔬专业合作社"), (SHOP, "青山村便民超市有限公司")):
        subjects.organization_register(actor=actors["market_clerk"], uscc=uscc, name=name)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    clerk = context.new_page()
    clerk.set_default_timeout(15_000)
    _sign_in(clerk, base, "market_clerk")
    clerk.click("nav >> text=诚信示范单位")
    clerk.fill("input[name=title]", "2026年度信用村创建")
    clerk.select_option("select[name=kind]", "village")
    clerk.fill("input[name=year]", "2026")
    clerk.fill("textarea[name=criteria]", "村规民约含诚信内容\n建立农户信用档案")
    until = timezone.localdate() + datetime.timedelta(days=30)
    clerk.fill("input[name=apply_until]", until.isoformat())
    clerk.click("main button[type=submit]:has-text('创建')")
    clerk.click("text=2026年度信用村创建")
    clerk.fill("input[name=name]", "青山村")
    clerk.fill("input[name=applicant]", "青山镇人民政府")
    clerk.fill("textarea[name=statement]", "建立村级信用服务站，开展诚信宣传。")
    clerk.fill("input[name=area]", "信安市青山镇")
    clerk.fill("textarea[name=members]", f"{FARM}\n{SHOP}")
    clerk.click("main button[type=submit]:has-text('录入')")
    clerk.wait_for_selector("text=申报已录入")
    a11y(clerk, "a campaign with its application (desktop)")
    context.close()

    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    reviewer = context.new_page()
    reviewer.set_default_timeout(15_000)
    _sign_in(reviewer, base, "market_reviewer")
    unit = Unit.objects.get(name="青山村")
    reviewer.goto(f"{base}/backoffice/demonstration/units/{unit.pk}/")
    reviewer.check("input[name=met][value='0']")  # the second criterion left unticked
    reviewer.select_option("select[name=award]", "award")
    reviewer.fill("textarea[name=reason]", "各项创建标准均达标。")
    reviewer.click("main button[type=submit]:has-text('保存评审意见')")
    reviewer.wait_for_selector("text=尚有未达标的创建标准")
    assert Unit.objects.get(pk=unit.pk).status == "applied"
    a11y(reviewer, "an assessment refused (desktop)")
    reviewer.check("input[name=met][value='0']")
    reviewer.check("input[name=met][value='1']")
    reviewer.click("main button[type=submit]:has-text('保存评审意见')")
    reviewer.wait_for_selector("text=评审意见已保存")
    reviewer.click("text=返回创建活动")
    reviewer.click("main button[type=submit]:has-text('公布评审结果')")
    reviewer.wait_for_selector("text=评审结果已公布")
    context.close()

    visitor = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    visitor.goto(base + "/")
    visitor.click("nav >> text=诚信示范单位")
    visitor.click("text=2026年度信用村创建")
    assert visitor.locator("table.units").inner_text().count("青山村") == 1
    a11y(visitor, "the published units (desktop)")
