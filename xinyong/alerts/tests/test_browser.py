"""A real Chromium, in the demo city, on a desktop: the market regulator's clerk opens the
early-warning queue, opens the demo company's alert, reads why it was raised and the
records behind it, tries to close it without a note (told so beside the field), then closes
it as a confirmed risk. Each state is checked by axe-core."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from xinyong.alerts.models import Alert
from xinyong.declarations.tests.test_browser import DESKTOP, SEEDS, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip


@pytest.fixture
def city(transactional_db, live_server):
    from xinyong.commitments.selectors import rules_forget

    for module in (*SEEDS, "xinyong.alerts.migrations.0002_default_rules"):
        importlib.import_module(module).seed(apps, None)
    rules_forget()
    call_command("demo_city", "--seed", "2026", "--subjects", "50", "--quiet",
                 stdout=io.StringIO())  # fmt: skip
    return Alert.objects.filter(subject__bindings__user__username="qiye_demo",
                                department__code="SCJG").order_by("pk").first()  # fmt: skip


def test_a_clerk_opens_an_alert_sees_its_evidence_and_closes_it(live_server, browser, city, a11y):
    alert = city
    base = live_server.url
    page = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, base, "/backoffice/login/", "scjg_clerk")
    page.click("#site-nav >> text=失信预警")
    page.wait_for_url("**/backoffice/alerts/")
    a11y(page, "the alert queue (desktop)")
    page.click(f"#alert-{alert.pk} a")
    page.wait_for_url(f"**/backoffice/alerts/{alert.pk}/")
    assert page.locator("dd.explanation").inner_text().strip()
    rows = page.locator("table.evidence tbody tr")
    assert rows.count() == len(alert.evidence)
    assert alert.evidence[0]["label"] in rows.first.inner_text()
    a11y(page, "an alert with its evidence (desktop)")
    page.select_option("select[name=outcome]", "confirmed")
    page.click("button[name=step][value=close]")
    page.wait_for_selector("#id_note_error")
    assert "请填写处理说明" in page.locator("#id_note_error").inner_text()
    alert.refresh_from_db()
    assert alert.status == "open"
    page.select_option("select[name=outcome]", "confirmed")
    page.fill("textarea[name=note]", "已约谈企业负责人，列入重点监管")
    page.click("button[name=step][value=close]")
    page.wait_for_selector("text=已办理")
    assert "已关闭（风险属实）" in page.locator("dd.alert-status").inner_text()
    alert.refresh_from_db()
    assert (alert.status, alert.outcome) == ("closed", "confirmed")
