"""The industry sanction procedure (行业自律惩戒): proposal with facts, basis and reasons;
a notice to the member; its statement within the period; a decision with reasons. A
decided sanction is filed as a record through ingestion, as the association (the provider
in the catalog's sense): warnings and criticism as ``industry_sanction`` (kept in the file,
not published), public censure as ``industry_censure`` (published until its end)."""

import calendar
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.associations.choices import RevocationGround, SanctionKind, SanctionStatus
from xinyong.associations.models import Sanction
from xinyong.associations.services.keeping import _fail, _text, current_member
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.core.localday import shift
from xinyong.core.workdays import add_workdays
from xinyong.ingest.services.single import record_file_one, record_withdraw_one
from xinyong.remedies.choices import BindingStatus
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.services.bindings import notify
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject

STATEMENT_WORKDAYS = 5  # the member's time to answer the notice (工作日)
MAX_PUBLISH_MONTHS = 36  # public censure: at most three years on the portal
SANCTION, CENSURE = "industry_sanction", "industry_censure"


def _own(actor: Actor, sanction_id: int) -> Sanction:
    s = (
        Sanction.objects.visible_to(actor)
        .select_related("association", "subject")
        .filter(pk=sanction_id)
        .first()
    )
    if s is None:
        raise NotFound(gettext("没有该惩戒案件，或无权查看"))
    access.require(actor, Action.ASSOCIATION_ACT, s)
    return s


def _event(actor, action, s: Sanction, **detail) -> None:
    audit_event_append(
        actor=actor,
        action=action,
        object_type="industry_sanction",
        object_id=s.pk,
        detail={"number": s.number, **detail},
    )


def sanction_propose(
    *, actor: Actor, subject_id: int, kind: str, facts: str, basis: str, reasons: str
) -> Sanction:
    """Only a member may be sanctioned: the association's rules bind its members alone."""
    access.require(actor, Action.ASSOCIATION_ACT)
    if kind not in SanctionKind.values:
        raise _fail("kind", "kind.enum", gettext("惩戒措施应为 警告、通报批评 或 公开谴责"))
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None or not current_member(actor.department_id, subject.pk):
        raise _fail("subject", "association.not_member", gettext("该单位不是本协会的现有会员"))
    facts = _text(facts, "facts", gettext("违规事实"), 4000)
    basis = _text(basis, "basis", gettext("依据"), 500)
    reasons = _text(reasons, "reasons", gettext("理由"), 4000)
    now = timezone.now()
    number = f"HYCJ{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"
    with transaction.atomic():
        s = Sanction.objects.create(
            association_id=actor.department_id,
            subject=subject,
            number=number,
            kind=kind,
            facts=facts,
            basis=basis,
            reasons=reasons,
            proposed_at=now,
        )
        _event(actor, AuditAction.ASSOCIATION_SANCTION_PROPOSE, s, kind=kind, subject=subject.pk)
    return s


def sanction_notify(*, actor: Actor, sanction_id: int) -> Sanction:
    """The member is told the facts, basis and intended measure before any decision, and
    given working days to answer (陈述申辩)."""
    s = _own(actor, sanction_id)
    if s.status != SanctionStatus.PROPOSED:
        raise _fail("status", "sanction.step", gettext("只有拟处理的案件可以告知"))
    with transaction.atomic():
        s.status = SanctionStatus.NOTIFIED
        s.notified_at = timezone.now()
        s.statement_due = add_workdays(timezone.localdate(), STATEMENT_WORKDAYS)
        s.save(update_fields=["status", "notified_at", "statement_due"])
        _event(actor, AuditAction.ASSOCIATION_SANCTION_NOTIFY, s, due=s.statement_due.isoformat())
    return s


