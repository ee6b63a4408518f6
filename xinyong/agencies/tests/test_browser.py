"""A real Chromium at a desktop's width, one short journey: an agency's bound account files
on the portal, the credit office approves it in the back office, the public directory
shows it; a company's account authorises the agency and revokes the authorisation; told
of an intended removal, the agency downloads the notice and answers it with an
attachment. axe-core checks the filing, authorisation and answer pages; nothing breaks
the Content-Security-Policy."""

import hashlib
import os
from pathlib import Path

import pytest
from django.utils import timezone

from xinyong.accounts.services import portal_account_register
from xinyong.agencies.models import Agency, Authorisation
from xinyong.agencies.tests.conftest import AGENCY_USCC, PDF, PERSON_A
from xinyong.core.tests import shots
from xinyong.remedies.models import SubjectBinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Credit-Office-2026!"
ART = Path(os.environ.get("XINYONG_VAR_DIR", "var")) / "artifacts" / "agencies"


def _bound(username: str, subject):
    agent = portal_account_register(username=username, password=PASSWORD, display_name="王经办")
    SubjectBinding.objects.create(
        user=agent, subject=subject, status="approved", applicant="王经办", phone="13800000000",
        evidence_path="evidence.pdf", evidence_name="授权书.pdf",
        evidence_sha256=hashlib.sha256(b"x").hexdigest(), requested_at=timezone.now(),
        via="operator", reviewed_by="operator", reviewed_at=timezone.now(),
    )  # fmt: skip


def _portal_login(page, base, username):
    page.goto(base + "/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account/")


def test_an_agency_is_filed_approved_listed_then_authorised_and_revoked(
    live_server, browser, page, actors, csp_violations, a11y, tmp_path
):
    from xinyong.subjects import services as subjects

    ART.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    org = subjects.organization_register(actor=actors["market_clerk"], uscc=AGENCY_USCC,
                                         name="信安征信服务有限公司")  # fmt: skip
    company = subjects.organization_register(
        actor=actors["market_clerk"], uscc="91350100M000100Y43", name="信安华泰科技有限公司"
    )
    _bound("agency_agent", org)
    _bound("huatai_agent", company)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(60_000)  # a loaded CI machine
    # The agency files.
    _portal_login(page, base, "agency_agent")
    page.goto(f"{base}/account/subjects/{org.pk}/agency/")
    a11y(page, "the filing page")
    page.fill("#filing_scope", "信用报告、信用管理咨询")
    page.fill("#filing_qualifications", "企业征信机构备案证明 XA-0001")
    material = tmp_path / "资质证书.pdf"
    material.write_bytes(PDF)
    page.set_input_files("#filing_qualification_files", str(material))
    page.fill("#filing_conflicts_rules", "不为存在利害关系的主体出具报告")
    page.fill("#filing_security_rules", "信用信息分级授权访问，全程留痕")
    page.fill("#filing_contact_phone", "0571-88886666")
    page.fill("#filing_p0_name", "王负责")
    page.fill("#filing_p0_position", "总经理")
    page.fill("#filing_p0_id_number", PERSON_A)
    page.click("#filing-form button[type=submit]")
    page.wait_for_selector("text=备案申请正在审核")
    agency = Agency.objects.get()
    # The credit office approves it.
    office = browser.new_context(locale="zh-CN").new_page()
    office.set_default_timeout(60_000)
    office.goto(base + "/backoffice/login/")
    office.fill("input[name=username]", "operator")
    office.fill("input[name=password]", "Xinyong-demo-2026")
    office.click("button[type=submit]")
    office.wait_for_url("**/backoffice/")
    office.goto(f"{base}/backoffice/agencies/{agency.pk}/")
    assert PERSON_A not in office.content()
    office.click("button[value=approve]")
    office.wait_for_selector("text=备案审核已办理")
    office.context.close()
    # The public directory lists it, without persons.
    page.goto(base + "/agencies/")
    row = page.locator(f"#agency-{agency.pk}")
    assert "信安征信服务有限公司" in row.inner_text() and "已备案" in row.inner_text()
    assert "王负责" not in page.content()
    shots.keep(page, str(ART / "directory.png"), full_page=True)
    # A company authorises the agency, then revokes.
    page.context.clear_cookies()
    _portal_login(page, base, "huatai_agent")
    page.goto(f"{base}/account/subjects/{company.pk}/authorisations/")
    page.select_option("select[name=agency]", str(agency.pk))
    page.select_option("select[name=purpose]", "credit_consulting")
    page.check("input[name=covers][value=public_report]")
    until = timezone.localdate() + timezone.timedelta(days=30)
    page.fill("input[name=valid_until]", until.isoformat())
    page.click("#authorise-form button[type=submit]")
    page.wait_for_selector("text=授权已生效")
    a11y(page, "the authorisations page")
    a = Authorisation.objects.get()
    page.click(f"#authorisation-{a.pk} button[type=submit]")
    page.wait_for_selector("text=授权已撤回")
    assert "已撤回" in page.locator(f"#authorisation-{a.pk} .authorisation-status").inner_text()
    assert Authorisation.objects.get().revoked_at is not None
    shots.keep(page, str(ART / "authorisations.png"), full_page=True)
    # The credit office tells the agency it intends to remove it; the agency answers.
    from xinyong.agencies.models import Removal
    from xinyong.agencies.tests.conftest import notify_removal

    case = notify_removal(actors, agency)
    page.context.clear_cookies()
    _portal_login(page, base, "agency_agent")
    page.goto(f"{base}/account/subjects/{org.pk}/agency/")
    with page.expect_download() as notice:
        page.click(f"#removal-{case.pk} a[href$='notice.pdf']")
    assert notice.value.suggested_filename.endswith(".pdf")
    page.fill("#statement_statement", "该报告已于次日更正，并已告知委托方。")
    proof = tmp_path / "更正说明.pdf"
    proof.write_bytes(PDF)
    page.set_input_files("#statement_attachment", str(proof))
    page.click("#statement-form button[type=submit]")
    page.wait_for_selector("text=陈述申辩已提交")
    a11y(page, "the agency page after its statement")
    assert "更正说明.pdf" in page.locator(f"#removal-{case.pk} .statement").inner_text()
    assert page.locator("#statement-form").count() == 0  # once only
    assert Removal.objects.get().statement_file_name == "更正说明.pdf"
    shots.keep(page, str(ART / "removal-answered.png"), full_page=True)
    assert a11y.found == []
    assert csp_violations == []
