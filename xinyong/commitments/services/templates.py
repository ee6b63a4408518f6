"""Writes of the credit office's settings: per matter, its commitment rule and the
templates of the commitments it allows (a changed text is a new version; a signed
commitment keeps the one it was signed under)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.commitments import selectors
from xinyong.commitments.choices import CheckMethod, CommitmentKind
from xinyong.commitments.models import CommitmentTemplate, MatterRule, TemplateVersion
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.sanctions.models import Matter

MAX_VALIDITY_MONTHS = 60
MAX_CHECK_WORKDAYS = 250


def _matter(code: str) -> Matter:
    matter = Matter.objects.filter(code=code).first()
    if matter is None:
        raise ValidationFailed.one(
            "matter", "matter.unknown", gettext("未知办理事项“%(matter)s”") % {"matter": code}
        )
    return matter


def matter_rule_set(
    *,
    actor: Actor,
    matter: str,
    time_limit_workdays: int,
    high_risk: bool,
    high_risk_basis: str = "",
    block_months: int = 12,
) -> MatterRule:
    """A matter's statutory time limit, whether it is too risky for notify-and-commit (then
    with the basis of that exclusion) and how long a breach bars it again."""
    access.require(actor, Action.ADMINISTER)
    m = _matter(matter)
    basis = (high_risk_basis or "").strip()
    errors = []
    if not 1 <= int(time_limit_workdays) <= MAX_CHECK_WORKDAYS:
        errors.append(
            FieldError(
                "time_limit_workdays",
                "range",
                gettext("法定办结时限应为 1–%(n)s 个工作日") % {"n": MAX_CHECK_WORKDAYS},
            )
        )
    if high_risk and not basis:
        errors.append(
            FieldError(
                "high_risk_basis", "required", gettext("高风险事项不适用告知承诺的，须写明依据")
            )
        )
    if not 1 <= int(block_months) <= MAX_VALIDITY_MONTHS:
        errors.append(
            FieldError(
                "block_months",
                "range",
                gettext("限制期限应为 1–%(n)s 个月") % {"n": MAX_VALIDITY_MONTHS},
            )
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        rule, _ = MatterRule.objects.update_or_create(
            matter=m,
            defaults={
                "time_limit_workdays": int(time_limit_workdays),
                "high_risk": bool(high_risk),
                "high_risk_basis": basis,
                "block_months": int(block_months),
            },
        )
        if high_risk:  # no notify-and-commit in a high-risk matter
            CommitmentTemplate.objects.filter(matter=m, kind=CommitmentKind.NOTIFY).update(
                active=False
            )
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_RULE_SET,
            object_type="matter",
            object_id=m.code,
            detail={
                "time_limit_workdays": rule.time_limit_workdays,
                "high_risk": rule.high_risk,
                "basis": basis,
                "block_months": rule.block_months,
            },
        )
        selectors.rules_forget()  # this process at once, again once committed
        transaction.on_commit(selectors.rules_forget)
    return rule


def template_save(
    *,
    actor: Actor,
    matter: str,
    kind: str,
    name: str,
    text: str,
    check_method: str,
    legal_basis: str,
    validity_months: int,
    check_workdays: int | None = None,
    exempt_reason: str = "",
    active: bool = True,
) -> CommitmentTemplate:
    """Create or change the template of one kind of commitment in a matter. Refused,
    writing nothing: an unknown kind or method, notify-and-commit in a high-risk matter, a
    checked template without its period or an exempt one without its reason, a validity
    outside 1–60 months, an empty text or basis."""
    access.require(actor, Action.ADMINISTER)
    m = _matter(matter)
    name, text = (name or "").strip(), (text or "").strip()
    legal_basis, exempt_reason = (legal_basis or "").strip(), (exempt_reason or "").strip()
    errors = []
    if kind not in CommitmentKind.values:
        errors.append(
            FieldError(
                "kind",
                "enum",
                gettext("承诺类型应为 %(kinds)s")
                % {"kinds": "、".join(map(str, CommitmentKind.labels))},
            )
        )
    if check_method not in CheckMethod.values:
        errors.append(
            FieldError(
                "check_method",
                "enum",
                gettext("核查方式应为 %(methods)s")
                % {"methods": "、".join(map(str, CheckMethod.labels))},
            )
        )
    for field, value, label in (
        ("name", name, gettext("承诺书名称")),
        ("text", text, gettext("承诺书正文")),
        ("legal_basis", legal_basis, gettext("依据")),
    ):
        if not value:
            errors.append(
                FieldError(field, "required", gettext("%(field)s必填") % {"field": label})
            )
    rule = MatterRule.objects.filter(matter=m).first()
    if kind == CommitmentKind.NOTIFY and active and rule is not None and rule.high_risk:
        errors.append(
            FieldError(
                "kind",
                "matter.high_risk",
                gettext("“%(matter)s”是高风险事项，不适用告知承诺（%(basis)s）")
                % {"matter": m.name, "basis": rule.high_risk_basis},
            )
        )
    if check_method == CheckMethod.EXEMPT:
        check_workdays = None
        if not exempt_reason:
            errors.append(
                FieldError("exempt_reason", "required", gettext("免于核查的，须写明理由"))
            )
    elif check_method in CheckMethod.values and not (
        check_workdays and 1 <= int(check_workdays) <= MAX_CHECK_WORKDAYS
    ):
        errors.append(
            FieldError(
                "check_workdays",
                "range",
                gettext("须核查的承诺应写明签署后几个工作日内核查（1–%(n)s）")
                % {"n": MAX_CHECK_WORKDAYS},
            )
        )
    if not 1 <= int(validity_months or 0) <= MAX_VALIDITY_MONTHS:
        errors.append(
            FieldError(
                "validity_months",
                "range",
                gettext("有效期应为 1–%(n)s 个月") % {"n": MAX_VALIDITY_MONTHS},
            )
        )
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    with transaction.atomic():
        template, created = CommitmentTemplate.objects.select_for_update().get_or_create(
            matter=m,
            kind=kind,
            defaults={
                "name": name,
                "check_method": check_method,
                "check_workdays": check_workdays,
                "exempt_reason": exempt_reason,
                "validity_months": int(validity_months),
                "legal_basis": legal_basis,
                "active": bool(active),
            },
        )
        if not created:
            template.name, template.check_method = name, check_method
            template.check_workdays, template.exempt_reason = check_workdays, exempt_reason
            template.validity_months, template.legal_basis = int(validity_months), legal_basis
            template.active = bool(active)
            template.save()
        latest = template.versions.order_by("-version").first()
        if latest is None or latest.text != text:
            latest = TemplateVersion.objects.create(
                template=template,
                version=(latest.version + 1) if latest else 1,
                text=text,
                created_by=actor.label,
                created_at=now,
            )
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_TEMPLATE_SAVE,
            object_type="template",
            object_id=template.pk,
            detail={
                "matter": m.code,
                "kind": kind,
                "version": latest.version,
                "active": template.active,
            },
        )
        selectors.rules_forget()  # this process at once, again once committed
        transaction.on_commit(selectors.rules_forget)
    return template
