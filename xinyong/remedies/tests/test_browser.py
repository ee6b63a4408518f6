"""A real Chromium: the subject's agent signs in on the portal, applies for credit repair of
its serious-dishonesty entry with the commitment letter, follows the application, and
sees it succeed once the department approves."""

import importlib

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.utils import timezone

from xinyong.accounts.services import portal_account_register
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate
from xinyong.remedies import services
from xinyong.remedies.models import RepairApplication, SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Credit-Office-2026!"


@pytest.fixture
def listed(actors, penalty_record, users, tmp_path):
    # A transactional test may follow another one, whose flush removed the seeded lists.
    # The list's minimum period before repair (0004) is seeded too, whatever ran before:
    # the entry was listed 13 months ago, so that it may be repaired now.
    for module in ("xinyong.lists.migrations.0002_default_list_types",
                   "xinyong.lists.migrations.0004_repair_after",
                   "xinyong.sanctions.migrations.0002_default_measures"):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    entry = designate(actors, penalty_record)
    listed_on = timezone.localdate() - relativedelta(months=13)
    ListEntry.objects.filter(pk=entry.pk).update(decided_on=listed_on)
    entry.refresh_from_db()
    agent = portal_account_register(username="huawei_agent", password=PASSWORD,
                                    display_name="李经办")  # fmt: skip
    binding = SubjectBinding.objects.create(
        user=agent, subject=penalty_record.subject, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0",
        requested_at=entry.published_at, via="operator", reviewed_by="operator",
    )  # fmt: skip
    letter = tmp_path / "信用修复承诺书.pdf"
    letter.write_bytes(PDF)
    return entry, binding, letter


def test_apply_for_repair_and_follow_it(live_server, page, listed, actors, a11y):
    entry, binding, letter = listed
    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=username]", "huawei_agent")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/")
    page.click("text=华为技术有限公司")
    page.wait_for_url(f"**/account/subjects/{binding.subject_id}/")
    page.click("text=申请信用修复")
    page.check(f"input[name=entry][value='{entry.pk}']")
    page.fill("textarea[name=statement]", "已缴清罚款，完成整改并参加信用修复培训")
    page.set_input_files("input[name=material_commitment]", str(letter))
    a11y(page, "the repair application, filled")
    page.click("button[type=submit]")
    page.wait_for_selector("text=信用修复申请已提交")
    a11y(page, "the repair application submitted (message)")
    assert page.locator("table.repairs td.repair-status").first.inner_text() == "已受理"
    app = RepairApplication.objects.get()
    services.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                           approve=True, reason="已履行义务，同意修复")  # fmt: skip
    page.reload()
    assert page.locator("table.repairs td.repair-status").first.inner_text() == "修复成功"
    assert ListEntry.objects.get(pk=entry.pk).removal_reason == "repaired"
    assert a11y.found == []
