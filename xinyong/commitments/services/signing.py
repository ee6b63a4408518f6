"""Writes of signing: a bound company signs online on the portal; a department records a
paper commitment (with its scan) received at the counter — the only way to a deficiency-
tolerant acceptance, whose missing documents, form, date and consequence the department
states once. Both are refused, writing nothing, for a matter that does not allow the kind,
a subject barred from it, or a date beyond the matter's own time limit."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.commitments import feeds, selectors
from xinyong.commitments.choices import Channel, CommitmentKind, CommitmentStatus
from xinyong.commitments.models import Commitment, CommitmentEvent, DeficiencyItem
from xinyong.commitments.services.filing import commitments_file
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.remedies.choices import BindingStatus
from xinyong.remedies.models import SubjectBinding
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject

MAX_MISSING = 20


def text_checked(errors, field, value, label, limit) -> str:
    """A required text within ``limit`` characters; its error appended to ``errors``."""
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(field, "required", gettext("%(field)s必填") % {"field": label}))
    elif len(value) > limit:
        errors.append(
            FieldError(
                field,
                "max_length",
                gettext("%(field)s不得超过 %(n)s 个字") % {"field": label, "n": limit},
            )
        )
    return value


def _workdays_after(day: datetime.date, n: int, field: str) -> datetime.date:
    try:
        return workdays.add_workdays(day, n)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one(field, "calendar.not_covered", str(e)) from None


def _terms(subject: Subject, matter: str, kind: str, today: datetime.date):
    """The template the subject signs under, refused with the reason when the matter
    allows no such commitment or the subject is barred from it."""
    view = selectors.rules().matters.get(matter)
    if view is None:
        raise ValidationFailed.one(
            "matter", "matter.unknown", gettext("未知办理事项“%(matter)s”") % {"matter": matter}
        )
    if kind not in CommitmentKind.values or kind == CommitmentKind.REPAIR:
        raise ValidationFailed.one("kind", "enum", gettext("承诺类型无效"))
    template = view.templates.get(kind)
    if template is None:
        raise ValidationFailed.one(
            "kind",
            "commitment.not_allowed",
            gettext("“%(matter)s”不接受%(kind)s")
            % {"matter": view.name, "kind": CommitmentKind(kind).label},
        )
    verdict = selectors.commitment_verdict(subject.pk, matter, today=today)
    if kind in verdict.barred_kinds:
        raise ValidationFailed.one(
            "subject", "commitment.barred", "；".join(r["message"] for r in verdict.reasons)
        )
    return view, template


def _deficiency(errors, kind, missing, supply_due, late_consequence, view, today):
    """What a deficiency-tolerant acceptance waits for; nothing for another kind."""
    if kind != CommitmentKind.DEFICIENCY:
        return [], None, ""
    items = []
    if not missing:
        errors.append(FieldError("missing", "required", gettext("容缺受理须列明待补材料")))
    elif len(missing) > MAX_MISSING:
        errors.append(
            FieldError(
                "missing", "max_items", gettext("待补材料最多 %(n)s 项") % {"n": MAX_MISSING}
            )
        )
    for i, item in enumerate((missing or [])[:MAX_MISSING]):
        name = text_checked(
            errors, f"missing[{i}].name", item.get("name"), gettext("材料名称"), 200
        )
        form = text_checked(
            errors, f"missing[{i}].form", item.get("form"), gettext("材料形式"), 100
        )
        items.append((name, form))
    consequence = text_checked(
        errors, "late_consequence", late_consequence, gettext("逾期未补正的后果"), 300
    )
    limit = _workdays_after(today, view.time_limit_workdays, "supply_due")
    if supply_due is None:
        errors.append(FieldError("supply_due", "required", gettext("请写明补正期限")))
    elif supply_due <= today:
        errors.append(FieldError("supply_due", "date.past", gettext("补正期限应晚于今天")))
    elif supply_due > limit:
        errors.append(
            FieldError(
                "supply_due",
                "deadline.beyond_limit",
                gettext(
                    "补正期限不得超过“%(matter)s”的法定办结时限（%(n)s 个工作日，即 %(limit)s）"
                )
                % {"matter": view.name, "n": view.time_limit_workdays, "limit": limit},
            )
        )
    return items, supply_due, consequence


def _create(
    *,
    actor,
    subject,
    matter,
    kind,
    reason,
    signatory,
    department,
    channel,
    binding,
    missing,
    supply_due,
    late_consequence,
    scan=None,
) -> Commitment:
    today = timezone.localdate()
    view, template = _terms(subject, matter, kind, today)
    errors = []
    reason = text_checked(errors, "reason", reason, gettext("承诺事由"), 300)
    signatory = text_checked(errors, "signatory", signatory, gettext("签署人"), 50)
    items, supply_due, consequence = _deficiency(
        errors, kind, missing, supply_due, late_consequence, view, today
    )
    if scan is not None or channel == Channel.PAPER:
        try:
            material_check(scan, field="scan")
        except ValidationFailed as e:
            errors.extend(e.errors)
    if errors:
        raise ValidationFailed(errors)
    check_due = (
        _workdays_after(today, template.check_workdays, "check_due")
        if template.check_workdays
        else None
    )
    stored = material_store(scan) if channel == Channel.PAPER else ("", "")
    now = timezone.now()
    try:
        with transaction.atomic():
            c = Commitment.objects.create(
                number=f"tmp-{now.timestamp()}-{subject.pk}",
                subject=subject,
                matter_id=view.id,
                kind=kind,
                template_id=template.id,
                template_version_id=template.version_id,
                department=department,
                channel=channel,
                binding=binding,
                signatory=signatory,
                reason=reason,
                public=subject.kind != SubjectKind.PERSON,
                signed_at=now,
                recorded_by=actor.label if channel == Channel.PAPER else "",
                valid_from=today,
                valid_to=today + relativedelta(months=template.validity_months),
                scan_path=stored[0],
                scan_name=(scan.name[:255] if scan else ""),
                scan_sha256=stored[1],
                check_method=template.check_method,
                check_due=check_due,
                status=CommitmentStatus.IN_FORCE,
                supply_due=supply_due,
                late_consequence=consequence,
                updated_at=now,
            )
            c.number = f"CN{today:%Y%m%d}{c.pk:07d}"
            c.save(update_fields=["number"])
            DeficiencyItem.objects.bulk_create(
                [DeficiencyItem(commitment=c, name=n, form=f) for n, f in items]
            )
            signed = CommitmentEvent.objects.create(
                commitment=c,
                action="sign",
                status=c.status,
                by=actor.label,
                at=now,
                note=f"{Channel(channel).label}：{signatory}",
            )
            feeds.log([signed], now)
            audit_event_append(
                actor=actor,
                action=AuditAction.COMMITMENT_SIGN
                if channel == Channel.ONLINE
                else AuditAction.COMMITMENT_RECORD,
                object_type="commitment",
                object_id=c.number,
                detail={
                    "subject": subject.pk,
                    "matter": matter,
                    "kind": kind,
                    "department": department.code,
                    "version": template.version,
                    "scan_sha256": stored[1],
                    "missing": len(items),
                },
            )
            commitments_file(actor=actor, ids=[c.pk])
    except Exception:
        if stored[0]:
            material_discard(stored[0])
        raise
    return c


def commitment_sign(
    *,
    actor: Actor,
    subject_id: int,
    matter: str,
    kind: str,
    reason: str,
    signatory: str,
    department: str,
    pledge: bool,
) -> Commitment:
    """A bound account signs for its subject online, to the department that handles the
    matter. The pledge must be affirmed (the checkbox "本人承诺以上内容真实")."""
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None or not access.allowed(actor, Action.COMMITMENT_SIGN, subject):
        raise NotFound(gettext("没有您已绑定的主体 %(id)s") % {"id": subject_id})
    if not pledge:
        raise ValidationFailed.one("pledge", "required", gettext("请确认承诺内容并勾选“本人承诺”"))
    dept = Department.objects.filter(code=department, is_active=True).first()
    if dept is None:
        raise ValidationFailed.one("department", "department.unknown", gettext("请选择受理部门"))
    if kind == CommitmentKind.DEFICIENCY:
        raise ValidationFailed.one(
            "kind", "commitment.counter_only", gettext("容缺受理由受理部门在窗口确认待补材料后录入")
        )
    binding = SubjectBinding.objects.filter(
        user_id=actor.user_id, subject=subject, status=BindingStatus.APPROVED
    ).first()
    return _create(
        actor=actor,
        subject=subject,
        matter=matter,
        kind=kind,
        reason=reason,
        signatory=signatory,
        department=dept,
        channel=Channel.ONLINE,
        binding=binding,
        missing=None,
        supply_due=None,
        late_consequence="",
    )


def commitment_record(
    *,
    actor: Actor,
    subject_id: int,
    matter: str,
    kind: str,
    reason: str,
    signatory: str,
    scan,
    missing=None,
    supply_due=None,
    late_consequence: str = "",
) -> Commitment:
    """The accepting department records a paper commitment with its scan (and, for a
    deficiency-tolerant acceptance, what is missing, by when and the consequence)."""
    access.require(actor, Action.COMMITMENT_HANDLE)
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(gettext("没有信用主体 %(id)s") % {"id": subject_id})
    return _create(
        actor=actor,
        subject=subject,
        matter=matter,
        kind=kind,
        reason=reason,
        signatory=signatory,
        department=Department.objects.get(pk=actor.department_id),
        channel=Channel.PAPER,
        binding=None,
        missing=missing,
        supply_due=supply_due,
        late_consequence=late_consequence,
        scan=scan,
    )
