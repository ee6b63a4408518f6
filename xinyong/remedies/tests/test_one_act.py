"""Objections and repair are each ONE act: one transaction, one audit event naming what it
withdrew or removed, the withdrawal by the same step a feed's withdrawal rows take (no
one-row batch nested inside), provenance kept; public services refuse to be nested. And
the faults a subject met: its own file after a repair, the objection's evidence, a repair
before the list's minimum period."""

import datetime
from urllib.parse import quote

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import ValidationFailed
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.exchange.models import Change
from xinyong.ingest.models import Batch
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.tests.conftest import designate
from xinyong.records.models import Record, RecordVersion
from xinyong.remedies import services
from xinyong.remedies.models import Objection, SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF, _portal, _request

pytestmark = pytest.mark.django_db


def _pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def bound(client, users, actors, penalty_record):
    """华为 on the serious dishonesty list (resting on its penalty), its agent bound."""
    entry = designate(actors, penalty_record)
    portal = _portal(client)
    _request(portal)
    services.binding_review(actor=Actor.for_user(users["operator"]),
                            binding_id=SubjectBinding.objects.get().pk, approve=True)  # fmt: skip
    agent = Actor.for_user(SubjectBinding.objects.get().user)
    return portal, agent, entry, penalty_record


def _forwarded(users, agent, **target) -> Objection:
    obj = services.objection_file(actor=agent, reasons="处罚对象错误", **target)
    operator = Actor.for_user(users["operator"])
    services.objection_mark(actor=operator, objection_id=obj.pk)
    services.objection_forward(actor=operator, objection_id=obj.pk)
    return obj


def _events_during(call) -> list[AuditEvent]:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    call()
    return list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))


def test_a_record_revoked_on_objection_is_one_act_traceable_to_it(bound, users, actors):
    _portal_client, agent, entry, record = bound
    publication_sweep(actor=SYSTEM)
    assert Publication.objects.get(record=record).status == "public"
    obj = _forwarded(users, agent, record_id=record.pk)
    batches = Batch.objects.count()
    reviewer = actors["market_reviewer"]
    events = _events_during(lambda: services.objection_decide(
        actor=reviewer, objection_id=obj.pk, decision="revoked", reason="处罚对象错误，撤销",
    ))  # fmt: skip
    # One user act, one audit event — naming what it withdrew; no batch was run for it.
    assert [e.action for e in events] == ["objection.decide"]
    assert events[0].detail["records_withdrawn"] == [record.pk]
    assert Batch.objects.count() == batches
    # The withdrawing version says by what and by whom; the replaced one is history.
    withdrawn = Record.objects.get(pk=record.pk)
    assert (withdrawn.status, withdrawn.version, withdrawn.channel) == ("withdrawn", 2, "remedy")
    assert withdrawn.batch_id is None
    assert f"异议 #{obj.pk}" in withdrawn.withdraw_reason
    assert reviewer.label in withdrawn.withdraw_reason
    old = RecordVersion.objects.get(record=withdrawn)
    assert (old.version, old.status, old.superseded_by_batch_id) == (1, "active", None)
    # Out of public view at once, the feed told, no sweep needed.
    p = Publication.objects.get(record=record)
    assert p.status == "withdrawn" and p.ended_at.date() <= p.withdraw_deadline
    assert Change.objects.filter(feed="publicity", object_id=record.pk, action="unpublish").exists()
    assert Client().get(f"/publicity/{record.pk}/").status_code == 404
    # The entry resting on it stays suspended; its log says who marked it, and why.
    kept = ListEntry.objects.get(pk=entry.pk)
    assert kept.under_objection
    mark = kept.events.get(action="objection")
    assert (mark.actor, mark.note) == ("operator", f"异议 {obj.pk}")
    # The back-office file shows the withdrawal's provenance without a batch.
    staff = Client()
    staff.force_login(users["market_clerk"])
    page = staff.get(f"/backoffice/subjects/{record.subject_id}/").content.decode()
    assert "异议处理" in page and f"异议 #{obj.pk}" in page


def test_an_entry_revoked_on_objection_is_one_act(bound, users, actors):
    _portal_client, agent, entry, _record = bound
    obj = _forwarded(users, agent, entry_id=entry.pk)
    events = _events_during(lambda: services.objection_decide(
        actor=actors["market_reviewer"], objection_id=obj.pk, decision="revoked",
        reason="认定依据不足",
    ))  # fmt: skip
    assert [e.action for e in events] == ["objection.decide"]
    assert events[0].detail["entries_removed"] == [entry.pk]
    gone = ListEntry.objects.get(pk=entry.pk)
    assert (gone.status, gone.removal_reason, gone.under_objection) == ("removed", "revoked", False)
    removal = gone.events.get(action="remove")
    assert removal.actor == actors["market_reviewer"].label and f"异议 #{obj.pk}" in removal.note


def _listed_a_year_ago(entry):
    listed = timezone.localdate() - relativedelta(years=1, days=1)
    ListEntry.objects.filter(pk=entry.pk).update(decided_on=listed)


