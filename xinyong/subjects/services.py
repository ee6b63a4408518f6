"""Writes for subjects: registration, renames, related persons. Each is one transaction
with one audit event; identifiers are validated here so every channel gets the same rules."""

import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from xinyong.subjects.choices import IdType, RelatedRole, SubjectKind, SubjectStatus
from xinyong.subjects.identifiers import (
    IdentifierError,
    validate_passport,
    validate_resident_id,
    validate_uscc,
)
from xinyong.subjects.models import NameHistory, Registration, RelatedPerson, Subject

NAME_MAX = 200


def clean_name(value: str, *, field: str = "name", label: str = "名称") -> str:
    """Names as stored: NFKC (full-width brackets and digits folded), inner whitespace
    collapsed; empty, over-long or control-character names are refused."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed([FieldError(field, "name.required", f"{label}不能为空")])
    name = " ".join(unicodedata.normalize("NFKC", value).split())
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            [FieldError(field, "name.max_length", f"{label}最长{NAME_MAX}个字符，实际{len(name)}个")]
        )
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValidationFailed([FieldError(field, "name.control_chars", f"{label}含有控制字符")])
    return name


def check_uscc(value: str, field: str = "uscc") -> str:
    try:
        return validate_uscc(value)
    except IdentifierError as e:
        raise ValidationFailed([FieldError(field, e.rule, e.message)]) from None


def check_person_id(id_type: str, value: str, field: str = "id_number") -> str:
    try:
        if id_type == IdType.RESIDENT_ID:
            return validate_resident_id(value)
        if id_type == IdType.PASSPORT:
            return validate_passport(value)
    except IdentifierError as e:
        raise ValidationFailed([FieldError(field, e.rule, e.message)]) from None
    raise ValidationFailed([FieldError("id_type", "id_type.choice", f"未知证件类型“{id_type}”")])


def _require_writer(actor: Actor) -> Department | None:
    if actor.kind == "anonymous" or actor.role in ("auditor", "public"):
        raise PermissionDenied("当前角色不能登记或变更主体")
    return Department.objects.get(pk=actor.department_id) if actor.department_id else None


def organization_register(
    *,
    actor: Actor,
    uscc: str,
    name: str,
    legal_form: str = "",
    established_on: datetime.date | None = None,
    address: str = "",
    status: str = SubjectStatus.ACTIVE,
) -> Subject:
    """Register an organisation or individual business (USCC prefix 92) as reported by the
    actor's department; the report is kept as a :class:`Registration` for tracing."""
    code = check_uscc(uscc)
    name = clean_name(name)
    if status not in SubjectStatus.values:
        raise ValidationFailed([FieldError("status", "status.choice", f"未知登记状态“{status}”")])
    if established_on is not None and established_on > timezone.localdate():
        raise ValidationFailed(
            [FieldError("established_on", "established_on.future", "成立日期不能晚于今天")]
        )
    department = _require_writer(actor)
    kind = SubjectKind.INDIVIDUAL_BUSINESS if code.startswith("92") else SubjectKind.ORGANIZATION
    if Subject.objects.filter(uscc=code).exists():
        raise Conflict("uscc", "subject.uscc_unique", f"统一社会信用代码“{code}”的主体已存在")
    try:
        with transaction.atomic():
            subject = Subject.objects.create(
                kind=kind,
                name=name,
                uscc=code,
                legal_form=legal_form[:50],
                established_on=established_on,
                address=address[:200],
                status=status,
                source_department=department,
            )
            if department is not None:
                Registration.objects.update_or_create(
                    department=department,
                    code=code,
                    defaults={"name": name, "subject": subject, "received_at": timezone.now()},
                )
            audit_event_append(
                actor=actor,
                action=AuditAction.SUBJECT_CREATE,
                object_type="subject",
                object_id=subject.pk,
                detail={"kind": kind, "uscc": code, "name": name},
            )
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise Conflict("uscc", "subject.uscc_unique", f"统一社会信用代码“{code}”的主体已存在") from None
    return subject


def _person_values(id_type: str, number: str) -> dict:
    return {
        "id_type": id_type,
        "id_hash": crypto.identifier_hash(id_type, number),
        "id_encrypted": crypto.encrypt(number),
        "id_masked": crypto.mask(number),
    }


