"""Reads of tips: the tipster's view by receipt code, the department's queue and the credit
office's overview (deadlines, overdue first), one tip, its evidence, the routing table —
and the one read of a tipster's identity, the handling officer's, audited with its
purpose."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.tips.choices import OPEN, TipStatus
from xinyong.tips.models import Tip, TipDomain, TipEvidence, TipIdentity, TipTransfer
from xinyong.tips.schemas import TipIdentityOut, TipReceiptOut
from xinyong.tips.services.filing import receipt_hash, receipt_normalize

PURPOSE_MIN, PURPOSE_MAX = 4, 200
# The step a to-do list names for each open status.
_STEPS = {TipStatus.ROUTING: _lazy("分派举报"), TipStatus.SUBMITTED: _lazy("受理举报"),
          TipStatus.ACCEPTED: _lazy("办结举报")}  # fmt: skip


def tip_domains() -> list[tuple[str, str]]:
    """The domains a tipster chooses from (active ones, in the table's order)."""
    return list(TipDomain.objects.filter(active=True).values_list("code", "name"))


def routing_table() -> list[TipDomain]:
    return list(TipDomain.objects.select_related("department").order_by("order", "code"))


def departments() -> list[tuple[str, str]]:
    active = Department.objects.filter(is_active=True).order_by("code")
    return list(active.values_list("code", "name"))


def transfer_targets(tip: Tip) -> list[tuple[str, str]]:
    """The departments a tip may be transferred to, as the form offers them: every active
    one but the department holding it (the service says why any other is refused)."""
    return [(code, name) for code, name in departments()
            if tip.department is None or code != tip.department.code]  # fmt: skip


def _transfers() -> Prefetch:
    return Prefetch(
        "transfers",
        queryset=TipTransfer.objects.select_related("from_department", "to_department"),
    )


def tip_follow(*, receipt: str) -> TipReceiptOut:
    """The tip a receipt code belongs to, as its tipster reads it. A malformed code is
    refused naming the field; a well-formed code of no tip is not found (the same answer
    whatever the code, so codes cannot be probed beyond the throttle)."""
    digest = receipt_hash(receipt_normalize(receipt))
    tip = (
        Tip.objects.select_related("subject", "domain", "department")
        .prefetch_related(_transfers())
        .filter(receipt_hash=digest)
        .first()
    )
    if tip is None:
        raise NotFound(_("没有与该查询码对应的举报，请核对后重新输入"))
    return TipReceiptOut.of(tip)


def _as_shown(qs):
    """Tips with what :class:`TipOut` reads of each (subject, domain, department, evidence,
    transfers) in a fixed number of queries."""
    return qs.select_related("subject", "domain", "department").prefetch_related(
        "evidence", _transfers()
    )


def _visible(actor: Actor):
    access.require(actor, Action.TIP_QUEUE, message=_("无权查看失信行为举报"))
    return _as_shown(Tip.objects.visible_to(actor))


def tip_queue(*, actor: Actor, overdue_only: bool = False) -> list[Tip]:
    """The open tips the reader sees (its department's; every one for the credit office and
    the auditor), by the deadline of the step owed — overdue ones first."""
    today = timezone.localdate()
    qs = _visible(actor).filter(status__in=OPEN)
    if overdue_only:
        qs = qs.filter(
            Q(status=TipStatus.ACCEPTED, decide_due__lt=today)
            | Q(status__in=(TipStatus.ROUTING, TipStatus.SUBMITTED), ack_due__lt=today)
            | Q(status=TipStatus.SUBMITTED, decide_due__lt=today)  # a transfer fixed it
        )
    tips = list(qs.order_by("ack_due", "pk")[:500])
    return sorted(tips, key=lambda t: (not t.overdue, t.due, t.pk))


def tips_closed(*, actor: Actor, limit: int = 50) -> list[Tip]:
    """The reader's latest closed tips (declined or decided), newest first."""
    qs = _visible(actor).exclude(status__in=OPEN)
    return list(qs.order_by("-decided_at", "-pk")[:limit])


def tip_counts(*, actor: Actor) -> dict:
    """How many of the reader's tips are open, overdue and closed (the page's header)."""
    access.require(actor, Action.TIP_QUEUE, message=_("无权查看失信行为举报"))
    tips = Tip.objects.visible_to(actor)
    open_ = list(tips.filter(status__in=OPEN).only("status", "ack_due", "decide_due"))
    return {
        "open": len(open_),
        "overdue": sum(t.overdue for t in open_),
        "closed": tips.exclude(status__in=OPEN).count(),
    }


def tip_get(*, actor: Actor, tip_id: int) -> Tip:
    """One tip for staff who see it (its department, the credit office, the auditor)."""
    tip = None
    if actor.is_staff and isinstance(tip_id, int) and 0 < tip_id <= DB_INT_MAX:
        tip = _visible(actor).filter(pk=tip_id).first()
    if tip is None:
        raise NotFound(_("没有举报 %(id)s") % {"id": tip_id})
    return tip


def tips_to_handle(*, actor: Actor) -> list[Tip]:
    """A business system's list: its department's tips still open, by deadline."""
    qs = Tip.objects.filter(access.acting_q(actor, Action.TIP_HANDLE), status__in=OPEN)
    return list(_as_shown(qs).order_by("ack_due", "pk")[:500])


def tip_identity(*, actor: Actor, tip_id: int, purpose) -> TipIdentityOut | None:
    """A verified tipster's name, contact and account, for the handling officer only, for a
    stated purpose (核实情况, 发放奖励…): every read is an audit event naming the purpose,
    not what was read. None for an anonymous tip (nothing is kept to read)."""
    tip = tip_get(actor=actor, tip_id=tip_id)
    access.require(actor, Action.TIP_IDENTITY_READ, tip,
                   message=_("举报人身份仅承办人可以查看"))  # fmt: skip
    purpose = (purpose if isinstance(purpose, str) else "").strip()
    if not PURPOSE_MIN <= len(purpose) <= PURPOSE_MAX:
        message = _("请写明查看举报人身份的用途（%(min)s 至 %(max)s 个字）") % {
            "min": PURPOSE_MIN, "max": PURPOSE_MAX,
        }  # fmt: skip
        raise ValidationFailed.one("purpose", "tip.purpose", message)
    identity = TipIdentity.objects.select_related("user").filter(tip_id=tip.pk).first()
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=AuditAction.TIP_IDENTITY_READ, object_type="tip",
            object_id=tip.pk, detail={"purpose": purpose, "anonymous": identity is None},
        )  # fmt: skip
    if identity is None:
        return None
    return TipIdentityOut(
        name=crypto.decrypt(identity.name_encrypted),
        contact=crypto.decrypt(identity.contact_encrypted),
        account=identity.user.username,
    )


