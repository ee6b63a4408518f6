"""The designation procedure as an enforced state machine: no step can be skipped, each
needs its role and the designating department, each is audited with its deadline; a
serious-dishonesty case needs a national category and a legal basis; responsible persons
and (for public bodies) the notice to the superior body are recorded."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListEntryEvent
from xinyong.lists.tests.conftest import GROUNDS, designate, open_case
from xinyong.subjects import demo
from xinyong.subjects import services as subjects

pytestmark = pytest.mark.django_db


def _rules(exc) -> set[tuple[str, str]]:
    return {(e.field, e.rule) for e in exc.value.errors}


def test_full_procedure_step_by_step(actors, penalty_record):
    entry = open_case(actors, penalty_record)
    assert entry.status == "opened" and entry.act_date == datetime.date(2026, 11, 2)
    assert [p.person.name for p in entry.persons.all()] == ["张三"]  # legal rep at the time
    assert "依法限制参加政府采购活动" in entry.measures_text
    # Skipping ahead is refused, whoever tries.
    for action in (services.entry_decide, services.entry_publish):
        with pytest.raises(ValidationFailed) as e:
            action(actor=actors["market_reviewer"], entry_id=entry.pk,
                   **({"decision_no": "x"} if action is services.entry_decide else {}))  # fmt: skip
        assert ("status", "entry.step_order") in _rules(e)
    # Clerks prepare; the notice sets the statement deadline in working days.
    entry = services.entry_notify(
        actor=actors["market_clerk"], entry_id=entry.pk, notice_no="信市监告〔2026〕1号"
    )
    due = workdays.add_workdays(timezone.localdate(), 5)
    assert (entry.status, entry.statement_due, entry.deadline) == ("notified", due, due)
    notice = entry.notices.get(kind="prior_notice")
    for text in (GROUNDS, "严重破坏市场公平竞争秩序", "依法限制参加政府采购活动", "移出条件",
                 "陈述和申辩", "行政复议"):  # fmt: skip
        assert text in notice.body
    with pytest.raises(ValidationFailed) as e:  # no statement yet, period still running
        services.entry_hear(actor=actors["market_clerk"], entry_id=entry.pk)
    assert ("statement", "entry.statement_period") in _rules(e)
    entry = services.entry_hear(
        actor=actors["market_clerk"], entry_id=entry.pk, statement="已整改，请求从轻"
    )
    assert entry.status == "heard"
    # Reviewers decide; a clerk cannot.
    with pytest.raises(PermissionDenied):
        services.entry_decide(actor=actors["market_clerk"], entry_id=entry.pk, decision_no="x")
    with pytest.raises(ValidationFailed) as e:
        services.entry_decide(
            actor=actors["market_reviewer"], entry_id=entry.pk, decision_no="信市监认〔2026〕1号",
            term_months=61,
        )  # fmt: skip
    assert ("term_months", "term.max") in _rules(e)
    # After a statement, the decision answers it: adopted or not, and why.
    with pytest.raises(ValidationFailed) as e:
        services.entry_decide(
            actor=actors["market_reviewer"], entry_id=entry.pk, decision_no="信市监认〔2026〕1号"
        )
    assert {("statement_adoption", "required"), ("statement_reply", "required")} <= _rules(e)
    entry = services.entry_decide(
        actor=actors["market_reviewer"], entry_id=entry.pk, decision_no="信市监认〔2026〕1号",
        statement_adoption="rejected", statement_reply="整改发生在违法行为之后",
    )  # fmt: skip
    assert "不予采纳" in entry.notices.get(kind="decision").body
    assert entry.term_end == timezone.localdate() + relativedelta(months=36)
    assert "听取你方陈述申辩" in entry.notices.get(kind="decision").body
    assert not entry.notices.filter(kind="superior").exists()  # a private company
    entry = services.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
    assert entry.status == "published" and entry.published_at is not None
    entry = services.entry_remove(
        actor=actors["market_reviewer"], entry_id=entry.pk, reason="repaired"
    )
    assert (entry.status, entry.removal_reason) == ("removed", "repaired")
    steps = list(ListEntryEvent.objects.filter(entry=entry).values_list("action", "actor"))
    assert steps == [
        ("open", "market_clerk"), ("notify", "market_clerk"), ("hear", "market_clerk"),
        ("decide", "market_reviewer"), ("publish", "market_reviewer"),
        ("remove", "market_reviewer"),
    ]  # fmt: skip
    assert ListEntryEvent.objects.get(entry=entry, action="notify").deadline == due
    audited = AuditEvent.objects.filter(object_type="list_entry", object_id=str(entry.pk))
    assert audited.count() == 6


def test_serious_dishonesty_needs_category_basis_and_procedure(actors, penalty_record):
    with pytest.raises(ValidationFailed) as e:
        open_case(actors, penalty_record, national_category="", legal_basis=" ")
    assert {("national_category", "required"), ("legal_basis", "required")} <= _rules(e)
    with pytest.raises(ValidationFailed) as e:
        open_case(actors, penalty_record, basis_record_ids=[], basis_document="", basis_kind="")
    assert {("basis_kind", "required"), ("basis_records", "required")} <= _rules(e)
    assert not ListEntry.objects.exists()


def test_remit_scope_and_duplicates(actors, penalty_record, departments):
    # The tax department cannot cite the market regulator's penalty as its own decision…
    with pytest.raises(ValidationFailed) as e:
        open_case(actors, penalty_record, who="tax_clerk")
    assert ("basis_records", "record.remit") in _rules(e)
    # …nor keep the abnormal operations list, which is the market regulator's.
    with pytest.raises(PermissionDenied):
        open_case(actors, penalty_record, who="tax_clerk", list_code="abnormal_operations",
                  basis_kind="other_decision", basis_record_ids=[], basis_document="x")  # fmt: skip
    entry = open_case(actors, penalty_record)
    # Another department does not see the pending case at all.
    with pytest.raises(NotFound):
        services.entry_notify(actor=actors["tax_clerk"], entry_id=entry.pk, notice_no="x")
    with pytest.raises(ValidationFailed) as e:
        open_case(actors, penalty_record)
    assert ("subject", "entry.duplicate") in _rules(e)
    # Dropping the case lets a new one be opened.
    services.entry_drop(actor=actors["market_reviewer"], entry_id=entry.pk, note="证据不足")
    assert open_case(actors, penalty_record).status == "opened"


def test_public_body_decision_notifies_superior_and_auditors(actors, client, market_token):
    from xinyong.ingest.tests.conftest import penalty, push
    from xinyong.records.models import Record

    code = demo.make_uscc("12", demo.CITY_REGION, 4242)
    subjects.organization_register(
        actor=actors["market_clerk"], uscc=code, name="信安市第一人民医院", legal_form="事业单位"
    )
    row = penalty(7, XDR_MC="信安市第一人民医院", XDR_SHXYM=code)
    assert push(client, market_token, "administrative_penalty", [row]).json()["created"] == 1
    entry = designate(actors, Record.objects.get(source_id="信市监罚〔2026〕7号"))
    superior = entry.notices.get(kind="superior")
    assert "上级主管单位" in superior.addressee and "信安市第一人民医院" in superior.body


def test_honor_list_has_no_prior_notice_and_terms_expire(actors, penalty_record):
    entry = services.entry_open(
        actor=actors["market_clerk"], list_code="honor", subject_id=penalty_record.subject_id,
        grounds="连续三年无不良信用记录，获市级诚信示范企业称号",
        legal_basis="国发〔2016〕33号",
    )  # fmt: skip
    entry = services.entry_decide(
        actor=actors["market_reviewer"], entry_id=entry.pk, decision_no="信市监荣〔2026〕1号"
    )
    entry = services.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
    assert entry.term_end == timezone.localdate() + relativedelta(months=24)
    later = timezone.now() + relativedelta(months=24, days=1)
    assert services.entries_expire(actor=SYSTEM, now=later) == 1
    gone = ListEntry.objects.get(pk=entry.pk)
    assert (gone.status, gone.removal_reason) == ("removed", "expired")


def test_objection_marks_suspension_and_only_designating_side(actors, penalty_record, users):
    entry = designate(actors, penalty_record)
    with pytest.raises(PermissionDenied):
        services.entry_objection_set(actor=actors["tax_clerk"], entry_id=entry.pk, under=True)
    operator = Actor.for_user(users["operator"])
    entry = services.entry_objection_set(actor=operator, entry_id=entry.pk, under=True, note="异议")
    assert entry.under_objection
