"""A commitment from signature to breach: signed online, in the credit file, found false
after the subject was heard → a negative record, a watch-list case, and the next credit
check for the matter says notify-and-commit is not allowed and shows the case; the bar
ends when the breach record is withdrawn. Bad input writes nothing."""

import datetime

import pytest
from django.utils import timezone

from xinyong.commitments import services
from xinyong.commitments.models import Commitment, CommitmentTemplate
from xinyong.commitments.tests.conftest import pdf, sign
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.ingest.services import record_withdraw
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.remedies.models import Notification
from xinyong.sanctions.tests.test_check import check

pytestmark = pytest.mark.django_db


def _rule(e: ValidationFailed) -> list[tuple[str, str]]:
    return [(x.field, x.rule) for x in e.errors]


def test_signed_online_the_commitment_is_in_the_credit_file(company):
    actor, subject = company
    c = sign(actor, subject)
    assert c.number.startswith("CN") and c.status == "in_force"
    assert c.template_version.version == 1 and c.check_due > timezone.localdate()
    rec = Record.objects.get(item_code="commitment_performance", source_id=c.number)
    assert rec.subject_id == subject.pk and rec.provider.code == "SCJG"
    assert rec.data["CN_LXZT"] == "履行中" and rec.data["CN_LX"] == "证明事项告知承诺"


def test_a_changed_template_is_a_new_version_and_signed_ones_keep_theirs(company, actors):
    actor, subject = company
    c = sign(actor, subject)
    t = CommitmentTemplate.objects.get(matter__code="administrative_licensing", kind="notify")
    services.template_save(
        actor=actors["operator"], matter="administrative_licensing", kind="notify",
        name=t.name, text="新的承诺书正文", check_method="online", check_workdays=20,
        legal_basis=t.legal_basis, validity_months=12,
    )  # fmt: skip
    assert t.versions.count() == 2
    c2 = sign(actor, subject, reason="第二次申请")
    assert c2.template_version.version == 2 and c2.template_version.text == "新的承诺书正文"
    c.refresh_from_db()
    assert c.template_version.version == 1


def test_bad_signing_is_refused_naming_the_rule_and_writes_nothing(company, actors, users):
    actor, subject = company
    records = Record.objects.count()
    cases = [
        ({"matter": "honors"}, ("kind", "commitment.not_allowed")),  # a matter that allows none
        ({"matter": "nope"}, ("matter", "matter.unknown")),
        ({"kind": "deficiency"}, ("kind", "commitment.counter_only")),
        ({"pledge": False}, ("pledge", "required")),
        ({"reason": " "}, ("reason", "required")),
        ({"department": "NOPE"}, ("department", "department.unknown")),
    ]
    for over, expected in cases:
        with pytest.raises(ValidationFailed) as e:
            sign(actor, subject, **over)
        assert expected in _rule(e.value), over
    # Signing for a subject the account is not bound to: not found.
    from xinyong.subjects import services as subjects

    other = subjects.organization_register(
        actor=actors["market_clerk"], uscc="91350100M000100Y43", name="别家公司"
    )
    with pytest.raises(NotFound):
        sign(actor, other)
    # Staff cannot sign online for a subject.
    with pytest.raises(NotFound):
        sign(actors["market_clerk"], subject)
    # A deficiency-tolerant acceptance whose date is beyond the matter's own time limit.
    far = timezone.localdate() + datetime.timedelta(days=120)
    with pytest.raises(ValidationFailed) as e:
        services.commitment_record(
            actor=actors["market_clerk"], subject_id=subject.pk,
            matter="administrative_licensing", kind="deficiency", reason="申请食品经营许可",
            signatory="张三", scan=pdf("承诺书.pdf"),
            missing=[{"name": "卫生许可证明", "form": "原件"}], supply_due=far,
            late_consequence="终止办理",
        )  # fmt: skip
    assert ("supply_due", "deadline.beyond_limit") in _rule(e.value)
    with pytest.raises(PermissionDenied):
        services.commitment_record(
            actor=actors["auditor"], subject_id=subject.pk, matter="administrative_licensing",
            kind="notify", reason="x", signatory="y", scan=pdf(),
        )  # fmt: skip
    assert Commitment.objects.count() == 0 and Record.objects.count() == records


