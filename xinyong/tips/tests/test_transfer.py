"""Transfers (转办): a tip routed to the wrong department moves, before its decision, to the
competent one — sent on by that department or reassigned by the credit office, reasons
required. The new department accepts it afresh (acceptance deadline from the transfer),
the decision deadline is fixed at the transfer (the acceptance does not move it), a tip is
never sent back to a department that sent it away, a late transfer stays marked; the
tipster reads "transferred to <department>"; the old department no longer sees the tip nor
its tipster, the new handling officer does, each read audited."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.tips import selectors, services
from xinyong.tips.models import Tip, TipTransfer
from xinyong.tips.tests.conftest import TIPSTER_NAME, file_tip, verified

pytestmark = pytest.mark.django_db
WHY = "举报事项为偷逃税款，属税务部门职责。"


def _transfer(actor, tip, to="SW", reason=WHY):
    return services.tip_transfer(actor=actor, tip_id=tip.pk, department_code=to, reason=reason)


def test_a_department_sends_an_accepted_tip_on_and_the_deadlines_restart(
    org_with_rep, domains, tipster, actors
):
    tip, code = verified(tipster, org_with_rep.pk)
    market, tax = actors["market_clerk"], actors["tax_clerk"]
    services.tip_acknowledge(actor=market, tip_id=tip.pk, accept=True)
    assert selectors.tip_identity(actor=market, tip_id=tip.pk, purpose="核实举报情况").name

    services.tip_policy_save(actor=actors["operator"], ack_workdays=3, decide_workdays=20)
    done = _transfer(market, tip)
    today = timezone.localdate()
    tip.refresh_from_db()
    assert (done.kind, done.from_department.code, done.to_department.code) == (
        "department", "SCJG", "SW",
    )  # fmt: skip
    assert done.status_before == "accepted" and done.reason == WHY and not done.late
    assert tip.status == "submitted" and tip.department.code == "SW"
    assert tip.handler_id is None and tip.acknowledged_at is None
    assert tip.ack_due == workdays.add_workdays(today, 3)  # the new department's, afresh
    assert tip.decide_due == workdays.add_workdays(today, 20)  # counted from the transfer
    event = AuditEvent.objects.get(action="tip.transfer")
    assert event.actor_label == "market_clerk" and event.object_id == str(tip.pk)
    expected = {"kind": "department", "from": "SCJG", "to": "SW", "status_before": "accepted",
                "reason": WHY, "handler_released": True, "late": False}  # fmt: skip
    assert {k: event.detail[k] for k in expected} == expected

    # The old department: neither the tip nor its tipster any more.
    with pytest.raises(NotFound):
        selectors.tip_get(actor=market, tip_id=tip.pk)
    with pytest.raises(NotFound):
        selectors.tip_identity(actor=market, tip_id=tip.pk, purpose="核实举报情况")
    assert selectors.tip_queue(actor=market) == []
    # The new one: in its queue; whoever accepts it becomes the handling officer.
    assert [t.pk for t in selectors.tip_queue(actor=tax)] == [tip.pk]
    with pytest.raises(PermissionDenied):  # not before accepting it
        selectors.tip_identity(actor=tax, tip_id=tip.pk, purpose="核实举报情况")
    services.tip_acknowledge(actor=tax, tip_id=tip.pk, accept=True)
    read = selectors.tip_identity(actor=tax, tip_id=tip.pk, purpose="联系举报人核实")
    assert read.name == TIPSTER_NAME
    reads = AuditEvent.objects.filter(action="tip.identity_read").order_by("seq")
    assert [e.actor_label for e in reads] == ["market_clerk", "tax_clerk"]
    assert TIPSTER_NAME not in repr([e.detail for e in AuditEvent.objects.all()])

    # The tipster: where the tip went, not why.
    shown = selectors.tip_follow(receipt=code)
    assert shown.department_name == "市税务局" and shown.status_label == "已受理"
    assert [(t.department_name, t.on) for t in shown.transfers] == [("市税务局", today)]
    assert WHY not in shown.model_dump_json()


def test_the_acceptance_after_a_transfer_does_not_move_the_decision_deadline(
    org_with_rep, domains, actors
):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    _transfer(actors["market_clerk"], tip)
    fixed = timezone.localdate() + datetime.timedelta(days=9)  # as a transfer days ago fixed
    Tip.objects.filter(pk=tip.pk).update(decide_due=fixed)
    services.tip_acknowledge(actor=actors["tax_clerk"], tip_id=tip.pk, accept=True)
    assert Tip.objects.get(pk=tip.pk).decide_due == fixed
    # Waiting for acceptance, the tip is due by whichever deadline comes first.
    other, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    _transfer(actors["market_clerk"], other)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Tip.objects.filter(pk=other.pk).update(decide_due=yesterday)
    other.refresh_from_db()
    assert other.due == yesterday and other.overdue
    overdue = selectors.tip_queue(actor=actors["tax_clerk"], overdue_only=True)
    assert [t.pk for t in overdue] == [other.pk]


def test_a_late_transfer_stays_marked(org_with_rep, domains, actors):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    Tip.objects.filter(pk=tip.pk).update(ack_due=timezone.localdate() - datetime.timedelta(days=2))
    done = _transfer(actors["market_clerk"], tip)
    assert done.late and AuditEvent.objects.get(action="tip.transfer").detail["late"] is True
    assert not Tip.objects.get(pk=tip.pk).overdue  # the new department's deadline is new


def test_no_ping_pong_between_departments_but_the_credit_office_reassigns(
    org_with_rep, domains, actors
):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    _transfer(actors["market_clerk"], tip)  # SCJG → SW
    with pytest.raises(ValidationFailed) as e:  # SW → SCJG: SCJG already sent it away
        _transfer(actors["tax_clerk"], tip, to="SCJG", reason="属市场监管部门职责")
    assert [(x.field, x.rule) for x in e.value.errors] == [("department", "tip.transfer_back")]
    _transfer(actors["tax_clerk"], tip, to="ZJ", reason="涉及违法建设")  # SW → ZJ
    back = _transfer(actors["operator"], tip, to="SCJG", reason="经协调，由市场监管部门承办")
    assert back.kind == "office" and Tip.objects.get(pk=tip.pk).department.code == "SCJG"
    moves = TipTransfer.objects.filter(tip=tip).values_list("to_department__code", flat=True)
    assert list(moves) == ["SW", "ZJ", "SCJG"]
    page = selectors.tip_get(actor=actors["market_clerk"], tip_id=tip.pk)
    assert [t.kind for t in page.transfers.all()] == ["department", "department", "office"]


@pytest.mark.parametrize(
    ("to", "reason", "field", "rule"),
    [
        ("", WHY, "department", "tip.department_unknown"),
        ("NOPE", WHY, "department", "tip.department_unknown"),
        ("SCJG", WHY, "department", "tip.transfer_same"),
        ("SW", "  ", "reason", "required"),
        ("SW", "x" * 2001, "reason", "max_length"),
        ("SW", "坏\x00理由", "reason", "text.control_char"),
        (None, None, "department", "tip.department_unknown"),
    ],
)
def test_bad_transfers_name_the_field_and_write_nothing(
    org_with_rep, domains, actors, to, reason, field, rule
):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        _transfer(actors["market_clerk"], tip, to=to, reason=reason)
    assert (e.value.errors[0].field, e.value.errors[0].rule) == (field, rule)
    assert not TipTransfer.objects.exists() and AuditEvent.objects.count() == before
    assert Tip.objects.get(pk=tip.pk).department.code == "SCJG"


def test_only_before_a_decision_and_only_by_the_department_or_the_credit_office(
    org_with_rep, domains, actors
):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    with pytest.raises(NotFound):  # another department does not even see it
        _transfer(actors["tax_clerk"], tip, to="ZJ")
    with pytest.raises(PermissionDenied):  # the auditor reads, never acts
        _transfer(actors["auditor"], tip)
    assert _transfer(actors["market_reviewer"], tip).kind == "department"
    services.tip_acknowledge(actor=actors["tax_clerk"], tip_id=tip.pk, accept=True)
    services.tip_decide(actor=actors["tax_clerk"], tip_id=tip.pk, substantiated=False,
                        reason="未发现偷逃税款")  # fmt: skip
    for who in ("tax_clerk", "operator"):
        with pytest.raises(ValidationFailed) as e:
            _transfer(actors[who], tip, to="ZJ")
        assert e.value.errors[0].field == "status"
    routing, _ = file_tip(ANONYMOUS, org_with_rep.pk, domain_code="")
    with pytest.raises(ValidationFailed) as e:  # not routed yet: the office routes it
        _transfer(actors["operator"], routing)
    assert e.value.errors[0].field == "status"
    with pytest.raises(ValidationFailed):  # routing is for a tip not yet routed
        services.tip_route(actor=actors["operator"], tip_id=tip.pk, department_code="ZJ")
