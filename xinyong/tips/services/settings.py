"""The credit office's settings of tips: the periods (:class:`TipPolicy`) and the routing
table (:class:`TipDomain`): which department is competent for each domain."""

import re

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.tips.models import TipDomain, TipPolicy
from xinyong.tips.services.common import text

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
MAX_WORKDAYS = 200


def tip_policy() -> TipPolicy:
    return TipPolicy.objects.get_or_create(pk=1)[0]


def _workdays(errors: list, field: str, value) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= MAX_WORKDAYS:
        message = gettext("应为 1 至 %(n)s 之间的整数（工作日）") % {"n": MAX_WORKDAYS}
        errors.append(FieldError(field, "range", message))
    return n


def tip_policy_save(*, actor: Actor, ack_workdays, decide_workdays) -> TipPolicy:
    """The periods a department has to accept and to decide a tip (working days). Tips
    already filed keep the deadlines they were given."""
    access.require(actor, Action.ADMINISTER)
    errors: list[FieldError] = []
    ack = _workdays(errors, "ack_workdays", ack_workdays)
    decide = _workdays(errors, "decide_workdays", decide_workdays)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        policy = TipPolicy.objects.select_for_update().get_or_create(pk=1)[0]
        before = {"ack_workdays": policy.ack_workdays, "decide_workdays": policy.decide_workdays}
        policy.ack_workdays, policy.decide_workdays = ack, decide
        policy.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_SETTINGS_SAVE, object_type="tip_policy",
            object_id=policy.pk, detail={"before": before, "ack_workdays": ack,
                                         "decide_workdays": decide},
        )  # fmt: skip
    return policy


def tip_domain_save(
    *, actor: Actor, code: str, name: str, department_code: str = "", order=0, active=True,
) -> TipDomain:  # fmt: skip
    """A line of the routing table, new or changed (by its code): the domain's name and the
    department competent for it (none: the credit office routes such tips by hand)."""
    access.require(actor, Action.ADMINISTER)
    errors: list[FieldError] = []
    code = (code if isinstance(code, str) else "").strip()
    if not _CODE.match(code):
        message = gettext("编码应为 2 至 32 位小写字母、数字或下划线，以字母开头")
        errors.append(FieldError("code", "format", message))
    name = text(errors, "name", name, 100, gettext("请填写领域名称"))
    department = None
    department_code = (department_code if isinstance(department_code, str) else "").strip()
    if department_code:
        department = Department.objects.filter(code=department_code, is_active=True).first()
        if department is None:
            message = gettext("没有该部门，请从列表中选择，或不指定（由信用主管部门分派）")
            errors.append(FieldError("department", "department.unknown", message))
    try:
        order = int(order or 0)
    except (TypeError, ValueError):
        order = -1
    if not 0 <= order <= 32767:
        errors.append(FieldError("order", "range", gettext("排序应为 0 至 32767 之间的整数")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        domain, created = TipDomain.objects.select_for_update().get_or_create(
            code=code, defaults={"name": name}
        )
        domain.name, domain.department, domain.order = name, department, order
        domain.active = bool(active)
        domain.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_SETTINGS_SAVE, object_type="tip_domain",
            object_id=domain.pk, detail={
                "code": code, "name": name, "created": created, "active": domain.active,
                "department": department.code if department else "",
            },
        )  # fmt: skip
    return domain