def tip_evidence(*, actor: Actor, evidence_id: int):
    """An evidence file, for the staff of the tip's department (the read audited): its path
    and the name it was uploaded under."""
    e = None
    if actor.is_staff and isinstance(evidence_id, int) and 0 < evidence_id <= DB_INT_MAX:
        e = (
            TipEvidence.objects.visible_to(actor)
            .select_related("tip")
            .filter(pk=evidence_id)
            .first()
        )
    if e is None or not access.allowed(actor, Action.TIP_HANDLE, e.tip):
        raise NotFound(_("没有证据材料 %(id)s") % {"id": evidence_id})
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.CREDIT_FILE_READ, object_type="tip",
                           object_id=e.tip_id, detail={"evidence": e.pk})  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / e.path, e.name


def tips_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Tips waiting for the reader's department (accept or decide) or, for the credit
    office, for routing — by their working-day deadlines."""
    if actor.is_operator:
        qs = Tip.objects.filter(access.acting_q(actor, Action.TIP_ROUTE), status=TipStatus.ROUTING)
    else:
        qs = Tip.objects.filter(access.acting_q(actor, Action.TIP_HANDLE), status__in=OPEN)
    items = [
        Todo(step=str(_STEPS[t.status]), subject=t.subject.name, about=t.number,
             url=reverse("backoffice:tip", args=[t.pk]), due=t.due, late=today > t.due)
        for t in qs.select_related("subject").order_by("ack_due", "pk")[:SHOWN]
    ]  # fmt: skip
    return TodoList("tips", _("失信行为举报待办"), reverse("backoffice:tips"), qs.count(),
                    late_first(items))  # fmt: skip
