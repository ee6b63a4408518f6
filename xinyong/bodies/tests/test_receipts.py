"""Notices about public bodies followed until acknowledged (issue #18, item 6): a list
decision about a public institution opens one receipt per addressee; the addressee
department acknowledges online, a named body's paper receipt is recorded; past the
deadline a notice is overdue and reminded daily."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.bodies import selectors, services
from xinyong.bodies.models import NoticeReceipt
from xinyong.bodies.tests.conftest import decide
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def _by_role(entry):
    return {r.role: r for r in NoticeReceipt.objects.filter(entry_notice__entry=entry)}


def test_a_decision_about_a_public_institution_is_sent_to_its_superior_and_the_auditors(
    staff, decided
):
    receipts = _by_role(decided)
    assert set(receipts) == {"superior", "audit"}
    superior, audit = receipts["superior"], receipts["audit"]
    assert superior.department.code == "WJW" and superior.addressee_name == "市卫生健康委员会"
    assert audit.department.code == "SJ"  # XINYONG_AUDIT_DEPARTMENT, on the platform
    assert superior.issuer.code == "SCJG" and superior.number == "信市监认〔2026〕9号"
    assert superior.due == workdays.add_workdays(timezone.localdate(), 5)
    assert superior.outstanding and not superior.late
    queue = selectors.receipts_queue(actor=staff["health_clerk"])
    assert [r.pk for r in queue["to_acknowledge"]] == [superior.pk]
    issued = selectors.receipts_queue(actor=staff["market_clerk"])
    assert {r.pk for r in issued["sent"]} == {superior.pk, audit.pk}
    assert issued["to_acknowledge"] == []


def test_a_company_decision_opens_no_receipt(staff, org_with_rep):
    entry = decide(staff, org_with_rep)
    assert not NoticeReceipt.objects.filter(entry_notice__entry=entry).exists()


def test_the_addressee_acknowledges_online_and_it_is_no_longer_outstanding(staff, decided):
    superior = _by_role(decided)["superior"]
    services.receipt_acknowledge(actor=staff["health_clerk"], receipt_id=superior.pk)
    superior.refresh_from_db()
    assert superior.ack_method == "online" and superior.ack_signer == "health_clerk"
    assert superior.acknowledged_at is not None and not superior.outstanding
    for who in ("health_clerk", "market_clerk", "operator"):
        queue = selectors.receipts_queue(actor=staff[who])
        assert superior.pk not in {r.pk for r in queue["to_acknowledge"] + queue["sent"]}
    assert superior.pk in {
        r.pk for r in selectors.receipts_queue(actor=staff["health_clerk"])["done"]
    }
    event = AuditEvent.objects.filter(action="notice.acknowledge").get()
    assert event.object_id == str(superior.pk) and event.detail["late"] is False
    with pytest.raises(ValidationFailed) as e:  # once only
        services.receipt_acknowledge(actor=staff["health_clerk"], receipt_id=superior.pk)
    assert e.value.errors[0].field == "receipt"


def test_only_the_addressee_department_acknowledges_online(staff, decided):
    superior = _by_role(decided)["superior"]
    for who in ("market_clerk", "operator"):  # the issuer, the credit office: paper only
        with pytest.raises(PermissionDenied):
            services.receipt_acknowledge(actor=staff[who], receipt_id=superior.pk)
    for who in ("audit_clerk", "tax_clerk"):  # another addressee's, another department's
        with pytest.raises(NotFound):
            services.receipt_acknowledge(actor=staff[who], receipt_id=superior.pk)
    assert NoticeReceipt.objects.get(pk=superior.pk).outstanding


def test_overdue_after_the_deadline_and_reminded_once_a_day(
    staff, decided, users, django_capture_on_commit_callbacks
):
    users["market_clerk"].email = "scjg@example.gov.cn"
    users["market_clerk"].save()
    superior = _by_role(decided)["superior"]
    assert services.receipts_remind(actor=SYSTEM) == 0  # nothing late yet
    NoticeReceipt.objects.filter(pk=superior.pk).update(
        due=timezone.localdate() - datetime.timedelta(days=1)
    )
    superior.refresh_from_db()
    assert superior.late
    queue = selectors.receipts_queue(actor=staff["health_clerk"])["to_acknowledge"]
    assert queue[0].late
    todo = selectors.receipts_todo(actor=staff["health_clerk"], today=timezone.localdate())
    assert todo.total == 1 and todo.late == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.receipts_remind(actor=SYSTEM) == 1
    assert services.receipts_remind(actor=SYSTEM) == 0  # once a day
    superior.refresh_from_db()
    assert superior.reminders == 1 and superior.reminded_on == timezone.localdate()
    assert any("scjg@example.gov.cn" in m.to for m in mail.outbox)
    assert AuditEvent.objects.filter(action="notice.remind").count() == 1
    services.receipt_acknowledge(actor=staff["health_clerk"], receipt_id=superior.pk)
    superior.refresh_from_db()
    assert superior.acknowledged_late and not superior.late
    assert AuditEvent.objects.get(action="notice.acknowledge").detail["late"] is True


def test_a_named_body_s_paper_receipt_is_recorded_by_the_issuer(staff, hospital):
    services.public_body_profile_save(actor=staff["market_clerk"], subject_id=hospital.pk,
                                      superior_name="省卫生健康委员会")  # fmt: skip
    entry = decide(staff, hospital)
    superior = _by_role(entry)["superior"]
    assert superior.department is None and superior.addressee_name == "省卫生健康委员会"
    today = timezone.localdate()
    services.receipt_record_paper(actor=staff["market_clerk"], receipt_id=superior.pk,
                                  signer="省卫生健康委员会办公室 王某", proof="送达回证 2026-118",
                                  received_on=today)  # fmt: skip
    superior.refresh_from_db()
    assert superior.ack_method == "paper" and superior.ack_proof == "送达回证 2026-118"
    assert superior.ack_recorded_by == "market_clerk" and not superior.outstanding
    assert AuditEvent.objects.filter(action="notice.paper_receipt").count() == 1


def test_a_paper_receipt_without_its_fields_is_refused_naming_them_and_writes_nothing(
    staff, decided
):
    audit = _by_role(decided)["audit"]
    before = AuditEvent.objects.count()
    cases = [
        ({"signer": "", "proof": "回证1", "received_on": timezone.localdate()}, "signer"),
        ({"signer": "市审计局", "proof": "", "received_on": timezone.localdate()}, "proof"),
        ({"signer": "市审计局", "proof": "回证1", "received_on": None}, "received_on"),
        ({"signer": "市审计局", "proof": "回证1",
          "received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on"),
        ({"signer": "市审计局\x00", "proof": "回证1",
          "received_on": timezone.localdate()}, "signer"),
        ({"signer": "审" * 201, "proof": "回证1", "received_on": timezone.localdate()}, "signer"),
    ]  # fmt: skip
    for data, field in cases:
        with pytest.raises(ValidationFailed) as e:
            services.receipt_record_paper(actor=staff["operator"], receipt_id=audit.pk, **data)
        assert field in {err.field for err in e.value.errors}, (data, e.value.errors)
    with pytest.raises(PermissionDenied):  # the addressee does not record its own paper
        services.receipt_record_paper(actor=staff["audit_clerk"], receipt_id=audit.pk,
                                      signer="市审计局", proof="回证1",
                                      received_on=timezone.localdate())  # fmt: skip
    assert NoticeReceipt.objects.get(pk=audit.pk).outstanding
    assert AuditEvent.objects.count() == before


def test_the_set_rules_equal_the_access_rules(staff, decided):
    from xinyong.accounts import access
    from xinyong.accounts.access import Action

    rows = list(NoticeReceipt.objects.all())
    for who in ("health_clerk", "audit_clerk", "market_clerk", "market_reviewer", "tax_clerk",
                "operator", "auditor"):  # fmt: skip
        actor = staff[who]
        for action in (Action.NOTICE_ACKNOWLEDGE, Action.NOTICE_RECEIPT_RECORD):
            acting = set(NoticeReceipt.objects.filter(access.acting_q(actor, action))
                         .values_list("pk", flat=True))  # fmt: skip
            assert acting == {r.pk for r in rows if access.allowed(actor, action, r)}, (who, action)


def test_the_daily_upkeep_reminds(staff, decided, monkeypatch):
    from xinyong.records import tasks

    NoticeReceipt.objects.update(due=timezone.localdate() - datetime.timedelta(days=3))
    tasks._notice_reminders(None)
    assert set(NoticeReceipt.objects.values_list("reminders", flat=True)) == {1}
