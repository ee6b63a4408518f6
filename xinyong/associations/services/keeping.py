"""Authorisations, members and commitment campaigns: the association's standing to act
(granted and ended by a department), who its members are, and what they promised."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import DepartmentKind
from xinyong.accounts.models import Department
from xinyong.associations.choices import AuthorisationStatus, CampaignStatus
from xinyong.associations.limits import SANCTION_ITEMS
from xinyong.associations.models import (
    Authorisation,
    Campaign,
    Membership,
    Signature,
)
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject

MEMBER_KINDS = (SubjectKind.ORGANIZATION, SubjectKind.INDIVIDUAL_BUSINESS)


def _fail(field: str, rule: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, rule, message)])


def _text(value, field: str, label: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise _fail(field, "required", gettext("%(label)s必填") % {"label": label})
    if len(text) > limit:
        raise _fail(
            field,
            "max_length",
            gettext("%(label)s不得超过%(limit)s个字符") % {"label": label, "limit": limit},
        )
    return text


def _not_future(day: datetime.date | None, field: str, label: str) -> datetime.date:
    if day is None:
        raise _fail(field, "required", gettext("%(label)s必填") % {"label": label})
    if day > timezone.localdate():
        raise _fail(field, "date.future", gettext("%(label)s不能晚于今天") % {"label": label})
    return day


# -- authorisations ----------------------------------------------------------------------
def authorisation_grant(
    *,
    actor: Actor,
    association_code: str,
    items: list[str],
    basis: str,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
) -> Authorisation:
    """Why a department, not the association itself: an association keeps credit records
    only as far as a body with that power authorises it (有关单位授权), and it can
    authorise only items it provides itself — it cannot hand on what it does not hold."""
    access.require(actor, Action.ASSOCIATION_AUTHORISE)
    if actor.department_id is None:
        raise _fail("granted_by", "required", gettext("须以部门名义授权：该账号未归属任何部门"))
    code = str(association_code or "").strip()
    association = Department.objects.filter(
        code=code, kind=DepartmentKind.ASSOCIATION, is_active=True
    ).first()
    if association is None:
        raise _fail(
            "association",
            "association.unknown",
            gettext("没有编码为“%(code)s”的行业协会商会") % {"code": code[:32]},
        )
    subject = Subject.objects.filter(
        uscc=association.uscc or None, kind=SubjectKind.ORGANIZATION
    ).first()
    if subject is None:
        raise _fail(
            "association",
            "association.no_subject",
            gettext("该协会的统一社会信用代码未在主体库登记：请先登记协会主体"),
        )
    basis = _text(basis, "basis", gettext("授权依据"), 500)
    if valid_from is None:
        raise _fail("valid_from", "required", gettext("生效日期必填"))
    if valid_to is not None and valid_to < valid_from:
        raise _fail("valid_to", "date.order", gettext("失效日期不能早于生效日期"))
    granter = Department.objects.get(pk=actor.department_id)
    known = {d.code: d for _, d in catalog.catalog_items()}
    codes = sorted({str(c).strip() for c in items or [] if str(c).strip()})
    if not codes:
        raise _fail("items", "required", gettext("请至少选择一个目录项"))
    for c in codes:
        d = known.get(c)
        if d is None or c in SANCTION_ITEMS:
            raise _fail(
                "items",
                "items.unknown",
                gettext("目录项“%(code)s”不存在或不能授权") % {"code": c[:64]},
            )
        if not d.provided_by(granter.code) and not actor.is_operator:
            raise _fail(
                "items",
                "items.not_provider",
                gettext("本部门不是目录项“%(item)s”的信息提供单位，不能授权他人报送")
                % {"item": d.name},
            )
        if "organization" not in d.subject_kinds:
            raise _fail(
                "items",
                "items.persons",
                gettext("目录项“%(item)s”不涉及法人和其他组织，不能授权行业协会")
                % {"item": d.name},
            )
    with transaction.atomic():
        granted = Authorisation.objects.create(
            association=association,
            subject=subject,
            granted_by=granter,
            items=codes,
            basis=basis,
            valid_from=valid_from,
            valid_to=valid_to,
            granted_at=timezone.now(),
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_AUTHORISE,
            object_type="authorisation",
            object_id=granted.pk,
            detail={
                "association": association.code,
                "items": codes,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
            },
        )
    return granted


def authorisation_end(*, actor: Actor, authorisation_id: int, reason: str) -> Authorisation:
    """Ending is immediate and final: every rule asks for an authorisation in force, so
    the association's people lose their powers with this very transaction."""
    granted = Authorisation.objects.visible_to(actor).filter(pk=authorisation_id).first()
    if granted is None:
        raise NotFound(gettext("没有该授权，或无权查看"))
    access.require(actor, Action.ASSOCIATION_AUTHORISE, granted)
    reason = _text(reason, "reason", gettext("终止原因"), 500)
    if granted.status == AuthorisationStatus.ENDED:
        raise _fail("status", "authorisation.ended", gettext("该授权已终止"))
    with transaction.atomic():
        granted.status = AuthorisationStatus.ENDED
        granted.ended_at = timezone.now()
        granted.end_reason = reason
        granted.save(update_fields=["status", "ended_at", "end_reason"])
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_AUTHORISATION_END,
            object_type="authorisation",
            object_id=granted.pk,
            detail={"reason": reason},
        )
    return granted