def sanction_statement(*, actor: Actor, sanction_id: int, text: str) -> Sanction:
    """The member's statement, through its bound account, once and within the period."""
    s = Sanction.objects.filter(pk=sanction_id).select_related("subject").first()
    if s is None or not access.allowed(actor, Action.ASSOCIATION_STATEMENT, s):
        raise NotFound(gettext("没有该惩戒案件，或无权查看"))
    if s.status != SanctionStatus.NOTIFIED:
        raise _fail("statement", "sanction.step", gettext("该案件不在陈述申辩期内"))
    if s.statement_at is not None:
        raise _fail("statement", "sanction.answered", gettext("已提交过陈述申辩"))
    if timezone.localdate() > s.statement_due:
        raise _fail(
            "statement",
            "sanction.late",
            gettext("陈述申辩期限已于 %(due)s 届满") % {"due": s.statement_due},
        )
    text = _text(text, "statement", gettext("陈述申辩"), 4000)
    with transaction.atomic():
        s.statement = text
        s.statement_at = timezone.now()
        s.save(update_fields=["statement", "statement_at"])
        _event(actor, AuditAction.ASSOCIATION_SANCTION_STATEMENT, s)
    return s


def _row(s: Sanction, day, association_name: str) -> dict:
    lb = "个体工商户" if s.subject.kind == SubjectKind.INDIVIDUAL_BUSINESS else "法人及非法人组织"
    head = {"XDR_MC": s.subject.name, "XDR_LB": lb, "XDR_SHXYM": s.subject.uscc}
    if s.kind == SanctionKind.CENSURE:
        return {
            **head,
            "GZ_BH": s.number,
            "GZ_SS": s.facts,
            "GZ_YJ": s.basis,
            "GZ_LY": s.decision_reasons,
            "GZ_JDRQ": day.isoformat(),
            "GZ_GSJZ": s.publish_until.isoformat(),
            "GZ_XH": association_name,
        }
    return {
        **head,
        "HY_BH": s.number,
        "HY_CS": str(SanctionKind(s.kind).label),
        "HY_SS": s.facts,
        "HY_YJ": s.basis,
        "HY_LY": s.decision_reasons,
        "HY_JDRQ": day.isoformat(),
        "HY_XH": association_name,
    }


def _filer(actor: Actor) -> Actor:
    """The platform, filing (or withdrawing) on the association's behalf: the only way into
    the sanction items (:mod:`xinyong.associations.limits`); the association's act is
    audited as its own."""
    return Actor(kind=ActorKind.SYSTEM, label=actor.label, role=Role.PLATFORM_OPERATOR)


def _item(s: Sanction) -> str:
    return CENSURE if s.kind == SanctionKind.CENSURE else SANCTION


def _file(actor: Actor, s: Sanction) -> int:
    """The record through ingestion's one path for a decided fact, in the caller's
    transaction (the decision and its record are one act: a refusal undoes both)."""
    with translation.override(settings.LANGUAGE_CODE):  # the enum values are Chinese
        row = _row(s, timezone.localdate(), s.association.name)
    record, why = record_file_one(
        item_code=_item(s), row=row, provider=s.association, source_id=s.number,
        file_name=f"行业惩戒决定 {s.number}", actor=_filer(actor),
    )  # fmt: skip
    if record is None:
        raise _fail(
            "decision",
            "sanction.not_filed",
            gettext("惩戒决定未能记入信用档案：%(why)s") % {"why": why},
        )
    return record.pk


