"""Self-declaration: a bound account declares under the pledge with evidence; the routed
department (or the credit office) verifies — the record then enters the credit file and
the reports, marked self-declared and verified — or refuses with reasons; nobody else may
declare for the subject or verify; a record that could not be written is written by the
sweep."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.accounts.services import portal_account_register
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.declarations import selectors, services
from xinyong.declarations.models import Declaration, DeclarationEvidence
from xinyong.declarations.pledge import PLEDGE_TEXT, PLEDGE_VERSION
from xinyong.declarations.tests.conftest import PNG, declare, pdf
from xinyong.records.models import Record
from xinyong.records.selectors import own_file
from xinyong.remedies.models import Notification, SubjectBinding
from xinyong.reports.content import FileReader
from xinyong.subjects import services as subjects

pytestmark = pytest.mark.django_db


def _fields(e: ValidationFailed) -> set[str]:
    return {x.field for x in e.errors}


def test_submitted_with_the_pledge_and_evidence(bound, settings):
    actor, binding = bound
    d = declare(actor, binding.subject_id, evidence=[pdf(), pdf("合同.png", PNG)])
    assert d.status == "submitted" and d.department.code == "SCJG"
    assert d.pledge_version == PLEDGE_VERSION and d.pledge_text == PLEDGE_TEXT
    assert d.verify_due == workdays.add_workdays(timezone.localdate(), 10)
    files = DeclarationEvidence.objects.filter(declaration=d)
    assert sorted(f.name for f in files) == ["合同.png", "资质证书.pdf"]
    assert all((settings.XINYONG_REMEDY_DIR / f.path).exists() for f in files)
    event = AuditEvent.objects.get(action="declaration.submit")
    assert event.object_id == str(d.pk) and len(event.detail["evidence"]) == 2
    note = Notification.objects.get(user_id=actor.user_id)
    assert d.number in note.text and f"/account/subjects/{binding.subject_id}/declarations/" == (
        note.link
    )
    assert Record.objects.filter(item_code="self_declaration").count() == 0  # not yet


def test_the_deadline_is_configurable(bound, settings):
    settings.XINYONG_DECLARATION_WORKDAYS = 3
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    assert d.verify_due == workdays.add_workdays(timezone.localdate(), 3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pledge": False}, "pledge"),
        ({"content": "   "}, "content"),
        ({"title": ""}, "title"),
        ({"kind": "bribery"}, "kind"),
        ({"evidence": []}, "evidence"),
        ({"evidence": [pdf("证书.pdf", b"MZ not a pdf")]}, "evidence"),
        ({"title": "资质\x00证书"}, "title"),
        ({"content": "x" * 4001}, "content"),
        ({"department_code": "NOPE"}, "department"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(bound, change, field):
    actor, binding = bound
    with pytest.raises(ValidationFailed) as e:
        declare(actor, binding.subject_id, **change)
    assert field in _fields(e.value)
    assert (
        not Declaration.objects.exists()
        and not AuditEvent.objects.filter(action="declaration.submit").exists()
    )


def test_too_many_files_are_refused(bound, settings):
    actor, binding = bound
    with pytest.raises(ValidationFailed) as e:
        declare(actor, binding.subject_id, evidence=[pdf() for _ in range(6)])
    assert _fields(e.value) == {"evidence"}


def test_nobody_declares_for_a_subject_it_is_not_bound_to(bound, actors, departments):
    actor, binding = bound
    other = subjects.organization_register(actor=actors["tax_clerk"], uscc="91339900MA1X2Y3B1X",
                                           name="信安贸易有限公司")  # fmt: skip
    stranger = Actor.for_user(portal_account_register(username="stranger", password="Xy-2026-pw!",
                                                      display_name="王五"))  # fmt: skip
    for who, subject_id in ((actor, other.pk), (stranger, binding.subject_id),
                            (actors["market_clerk"], binding.subject_id),
                            (actors["operator"], binding.subject_id), (ANONYMOUS, 1),
                            (actor, 2**70)):  # fmt: skip
        with pytest.raises((NotFound, PermissionDenied)):
            declare(who, subject_id)
    # A binding still pending or refused does not let it declare either.
    SubjectBinding.objects.filter(pk=binding.pk).update(status="pending")
    with pytest.raises(NotFound):
        declare(actor, binding.subject_id)
    assert not Declaration.objects.exists() and not DeclarationEvidence.objects.exists()


def _verified_record(d):
    d.refresh_from_db()
    assert d.status == "verified" and d.record_id is not None and not d.record_pending
    return Record.objects.get(pk=d.record_id)


def test_verified_it_enters_the_credit_file_and_the_reports(
    bound, actors, django_capture_on_commit_callbacks
):
    actor, binding = bound
    d = declare(actor, binding.subject_id, kind="honor", title="省级守合同重信用企业")
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes once committed
        verified = services.declaration_verify(actor=actors["market_reviewer"],
                                               declaration_id=d.pk,
                                               note="与省市场监管局公告名单一致")  # fmt: skip
    assert verified.decided_department.code == "SCJG" and verified.decided_by == "market_reviewer"
    record = _verified_record(d)
    assert (record.item_code, record.source_id, record.provider.code) == (
        "self_declaration", d.number, "SCJG",
    )  # fmt: skip
    assert record.disclosure == "public" and record.polarity == "positive"
    assert record.data["ZZSB_LB"] == "荣誉表彰" and record.data["ZZSB_HSJL"] == "经核实属实"
    assert record.data["ZZSB_HSBM"] == "市市场监督管理局"
    # The subject's own file shows it as a self-declaration found true.
    page = own_file(actor=actor, subject=binding.subject)
    (shown,) = [r for r in page.records if r.id == record.pk]
    assert shown.item_name == "自主申报信息（已核实）"
    # The public report lists it among the good information, marked self-declared.
    for kind, who in (("public", ANONYMOUS), ("own", actor)):
        reader = FileReader(kind, who, [binding.subject_id], timezone.localdate())
        honors = next(s for s in reader.sections(binding.subject_id) if s.key == "honors")
        (entry,) = [e for e in honors.entries if d.number in e.title]
        assert "自主申报（已核实）" in entry.flags, kind
    assert [e.action for e in AuditEvent.objects.filter(object_type="declaration")] == [
        "declaration.submit", "declaration.verify",
    ]  # fmt: skip
    assert "核实属实" in Notification.objects.filter(user_id=actor.user_id).first().text
    assert any("核实属实" in m.body for m in mail.outbox)


def test_refused_with_reasons_and_nothing_enters_the_file(bound, actors):
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    with pytest.raises(ValidationFailed) as e:
        services.declaration_refuse(actor=actors["market_clerk"], declaration_id=d.pk, reason=" ")
    assert _fields(e.value) == {"reason"}
    d.refresh_from_db()
    assert d.status == "submitted"
    refused = services.declaration_refuse(actor=actors["market_clerk"], declaration_id=d.pk,
                                          reason="证书编号查无此证")  # fmt: skip
    assert refused.status == "refused" and refused.record_id is None
    assert not Record.objects.filter(item_code="self_declaration").exists()
    assert "查无此证" in Notification.objects.filter(user_id=actor.user_id).first().text
    with pytest.raises(ValidationFailed) as e:  # decided once
        services.declaration_verify(actor=actors["market_clerk"], declaration_id=d.pk)
    assert _fields(e.value) == {"status"}


def test_only_the_routed_department_or_the_operator_verifies(bound, actors):
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    for who in ("tax_clerk", "housing_clerk", "auditor"):
        with pytest.raises(NotFound):
            services.declaration_verify(actor=actors[who], declaration_id=d.pk)
        with pytest.raises(NotFound):
            services.declaration_refuse(actor=actors[who], declaration_id=d.pk, reason="不属实")
    with pytest.raises(PermissionDenied):  # its own, but not its to verify
        services.declaration_verify(actor=actor, declaration_id=d.pk)
    d.refresh_from_db()
    assert d.status == "submitted"
    assert not AuditEvent.objects.filter(action="declaration.verify").exists()
    assert [x.pk for x in selectors.declaration_queue(actor=actors["tax_clerk"])] == []
    assert [x.pk for x in selectors.declaration_queue(actor=actors["market_clerk"])] == [d.pk]
    assert [x.pk for x in selectors.declaration_queue(actor=actors["operator"])] == [d.pk]


def test_routed_to_no_department_the_credit_office_verifies(bound, actors):
    actor, binding = bound
    d = declare(actor, binding.subject_id, department_code="", kind="charity",
                title="向信安市慈善总会捐赠50万元")  # fmt: skip
    assert d.department is None
    with pytest.raises(NotFound):  # no department's but the operator's
        services.declaration_verify(actor=actors["market_clerk"], declaration_id=d.pk)
    services.declaration_verify(actor=actors["operator"], declaration_id=d.pk)
    record = _verified_record(d)
    assert record.provider.code == "XYB" and record.data["ZZSB_HSBM"] == "市信用办"


def test_a_record_that_failed_is_written_by_the_sweep(bound, actors, monkeypatch):
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    import xinyong.ingest.services as ingest

    def broken(**kw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ingest, "batch_process", broken)
    verified = services.declaration_verify(actor=actors["market_clerk"], declaration_id=d.pk)
    assert verified.status == "verified" and verified.record_pending
    assert "database went away" in verified.record_error
    assert not Record.objects.filter(item_code="self_declaration").exists()
    assert services.declarations_record_pending() == (0, 1)  # still broken
    monkeypatch.undo()
    call_command("declarations_record")
    record = _verified_record(d)
    d.refresh_from_db()
    assert record.source_id == d.number and d.record_error == ""
    assert services.declarations_record_pending() == (0, 0)  # nothing left; idempotent


def test_a_declaration_is_no_record_until_verified(bound, actors):
    actor, binding = bound
    declare(actor, binding.subject_id)
    d2 = declare(actor, binding.subject_id, title="第二项")
    services.declaration_refuse(actor=actors["market_clerk"], declaration_id=d2.pk,
                                reason="材料不清")  # fmt: skip
    assert services.declarations_record_pending() == (0, 0)
    reader = FileReader("own", actor, [binding.subject_id], timezone.localdate())
    honors = next(s for s in reader.sections(binding.subject_id) if s.key == "honors")
    assert honors.entries == []


def test_a_person_does_not_declare(actors, departments):
    person = subjects.person_register(actor=actors["market_clerk"], id_type="resident_id",
                                      id_number="11010519491231002X", name="张三")  # fmt: skip
    user = portal_account_register(username="zhangsan", password="Xy-2026-pw!",
                                   display_name="张三")  # fmt: skip
    SubjectBinding.objects.create(
        user=user, subject=person, status="approved", applicant="张三", phone="13800000000",
        evidence_path="x", evidence_name="x", evidence_sha256="0", requested_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        declare(Actor.for_user(user), person.pk)
    assert _fields(e.value) == {"subject"}


def test_the_set_rule_agrees_with_the_access_rule(bound, actors):
    actor, binding = bound
    declare(actor, binding.subject_id)
    declare(actor, binding.subject_id, department_code="")
    declare(actor, binding.subject_id, department_code="SW")
    qs = Declaration.objects.all()
    for who in [*actors.values(), actor]:
        acting = set(qs.filter(access.acting_q(who, Action.DECLARATION_VERIFY)).values_list(
            "pk", flat=True))  # fmt: skip
        allowed = {d.pk for d in qs if access.allowed(who, Action.DECLARATION_VERIFY, d)}
        assert acting == allowed, who.label
    todo = selectors.declarations_todo(actor=actors["market_clerk"], today=timezone.localdate())
    assert todo.total == 1 and todo.items[0].subject == "华为技术有限公司"
