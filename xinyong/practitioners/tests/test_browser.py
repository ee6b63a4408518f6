"""A real Chromium on a desktop: the health commission's clerk registers a doctor and opens
his file; the doctor, signed in to the portal with his bound account, sees his own file.
Each state is checked by axe-core."""

import pytest

from xinyong.conftest import RID
from xinyong.practitioners.models import Practitioner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip


def _sign_in(page, base: str, login: str, username: str, password: str) -> None:
    page.goto(base + login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: login not in u)


def test_the_department_registers_and_the_doctor_sees_his_file(live_server, browser, health,
                                                               doctors, a11y):  # fmt: skip
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded CI machine
    try:
        _sign_in(page, live_server.url, "/backoffice/login/", "health_clerk", "Xinyong-demo-2026")
        page.goto(live_server.url + "/backoffice/practitioners/")
        page.select_option("#id_profession", "doctor")
        page.fill("#id_id_number", RID)
        page.fill("#id_name", "张医生")
        page.fill("#id_licence_no", "110330000012345")
        page.fill("#id_valid_from", "2020-07-01")
        a11y(page, "从业人员登记")
        page.get_by_role("button", name="登记").click()
        assert "110330000012345" in page.locator("dl.facts").inner_text()
        assert RID not in page.content()
        a11y(page, "从业人员信用档案")
        p = Practitioner.objects.get()
        from django.utils import timezone

        from xinyong.accounts.models import User
        from xinyong.remedies.models import SubjectBinding

        user = User.objects.create_user(username="zhang_doctor", password="Doctor-2026-x",
                                        role="public")  # fmt: skip
        SubjectBinding.objects.create(
            user=user, subject=p.person, status="approved", applicant="张医生",
            phone="13800000001", evidence_path="x.pdf", evidence_name="身份证.pdf",
            evidence_sha256="0" * 64, requested_at=timezone.now(), via="operator",
            reviewed_by="operator", reviewed_at=timezone.now(),
        )  # fmt: skip
        context.clear_cookies()
        _sign_in(page, live_server.url, "/account/login/", "zhang_doctor", "Doctor-2026-x")
        page.goto(live_server.url + f"/account/subjects/{p.person_id}/practitioner/")
        assert "110330000012345" in page.locator("dl.facts").inner_text()
        a11y(page, "我的从业人员信用档案")
    finally:
        context.close()
    assert a11y.found == []


def test_a_visitor_finds_a_published_doctor_by_number(live_server, browser, health, doctors,
                                                      actors, a11y):  # fmt: skip
    """The public column: the profession's rule publishes name and number; a visitor picks
    the profession, types the number, opens the page — the rule is there, the ID is not."""
    from xinyong.practitioners import services
    from xinyong.practitioners.tests.conftest import register

    services.profession_save(
        actor=actors["operator"], code="doctor", name="医师", department_code="WJW",
        items=["practitioner_record"], public_fields=["name", "licence_no"],
        publish_basis="《中华人民共和国医师法》第十五条：医师注册信息向社会公开",
    )  # fmt: skip
    p = register(health["clerk"])
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="从业人员信息公示").click()
        page.select_option("#profession", "doctor")
        page.fill("#q", "110330000012345")
        page.get_by_role("button", name="查询").click()
        a11y(page, "从业人员查询结果")
        page.get_by_role("link", name="查看").click()
        page.wait_for_url(f"**/practitioners/{p.pk}/")
        facts = page.locator("dl.facts").inner_text()
        assert "张医生" in facts and "市卫生健康委员会" in facts and "医师法" in facts
        assert RID not in page.content() and p.person.id_masked not in page.content()
        a11y(page, "从业人员公开信息")
    finally:
        context.close()
    assert a11y.found == []
