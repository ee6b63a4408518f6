"""A real Chromium, at a desktop's width and a phone's: a company's bound account signs a
notify-and-commit online — reads the template's text in full, is told beside the box that
the pledge must be ticked, signs — and follows it on its account; the public column then
shows it. axe-core checks each state; nothing breaks the Content-Security-Policy.
Screenshots under $XINYONG_VAR_DIR/artifacts/commitments/."""

import datetime
import hashlib
import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from xinyong.accounts.services import portal_account_register
from xinyong.commitments.models import Commitment
from xinyong.core.tests import shots
from xinyong.remedies.models import SubjectBinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Credit-Office-2026!"
NAME = "信安华泰科技有限公司"
ART = Path(os.environ.get("XINYONG_VAR_DIR", "var")) / "artifacts" / "commitments"
# A transactional test may follow another one, whose flush removed the seeded rows.
SEEDS = (
    "xinyong.sanctions.migrations.0002_default_measures",
    "xinyong.commitments.migrations.0002_default_templates",
    "xinyong.evaluation.migrations.0002_default_model",
)


@pytest.fixture
def company(transactional_db, live_server, actors, departments):
    """A company and the portal account bound to it (its agent signs in with a password)."""
    from xinyong.commitments.selectors import rules_forget
    from xinyong.subjects import services as subjects
    from xinyong.subjects.demo import make_uscc

    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    rules_forget()
    ART.mkdir(parents=True, exist_ok=True)
    org = subjects.organization_register(
        actor=actors["market_clerk"], uscc=make_uscc("91", "440300", 401), name=NAME
    )
    agent = portal_account_register(username="huatai_agent", password=PASSWORD,
                                    display_name="王经办")  # fmt: skip
    SubjectBinding.objects.create(
        user=agent, subject=org, status="approved", applicant="王经办", phone="13800000000",
        evidence_path="evidence.pdf", evidence_name="授权书.pdf",
        evidence_sha256=hashlib.sha256(b"x").hexdigest(), requested_at=timezone.now(),
        via="operator", reviewed_by="operator", reviewed_at=timezone.now(),
    )  # fmt: skip
    return org


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_company_signs_a_notify_and_commit_online(
    live_server, page, company, csp_violations, a11y, size, actors
):
    w = size[0]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=username]", "huatai_agent")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/account/")
    page.click(f"main >> text={NAME}")
    page.click("text=签署信用承诺")
    page.wait_for_url(f"**/account/subjects/{company.pk}/commitments/new/")
    a11y(page, f"the signing page at {w}px")
    # Choose the matter and the kind; the template's text is shown in full.
    page.select_option("select[name=matter]", "administrative_licensing")
    page.select_option("select[name=kind]", "notify")
    page.click("text=查看承诺书全文")
    page.wait_for_url("**/commitments/new/?*matter=administrative_licensing*")
    body = page.locator("div.commitment-body")
    assert "承诺" in body.inner_text() and "第 1 版" in page.content()
    page.select_option("select[name=department]", "SCJG")
    page.fill("textarea[name=reason]", "申请食品经营许可，以承诺代替卫生许可证明")
    page.fill("input[name=signatory]", "王经办")
    shots.keep(page, str(ART / f"sign-{w}.png"), full_page=True)
    # Without the pledge ticked: told beside the box, nothing signed.
    page.click("main button:has-text('签署承诺')")
    error = page.locator("#id_pledge_error")
    error.wait_for()
    assert "勾选" in error.inner_text() and not Commitment.objects.exists()
    assert page.locator("textarea[name=reason]").input_value().startswith("申请食品经营许可")
    a11y(page, f"the signing page with the pledge missing at {w}px")
    page.check("input[name=pledge]")
    page.click("main button:has-text('签署承诺')")
    page.wait_for_url("**/account/commitments/*/")
    c = Commitment.objects.get()
    assert c.number in page.content() and "履行中" in page.content()
    assert c.check_due and c.check_due > datetime.date.today() - datetime.timedelta(days=1)
    shots.keep(page, str(ART / f"detail-{w}.png"), full_page=True)
    a11y(page, f"the signed commitment's page at {w}px")
    # The account's list, then the public column (newest first, found by the name).
    page.click("main >> text=我的信用承诺")
    page.wait_for_url("**/account/commitments/")
    assert c.number in page.content()
    page.goto(live_server.url + "/commitments/?q=华泰")
    assert NAME in page.locator("table.results").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= w
    shots.keep(page, str(ART / f"column-{w}.png"), full_page=True)
    a11y(page, f"the public column at {w}px")
    # Evaluated (issue #16): the subject page's tab shows only what is published — a grade B
    # is not — and offers the bound account its full explanation, with what would improve it.
    from xinyong.evaluation.tests.conftest import evaluate

    evaluate(actors["operator"], as_of=timezone.localdate())
    page.goto(f"{live_server.url}/subjects/{company.pk}/?tab=evaluation")
    tab = page.locator("main").inner_text()
    assert "未向社会公开" in tab and "B级" not in tab
    page.click("text=查看本主体的完整评价和提升建议")
    page.wait_for_url(f"**/account/subjects/{company.pk}/evaluation/")
    explained = page.locator("main").inner_text()
    assert (
        "B级（信用良好）" in explained and "如何提升" in explained and "信用承诺履约" in explained
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= w
    shots.keep(page, str(ART / f"evaluation-{w}.png"), full_page=True)
    a11y(page, f"the company's own evaluation at {w}px")
    assert csp_violations == []
    assert a11y.found == []
