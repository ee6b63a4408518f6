"""A city whose departments' October and September 2026 are known row by row, so that
every figure of the scorecards can be asserted exactly.

市市场监督管理局 (SCJG), October 2026 (September in brackets):
- publications: 3 on time, 1 late, 1 without a deadline (not counted), one on time just
  after the month (1 Nov 00:10 local) → 3/4 = 75.0 % (1/2 = 50.0 %, change +25.0);
- batches: 8 rows accepted of 10 → 80.0 % (9 of 10 = 90.0 %, change −10.0);
- checks: market_ban + restrict_honors (it implements both; restrict_procurement is the
  finance bureau's), feedback on market_ban; a second check's raise_inspection answered,
  its market_ban suspended → 2/3 = 66.7 % (none in September: no change);
- joint-action tasks: market_ban applied, raise_inspection pending → 1/2 = 50.0 %;
- objections due 20 Oct decided 20 Oct 23:00 local (on time), due 21 Oct decided 22 Oct
  (late), due 25 Oct open → 1/3 = 33.3 % (due 10 Sep decided 9 Sep: 100.0 %, −66.7);
- repairs: due 15 Oct decided 14 Oct, due 16 Oct decided 17 Oct → 1/2 = 50.0 %;
- commitments due 12, 13, 14 Oct: kept, unchecked, breach proposed → 2/3 = 66.7 %.

市税务局 (SW): 1 late publication (0/1 = 0.0 %), its raise_inspection task answered not
applied (1/1 = 100.0 %). 市住房和城乡建设局 (ZJ): nothing (every rate —)."""

import datetime
import hashlib
from itertools import count

import pytest
from django.utils import timezone

from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401

MONTH = "2026-10"
_numbers = count(1)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


def _publication(dept, published_at, on_time):
    from xinyong.disclosure.models import Publication

    n = next(_numbers)
    return Publication.objects.create(
        record_id=900000 + n, record_version=1, item_code="administrative_penalty",
        provider_id=dept.pk, received_at=published_at, published_at=published_at,
        on_time=on_time, status="public",
    )  # fmt: skip


def _batch(template, finished_at, accepted, rejected):
    from xinyong.ingest.models import Batch

    b = Batch.objects.get(pk=template.pk)
    b.pk = None
    b.finished_at, b.status = finished_at, "done"
    b.created, b.updated, b.unchanged, b.withdrawn = accepted, 0, 0, 0
    b.rejected, b.total = rejected, accepted + rejected
    b.save()
    return b


def _check(dept, when, measures, suspended=(), answered=()):
    from xinyong.sanctions.models import CheckFeedback, CreditCheck, Measure

    c = CreditCheck.objects.create(
        at=when, department=dept, actor="clerk", matter="government_procurement",
        query="914403001922038216", status="hit", hits=1,
        result={"entries": [], "measures": list(measures), "suspended": list(suspended)},
    )  # fmt: skip
    for code in answered:
        CheckFeedback.objects.create(credit_check=c, measure=Measure.objects.get(code=code),
                                     applied=True, by="clerk", at=when)  # fmt: skip
    return c


def _objection(subject, record, dept, due, decided_at):
    from xinyong.remedies.models import Objection

    return Objection.objects.create(
        subject=subject, record=record, provider=dept, filed_by="agent", reasons="有误",
        status="decided" if decided_at else "forwarded", filed_at=at(due.month, 1),
        mark_due=due, forward_due=due, decide_due=due, decided_at=decided_at,
        decision="maintained" if decided_at else "",
    )  # fmt: skip


def _repair(subject, binding, dept, due, decided_at):
    from xinyong.remedies.models import RepairApplication

    return RepairApplication.objects.create(
        subject=subject, binding=binding, department=dept, statement="已整改",
        status="approved", filed_at=at(due.month, 1), decide_due=due, decided_at=decided_at,
    )  # fmt: skip