def person_register(*, actor: Actor, id_type: str, id_number: str, name: str) -> Subject:
    """Register a natural person; the identifier is kept only hashed, encrypted and masked."""
    number = check_person_id(id_type, id_number)
    name = clean_name(name, label="姓名")
    _require_writer(actor)
    if Subject.objects.filter(id_type=id_type, id_hash=crypto.identifier_hash(id_type, number)).exists():
        raise Conflict("id_number", "subject.person_unique", "该证件号码的自然人已存在")
    with transaction.atomic():
        subject = Subject.objects.create(
            kind=SubjectKind.PERSON, name=name, **_person_values(id_type, number)
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.SUBJECT_CREATE,
            object_type="subject",
            object_id=subject.pk,
            detail={"kind": SubjectKind.PERSON, "id_masked": subject.id_masked},
        )
    return subject


def subject_rename(
    *, actor: Actor, subject: Subject, new_name: str, effective_on: datetime.date
) -> Subject:
    """Change a subject's name, keeping the old one in its name history."""
    new_name = clean_name(new_name, field="new_name")
    _require_writer(actor)
    if new_name == subject.name:
        raise ValidationFailed([FieldError("new_name", "name.unchanged", "新名称与现名称相同")])
    with transaction.atomic():
        last = subject.name_history.order_by("-valid_to").first()
        NameHistory.objects.create(
            subject=subject,
            name=subject.name,
            valid_from=last.valid_to if last else subject.established_on,
            valid_to=effective_on,
        )
        old = subject.name
        subject.name = new_name
        subject.save(update_fields=["name", "updated_at"])
        audit_event_append(
            actor=actor,
            action=AuditAction.SUBJECT_RENAME,
            object_type="subject",
            object_id=subject.pk,
            detail={"old": old, "new": new_name, "effective_on": effective_on},
        )
    return subject


def related_person_add(
    *,
    actor: Actor,
    organization: Subject,
    role: str,
    id_type: str,
    id_number: str,
    name: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> RelatedPerson:
    """Record who holds a role in an organisation for a period, registering the person if
    new. The actor's department becomes the provider that scopes who may see it."""
    if organization.kind == SubjectKind.PERSON:
        raise ValidationFailed(
            [FieldError("organization", "related_person.organization", "关联人只能登记在组织或个体工商户上")]
        )
    if role not in RelatedRole.values:
        raise ValidationFailed([FieldError("role", "related_person.role", f"未知关联类型“{role}”")])
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(
            [FieldError("valid_to", "related_person.period", "终止日期不能早于起始日期")]
        )
    number = check_person_id(id_type, id_number)
    name = clean_name(name, label="姓名")
    department = _require_writer(actor)
    if department is None:
        raise ValidationFailed(
            [FieldError("provider", "related_person.provider", "关联人信息必须由某个部门提供")]
        )
    with transaction.atomic():
        person, _created = Subject.objects.get_or_create(
            id_type=id_type,
            id_hash=crypto.identifier_hash(id_type, number),
            defaults={"kind": SubjectKind.PERSON, "name": name, **_person_values(id_type, number)},
        )
        related = RelatedPerson.objects.create(
            organization=organization,
            person=person,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
            provider=department,
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.RELATED_PERSON_ADD,
            object_type="related_person",
            object_id=related.pk,
            detail={
                "organization": organization.pk,
                "person": person.pk,
                "role": role,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return related


def related_person_end(*, actor: Actor, related: RelatedPerson, valid_to: datetime.date) -> RelatedPerson:
    if valid_to < related.valid_from:
        raise ValidationFailed(
            [FieldError("valid_to", "related_person.period", "终止日期不能早于起始日期")]
        )
    _require_writer(actor)
    if not actor.sees_all_departments and related.provider_id != actor.department_id:
        raise PermissionDenied("只能终止本部门提供的关联人信息")
    with transaction.atomic():
        related.valid_to = valid_to
        related.save(update_fields=["valid_to"])
        audit_event_append(
            actor=actor,
            action=AuditAction.RELATED_PERSON_END,
            object_type="related_person",
            object_id=related.pk,
            detail={"valid_to": valid_to},
        )
    return related
