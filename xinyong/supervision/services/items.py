"""Writes of the reference data of tiered supervision, per department: inspection items
with their ratio ranges and frequencies per class, the sector-grade table, the inspector
pool and declared conflicts of interest."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject
from xinyong.supervision.choices import Frequency, InspectionMethod, SupervisionClass
from xinyong.supervision.models import (
    InspectionItem,
    Inspector,
    InspectorConflict,
    SectorGradeMap,
)
from xinyong.supervision.services.common import acting_department, row_id, text

# The default table (国发〔2019〕5号 and the provinces' tiered-supervision rules): ratio
# ranges in whole percent and frequency per class; each item may change it.
DEFAULT_TIERS = {
    "A": {"min": 0, "max": 5, "frequency": Frequency.AT_MOST_YEARLY.value},
    "B": {"min": 5, "max": 20, "frequency": Frequency.YEARLY.value},
    "C": {"min": 21, "max": 60, "frequency": Frequency.AS_NEEDED.value},
    "D": {"min": 61, "max": 100, "frequency": Frequency.AS_NEEDED.value},
}
TARGET_KINDS = (SubjectKind.ORGANIZATION, SubjectKind.INDIVIDUAL_BUSINESS)


def _percent(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= 100 else None


def tiers_check(errors: list, tiers) -> dict:
    """Each class A–D with a ratio range of whole percent 0–100 (min ≤ max) and a
    frequency; none given: the default table."""
    if tiers is None:
        return {k: dict(v) for k, v in DEFAULT_TIERS.items()}
    if not isinstance(tiers, dict):
        errors.append(FieldError("tiers", "type", gettext("分级抽查比例格式不正确")))
        return {}
    out = {}
    for klass in SupervisionClass.values:
        tier = tiers.get(klass)
        field = f"tiers.{klass}"
        if not isinstance(tier, dict):
            errors.append(
                FieldError(
                    field, "required", gettext("请设置 %(c)s 类的抽查比例和频次") % {"c": klass}
                )
            )
            continue
        lo, hi = _percent(tier.get("min")), _percent(tier.get("max"))
        if lo is None or hi is None or lo > hi:
            message = gettext("%(c)s 类抽查比例应为 0–100 之间的整数，且下限不大于上限") % {
                "c": klass
            }
            errors.append(FieldError(field, "tier.range", message))
        frequency = tier.get("frequency")
        if frequency not in Frequency.values:
            choices = "、".join(str(x) for x in Frequency.labels)
            errors.append(
                FieldError(
                    f"{field}.frequency", "enum", gettext("抽查频次应为：%(c)s") % {"c": choices}
                )
            )
        out[klass] = {"min": lo, "max": hi, "frequency": frequency}
    unknown = set(tiers) - set(SupervisionClass.values)
    if unknown:
        errors.append(FieldError("tiers", "tier.unknown_class", gettext("监管类别只有 A、B、C、D")))
    return out


def _own_or_new(actor: Actor, model, row, department_code: str, label: str):
    """The department's row to change (``row`` given: found among what the actor sees, or
    404) with its department, or (None, the acting department) for a new one."""
    access.require(actor, Action.SUPERVISION_MANAGE, None)
    if row is None:
        return None, acting_department(actor, department_code)
    obj = model.objects.visible_to(actor).filter(pk=row_id(row, label)).first()
    if obj is None:
        raise NotFound(gettext("没有%(what)s %(id)s") % {"what": label, "id": row})
    access.require(actor, Action.SUPERVISION_MANAGE, obj)
    return obj, obj.department


def inspection_item_save(
    *,
    actor: Actor,
    name: str,
    legal_basis: str,
    target_kinds: list,
    method: str,
    tiers: dict | None = None,
    target_note: str = "",
    item_id: int | None = None,
    department_code: str = "",
    is_active: bool = True,
) -> InspectionItem:
    """Create or change an item of the department's inspection list (抽查事项清单)."""
    item, department = _own_or_new(actor, InspectionItem, item_id, department_code,
                                   gettext("抽查事项"))  # fmt: skip
    errors: list[FieldError] = []
    name = text(errors, "name", name, 200, gettext("请填写抽查事项名称"))
    legal_basis = text(errors, "legal_basis", legal_basis, 2000, gettext("请填写法律依据"))
    target_note = text(errors, "target_note", target_note, 200)
    kinds = target_kinds if isinstance(target_kinds, list) else []
    if not kinds or any(k not in TARGET_KINDS for k in kinds):
        errors.append(
            FieldError(
                "target_kinds",
                "item.target_kinds",
                gettext("抽查对象应为法人和非法人组织、个体工商户中的一类或两类"),
            )
        )
    if method not in InspectionMethod.values:
        choices = "、".join(str(x) for x in InspectionMethod.labels)
        errors.append(FieldError("method", "enum", gettext("检查方式应为：%(c)s") % {"c": choices}))
    tiers = tiers_check(errors, tiers)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if item is None:
            item = InspectionItem(department=department)
        item.name, item.legal_basis, item.target_note = name, legal_basis, target_note
        item.target_kinds, item.method, item.tiers = sorted(set(kinds)), method, tiers
        item.is_active = bool(is_active)
        item.save()
        audit_event_append(
            actor=actor,
            action=AuditAction.INSPECTION_ITEM_SAVE,
            object_type="inspection_item",
            object_id=item.pk,
            detail={
                "department": department.code,
                "name": name,
                "tiers": tiers,
                "targets": item.target_kinds,
            },
        )
    return item