def _commitment(subject, dept, due, status, checked_at=None):
    from xinyong.commitments.models import Commitment, CommitmentTemplate

    t = CommitmentTemplate.objects.get(matter__code="administrative_licensing", kind="notify")
    now = timezone.now()
    return Commitment.objects.create(
        number=f"CN2026SCORE{next(_numbers):04d}", subject=subject, matter=t.matter,
        kind="notify", template=t, template_version=t.versions.get(version=1), department=dept,
        channel="paper", signatory="张三", reason="申请许可", signed_at=at(9, 1),
        valid_from=datetime.date(2026, 9, 1), valid_to=datetime.date(2027, 9, 1),
        check_method="online", check_due=due, status=status, checked_at=checked_at,
        updated_at=now,
    )  # fmt: skip


@pytest.fixture
def city(departments, actors, penalty_record):  # noqa: F811
    """The rows of the module docstring (and 华为's published serious-dishonesty entry)."""
    from xinyong.ingest.models import Batch
    from xinyong.remedies.models import SubjectBinding
    from xinyong.sanctions.models import ActionTask, JointAction, Measure

    market, tax = departments["market"], departments["tax"]
    for when, on_time in ((at(10, 3), True), (at(10, 9), True), (at(10, 31, 23, 30), True),
                          (at(10, 15), False), (at(11, 1, 0, 10), True),
                          (at(9, 5), True), (at(9, 6), False)):  # fmt: skip
        _publication(market, when, on_time)
    _publication(market, at(10, 20), None)
    _publication(tax, at(10, 20), False)
    template = Batch.objects.get(provider=market)
    Batch.objects.filter(pk=template.pk).update(finished_at=at(8, 1))  # not in these months
    _batch(template, at(10, 12), 8, 2)
    _batch(template, at(9, 12), 9, 1)
    _check(market, at(10, 5), ["market_ban", "restrict_procurement", "restrict_honors"],
           answered=["market_ban"])  # fmt: skip
    _check(market, at(10, 6), ["raise_inspection", "market_ban"], suspended=["market_ban"],
           answered=["raise_inspection"])  # fmt: skip
    entry = designate(actors, penalty_record)
    action = JointAction.objects.create(entry=entry, department=market, initiated_by="clerk",
                                        initiated_at=at(10, 10))  # fmt: skip
    ActionTask.objects.create(action=action, measure=Measure.objects.get(code="market_ban"),
                              department=market, status="applied")  # fmt: skip
    ActionTask.objects.create(action=action, measure=Measure.objects.get(code="raise_inspection"),
                              department=market, status="pending")  # fmt: skip
    ActionTask.objects.create(action=action, measure=Measure.objects.get(code="raise_inspection"),
                              department=tax, status="not_applied", reason="不适用")  # fmt: skip
    subject, d = penalty_record.subject, datetime.date
    _objection(subject, penalty_record, market, d(2026, 10, 20), at(10, 20, 23))
    _objection(subject, penalty_record, market, d(2026, 10, 21), at(10, 22))
    _objection(subject, penalty_record, market, d(2026, 10, 25), None)
    _objection(subject, penalty_record, market, d(2026, 9, 10), at(9, 9))
    from xinyong.accounts.models import User

    user = User.objects.create_user(username="scorecard_agent", password="x", role="public")
    binding = SubjectBinding.objects.create(
        user=user, subject=subject, status="approved", applicant="李经办", phone="13800000000",
        evidence_path="x.pdf", evidence_name="授权书.pdf",
        evidence_sha256=hashlib.sha256(b"x").hexdigest(), requested_at=timezone.now(),
        via="operator", reviewed_by="operator", reviewed_at=timezone.now(),
    )  # fmt: skip
    _repair(subject, binding, market, d(2026, 10, 15), at(10, 14))
    _repair(subject, binding, market, d(2026, 10, 16), at(10, 17))
    _commitment(subject, market, d(2026, 10, 12), "kept", at(10, 11))
    _commitment(subject, market, d(2026, 10, 13), "in_force")
    _commitment(subject, market, d(2026, 10, 14), "breach_proposed")
    return departments
