"""Bad input refused naming each field and writing nothing; receipt codes; deadlines in
working days and overdue marks; the credit office's periods and routing table."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS, SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.tips import selectors, services
from xinyong.tips.models import Tip, TipEvidence, TipIdentity
from xinyong.tips.tests.conftest import file_tip, pdf

pytestmark = pytest.mark.django_db
TOMORROW = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content": "   "}, "content"),
        ({"content": "x" * 4001}, "content"),
        ({"content": "过期\x00食品"}, "content"),
        ({"subject_id": 987654}, "subject"),
        ({"subject_id": "1"}, "subject"),
        ({"domain_code": "bribery"}, "domain"),
        ({"occurred_on": ""}, "occurred_on"),
        ({"occurred_on": "2025-02-30"}, "occurred_on"),
        ({"occurred_on": TOMORROW}, "occurred_on"),
        ({"place": ""}, "place"),
        ({"place": "x" * 201}, "place"),
        ({"evidence": [pdf("病毒.exe", b"MZ\x90\x00")]}, "evidence"),
        ({"evidence": [pdf("照片.pdf", b"MZ not a pdf")]}, "evidence"),
        ({"evidence": [pdf() for _ in range(6)]}, "evidence"),
        ({"anonymous": False, "name": "王举报", "contact": "13912345678"}, "anonymous"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    org_with_rep, domains, change, field, settings
):
    change = {"subject_id": org_with_rep.pk} | change
    with pytest.raises(ValidationFailed) as e:
        file_tip(ANONYMOUS, **change)
    assert field in {x.field for x in e.value.errors}
    assert all(x.message for x in e.value.errors)
    assert not Tip.objects.exists() and not TipEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action="tip.file").exists()
    stored = settings.XINYONG_REMEDY_DIR
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_an_oversized_evidence_file_is_refused(org_with_rep, domains, settings):
    settings.XINYONG_REMEDY_MAX_MB = 0
    with pytest.raises(ValidationFailed) as e:
        file_tip(ANONYMOUS, org_with_rep.pk)
    assert e.value.errors[0].field == "evidence" and "MB" in e.value.errors[0].message
    assert not Tip.objects.exists()


def test_a_person_is_not_a_subject_of_tips(org_with_rep, domains):
    from xinyong.subjects.models import Subject

    person = Subject.objects.filter(kind="person").first()
    assert person is not None
    with pytest.raises(ValidationFailed) as e:
        file_tip(ANONYMOUS, person.pk)
    assert e.value.errors[0].field == "subject"


@pytest.mark.parametrize(
    ("name", "contact", "fields"),
    [("", "", {"name", "contact"}), ("王举报", "不告诉你", {"contact"}),
     ("王\x07", "13912345678", {"name"}), ("王举报", "1" * 101, {"contact"})],
)  # fmt: skip
def test_a_verified_identity_needs_a_name_and_a_contact(
    org_with_rep, domains, tipster, name, contact, fields
):
    with pytest.raises(ValidationFailed) as e:
        file_tip(tipster, org_with_rep.pk, anonymous=False, name=name, contact=contact)
    assert {x.field for x in e.value.errors} == fields
    assert not Tip.objects.exists() and not TipIdentity.objects.exists()


@pytest.mark.parametrize("code", ["", "ABC", "ABCD-EFGH-JKMN-PQR0", "ABCD-EFGH-JKMN-PQRS-T", 42])
def test_a_malformed_receipt_code_is_refused_naming_the_field(db, code):
    with pytest.raises(ValidationFailed) as e:
        selectors.tip_follow(receipt=code)
    assert e.value.errors[0].field == "receipt"


def test_a_receipt_code_of_no_tip_is_not_found(org_with_rep, domains):
    file_tip(ANONYMOUS, org_with_rep.pk)
    with pytest.raises(NotFound):
        selectors.tip_follow(receipt="ABCD-EFGH-JKMN-PQRS")


def test_deadlines_are_working_days_and_overdue_tips_are_marked(org_with_rep, domains, actors):
    today = timezone.localdate()
    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    assert tip.ack_due == workdays.add_workdays(today, 5)
    assert workdays.workdays_between(today, tip.ack_due) >= 5 - 1
    assert not tip.overdue
    clerk = actors["market_clerk"]
    assert selectors.tip_queue(actor=clerk, overdue_only=True) == []
    Tip.objects.filter(pk=tip.pk).update(ack_due=today - datetime.timedelta(days=1))
    assert [t.pk for t in selectors.tip_queue(actor=clerk, overdue_only=True)] == [tip.pk]
    assert selectors.tip_follow(receipt=code).overdue
    assert selectors.tip_counts(actor=actors["operator"])["overdue"] == 1
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    late = AuditEvent.objects.get(action="tip.accept")
    assert late.detail["late"] is True
    tip.refresh_from_db()
    assert not tip.overdue and tip.decide_due == workdays.add_workdays(today, 30)
    Tip.objects.filter(pk=tip.pk).update(decide_due=today - datetime.timedelta(days=1))
    assert [t.pk for t in selectors.tip_queue(actor=actors["operator"], overdue_only=True)] == [
        tip.pk
    ]


def test_the_credit_office_sets_the_periods_and_the_routing_table(org_with_rep, domains, actors):
    office = actors["operator"]
    services.tip_policy_save(actor=office, ack_workdays="3", decide_workdays=10)
    services.tip_domain_save(actor=office, code="food", name="食品安全", department_code="SW")
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk, domain_code="food")
    today = timezone.localdate()
    assert tip.ack_due == workdays.add_workdays(today, 3) and tip.department.code == "SW"
    services.tip_acknowledge(actor=actors["tax_clerk"], tip_id=tip.pk, accept=True)
    tip.refresh_from_db()
    assert tip.decide_due == workdays.add_workdays(today, 10)
    bad = (({"ack_workdays": 0, "decide_workdays": 5}, "ack_workdays"),
           ({"ack_workdays": 5, "decide_workdays": "x"}, "decide_workdays"))  # fmt: skip
    for kw, field in bad:
        with pytest.raises(ValidationFailed) as e:
            services.tip_policy_save(actor=office, **kw)
        assert e.value.errors[0].field == field
    with pytest.raises(ValidationFailed) as e:
        services.tip_domain_save(actor=office, code="食品", name="", department_code="NOPE")
    assert {x.field for x in e.value.errors} == {"code", "name", "department"}
    with pytest.raises(PermissionDenied):
        services.tip_policy_save(actor=actors["market_clerk"], ack_workdays=1, decide_workdays=1)
    assert services.tip_policy().ack_workdays == 3
    services.tip_domain_save(actor=SYSTEM, code="food", name="食品安全", active=False)
    with pytest.raises(ValidationFailed) as e:  # an inactive domain is not offered
        file_tip(ANONYMOUS, org_with_rep.pk, domain_code="food")
    assert e.value.errors[0].field == "domain"
