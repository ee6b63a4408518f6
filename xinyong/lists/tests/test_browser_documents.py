"""A real Chromium: the company's agent reads its prior notice on its account page, files
its statement and defence with an attachment within the period; the market regulator's
clerk finds it on the case page with the attachment and the prior notice's PDF."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from xinyong.accounts.services import portal_account_register
from xinyong.lists import services
from xinyong.lists.models import EntryStatement
from xinyong.lists.tests.conftest import open_case
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Credit-Office-2026!"


@pytest.fixture
def notified(actors, penalty_record, tmp_path):
    # A transactional test may follow another one, whose flush removed the seeded lists.
    for module in ("xinyong.lists.migrations.0002_default_list_types",
                   "xinyong.sanctions.migrations.0002_default_measures"):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    entry = open_case(actors, penalty_record)
    entry = services.entry_notify(actor=actors["market_clerk"], entry_id=entry.pk,
                                  notice_no="信市监告〔2026〕9号")  # fmt: skip
    agent = portal_account_register(username="huawei_agent", password=PASSWORD,
                                    display_name="李经办")  # fmt: skip
    SubjectBinding.objects.create(
        user=agent, subject=penalty_record.subject, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0",
        requested_at=timezone.now(), via="operator", reviewed_by="operator",
    )  # fmt: skip
    contract = tmp_path / "代理合同.pdf"
    contract.write_bytes(PDF)
    return entry, contract


def test_the_company_states_its_case_online_and_the_clerk_sees_it(live_server, page, notified):
    entry, contract = notified
    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=username]", "huawei_agent")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/")
    page.click("text=华为技术有限公司")
    page.wait_for_url(f"**/account/subjects/{entry.subject_id}/")
    notice = page.request.get(live_server.url + f"/account/entries/{entry.pk}/prior-notice.pdf")
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    assert notice.body().startswith(b"%PDF-")
    page.click("text=在线陈述申辩")
    page.wait_for_url(f"**/account/entries/{entry.pk}/statement/")
    page.fill("textarea[name=statement_text]", "涉案宣传系代理商擅自发布，我司已下架")
    page.set_input_files("input[name=files]", str(contract))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=陈述申辩已提交")
    assert EntryStatement.objects.get().files.get().name == "代理合同.pdf"
    # The clerk finds it on the case, with its attachment and the notice's PDF.
    page.context.clear_cookies()
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("input[name=username]", "market_clerk")
    page.fill("input[name=password]", "Xinyong-demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)
    page.goto(live_server.url + f"/backoffice/lists/{entry.pk}/")
    assert "涉案宣传系代理商擅自发布，我司已下架" in page.inner_text("main")
    assert page.locator("a", has_text="代理合同.pdf").count() == 1
    assert page.locator("a", has_text="事先告知书").count() == 1