def sanction_decide(
    *,
    actor: Actor,
    sanction_id: int,
    sanction: bool,
    reasons: str,
    publish_months: int | None = None,
) -> Sanction:
    """After the member was heard (or its period ran out): sanction — the record filed in
    the same transaction — or drop. Public censure names its publication period."""
    s = _own(actor, sanction_id)
    if s.status != SanctionStatus.NOTIFIED:
        raise _fail("status", "sanction.step", gettext("须先告知会员，才能作出决定"))
    today = timezone.localdate()
    if s.statement_at is None and today <= s.statement_due:
        raise _fail(
            "status",
            "sanction.period",
            gettext("会员的陈述申辩期限 %(due)s 尚未届满") % {"due": s.statement_due},
        )
    reasons = _text(reasons, "reasons", gettext("决定理由"), 4000)
    if sanction and s.kind == SanctionKind.CENSURE:
        if not isinstance(publish_months, int) or not 1 <= publish_months <= MAX_PUBLISH_MONTHS:
            raise _fail(
                "publish_months",
                "range",
                gettext("公开谴责的公示期应为 1 至 %(n)s 个月") % {"n": MAX_PUBLISH_MONTHS},
            )
    if sanction and not current_member(s.association_id, s.subject_id):
        raise _fail("subject", "association.not_member", gettext("该单位已不是本协会会员"))
    with transaction.atomic():
        s.decision_reasons = reasons
        s.decided_at = timezone.now()
        s.status = SanctionStatus.DECIDED if sanction else SanctionStatus.DROPPED
        if sanction and s.kind == SanctionKind.CENSURE:
            first = shift(today, publish_months)
            last = calendar.monthrange(first.year, first.month)[1]
            s.publish_until = first.replace(day=min(today.day, last))
        s.save(update_fields=["decision_reasons", "decided_at", "status", "publish_until"])
        if sanction:
            s.record_id = _file(actor, s)
            s.save(update_fields=["record"])
        _event(
            actor, AuditAction.ASSOCIATION_SANCTION_DECIDE, s, outcome=s.status, record=s.record_id
        )
    return s


def _tell_member(s: Sanction, text: str) -> None:
    """Every portal account bound to the member is told (in-app, and by e-mail)."""
    link = reverse("portal:account_association_sanction", args=[s.pk])
    for user_id in SubjectBinding.objects.filter(
        subject_id=s.subject_id, status=BindingStatus.APPROVED
    ).values_list("user_id", flat=True):
        notify(user_id, text, link)


def sanction_revoke(*, actor: Actor, sanction_id: int, ground: str, reasons: str) -> Sanction:
    """The association undoes its own decision — decided in error, or overturned on
    review — with its reasons: the record it filed is withdrawn through ingestion's
    withdrawal path (its history kept, the reason with it), so a public censure leaves the
    portal and the feeds in this very transaction; the member is told. A revocation is
    final: a new case is a new proposal."""
    s = _own(actor, sanction_id)
    if ground not in RevocationGround.values:
        raise _fail(
            "ground", "ground.enum", gettext("撤销事由应为 决定有误、经复核撤销 或 其他原因")
        )
    reasons = _text(reasons, "reasons", gettext("撤销理由"), 4000)
    if s.status != SanctionStatus.DECIDED:
        raise _fail("status", "sanction.step", gettext("只有已作出惩戒决定的案件可以撤销"))
    with translation.override(settings.LANGUAGE_CODE):  # kept as written, in Chinese
        label = str(RevocationGround(ground).label)
        why_withdrawn = f"{gettext('撤销行业惩戒决定')}（{label}）：{reasons}"
        told = gettext("%(association)s已撤销对本单位的%(kind)s决定（%(number)s）：%(ground)s") % {
            "association": s.association.name,
            "kind": s.get_kind_display(),
            "number": s.number,
            "ground": label,
        }
    with transaction.atomic():
        s.status = SanctionStatus.REVOKED
        s.revoked_at = timezone.now()
        s.revoke_ground, s.revoke_reasons = ground, reasons
        s.save(update_fields=["status", "revoked_at", "revoke_ground", "revoke_reasons"])
        withdrawn, why = record_withdraw_one(
            item_code=_item(s), provider=s.association, source_id=s.number,
            reason=why_withdrawn, file_name=f"撤销行业惩戒决定 {s.number}", actor=_filer(actor),
        )  # fmt: skip
        if not withdrawn:
            raise _fail(
                "reasons",
                "sanction.not_withdrawn",
                gettext("惩戒信息未能从信用档案撤销：%(why)s") % {"why": why},
            )
        _event(actor, AuditAction.ASSOCIATION_SANCTION_REVOKE, s, ground=ground, record=s.record_id)
        _tell_member(s, told)
    return s
