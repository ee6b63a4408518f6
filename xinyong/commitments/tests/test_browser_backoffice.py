"""A real Chromium, at a desktop's width and a phone's: the department checks a commitment
华为 signed online, finds it false and proposes the breach with its evidence; the subject
answers; the reviewer decides the breach — a negative record and a watch-list case — and
the back office's credit check for the matter then says notify-and-commit does not apply
and shows the case. axe-core checks each page on the way."""

import importlib

import pytest
from django.apps import apps

from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import sign
from xinyong.records.models import Record
from xinyong.remedies.tests.test_bindings import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"  # the users fixture's
PHONE, DESKTOP = (390, 844), (1280, 900)
# A transactional test may follow another one, whose flush removed the seeded rows.
SEEDS = (
    "xinyong.disclosure.migrations.0002_default_rules",
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.lists.migrations.0004_repair_after",
    "xinyong.sanctions.migrations.0002_default_measures",
    "xinyong.commitments.migrations.0002_default_templates",
)


@pytest.fixture
def seeded(transactional_db):
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/backoffice/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/backoffice/")


def _fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": PHONE[1] if width == PHONE[0] else 900})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width + 1, f"{page.url}: {wide}px wide at {width}px"


def test_check_find_false_hear_decide_and_the_check_says_not_allowed(
    live_server, page, seeded, company, tmp_path, a11y
):
    actor, subject = company
    c = sign(actor, subject)
    evidence = tmp_path / "核查记录.pdf"
    evidence.write_bytes(PDF)
    base = live_server.url
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    # The clerk: from the to-do list to the commitment, found false, the evidence uploaded.
    _sign_in(page, base, "market_clerk")
    assert "信用承诺待核查" in page.locator("section.todo").inner_text()
    # The paper form (its five rows of missing documents) fits a phone.
    page.goto(f"{base}/backoffice/commitments/new/?subject={subject.pk}")
    _fits(page, PHONE[0])
    a11y(page, "recording a paper commitment, on a phone")
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    page.goto(f"{base}/backoffice/")
    page.click("header >> text=信用承诺")
    page.wait_for_url("**/backoffice/commitments/")
    a11y(page, "the review queue")
    page.click(f"text={c.number}")
    page.wait_for_url(f"**/backoffice/commitments/{c.pk}/")
    assert "证明事项告知承诺书" in page.content() and "第 1 版" in page.content()
    a11y(page, "the commitment, in force")
    page.select_option("select[name=breach_kind]", "false")
    page.click("form:has(input[value=propose]) button[type=submit]")  # no reasons, no file
    page.wait_for_selector("#id_reasons_error")
    assert page.locator("#id_evidence_error").is_visible()
    a11y(page, "the breach proposal refused, errors next to the fields")
    page.fill("textarea[name=reasons]", "经向发证机关核实，所承诺的卫生许可证明并不存在")
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("form:has(input[value=propose]) button[type=submit]")
    page.wait_for_selector("text=已告知拟认定违诺")
    assert "由本部门审核人认定" in page.content()
    # The subject answers on the portal (its own lane); here through the service.
    services.commitment_statement(actor=actor, commitment_id=c.pk, statement="材料正在补办")
    # The reviewer decides the breach.
    _sign_in(page, base, "market_reviewer")
    assert "违诺待认定" in page.content()
    page.goto(f"{base}/backoffice/commitments/{c.pk}/")
    assert "材料正在补办" in page.content()
    page.select_option("select[name=decision]", "breach")
    page.fill("textarea[name=reason]", "陈述申辩未提供新的证据，认定为虚假承诺")
    a11y(page, "the decision, filled")
    page.click("form:has(input[value=decide]) button[type=submit]")
    page.wait_for_selector("text=违诺认定已作出")
    c = Commitment.objects.get(pk=c.pk)
    assert c.status == "breached" and c.case_id
    assert Record.objects.get(item_code="commitment_breach", source_id=c.number).polarity == (
        "negative"
    )
    assert page.locator(f"a[href='/backoffice/lists/{c.case_id}/']").count() == 1
    a11y(page, "the commitment, breached, with its case")
    for width in (PHONE[0], DESKTOP[0]):
        _fits(page, width)
    a11y(page, "the commitment at a desktop's width again")
    # The back office's credit check for the matter: not allowed, the case shown.
    page.goto(f"{base}/backoffice/checks/")
    page.fill("input[name=subject]", subject.uscc)
    page.select_option("select[name=matter]", "administrative_licensing")
    page.click("form.stack button[type=submit]")
    verdict = page.locator("section.commitment-verdict")
    verdict.wait_for()
    assert "不适用告知承诺、容缺受理" in verdict.inner_text()
    assert c.number in verdict.inner_text() and "重点关注对象名单" in verdict.inner_text()
    assert "notify" not in verdict.inner_text()
    a11y(page, "the credit check: notify-and-commit not allowed")
    # On a phone: the queue and the check fit the screen.
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    _fits(page, PHONE[0])
    a11y(page, "the credit check on a phone")
    page.goto(f"{base}/backoffice/commitments/?status=all")
    _fits(page, PHONE[0])
    a11y(page, "the queue on a phone")
    assert a11y.found == []
