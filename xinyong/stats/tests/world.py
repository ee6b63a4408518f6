"""A small, known world for the statistics tests: rows written straight into their tables
(the figures are what is under test, not the services that write the rows), dated in the
period 2026-01-01 … 2026-06-30, with one row of each kind outside it."""

import datetime

from django.utils import timezone

from xinyong.disclosure.models import Publication
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record
from xinyong.remedies.models import Objection
from xinyong.sanctions.models import ActionTask, CheckFeedback, CreditCheck, JointAction, Measure
from xinyong.subjects.models import Subject

SUBJECT_NAMES = ("甲乙丙建筑有限公司", "丁戊己贸易有限公司", "庚辛壬科技有限公司")
SUBJECT_CODES = ("914403001922038216", "91339900MA1X2Y3B1X", "11339900MB0123457Q")
PERIOD = "date_from=2026-01-01&date_to=2026-06-30"


def at(day: str, hour: int = 10) -> datetime.datetime:
    d = datetime.date.fromisoformat(day)
    return datetime.datetime(d.year, d.month, d.day, hour, tzinfo=timezone.get_current_timezone())


def build(departments) -> dict:
    market, tax = departments["market"], departments["tax"]
    a, b, c = (
        Subject.objects.create(kind="organization", name=n, uscc=code)
        for n, code in zip(SUBJECT_NAMES, SUBJECT_CODES, strict=True)
    )
    n = iter(range(1, 100))

    def record(provider, item, created: str, subject=a) -> Record:
        return Record.objects.create(
            channel="upload", received_at=at(created), content_hash="x", subject=subject,
            provider=provider, item_code=item, item_version_id=1, category="x",
            polarity="negative", disclosure="public", source_id=f"S{next(n)}", status="active",
            data={}, created_at=at(created), updated_at=at(created),
        )  # fmt: skip

    pen, lic = "administrative_penalty", "administrative_licence"
    r = [
        record(market, pen, "2026-01-10"),
        record(market, pen, "2026-01-20"),
        record(market, pen, "2026-02-03"),
        record(tax, lic, "2026-02-04", b),
        record(market, pen, "2025-12-31"),  # before the period
    ]

    def publication(rec, decided: str, status: str, on_time):
        Publication.objects.create(
            record=rec, record_version=1, item_code=rec.item_code, provider_id=rec.provider_id,
            decision_date=datetime.date.fromisoformat(decided), received_at=rec.created_at,
            status=status, on_time=on_time,
        )  # fmt: skip

    publication(r[0], "2026-01-05", "public", True)
    publication(r[1], "2026-01-06", "public", False)
    publication(r[2], "2026-02-01", "pending", None)
    publication(r[3], "2026-02-02", "public", True)
    publication(r[4], "2025-11-01", "public", True)  # decided before the period

    serious = ListType.objects.get(code="serious_dishonesty")

    def entry(dept, status: str, opened: str, subject=a) -> ListEntry:
        return ListEntry.objects.create(
            list_type=serious, subject=subject, department=dept, status=status,
            grounds="g", legal_basis="l", act_date=datetime.date(2025, 12, 1), opened_by="x",
            opened_at=at(opened),
        )  # fmt: skip

    e1 = entry(market, "published", "2026-01-08")
    entry(market, "opened", "2026-03-08", b)
    entry(tax, "published", "2026-02-08", c)

    def check(dept, status: str, day: str) -> CreditCheck:
        return CreditCheck.objects.create(at=at(day), department=dept, actor="x", matter="m",
                                          query="q", status=status)  # fmt: skip

    m1, m2 = Measure.objects.order_by("pk")[:2]
    c1 = check(market, "hit", "2026-03-01")
    check(market, "hit", "2026-03-02")
    check(market, "clear", "2026-03-03")
    check(tax, "hit", "2026-03-04")
    check(tax, "hit", "2025-06-01")  # before the period
    CheckFeedback.objects.create(
        credit_check=c1, measure=m1, applied=True, by="x", at=at("2026-03-01")
    )
    action = JointAction.objects.create(entry=e1, department=market, initiated_by="x",
                                        initiated_at=at("2026-04-01"))  # fmt: skip
    ActionTask.objects.create(action=action, measure=m1, department=tax, status="applied")
    ActionTask.objects.create(action=action, measure=m2, department=tax, status="pending")

    def objection(status: str, due: str | None, decided: str | None):
        Objection.objects.create(
            subject=a, record=r[0], provider=market, filed_by="x", reasons="r", status=status,
            filed_at=at("2026-02-01"), mark_due=datetime.date(2026, 2, 2),
            forward_due=datetime.date(2026, 2, 4),
            decide_due=datetime.date.fromisoformat(due) if due else None,
            decided_at=at(decided, 20) if decided else None,
        )  # fmt: skip

    objection("decided", "2026-02-10", "2026-02-10")  # on the last day, in the evening
    objection("decided", "2026-02-10", "2026-02-11")  # a day late
    objection("forwarded", "2026-02-10", None)  # open past its deadline
    objection("received", None, None)  # open, no deadline yet
    return {"records": r, "subjects": (a, b, c)}