def test_false_commitment_breach_record_case_and_check(company, actors, client, market_token):
    actor, subject = company
    c = sign(actor, subject)
    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    # A breach without evidence or reasons: refused, nothing changes.
    with pytest.raises(ValidationFailed) as e:
        services.commitment_breach_propose(
            actor=clerk, commitment_id=c.pk, breach_kind="false", reasons=" ", evidence=None
        )
    assert {("reasons", "required"), ("evidence", "required")} <= set(_rule(e.value))
    # Another department cannot act on it.
    with pytest.raises((NotFound, PermissionDenied)):
        services.commitment_breach_propose(
            actor=actors["tax_clerk"], commitment_id=c.pk, breach_kind="false",
            reasons="不实", evidence=pdf(),
        )  # fmt: skip
    c = services.commitment_breach_propose(
        actor=clerk, commitment_id=c.pk, breach_kind="false",
        reasons="经核查，所承诺的卫生许可证明并不存在", evidence=pdf(),
    )  # fmt: skip
    assert c.status == "breach_proposed"
    assert Notification.objects.filter(text__contains="陈述申辩").exists()
    # Not final before the subject was heard: no negative record, the check still allows.
    with pytest.raises(ValidationFailed) as e:
        services.commitment_decide(actor=reviewer, commitment_id=c.pk, breach=True, reason="x")
    assert ("statement", "statement.pending") in _rule(e.value)
    assert not Record.objects.filter(item_code="commitment_breach").exists()
    r = check(client, market_token, subject=subject.uscc, matter="administrative_licensing")
    assert r.status_code == 200 and r.json()["commitment_allowed"] is True
    services.commitment_statement(actor=actor, commitment_id=c.pk, statement="材料正在补办")
    with pytest.raises(PermissionDenied):  # a clerk does not decide
        services.commitment_decide(actor=clerk, commitment_id=c.pk, breach=True, reason="x")
    c = services.commitment_decide(
        actor=reviewer, commitment_id=c.pk, breach=True, reason="陈述申辩未提供新的证据"
    )
    assert c.status == "breached" and c.bars_every_matter and c.case_id
    breach = Record.objects.get(item_code="commitment_breach", source_id=c.number)
    assert breach.polarity == "negative" and breach.data["WN_QX"] == "虚假承诺"
    perf = Record.objects.get(item_code="commitment_performance", source_id=c.number)
    assert perf.data["CN_LXZT"] == "违诺" and perf.version == 2
    case = ListEntry.objects.get(pk=c.case_id)
    assert case.list_type.code == "watch" and case.status == "opened"
    assert list(case.basis_records.values_list("pk", flat=True)) == [breach.pk]
    body = check(
        client, market_token, subject=subject.uscc, matter="administrative_licensing"
    ).json()
    assert body["commitment_allowed"] is False and "notify" not in body["commitment_kinds"]
    reason = next(r for r in body["commitment_reasons"] if r["code"] == "commitment.false")
    assert reason["commitment"] == c.number and reason["case"]["entry_id"] == case.pk
    assert reason["case"]["list_name"] == "重点关注对象名单"
    # A false commitment bars every matter that allows notify-and-commit.
    with pytest.raises(ValidationFailed) as e:
        sign(actor, subject, reason="再次申请")
    assert ("subject", "commitment.barred") in _rule(e.value)
    # The department withdraws the breach record (e.g. revoked): the bar ends at once.
    record_withdraw(actor=clerk, record_id=breach.pk, reason="认定有误，撤销")
    body = check(
        client, market_token, subject=subject.uscc, matter="administrative_licensing"
    ).json()
    assert body["commitment_allowed"] is True and body["commitment_reasons"] == []


def test_deficiency_documents_late_end_the_case_by_themselves(company, actors):
    _actor, subject = company
    clerk = actors["market_clerk"]
    due = timezone.localdate() + datetime.timedelta(days=3)
    c = services.commitment_record(
        actor=clerk, subject_id=subject.pk, matter="administrative_licensing",
        kind="deficiency", reason="申请食品经营许可（容缺受理）", signatory="张三",
        scan=pdf("承诺书.pdf"), missing=[{"name": "消防验收意见", "form": "复印件"}],
        supply_due=due, late_consequence="终止办理，已受理的申请退回",
    )  # fmt: skip
    assert c.channel == "paper" and c.missing.count() == 1 and c.scan_sha256
    later = timezone.now() + datetime.timedelta(days=5)
    from xinyong.accounts.actors import SYSTEM

    done = services.commitments_sweep(actor=SYSTEM, now=later)
    assert done["ended"] == 1
    c.refresh_from_db()
    assert c.status == "ended"
    assert Notification.objects.filter(text__contains="逾期未补正", user__role="public").exists()
    assert Notification.objects.filter(text__contains="逾期未补正", user__username="market_clerk")
    rec = Record.objects.get(item_code="commitment_performance", source_id=c.number)
    assert rec.data["CN_LXZT"] == "已终止"
    assert not Record.objects.filter(item_code="commitment_breach").exists()
