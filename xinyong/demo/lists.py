"""The demo city's credit lists, made the way a department makes them: external lists
imported from the demo batches (courts, tax, market regulator), serious-dishonesty entries
carried through every step of the procedure by the market regulator's clerk and reviewer,
cases still pending, honor-list entries of last month, and last month's roll."""

import datetime

from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.models import User
from xinyong.lists import services
from xinyong.lists.imports import SOURCES, entries_import
from xinyong.lists.models import CLOSED, ListEntry, Roll
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

OPENED_HERE = ("serious_dishonesty", "watch")  # the lists whose cases the demo carries


def build_lists(*, designated: int = 5, pending: int = 3, honors: int = 10) -> int:
    """Idempotent: the procedure part runs once. Returns the entries made here."""
    for item in SOURCES:
        entries_import(actor=SYSTEM, item_code=item)
    if ListEntry.objects.filter(external=False).exists():
        _portal_account()  # a city built before the account existed still gets it
        return 0
    clerk = Actor.for_user(User.objects.get(username="scjg_clerk"))
    reviewer = Actor.for_user(User.objects.get(username="scjg_reviewer"))
    # In a small city the records of several items fall on the same few organisations, so
    # a penalised company may already be on an imported list (abnormal operations): only an
    # open entry on the lists opened here rules it out.
    penalties = (
        Record.objects.filter(item_code="administrative_penalty", provider__code="SCJG",
                              status="active", subject__kind="organization")
        .exclude(subject_id__in=ListEntry.objects.filter(list_type__code__in=OPENED_HERE)
                 .exclude(status__in=CLOSED).values("subject_id"))
        .order_by("pk")
    )  # fmt: skip
    made, seen = 0, set()
    rows = [r for r in penalties[: (designated + pending) * 5]
            if not (r.subject_id in seen or seen.add(r.subject_id))]  # fmt: skip
    split = min(designated, max(len(rows) - 1, 1))  # a small city keeps one case pending
    for n, record in enumerate(rows[:split], 1):
        entry = _open(clerk, record, "serious_dishonesty", national_category="market_order")
        services.entry_notify(actor=clerk, entry_id=entry.pk, notice_no=f"信市监告〔2026〕{n}号")
        services.entry_hear(actor=clerk, entry_id=entry.pk, statement="对事实无异议，已着手整改")
        services.entry_decide(
            actor=reviewer, entry_id=entry.pk, decision_no=f"信市监认〔2026〕{n}号",
            statement_adoption="rejected",
            statement_reply="当事人对事实无异议；其整改发生在违法行为之后，不影响列入认定，"
            "可在列入满最短期限后申请信用修复",
        )  # fmt: skip
        services.entry_publish(actor=reviewer, entry_id=entry.pk)
        made += 1
    for record in rows[split : split + pending]:
        entry = _open(clerk, record, "watch")
        services.entry_notify(actor=clerk, entry_id=entry.pk, notice_no="信市监告〔2026〕关注")
        made += 1
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=15)
    good = (
        Subject.objects.filter(kind="organization", records__isnull=True)
        .exclude(pk__in=seen)
        .order_by("pk")[:honors]
    )
    for n, subject in enumerate(good, 1):
        entry = services.entry_open(
            actor=clerk, list_code="honor", subject_id=subject.pk,
            grounds="连续三年无不良信用记录，获评市级诚信示范企业",
            legal_basis="国发〔2016〕33号：对诚信典型实施联合激励", act_date=last_month,
        )  # fmt: skip
        number = f"信市监荣〔2026〕{n}号"
        services.entry_decide(
            actor=reviewer, entry_id=entry.pk, decision_no=number, decided_on=last_month
        )
        services.entry_publish(actor=reviewer, entry_id=entry.pk)
        made += 1
    if not Roll.objects.filter(period=last_month.strftime("%Y-%m")).exists():
        services.roll_publish(actor=SYSTEM, period=last_month.strftime("%Y-%m"))
    _portal_account()
    return made


PORTAL_USER = "qiye_demo"  # a company's agent on the portal, bound to a listed company


def _portal_account() -> None:
    """A portal account bound to the first designated company (else the first listed
    organisation, else the first organisation), so the demo shows objections and repair
    from the subject's side. Made whatever the city's size: the README promises it."""
    from xinyong.accounts.services import portal_account_register
    from xinyong.demo.city import DEMO_PASSWORD
    from xinyong.remedies.models import SubjectBinding

    if User.objects.filter(username=PORTAL_USER).exists():
        return
    listed = ListEntry.objects.filter(subject__kind="organization").order_by("external", "pk")
    entry = listed.filter(list_type__code="serious_dishonesty").first() or listed.first()
    subject = entry.subject if entry else Subject.objects.filter(kind="organization").first()
    if subject is None:
        return
    user = portal_account_register(username=PORTAL_USER, password=DEMO_PASSWORD,
                                   display_name="企业经办人（演示）")  # fmt: skip
    now = timezone.now()
    SubjectBinding.objects.create(
        user=user, subject=subject, status="approved", applicant="企业经办人（演示）",
        phone="13800000000", evidence_path="", evidence_name="演示授权书",
        evidence_sha256="", requested_at=now, via="operator", reviewed_by="system",
        reviewed_at=now, reason="演示数据",
    )  # fmt: skip


def _open(clerk: Actor, record: Record, list_code: str, **kw):
    return services.entry_open(
        actor=clerk, list_code=list_code, subject_id=record.subject_id,
        grounds=f"{record.data.get('CF_WFXW', '违法行为')}，情节严重",
        legal_basis=str(record.data.get("CF_YJ", "")) or "《中华人民共和国行政处罚法》",
        basis_kind="penalty", basis_record_ids=[record.pk], **kw,
    )  # fmt: skip