def test_repair_approval_is_one_act_and_the_own_file_shows_the_entry_removed(bound, actors):
    portal, agent, entry, record = bound
    _listed_a_year_ago(entry)
    own = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert f"?entry={entry.pk}" in own and "生效中" in own  # in force: objection offered
    app = services.repair_apply(actor=agent, subject_id=record.subject_id, entry_ids=[entry.pk],
                                statement="已整改", materials={"commitment": _pdf()})  # fmt: skip
    events = _events_during(lambda: services.repair_decide(
        actor=actors["market_reviewer"], application_id=app.pk, approve=True, reason="同意",
    ))  # fmt: skip
    assert [e.action for e in events] == ["repair.decide"]
    assert events[0].detail["entries_removed"] == [entry.pk]
    # The company's own file: the entry shows removed, and no objection is offered on it.
    own = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert "已移出（信用修复）" in own and "生效中" not in own
    assert f"?entry={entry.pk}" not in own
    r = portal.post(f"/account/subjects/{record.subject_id}/objections/new/?entry={entry.pk}",
                    {"reasons": "x"})  # fmt: skip
    assert r.status_code == 404 and not Objection.objects.exists()


def test_a_withdrawn_record_offers_no_objection(bound, users, actors):
    portal, agent, _entry, record = bound
    obj = _forwarded(users, agent, record_id=record.pk)
    services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                              decision="revoked", reason="撤销")  # fmt: skip
    own = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert f"?record={record.pk}" not in own and "已撤销" in own
    with pytest.raises(ValidationFailed) as e:
        services.objection_file(actor=agent, reasons="再议", record_id=record.pk)
    assert e.value.errors[0].rule == "objection.record_not_active"


def test_public_services_refuse_to_be_nested(bound, users, actors):
    _portal_client, agent, entry, _record = bound
    obj = _forwarded(users, agent, entry_id=entry.pk)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                                  decision="maintained", reason="维持")  # fmt: skip
    from xinyong.lists import services as lists

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        lists.entry_remove(actor=actors["market_reviewer"], entry_id=entry.pk,
                           reason="revoked", note="x")  # fmt: skip
    assert Objection.objects.get(pk=obj.pk).status == "forwarded"


def test_the_evidence_is_read_by_the_operator_and_the_deciding_department(bound, users):
    portal, agent, _entry, record = bound
    obj = services.objection_file(actor=agent, reasons="附复议决定书", record_id=record.pk,
                                  evidence=_pdf("复议决定书.pdf"))  # fmt: skip
    url = f"/backoffice/objections/{obj.pk}/evidence/"
    for who in ("operator", "market_clerk", "market_reviewer"):
        staff = Client()
        staff.force_login(users[who])
        r = staff.get(url)
        assert r.status_code == 200, who
        assert b"".join(r.streaming_content) == PDF
        assert quote("复议决定书.pdf") in r["Content-Disposition"]
    reads = AuditEvent.objects.filter(object_type="objection", object_id=str(obj.pk),
                                      action="credit_file.read")  # fmt: skip
    assert reads.count() == 3
    for who in ("tax_clerk", "auditor"):
        staff = Client()
        staff.force_login(users[who])
        assert staff.get(url).status_code in (403, 404), who
    assert Client().get(url).status_code == 302  # to the sign-in page
    assert portal.get(url).status_code == 403  # the back office is for staff
    # The queues link to it.
    staff = Client()
    staff.force_login(users["operator"])
    assert url in staff.get("/backoffice/objections/").content.decode()


def test_a_repair_before_the_minimum_period_is_refused_with_the_date(bound, actors):
    portal, agent, entry, record = bound
    lt = ListType.objects.get(code="serious_dishonesty")
    assert lt.repair_after_months == 12 and "第二十条" in lt.repair_after_basis
    entry.refresh_from_db()
    possible = entry.decided_on + relativedelta(years=1, days=1)
    with pytest.raises(ValidationFailed) as e:
        services.repair_apply(actor=agent, subject_id=record.subject_id, entry_ids=[entry.pk],
                              statement="已整改", materials={"commitment": _pdf()})  # fmt: skip
    messages = [x.message for x in e.value.errors if x.rule == "repair.not_eligible"]
    assert messages and f"{possible:%Y-%m-%d}" in messages[0]
    # The portal's form says so beside the entry, and does not let it be chosen.
    form = portal.get(f"/account/subjects/{record.subject_id}/repairs/new/").content.decode()
    assert f"{possible:%Y-%m-%d}起可以申请" in form
    assert f'name="entry" value="{entry.pk}" disabled' in form
    # An application already filed cannot be approved before the date either.
    _listed_a_year_ago(entry)
    app = services.repair_apply(actor=agent, subject_id=record.subject_id, entry_ids=[entry.pk],
                                statement="已整改", materials={"commitment": _pdf()})  # fmt: skip
    ListEntry.objects.filter(pk=entry.pk).update(decided_on=timezone.localdate())
    with pytest.raises(ValidationFailed) as e:
        services.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                               approve=True, reason="同意")  # fmt: skip
    assert e.value.errors[0].rule == "repair.too_early"
    assert ListEntry.objects.get(pk=entry.pk).status == "published"
    # The day it becomes possible, it is.
    day = timezone.localdate() - relativedelta(years=1, days=1)
    assert ListType.objects.get(pk=lt.pk).repairable_from(day) == timezone.localdate()
    assert lt.repairable_from(datetime.date(2024, 2, 29)) == datetime.date(2025, 3, 1)
