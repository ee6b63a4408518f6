"""A real Chromium, short: the association's clerk adds a member, proposes a public
censure and tells the member; the member signs the campaign and answers on the portal;
the clerk decides, and the censure is on the member's public page; the clerk revokes it
on review, and it is gone. axe-core checks each page on the way; the case page fits a
phone."""

import pytest

from xinyong.associations import services
from xinyong.associations.models import Sanction
from xinyong.associations.tests.conftest import OUTSIDER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "hot"]),
]
PHONE, DESKTOP = (390, 844), (1280, 900)


def _sign_in(page, base: str, login: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: login not in u)


def test_member_censure_from_proposal_to_the_public_page(
    live_server, page, association, company, a11y
):
    _portal, huawei = company
    base = live_server.url
    services.campaign_open(
        actor=association["actor"], title="食品安全诚信自律承诺", text="本单位承诺守法诚信经营。"
    )
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    _sign_in(page, base, "/backoffice/login/", "xh_clerk", "Xinyong-demo-2026")
    assert "会员信用状况" in page.locator("#site-nav").inner_text()
    page.click("#site-nav >> text=会员管理")
    page.fill("input[name=uscc]", "91339900MA1X2Y3B1X")  # valid, registered by nobody
    page.fill("input[name=joined_on]", "2026-01-05")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#id_uscc_error")
    a11y(page, "the member list, a field refused")
    page.fill("input[name=uscc]", OUTSIDER)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(f"td:has-text('{OUTSIDER}')")
    page.click("#site-nav >> text=行业惩戒")
    page.select_option("select[name=subject]", str(huawei.pk))
    page.select_option("select[name=kind]", "censure")
    page.fill("textarea[name=facts]", "2026年3月抽检中发现使用过期原料。")
    page.fill("input[name=basis]", "《市食品行业协会自律公约》第十二条")
    page.fill("textarea[name=reasons]", "违反自律公约，情节较重。")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("table.sanctions a")
    s = Sanction.objects.get()
    page.click(f"table.sanctions a:has-text('{s.number}')")
    page.wait_for_url(f"**/backoffice/associations/sanctions/{s.pk}/")
    page.click("button[value=notify]")
    page.wait_for_selector("text=下载告知书（PDF）")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0] + 1
    a11y(page, "the sanction case, notified, on a phone")
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    # The member, on the portal: signs the campaign and answers the notice.
    _sign_in(page, base, "/account/login/", "huawei_agent", "Credit-Office-2026!")
    page.goto(f"{base}/account/subjects/{huawei.pk}/associations/")
    page.click("section.campaign button[type=submit]")
    page.wait_for_selector("text=本单位已签署")
    page.click(f"table.sanctions a:has-text('{s.number}')")
    page.fill("textarea[name=statement]", "原料系供应商错发，已整改。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("p.statement")
    a11y(page, "the member's case, answered")
    # The clerk decides; the censure is on the member's public page.
    _sign_in(page, base, "/backoffice/login/", "xh_clerk", "Xinyong-demo-2026")
    page.goto(f"{base}/backoffice/associations/sanctions/{s.pk}/")
    page.fill("textarea[name=reasons]", "陈述理由不足以免除责任。")
    page.fill("input[name=publish_months]", "6")
    page.click("button[value=sanction]")
    page.wait_for_selector("text=已记入会员信用档案")
    page.goto(f"{base}/subjects/{huawei.pk}/")
    assert "公开谴责" in page.locator("section.associations").inner_text()
    a11y(page, "the member's public page with the censure")
    # Overturned on review: the clerk revokes it (the reasons are required) and the
    # censure is off the public page at once.
    page.goto(f"{base}/backoffice/associations/sanctions/{s.pk}/")
    page.select_option("select[name=ground]", "review")
    page.fill("textarea[name=reasons]", " ")  # blank to the server, not to the browser
    page.click("form.revoke button[type=submit]")
    page.wait_for_selector("#id_reasons_error")
    a11y(page, "the revocation form, the reasons refused")
    page.fill("textarea[name=reasons]", "经协会理事会复核，抽检样品非该会员产品，撤销原决定。")
    page.click("form.revoke button[type=submit]")
    page.wait_for_selector("dd.revoked")
    assert "经复核撤销" in page.locator("dd.revoked").inner_text()
    page.goto(f"{base}/subjects/{huawei.pk}/")
    assert "过期原料" not in page.locator("main").inner_text()