def sector_map_set(*, actor: Actor, domain: str, grades: dict, department_code: str = "") -> int:
    """How the department's sector grades of ``domain`` (评价领域, e.g. 纳税信用) read as
    supervision classes, e.g. ``{"A": "A", "B": "B", "M": "B", "C": "C", "D": "D"}``; replaces
    the domain's table. The number of rows."""
    access.require(actor, Action.SUPERVISION_MANAGE, None)
    department = acting_department(actor, department_code)
    errors: list[FieldError] = []
    domain = text(errors, "domain", domain, 100, gettext("请填写评价领域"))
    if not isinstance(grades, dict) or not grades:
        errors.append(FieldError("grades", "required", gettext("请填写等级对照")))
        grades = {}
    for grade, klass in grades.items():
        if not isinstance(grade, str) or not grade.strip() or len(grade) > 20:
            errors.append(
                FieldError("grades", "sector_map.grade", gettext("行业评价等级应为 1–20 个字"))
            )
        elif klass not in SupervisionClass.values:
            errors.append(FieldError(f"grades.{grade}", "enum", gettext("监管类别只有 A、B、C、D")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        SectorGradeMap.objects.filter(department=department, domain=domain).delete()
        SectorGradeMap.objects.bulk_create(
            [
                SectorGradeMap(department=department, domain=domain, grade=g.strip(), klass=k)
                for g, k in sorted(grades.items())
            ]
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.SECTOR_MAP_SET,
            object_type="sector_map",
            object_id=department.pk,
            detail={"domain": domain, "grades": grades},
        )
    return len(grades)


def inspector_save(
    *,
    actor: Actor,
    name: str,
    badge: str,
    department_code: str = "",
    inspector_id: int | None = None,
    is_active: bool = True,
) -> Inspector:
    """Add an inspector to the department's pool (执法人员名录), or change one (leaving the
    pool: ``is_active`` false; past tasks keep naming them)."""
    inspector, department = _own_or_new(actor, Inspector, inspector_id, department_code,
                                        gettext("检查人员"))  # fmt: skip
    errors: list[FieldError] = []
    name = text(errors, "name", name, 50, gettext("请填写姓名"))
    badge = text(errors, "badge", badge, 32, gettext("请填写执法证号"))
    if errors:
        raise ValidationFailed(errors)
    taken = Inspector.objects.filter(department=department, badge=badge)
    if inspector is not None:
        taken = taken.exclude(pk=inspector.pk)
    if taken.exists():
        raise ValidationFailed.one("badge", "inspector.badge_taken", gettext("该执法证号已登记"))
    with transaction.atomic():
        if inspector is None:
            inspector = Inspector(department=department)
        inspector.name, inspector.badge, inspector.is_active = name, badge, bool(is_active)
        inspector.save()
        audit_event_append(
            actor=actor,
            action=AuditAction.INSPECTOR_SAVE,
            object_type="inspector",
            object_id=inspector.pk,
            detail={"department": department.code, "badge": badge, "active": inspector.is_active},
        )
    return inspector


def conflict_declare(
    *, actor: Actor, inspector_id: int, uscc: str, reason: str, end: bool = False
) -> InspectorConflict | None:
    """Declare (or, with ``end``, end) an inspector's conflict of interest with a subject
    (利害关系回避): while in force the inspector is never drawn for the subject."""
    access.require(actor, Action.SUPERVISION_MANAGE, None)
    inspector = (
        Inspector.objects.visible_to(actor)
        .filter(pk=row_id(inspector_id, gettext("检查人员")))
        .first()
    )
    if inspector is None:
        raise NotFound(gettext("没有检查人员 %(id)s") % {"id": inspector_id})
    access.require(actor, Action.SUPERVISION_MANAGE, inspector)
    errors: list[FieldError] = []
    uscc = (uscc or "").strip().upper() if isinstance(uscc, str) else ""
    subject = Subject.objects.filter(uscc=uscc).first() if uscc else None
    if subject is None:
        errors.append(
            FieldError("uscc", "subject.unknown", gettext("没有该统一社会信用代码的主体"))
        )
    reason = text(errors, "reason", reason, 200, "" if end else gettext("请填写回避事由"))
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    with transaction.atomic():
        open_ = InspectorConflict.objects.filter(
            inspector=inspector, subject=subject, ended_at__isnull=True
        )
        if end:
            conflict = None
            ended = open_.update(ended_at=now)
            if not ended:
                raise ValidationFailed.one(
                    "uscc", "conflict.none", gettext("该人员与该主体没有在册的回避")
                )
        else:
            conflict = open_.first() or InspectorConflict.objects.create(
                inspector=inspector, subject=subject, reason=reason, declared_at=now
            )
        audit_event_append(
            actor=actor,
            action=AuditAction.INSPECTOR_CONFLICT,
            object_type="inspector",
            object_id=inspector.pk,
            detail={"subject": subject.pk, "ended": end, "reason": reason},
        )
    return conflict