# -- members -----------------------------------------------------------------------------
def member_add(*, actor: Actor, uscc: str, joined_on: datetime.date | None) -> Membership:
    """A member is a registered organisation or individual business, named by its code: the
    association adds no subjects to the registry and learns nothing of persons."""
    access.require(actor, Action.ASSOCIATION_ACT)
    code = str(uscc or "").strip().upper()
    if not code:
        raise _fail("uscc", "required", gettext("统一社会信用代码必填"))
    subject = Subject.objects.filter(uscc=code[:18], kind__in=MEMBER_KINDS).first()
    if subject is None or len(code) != 18:
        raise _fail(
            "uscc",
            "uscc.unknown",
            gettext("主体库中没有统一社会信用代码为“%(code)s”的单位") % {"code": code[:18]},
        )
    joined_on = _not_future(joined_on, "joined_on", gettext("入会日期"))
    if Membership.objects.filter(
        association_id=actor.department_id, subject=subject, left_on__isnull=True
    ).exists():
        raise _fail("uscc", "member.exists", gettext("该单位已是本协会会员"))
    with transaction.atomic():
        m = Membership.objects.create(
            association_id=actor.department_id, subject=subject, joined_on=joined_on
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_MEMBER_ADD,
            object_type="membership",
            object_id=m.pk,
            detail={"subject": subject.pk, "joined_on": joined_on.isoformat()},
        )
    return m


def member_leave(*, actor: Actor, membership_id: int, left_on: datetime.date | None) -> Membership:
    m = Membership.objects.visible_to(actor).filter(pk=membership_id).first()
    if m is None:
        raise NotFound(gettext("没有该会员，或无权查看"))
    access.require(actor, Action.ASSOCIATION_ACT, m)
    left_on = _not_future(left_on, "left_on", gettext("退会日期"))
    if m.left_on is not None:
        raise _fail("left_on", "member.left", gettext("该会员已退会"))
    if left_on < m.joined_on:
        raise _fail("left_on", "date.order", gettext("退会日期不能早于入会日期"))
    with transaction.atomic():
        m.left_on = left_on
        m.save(update_fields=["left_on"])
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_MEMBER_LEAVE,
            object_type="membership",
            object_id=m.pk,
            detail={"left_on": left_on.isoformat()},
        )
    return m


def current_member(association_id: int, subject_id: int, day=None) -> bool:
    day = day or timezone.localdate()
    return (
        Membership.objects.filter(
            association_id=association_id, subject_id=subject_id, joined_on__lte=day
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .exists()
    )


# -- campaigns ---------------------------------------------------------------------------
def campaign_open(*, actor: Actor, title: str, text: str) -> Campaign:
    access.require(actor, Action.ASSOCIATION_ACT)
    title = _text(title, "title", gettext("名称"), 200)
    text = _text(text, "text", gettext("承诺内容"), 8000)
    with transaction.atomic():
        c = Campaign.objects.create(
            association_id=actor.department_id, title=title, text=text, created_at=timezone.now()
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_CAMPAIGN_OPEN,
            object_type="campaign",
            object_id=c.pk,
            detail={"title": title},
        )
    return c


def campaign_close(*, actor: Actor, campaign_id: int) -> Campaign:
    c = Campaign.objects.visible_to(actor).filter(pk=campaign_id).first()
    if c is None:
        raise NotFound(gettext("没有该承诺，或无权查看"))
    access.require(actor, Action.ASSOCIATION_ACT, c)
    if c.status != CampaignStatus.OPEN:
        raise _fail("status", "campaign.closed", gettext("该承诺已结束"))
    with transaction.atomic():
        c.status = CampaignStatus.CLOSED
        c.save(update_fields=["status"])
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_CAMPAIGN_CLOSE,
            object_type="campaign",
            object_id=c.pk,
        )
    return c


def campaign_sign(*, actor: Actor, campaign_id: int, subject_id: int) -> Signature:
    """A member's own word: only through the account bound to it, only while it is a member
    and the campaign is open, and once."""
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None or not access.allowed(actor, Action.ASSOCIATION_SIGN, subject):
        raise NotFound(gettext("没有该主体，或无权代其签署"))
    c = Campaign.objects.filter(pk=campaign_id).first()
    if c is None or not current_member(c.association_id, subject.pk):
        raise NotFound(gettext("没有该承诺，或该单位不是发起协会的会员"))
    if c.status != CampaignStatus.OPEN:
        raise _fail("campaign", "campaign.closed", gettext("该承诺已结束，不能再签署"))
    if Signature.objects.filter(campaign=c, subject=subject).exists():
        raise _fail("campaign", "campaign.signed", gettext("该单位已签署此承诺"))
    with transaction.atomic():
        sig = Signature.objects.create(
            campaign=c, subject=subject, user_id=actor.user_id, signed_at=timezone.now()
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.ASSOCIATION_CAMPAIGN_SIGN,
            object_type="campaign",
            object_id=c.pk,
            detail={"subject": subject.pk},
        )
    return sig
