"""Rewarded tips end to end: filed (anonymous or verified) with a receipt code kept only
hashed; routed by the routing table or by the credit office; accepted or declined within
working days; decided with reasons — a substantiated one enters the credit file through the
catalog, in the department's name; the reward recorded and paid; the tipster following it
all with the receipt code."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.records.models import Record
from xinyong.tips import selectors, services
from xinyong.tips.models import Tip, TipEvidence, TipIdentity
from xinyong.tips.tests.conftest import TIPSTER_CONTACT, TIPSTER_NAME, file_tip, verified

pytestmark = pytest.mark.django_db


def test_file_route_accept_substantiate_record_reward_and_follow(
    org_with_rep, domains, tipster, actors, settings
):
    tip, code = verified(tipster, org_with_rep.pk)
    today = timezone.localdate()
    assert tip.status == "submitted" and tip.department.code == "SCJG"
    assert tip.ack_due == workdays.add_workdays(today, 5)
    assert code not in tip.receipt_hash and len(code) == 19  # XXXX-XXXX-XXXX-XXXX
    assert Tip.objects.filter(receipt_hash__contains=code.replace("-", "")).count() == 0
    evidence = TipEvidence.objects.get(tip=tip)
    assert (settings.XINYONG_REMEDY_DIR / evidence.path).exists()
    seen = selectors.tip_follow(receipt=code.lower().replace("-", " "))
    assert seen.number == tip.number and seen.status_label == "待受理"
    assert seen.department_name == "市市场监督管理局" and seen.outcome == ""

    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    tip.refresh_from_db()
    assert tip.status == "accepted" and tip.handler.username == "market_clerk"
    assert tip.decide_due == workdays.add_workdays(today, 30)
    assert selectors.tip_follow(receipt=code).status_label == "已受理"

    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True,
                        reason="经现场检查，该店销售超过保质期的食品 12 件，事实清楚。",
                        summary="经查属实，已依法处理。")  # fmt: skip
    tip.refresh_from_db()
    assert tip.status == "substantiated" and tip.reward_status == "pending"
    record = Record.objects.get(item_code="tip_substantiated")
    assert tip.record_id == record.pk
    assert record.subject_id == org_with_rep.pk and record.provider.code == "SCJG"
    assert record.source_id == tip.number  # provenance: the department and the case
    from xinyong.ingest.models import Batch

    batch = Batch.objects.get(pk=record.batch_id)
    assert batch.file_name == f"举报查证 {tip.number}" and batch.provider.code == "SCJG"
    assert record.data["JB_CZBM"] == "市市场监督管理局" and record.data["JB_BH"] == tip.number
    stored = repr(record.__dict__) + repr(batch.__dict__)
    assert TIPSTER_NAME not in stored and TIPSTER_CONTACT not in stored
    assert "tipster_wang" not in stored
    assert record.polarity == "negative"

    services.tip_reward(actor=clerk, tip_id=tip.pk, amount="500.00",
                        basis="《市场监管领域重大违法行为举报奖励暂行办法》第九条")  # fmt: skip
    shown = selectors.tip_follow(receipt=code)
    assert shown.reward_status_label == "已核定，待发放" and shown.reward_amount == Decimal("500")
    services.tip_reward_paid(actor=clerk, tip_id=tip.pk, paid_on=today.isoformat())
    shown = selectors.tip_follow(receipt=code)
    assert shown.status_label == "查证属实" and shown.outcome == "经查属实，已依法处理。"
    assert shown.reward_status == "paid" and shown.reward_paid_on == today
    actions = list(
        AuditEvent.objects.filter(object_type="tip")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["tip.file", "tip.accept", "tip.decide", "tip.reward", "tip.reward_paid"]


def test_an_unknown_domain_is_routed_by_the_credit_office(org_with_rep, domains, actors):
    tip, _code = file_tip(ANONYMOUS, org_with_rep.pk, domain_code="")
    assert tip.status == "routing" and tip.department is None
    with pytest.raises(NotFound):  # no department sees it yet
        selectors.tip_get(actor=actors["market_clerk"], tip_id=tip.pk)
    with pytest.raises(PermissionDenied):  # a department does not route
        services.tip_route(actor=actors["auditor"], tip_id=tip.pk, department_code="SCJG")
    with pytest.raises(ValidationFailed) as e:
        services.tip_route(actor=actors["operator"], tip_id=tip.pk, department_code="NOPE")
    assert e.value.errors[0].field == "department"
    services.tip_route(actor=actors["operator"], tip_id=tip.pk, department_code="SW")
    tip.refresh_from_db()
    assert tip.status == "submitted" and tip.department.code == "SW"
    assert selectors.tip_get(actor=actors["tax_clerk"], tip_id=tip.pk).pk == tip.pk
    with pytest.raises(NotFound):
        services.tip_acknowledge(actor=actors["market_clerk"], tip_id=tip.pk, accept=True)
    with pytest.raises(PermissionDenied):  # the credit office routes; the department decides
        services.tip_acknowledge(actor=actors["operator"], tip_id=tip.pk, accept=True)


def test_declining_needs_reasons_and_closes_the_tip(org_with_rep, domains, actors):
    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = actors["market_clerk"]
    with pytest.raises(ValidationFailed) as e:
        services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=False, reason="  ")
    assert e.value.errors[0].field == "reason"
    tip.refresh_from_db()
    assert tip.status == "submitted" and not AuditEvent.objects.filter(action="tip.reject")
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=False,
                             reason="举报事项不属于本部门职责，请向税务部门反映。")  # fmt: skip
    shown = selectors.tip_follow(receipt=code)
    assert shown.status_label == "不予受理" and "税务部门" in shown.outcome
    assert shown.reward_status == "" and not Record.objects.filter(item_code="tip_substantiated")


def test_not_substantiated_records_nothing_and_no_reward(org_with_rep, domains, actors):
    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    with pytest.raises(ValidationFailed) as e:
        services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True, reason="")
    assert e.value.errors[0].field == "reason"
    assert Tip.objects.get(pk=tip.pk).status == "accepted"
    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=False,
                        reason="现场检查未发现过期食品。")  # fmt: skip
    assert not Record.objects.filter(item_code="tip_substantiated")
    with pytest.raises(ValidationFailed):
        services.tip_reward(actor=clerk, tip_id=tip.pk, amount="100", basis="x")
    assert selectors.tip_follow(receipt=code).outcome == "现场检查未发现过期食品。"


def test_a_business_system_accepts_and_a_clerk_takes_over_the_case(
    org_with_rep, domains, tipster, actors
):
    from xinyong.accounts.actors import Actor
    from xinyong.accounts.models import ApiClient

    tip, _code = verified(tipster, org_with_rep.pk)
    client = ApiClient.objects.create(name="市场监管业务系统", department=tip.department,
                                      token_hash="x" * 64, scopes=["tips"])  # fmt: skip
    system = Actor.for_client(client)
    services.tip_acknowledge(actor=system, tip_id=tip.pk, accept=True)
    tip.refresh_from_db()
    assert tip.status == "accepted" and tip.handler_id is None
    with pytest.raises(PermissionDenied):  # nobody holds the case: nobody reads the tipster
        selectors.tip_identity(actor=actors["market_clerk"], tip_id=tip.pk, purpose="核实情况")
    services.tip_claim(actor=actors["market_reviewer"], tip_id=tip.pk)
    with pytest.raises(ValidationFailed):  # one handling officer
        services.tip_claim(actor=actors["market_clerk"], tip_id=tip.pk)
    who = selectors.tip_identity(actor=actors["market_reviewer"], tip_id=tip.pk,
                                 purpose="联系举报人核实情况")  # fmt: skip
    assert who.name == TIPSTER_NAME


def test_reward_rules(org_with_rep, domains, actors):
    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True, reason="属实")
    for amount, basis, field in (("-1", "办法", "amount"), ("abc", "办法", "amount"),
                                 ("1.005", "办法", "amount"), ("100", "", "basis"),
                                 ("", "办法", "amount")):  # fmt: skip
        with pytest.raises(ValidationFailed) as e:
            services.tip_reward(actor=clerk, tip_id=tip.pk, amount=amount, basis=basis)
        assert field in {x.field for x in e.value.errors}, amount
    with pytest.raises(ValidationFailed) as e:  # paid before any reward was decided
        services.tip_reward_paid(actor=clerk, tip_id=tip.pk, paid_on=timezone.localdate())
    assert e.value.errors[0].field == "paid_on"
    services.tip_reward(actor=clerk, tip_id=tip.pk, amount="0", basis="线索已被掌握，不予奖励")
    assert selectors.tip_follow(receipt=code).reward_status_label == "不予奖励"
    with pytest.raises(ValidationFailed):
        services.tip_reward_paid(actor=clerk, tip_id=tip.pk, paid_on=timezone.localdate())


def test_future_payment_day_is_refused(org_with_rep, domains, actors):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True, reason="属实")
    services.tip_reward(actor=clerk, tip_id=tip.pk, amount="200", basis="办法第九条")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for day in (tomorrow.isoformat(), "2025-13-01", ""):
        with pytest.raises(ValidationFailed) as e:
            services.tip_reward_paid(actor=clerk, tip_id=tip.pk, paid_on=day)
        assert e.value.errors[0].field == "paid_on"
    assert Tip.objects.get(pk=tip.pk).reward_status == "granted"


def test_identity_is_encrypted_at_rest(org_with_rep, domains, tipster):
    tip, _ = verified(tipster, org_with_rep.pk)
    row = TipIdentity.objects.get(tip=tip)
    assert TIPSTER_NAME not in row.name_encrypted and TIPSTER_CONTACT not in row.contact_encrypted
    anonymous, _ = file_tip(tipster, org_with_rep.pk)  # signed in, yet anonymous: nothing kept
    assert not TipIdentity.objects.filter(tip=anonymous).exists()


def test_a_record_that_could_not_be_written_is_written_by_the_sweep(
    org_with_rep, domains, actors, monkeypatch
):
    from xinyong.ingest import services as ingest

    def broken(**kw):
        raise RuntimeError("ingestion is down")

    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    monkeypatch.setattr(ingest, "batch_process", broken)
    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True, reason="属实")
    tip.refresh_from_db()
    assert tip.status == "substantiated" and tip.record_pending
    assert "ingestion is down" in tip.record_error
    monkeypatch.undo()
    assert services.tips_record_pending() == (1, 0)
    tip.refresh_from_db()
    assert not tip.record_pending and tip.record_error == ""
    assert Record.objects.get(item_code="tip_substantiated").source_id == tip.number
