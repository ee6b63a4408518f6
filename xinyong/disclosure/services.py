"""Writes of dual publicity: the credit office's publicity rules."""

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.disclosure.models import PublicityRule
from xinyong.disclosure.rules import KINDS


def publicity_rule_save(
    *,
    actor: Actor,
    penalty_class: str,
    publish: bool,
    min_months: int | None,
    max_months: int | None,
    kinds: list[str],
    basis: str,
) -> PublicityRule:
    """Change how a class of penalties is published. A published class needs a minimum
    and a maximum period (minimum ≤ maximum, at most 10 years); kinds must be penalty kinds
    of the catalog; a rule without its legal basis cannot be saved."""
    access.require(
        actor, Action.ADMINISTER, message=gettext("只有平台运营人员（信用办）可以修改公示期限规则")
    )
    rule = PublicityRule.objects.filter(penalty_class=penalty_class).first()
    if rule is None:
        raise NotFound(gettext("没有处罚类型 %(kind)s 的公示规则") % {"kind": penalty_class})
    errors = []
    basis = (basis or "").strip()
    if not basis:
        errors.append(
            FieldError("basis", "required", gettext("依据必填：规则须有法律、法规或政策依据"))
        )
    if publish:
        if min_months is None or max_months is None:
            errors.append(
                FieldError("min_months", "required", gettext("公示的处罚须有最短和最长公示期"))
            )
        elif not 0 < min_months <= max_months <= 120:
            errors.append(
                FieldError(
                    "max_months", "range", gettext("公示期应满足 0 < 最短 ≤ 最长 ≤ 120 个月")
                )
            )
    else:
        min_months = max_months = None
    penalty = catalog.item_current("administrative_penalty")[1]
    known = next(f.choices for f in penalty.fields if f.code == KINDS)
    unknown = [k for k in kinds if k not in known]
    if unknown:
        errors.append(
            FieldError(
                "kinds",
                "enum",
                gettext("不是处罚类别：%(unknown)s（应为 %(known)s）")
                % {"unknown": "、".join(unknown), "known": "、".join(known)},
            )
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        rule.publish, rule.min_months, rule.max_months = publish, min_months, max_months
        rule.kinds, rule.basis, rule.updated_by = sorted(set(kinds)), basis, actor.label
        rule.save()
        audit_event_append(
            actor=actor,
            action=AuditAction.PUBLICITY_RULE_SAVE,
            object_type="publicity_rule",
            object_id=penalty_class,
            detail={"publish": publish, "min_months": min_months, "max_months": max_months,
                    "kinds": rule.kinds, "basis": basis},
        )  # fmt: skip
    return rule
