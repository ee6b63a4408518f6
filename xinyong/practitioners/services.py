"""Writes of practitioner credit files: the credit office keeps the professions (their
industry department, the items that feed the files, what a rule publishes); the industry
department registers practitioners. Records reach the files only through ingestion (the
``practitioner_record`` item or another of the profession's items, pushed by the
department's system): nothing here writes a record. One transaction, one audit event."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.bodies.services import text
from xinyong.catalog.models import CatalogItem
from xinyong.core import crypto
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.practitioners.choices import PublicField
from xinyong.practitioners.models import Practitioner, Profession
from xinyong.subjects.choices import IdType, SubjectKind
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.models import Subject
from xinyong.subjects.services import check_person_id, clean_name

CODE = r"^[a-z][a-z0-9_]{1,47}$"


def profession_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    department_code: str,
    items: list[str],
    public_fields: list[str] = (),
    publish_basis: str = "",
    active: bool = True,
) -> Profession:
    """Create or change a profession. Nothing is public unless fields are named, and then
    only with the rule that publishes them. Refused, writing nothing, on any field wrong."""
    import re

    access.require(actor, Action.ADMINISTER, message=gettext("重点职业由信用主管部门设置"))
    errors: list[FieldError] = []
    code = (code or "").strip() if isinstance(code, str) else ""
    if not re.fullmatch(CODE, code):
        errors.append(
            FieldError(
                "code", "pattern", gettext("编码为小写字母开头的字母、数字或下划线（2-48位）")
            )
        )
    name = text(errors, "name", name, 100, gettext("请填写职业名称"))
    dept = None
    if not (department_code or "").strip():
        errors.append(FieldError("department", "required", gettext("请选择行业主管部门")))
    else:
        dept = Department.objects.filter(code=department_code.strip(), is_active=True).first()
        if dept is None:
            errors.append(FieldError("department", "department.unknown", gettext("没有该部门")))
    items = [i for i in dict.fromkeys(items or []) if isinstance(i, str)]
    known = set(CatalogItem.objects.filter(code__in=items).values_list("code", flat=True))
    if not items:
        errors.append(FieldError("items", "required", gettext("请至少选择一个归集目录项")))
    for i in items:
        if i not in known:
            errors.append(
                FieldError(
                    "items",
                    "catalog.unknown_item",
                    gettext("没有目录项“%(code)s”") % {"code": i[:64]},
                )
            )
    public_fields = list(dict.fromkeys(public_fields or []))
    for f in public_fields:
        if f not in PublicField.values:
            errors.append(FieldError("public_fields", "enum", gettext("可公开的字段无效")))
            break
    publish_basis = text(errors, "publish_basis", publish_basis, 2000)
    if public_fields and not publish_basis:
        errors.append(
            FieldError(
                "publish_basis",
                "required",
                gettext("公开从业人员信息须写明依据（法律、法规或规章条款）"),
            )
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                profession, created = Profession.objects.update_or_create(
                    code=code,
                    defaults={
                        "name": name,
                        "department": dept,
                        "items": items,
                        "public_fields": public_fields,
                        "publish_basis": publish_basis,
                        "active": bool(active),
                        "updated_by": actor.label,
                        "updated_at": timezone.now(),
                    },
                )
        except IntegrityError:
            raise ValidationFailed.one(
                "name", "profession.duplicate", gettext("已有同名的职业")
            ) from None
        audit_event_append(
            actor=actor,
            action=AuditAction.PROFESSION_SAVE,
            object_type="profession",
            object_id=profession.pk,
            detail={
                "code": code,
                "department": dept.code,
                "items": items,
                "public": public_fields,
                "created": created,
            },
        )
    return profession


def _date(errors, field, value, *, required) -> datetime.date | None:
    if value is None or value == "":
        if required:
            errors.append(FieldError(field, "required", gettext("请填写日期")))
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.append(FieldError(field, "date", gettext("请按 年-月-日 填写日期")))
        return None


def practitioner_register(
    *,
    actor: Actor,
    profession: str,
    id_type: str,
    id_number: str,
    name: str,
    licence_no: str,
    employer_uscc: str = "",
    valid_from=None,
    valid_to=None,
) -> Practitioner:
    """The profession's industry department registers a practitioner: the person (found by
    the identifier's keyed hash; registered now when new, its identifier kept only
    protected), the licence or certificate number, the employer (a registered
    organisation) and the dates. Refused, writing nothing, on any field wrong."""
    found = (
        Profession.objects.filter(code=profession, active=True).first()
        if isinstance(profession, str)
        else None
    )
    if found is None:
        raise NotFound(gettext("没有启用的职业“%(code)s”") % {"code": str(profession)[:48]})
    access.require(
        actor,
        Action.PRACTITIONER_REGISTER,
        found,
        message=gettext("从业人员由该职业的行业主管部门登记"),
    )
    errors: list[FieldError] = []
    number = None
    if id_type not in IdType.values:
        errors.append(FieldError("id_type", "enum", gettext("证件类型应为居民身份证或护照")))
    else:
        try:
            number = check_person_id(id_type, (id_number or "").strip())
        except ValidationFailed as e:
            errors.extend(e.errors)
    try:
        name = clean_name(name, label="姓名")
    except ValidationFailed as e:
        errors.extend(e.errors)
    licence_no = text(errors, "licence_no", licence_no, 64, gettext("请填写执业（资格）证书编号"))
    employer = None
    if (employer_uscc or "").strip():
        try:
            employer = Subject.objects.filter(uscc=validate_uscc(employer_uscc.strip())).first()
            if employer is None:
                errors.append(
                    FieldError("employer_uscc", "subject.not_found", gettext("执业单位尚未登记"))
                )
        except IdentifierError as e:
            errors.append(FieldError("employer_uscc", e.rule, e.message))
    start = _date(errors, "valid_from", valid_from, required=True)
    end = _date(errors, "valid_to", valid_to, required=False)
    if start and start > timezone.localdate():
        errors.append(FieldError("valid_from", "date.future", gettext("执业起始日期不能晚于今天")))
    if start and end and end < start:
        errors.append(FieldError("valid_to", "date.order", gettext("截止日期不能早于起始日期")))
    if errors:
        raise ValidationFailed(errors)
    department = Department.objects.get(pk=found.department_id)
    try:
        with transaction.atomic(durable=True):
            person = Subject.objects.filter(
                kind=SubjectKind.PERSON,
                id_type=id_type,
                id_hash=crypto.identifier_hash(id_type, number),
            ).first()
            created = person is None
            if created:
                person = Subject.objects.create(
                    kind=SubjectKind.PERSON,
                    name=name,
                    source_department=department,
                    **crypto.protect_identifier(id_type, number),
                )
            p = Practitioner.objects.create(
                profession=found,
                person=person,
                department=department,
                licence_no=licence_no,
                employer=employer,
                valid_from=start,
                valid_to=end,
                registered_by=actor.label,
                registered_at=timezone.now(),
            )
            audit_event_append(
                actor=actor,
                action=AuditAction.PRACTITIONER_REGISTER,
                object_type="practitioner",
                object_id=p.pk,
                detail={
                    "profession": found.code,
                    "person": person.pk,
                    "person_created": created,
                    "licence_no": licence_no,
                    "id_masked": person.id_masked,
                },
            )
    except IntegrityError:
        raise ValidationFailed.one(
            "licence_no", "practitioner.duplicate", gettext("该证书编号已登记")
        ) from None
    return p
