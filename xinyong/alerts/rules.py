"""The credit office keeps the early-warning rules as data (:class:`AlertRule`): each names
an evaluator, its parameters (validated against the evaluator's schema, each error naming
the parameter), the departments it alerts and whether the subject is warned. One
transaction and one audit event per change; the version goes up with each change so an
alert says under which rule it was raised."""

import json
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import ValidationError

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.alerts.choices import Recipients
from xinyong.alerts.evaluators import EVALUATORS
from xinyong.alerts.models import AlertRule
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.rowschema import printable
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX

CODE = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
PARAMS_MAX = 4000  # characters of the parameters' JSON


def params_check(evaluator: str, params) -> dict:
    """The parameters as the evaluator takes them (defaults filled in), or ValidationFailed
    naming each wrong parameter (``params.days``) and the rule it breaks."""
    ev = EVALUATORS.get(evaluator)
    if ev is None:
        return {}
    if isinstance(params, str):
        text = params.strip() or "{}"
        if len(text) > PARAMS_MAX:
            raise ValidationFailed.one(
                "params", "max_length", gettext("参数不得超过 %(n)s 个字符") % {"n": PARAMS_MAX}
            )
        try:
            params = json.loads(text)
        except ValueError:
            raise ValidationFailed.one(
                "params", "json", gettext('参数应为 JSON 对象，如 {"days": 7}')
            ) from None
    if not isinstance(params, dict):
        raise ValidationFailed.one("params", "json", gettext('参数应为 JSON 对象，如 {"days": 7}'))
    try:
        return ev.params.model_validate(params).model_dump()
    except ValidationError as e:
        errors = []
        for err in e.errors():
            name = ".".join(str(p) for p in err["loc"]) or "params"
            info = ev.params.model_fields.get(str(err["loc"][0])) if err["loc"] else None
            what = f"{name}（{info.description}）" if info and info.description else name
            if err["type"] == "extra_forbidden":
                allowed = "、".join(ev.params.model_fields)
                message = gettext("参数 %(name)s 不适用于该判断方法（可用参数：%(allowed)s）") % {
                    "name": name,
                    "allowed": allowed,
                }
            else:
                message = gettext("参数 %(name)s：%(error)s") % {"name": what, "error": err["msg"]}
            errors.append(FieldError(f"params.{name}", f"params.{err['type']}", message))
        raise ValidationFailed(errors) from None


def _check(data: dict, *, creating: bool) -> dict:
    errors: list[FieldError] = []
    out = {}
    if creating:
        code = (data.get("code") or "").strip()
        if not CODE.match(code):
            errors.append(
                FieldError(
                    "code",
                    "pattern",
                    gettext("规则编码应为小写字母开头的 2 至 48 位小写字母、数字或下划线"),
                )
            )
        elif AlertRule.objects.filter(code=code).exists():
            errors.append(FieldError("code", "unique", gettext("该规则编码已存在")))
        out["code"] = code
    name = (data.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", "required", gettext("请填写规则名称")))
    elif len(name) > 100 or printable(name) != name:
        errors.append(FieldError("name", "text", gettext("规则名称不超过 100 字且不含控制字符")))
    out["name"] = name
    evaluator = data.get("evaluator") or ""
    if evaluator not in EVALUATORS:
        choices = "、".join(f"{e.code}（{e.label}）" for e in EVALUATORS.values())
        errors.append(
            FieldError("evaluator", "enum", gettext("判断方法应为：%(c)s") % {"c": choices})
        )
    out["evaluator"] = evaluator
    recipients = data.get("recipients") or ""
    if recipients not in Recipients.values:
        choices = "、".join(str(label) for label in Recipients.labels)
        errors.append(
            FieldError("recipients", "enum", gettext("预警对象部门应为：%(c)s") % {"c": choices})
        )
    out["recipients"] = recipients
    codes = [c.strip() for c in data.get("departments") or [] if c and c.strip()]
    known = set(
        Department.objects.filter(code__in=codes, is_active=True).values_list("code", flat=True)
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.append(
            FieldError(
                "departments",
                "department.unknown",
                gettext("没有部门：%(c)s") % {"c": "、".join(unknown)[:200]},
            )
        )
    elif recipients == Recipients.NAMED and not codes:
        errors.append(
            FieldError(
                "departments", "required", gettext("预警对象为指定部门时，请至少指定一个部门")
            )
        )
    out["departments"] = sorted(set(codes))
    out["notify_subject"] = bool(data.get("notify_subject"))
    out["active"] = bool(data.get("active", True))
    try:
        out["params"] = params_check(evaluator, data.get("params") or {})
    except ValidationFailed as e:
        errors += e.errors
    if errors:
        raise ValidationFailed(errors)
    return out


def rule_save(*, actor: Actor, data: dict, rule_id: int | None = None) -> AlertRule:
    """Create (``rule_id`` None) or change a rule: the credit office only. Everything is
    checked first, each error naming its field (a parameter: ``params.<name>``); refused,
    nothing is written."""
    access.require(actor, Action.ADMINISTER, message=gettext("只有信用主管部门可以维护预警规则"))
    rule = None
    if rule_id is not None:
        if 0 < rule_id <= DB_INT_MAX:
            rule = AlertRule.objects.filter(pk=rule_id).first()
        if rule is None:
            raise NotFound(gettext("没有预警规则 %(id)s") % {"id": rule_id})
    clean = _check(data, creating=rule is None)
    now = timezone.now()
    with transaction.atomic():
        if rule is None:
            rule = AlertRule.objects.create(changed_at=now, changed_by=actor.label, **clean)
            action = AuditAction.ALERT_RULE_CREATE
        else:
            rule = AlertRule.objects.select_for_update().get(pk=rule.pk)
            for k, v in clean.items():
                setattr(rule, k, v)
            rule.version += 1
            rule.changed_at, rule.changed_by = now, actor.label
            rule.save()
            action = AuditAction.ALERT_RULE_CHANGE
        audit_event_append(
            actor=actor,
            action=action,
            object_type="alert_rule",
            object_id=rule.code,
            detail={"version": rule.version, **clean},
        )
    return rule
