"""Removal from the directory with due process, end to end: the notice as a PDF (facts,
basis, reasons, the 5-working-day deadline) the agency holds; its statement with an
attachment on its portal page or through its API, once and in time; the decision waiting
for the deadline unless the agency answered, stating its reasons and whether the statement
was adopted — removed (a PDF too; tokens end) or the case dropped (listed again, unmarked).
Each step one audit event, the agency's accounts told; others see nothing of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xinyong.agencies import selectors, services
from xinyong.agencies.models import Agency, AgencyToken, Removal
from xinyong.agencies.tests.conftest import PDF, bearer, lapse, notify_removal
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.workdays import add_workdays
from xinyong.remedies.models import Notification
from xinyong.reports.tests.conftest import look

pytestmark = pytest.mark.django_db


def _rules(e) -> dict:
    return {x.field: x.rule for x in e.value.errors}


def _login(actor) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=actor.user_id))
    return c


def _events(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="agency_removal", object_id=str(case.pk))
        .order_by("pk").values_list("action", flat=True)
    )  # fmt: skip


def test_notice_statement_and_removal_with_documents(actors, users, filed, token, agency_actor,
                                                     agency_org):  # fmt: skip
    case = notify_removal(actors, filed)
    filed.refresh_from_db()
    assert filed.status == "removal_notified" and case.status == "notified"
    assert case.statement_due == add_workdays(timezone.localdate(), 5)
    assert case.number.startswith("XYFWYC") and case.issuer == "市信用办"
    told = Notification.objects.filter(user_id=agency_actor.user_id).latest("pk")
    assert case.number in told.text and "陈述申辩" in told.text
    # The notice: a PDF naming the facts, the basis, the reasons and the deadline.
    portal = _login(agency_actor)
    base = f"/account/subjects/{agency_org.pk}/agency/"
    r = portal.get(f"{base}removals/{case.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = look(r.content, "agency-removal-notice")
    due = case.statement_due
    for said in ("拟移出信用服务机构名录告知书", "信安征信服务有限公司", case.number,
                 "已撤销的行政处罚记录", "第二十条", "出具虚假信用报告",
                 f"{due.year}年{due.month}月{due.day}日前", "5个工作日内", "视为放弃"):  # fmt: skip
        assert said in text, said
    assert portal.get(f"{base}removals/{case.pk}/decision.pdf").status_code == 404  # none yet
    # The portal page shows the case and offers the statement; bad input writes nothing.
    page = portal.get(base).content.decode()
    assert case.number in page and 'id="statement-form"' in page and "已撤销的行政处罚记录" in page
    junk = SimpleUploadedFile("x.pdf", b"MZ not a pdf")
    bad = portal.post(base, {"step": "statement", "removal": case.pk, "statement": " ",
                             "attachment": junk})  # fmt: skip
    assert bad.status_code == 400
    assert 'id="statement_statement_error"' in bad.content.decode()
    assert 'id="statement_attachment_error"' in bad.content.decode()
    assert Removal.objects.get().statement_at is None
    ok = portal.post(base, {"step": "statement", "removal": case.pk,
                            "statement": "该报告系依据当时有效的记录出具，已于次日更正。",
                            "attachment": SimpleUploadedFile("更正说明.pdf", PDF)})  # fmt: skip
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.statement_at and case.statement_file_name == "更正说明.pdf"
    assert case.statement_by == agency_actor.label
    again = portal.post(base, {"step": "statement", "removal": case.pk, "statement": "补充"})
    assert again.status_code == 400 and "已提交过陈述申辩" in again.content.decode()
    # Answered: the office may decide before the deadline, but must answer the statement.
    with pytest.raises(ValidationFailed) as e:
        services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="理由")
    assert _rules(e) == {"statement_adoption": "required"}
    with pytest.raises(ValidationFailed) as e:  # adopted in full: drop the case instead
        services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="理由",
                               statement_adoption="adopted")  # fmt: skip
    assert _rules(e) == {"statement_adoption": "removal.adopted"}
    with pytest.raises(PermissionDenied):
        services.agency_remove(actor=actors["market_clerk"], agency_id=filed.pk, reasons="理由",
                               statement_adoption="rejected")  # fmt: skip
    office = Client()
    office.force_login(users["operator"])
    r = office.post(f"/backoffice/agencies/{filed.pk}/", {
        "step": "remove", "reasons": "更正不能消除已造成的影响，移出名录",
        "statement_adoption": "rejected"})  # fmt: skip
    assert r.status_code == 302
    case.refresh_from_db()
    filed.refresh_from_db()
    assert case.status == "removed" and filed.status == "removed" and filed.removed_at
    assert case.decision_number.startswith("XYFWJD") and case.statement_adoption == "rejected"
    assert not AgencyToken.objects.filter(revoked_at__isnull=True).exists()
    assert not selectors.directory()
    # The decision: a PDF the agency downloads, its reasons and the answer to the statement.
    r = portal.get(f"{base}removals/{case.pk}/decision.pdf")
    assert r.status_code == 200
    text = look(r.content, "agency-removal-decision")
    for said in ("移出信用服务机构名录决定书", case.decision_number,
                 "更正不能消除已造成的影响", "已于次日更正", "更正说明.pdf", "不予采纳",
                 "行政复议", "接口令牌停止使用"):  # fmt: skip
        assert said in text, said
    assert _events(case) == ["agency.removal_notify", "document.read", "agency.removal_statement",
                             "agency.remove", "document.read"]  # fmt: skip
    entry = Client().get(f"/agencies/{filed.pk}/").content.decode()
    assert "已移出名录" in entry and "更正不能消除已造成的影响" in entry


def test_without_an_answer_the_decision_waits_for_the_deadline(actors, filed):
    case = notify_removal(actors, filed)
    with pytest.raises(ValidationFailed) as e:
        services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="理由")
    assert _rules(e) == {"status": "removal.period"}
    assert Agency.objects.get().status == "removal_notified"
    lapse(case)
    case = services.agency_remove(actor=actors["operator"], agency_id=filed.pk,
                                  reasons="期满未陈述申辩",
                                  statement_adoption="partly")  # fmt: skip
    assert case.statement_adoption == ""  # nothing was said, nothing adopted
    _name, pdf = selectors.office_removal_document(actor=actors["auditor"], removal_id=case.pk,
                                                   which="decision")  # fmt: skip
    text = look(pdf, "agency-removal-decision-silent")
    assert "未提出陈述和申辩，视为放弃该权利" in text and "期满未陈述申辩" in text


def test_the_office_drops_the_case_and_the_agency_stays_listed(
    actors, filed, agency_actor, agency_org, token, client
):
    case = notify_removal(actors, filed)
    services.agency_removal_statement(actor=agency_actor, subject_id=agency_org.pk,
                                      removal_id=case.pk, statement="报告已撤回并更正")  # fmt: skip
    with pytest.raises(ValidationFailed) as e:  # the statement must be answered here too
        services.agency_removal_drop(actor=actors["operator"], agency_id=filed.pk, reasons="r")
    assert _rules(e) == {"statement_adoption": "required"}
    case = services.agency_removal_drop(actor=actors["operator"], agency_id=filed.pk,
                                        reasons="机构已主动更正，未造成损害",
                                        statement_adoption="adopted")  # fmt: skip
    assert case.status == "dropped" and Agency.objects.get().status == "filed"
    assert [a.pk for a in selectors.directory()] == [filed.pk]
    assert client.get("/api/v1/agency/removals", **bearer(token)).json()[0]["status"] == "dropped"
    told = Notification.objects.filter(user_id=agency_actor.user_id).latest("pk")
    assert "终止" in told.text and case.decision_number in told.text
    _name, pdf = selectors.removal_document(actor=agency_actor, subject_id=agency_org.pk,
                                            removal_id=case.pk, which="decision")  # fmt: skip
    text = look(pdf, "agency-removal-dropped")
    assert "终止移出信用服务机构名录程序决定书" in text and "继续列于信用服务机构名录" in text
    assert "采纳" in text and "行政复议" not in text
    assert _events(case) == ["agency.removal_notify", "agency.removal_statement",
                             "agency.removal_drop", "document.read"]  # fmt: skip
    with pytest.raises(ValidationFailed) as e:  # nothing open: nothing to decide
        services.agency_removal_drop(actor=actors["operator"], agency_id=filed.pk, reasons="r")
    assert _rules(e) == {"status": "agency.not_notified"}
    second = notify_removal(actors, filed)  # a new case may follow
    assert second.pk != case.pk and Agency.objects.get().status == "removal_notified"


def test_bad_notice_input_is_named_by_field_and_writes_nothing(actors, filed):
    with pytest.raises(ValidationFailed) as e:
        notify_removal(actors, filed, facts="", basis="x" * 301, reasons="理由\x00")
    assert _rules(e) == {"facts": "required", "basis": "max_length",
                         "reasons": "text.control_char"}  # fmt: skip
    assert not Removal.objects.exists() and Agency.objects.get().status == "filed"
    assert not AuditEvent.objects.filter(action="agency.removal_notify").exists()
    with pytest.raises(PermissionDenied):
        notify_removal({"operator": actors["auditor"]}, filed)


def test_a_late_statement_is_refused(actors, filed, agency_actor, agency_org):
    case = notify_removal(actors, filed)
    lapse(case)
    with pytest.raises(ValidationFailed) as e:
        services.agency_removal_statement(actor=agency_actor, subject_id=agency_org.pk,
                                          removal_id=case.pk, statement="迟到的申辩")  # fmt: skip
    assert _rules(e) == {"statement": "removal.late"}
    page = _login(agency_actor).get(f"/account/subjects/{agency_org.pk}/agency/")
    assert 'id="statement-form"' not in page.content.decode()  # no longer offered


def test_statement_through_the_api(client, actors, filed, token, agency_org):
    case = notify_removal(actors, filed)
    url = f"/api/v1/agency/removals/{case.pk}/statement"
    listed = client.get("/api/v1/agency/removals", **bearer(token)).json()
    assert [c["number"] for c in listed] == [case.number] and listed[0]["status"] == "notified"
    r = client.post(url, {"statement": "x"}, content_type="application/json", **bearer(token))
    assert r.status_code == 415
    r = client.post(url, {"statement": "", "attachment": SimpleUploadedFile("a.exe", b"MZ")},
                    **bearer(token))  # fmt: skip
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["detail"]} == {"statement", "attachment"}
    assert client.post("/api/v1/agency/removals/999999/statement", {"statement": "x"},
                       **bearer(token)).status_code == 404  # fmt: skip
    proof = SimpleUploadedFile("证明.pdf", PDF)
    r = client.post(url, {"statement": "报告已更正", "attachment": proof}, **bearer(token))
    assert r.status_code == 200, r.content
    assert r.json()["statement"] == "报告已更正" and r.json()["statement_file_name"] == "证明.pdf"
    r = client.post(url, {"statement": "再说一次"}, **bearer(token))
    assert r.status_code == 422 and r.json()["detail"][0]["rule"] == "removal.answered"
    assert Removal.objects.get().statement == "报告已更正"
    # A token without the scope is refused.
    from xinyong.accounts.actors import Actor
    from xinyong.accounts.models import User

    agent = Actor.for_user(User.objects.get(username="agency_staff"))
    _t, narrow = services.token_issue(actor=agent, subject_id=agency_org.pk, name="只登记",
                                      scopes=["reports:register"])  # fmt: skip
    assert client.get("/api/v1/agency/removals", **bearer(narrow)).status_code == 403


def test_nobody_else_reads_the_case_or_its_documents(actors, users, filed, agency_actor,
                                                    agency_org, subject_actor, huawei):  # fmt: skip
    case = notify_removal(actors, filed)
    services.agency_removal_statement(
        actor=agency_actor, subject_id=agency_org.pk, removal_id=case.pk, statement="说明",
        attachment=SimpleUploadedFile("证明.pdf", PDF),
    )  # fmt: skip
    stranger = _login(subject_actor)
    for url in (f"/account/subjects/{agency_org.pk}/agency/removals/{case.pk}/notice.pdf",
                f"/account/subjects/{huawei.pk}/agency/removals/{case.pk}/notice.pdf"):  # fmt: skip
        assert stranger.get(url).status_code == 404
    with pytest.raises(NotFound):
        services.agency_removal_statement(actor=subject_actor, subject_id=agency_org.pk,
                                          removal_id=case.pk, statement="冒充")  # fmt: skip
    with pytest.raises(NotFound):
        services.agency_removal_statement(actor=subject_actor, subject_id=huawei.pk,
                                          removal_id=case.pk, statement="冒充")  # fmt: skip
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    r = clerk.get(f"/backoffice/agencies/removals/{case.pk}/statement-file/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="agency.file_read", object_type="agency_removal",
                                     actor_user_id=users["market_clerk"].pk).exists()  # fmt: skip
    assert clerk.get(f"/backoffice/agencies/removals/{case.pk}/notice.pdf").status_code == 200
    page = clerk.get(f"/backoffice/agencies/{filed.pk}/").content.decode()
    assert case.number in page and "说明" in page and 'value="remove"' not in page
    assert Client().get(f"/backoffice/agencies/removals/{case.pk}/notice.pdf").status_code == 302
