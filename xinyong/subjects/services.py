"""Writes for subjects: registration, renames, related persons. Each is one transaction
with one audit event; identifiers are validated here so every channel gets the same rules."""

import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.errors import Conflict, FieldError, ValidationFailed
from xinyong.subjects.choices import DefectKind, IdType, RelatedRole, SubjectKind, SubjectStatus
from xinyong.subjects.identifiers import (
    IdentifierError,
    validate_passport,
    validate_resident_id,
    validate_uscc,
)
from xinyong.subjects.models import CodeDefect, NameHistory, Registration, RelatedPerson, Subject

NAME_MAX = 200


def clean_name(value: str, *, field: str = "name", label: str = "名称") -> str:
    """Names as stored: NFKC (full-width brackets and digits folded), inner whitespace
    collapsed; empty, over-long or control-character names are refused."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(
            [FieldError(field, "name.required", gettext("%(label)s不能为空") % {"label": label})]
        )
    name = " ".join(unicodedata.normalize("NFKC", value).split())
    if len(name) > NAME_MAX:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "name.max_length",
                    gettext("%(label)s最长%(NAME_MAX)s个字符，实际%(name)s个")
                    % {"label": label, "NAME_MAX": NAME_MAX, "name": len(name)},
                )
            ]
        )
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValidationFailed(
            [
                FieldError(
                    field, "name.control_chars", gettext("%(label)s含有控制字符") % {"label": label}
                )
            ]
        )
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
    raise ValidationFailed(
        [
            FieldError(
                "id_type",
                "id_type.choice",
                gettext("未知证件类型“%(id_type)s”") % {"id_type": id_type},
            )
        ]
    )


NOT_REGISTRAR = "只有该主体的登记部门或信用办可以变更其登记信息和关联人"


def _require_writer(actor: Actor, subject: Subject | None = None) -> Department | None:
    """The actor's department, once the access rules let it register subjects, or change
    ``subject`` (only the department that registered it, or the credit office)."""
    access.require(actor, Action.SUBJECT_REGISTER, message="当前角色不能登记或变更主体")
    if subject is not None:
        access.require(actor, Action.SUBJECT_CHANGE, subject, message=NOT_REGISTRAR)
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
    """Register an organisation or individual business (USCC prefix 92). The actor's
    department is recorded as the registrar, the source of its basic information."""
    code = check_uscc(uscc)
    name = clean_name(name)
    if status not in SubjectStatus.values or status == SubjectStatus.UNCONFIRMED:
        raise ValidationFailed(
            [
                FieldError(
                    "status",
                    "status.choice",
                    gettext("未知登记状态“%(status)s”") % {"status": status},
                )
            ]
        )
    if established_on is not None and established_on > timezone.localdate():
        raise ValidationFailed(
            [FieldError("established_on", "established_on.future", gettext("成立日期不能晚于今天"))]
        )
    department = _require_writer(actor)
    kind = SubjectKind.INDIVIDUAL_BUSINESS if code.startswith("92") else SubjectKind.ORGANIZATION
    existing = Subject.objects.filter(uscc=code).first()
    if existing is not None and existing.status == SubjectStatus.UNCONFIRMED:
        return _confirm(actor, existing, department, name=name, legal_form=legal_form,
                        established_on=established_on, address=address, status=status)  # fmt: skip
    if existing is not None:
        raise Conflict(
            "uscc",
            "subject.uscc_unique",
            gettext("统一社会信用代码“%(code)s”的主体已存在") % {"code": code},
        )
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
            audit_event_append(
                actor=actor,
                action=AuditAction.SUBJECT_CREATE,
                object_type="subject",
                object_id=subject.pk,
                detail={"kind": kind, "uscc": code, "name": name},
            )
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise Conflict(
            "uscc",
            "subject.uscc_unique",
            gettext("统一社会信用代码“%(code)s”的主体已存在") % {"code": code},
        ) from None
    return subject


def _confirm(actor: Actor, subject: Subject, department, **fields) -> Subject:
    """The registrar registers a subject first known from another department's record:
    its registration now stands behind it (no longer 未经登记确认)."""
    with transaction.atomic():
        Subject.objects.filter(pk=subject.pk, status=SubjectStatus.UNCONFIRMED).update(
            name=fields["name"],
            legal_form=fields["legal_form"][:50],
            established_on=fields["established_on"],
            address=fields["address"][:200],
            status=fields["status"],
            source_department=department,
            updated_at=timezone.now(),
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.SUBJECT_UPDATE,
            object_type="subject",
            object_id=subject.pk,
            detail={"confirmed": True, "uscc": subject.uscc, "name": fields["name"]},
        )
    subject.refresh_from_db()
    return subject


def registration_report(*, actor: Actor, code: str, name: str) -> Registration:
    """Keep what a department reports about an organisation's code and name. An invalid
    code is kept too, with the rule it breaks: refusing it would hide the defect that
    code-defect governance exists to find."""
    department = _require_writer(actor)
    if department is None:
        raise ValidationFailed(
            [FieldError("department", "registration.department", gettext("报送单位必须是某个部门"))]
        )
    name = clean_name(name)
    raw = (code or "").strip()[:64]
    if not raw:
        raise ValidationFailed(
            [FieldError("code", "uscc.required", gettext("统一社会信用代码不能为空"))]
        )
    try:
        normalized, error_rule = validate_uscc(raw), ""
    except IdentifierError as e:
        normalized, error_rule = raw, e.rule
    with transaction.atomic():
        report, _ = Registration.objects.update_or_create(
            department=department,
            code=normalized,
            defaults={
                "name": name,
                "error_rule": error_rule,
                "subject": Subject.objects.filter(uscc=normalized).first()
                if not error_rule
                else None,
                "received_at": timezone.now(),
            },
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.REGISTRATION_REPORT,
            object_type="registration",
            object_id=report.pk,
            detail={"code": normalized, "name": name, "error_rule": error_rule},
        )
    return report


def person_register(*, actor: Actor, id_type: str, id_number: str, name: str) -> Subject:
    """Register a natural person; the identifier is kept only hashed, encrypted and masked."""
    number = check_person_id(id_type, id_number)
    name = clean_name(name, label="姓名")
    _require_writer(actor)
    if Subject.objects.filter(
        id_type=id_type, id_hash=crypto.identifier_hash(id_type, number)
    ).exists():
        raise Conflict("id_number", "subject.person_unique", gettext("该证件号码的自然人已存在"))
    with transaction.atomic():
        subject = Subject.objects.create(
            kind=SubjectKind.PERSON, name=name, **crypto.protect_identifier(id_type, number)
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
    _require_writer(actor, subject)
    if new_name == subject.name:
        raise ValidationFailed(
            [FieldError("new_name", "name.unchanged", gettext("新名称与现名称相同"))]
        )
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
            [
                FieldError(
                    "organization",
                    "related_person.organization",
                    gettext("关联人只能登记在组织或个体工商户上"),
                )
            ]
        )
    if role not in RelatedRole.values:
        raise ValidationFailed(
            [
                FieldError(
                    "role",
                    "related_person.role",
                    gettext("未知关联类型“%(role)s”") % {"role": role},
                )
            ]
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(
            [FieldError("valid_to", "related_person.period", gettext("终止日期不能早于起始日期"))]
        )
    number = check_person_id(id_type, id_number)
    name = clean_name(name, label="姓名")
    department = _require_writer(actor, organization)
    if department is None:
        raise ValidationFailed(
            [
                FieldError(
                    "provider", "related_person.provider", gettext("关联人信息必须由某个部门提供")
                )
            ]
        )
    with transaction.atomic():
        person, _created = Subject.objects.get_or_create(
            id_type=id_type,
            id_hash=crypto.identifier_hash(id_type, number),
            defaults={
                "kind": SubjectKind.PERSON,
                "name": name,
                **crypto.protect_identifier(id_type, number),
            },
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


def related_person_end(
    *, actor: Actor, related: RelatedPerson, valid_to: datetime.date
) -> RelatedPerson:
    if valid_to < related.valid_from:
        raise ValidationFailed(
            [FieldError("valid_to", "related_person.period", gettext("终止日期不能早于起始日期"))]
        )
    access.require(actor, Action.RELATED_PERSON_END, related,
                   message="只能终止本部门提供的关联人信息")  # fmt: skip
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


# --- code defects (重错码治理) -------------------------------------------------------------

DEFECT_LIMIT = 10_000  # per kind; a registry with more defects needs fixing at the source


def code_defects_scan(*, actor: Actor) -> dict[str, int]:
    """Compare the registry (subjects and their registrars) with what other departments
    report, and replace the stored findings: invalid codes, one code with several names,
    one name with several codes. Set-based queries; the result is small."""
    access.require(actor, Action.ADMINISTER, message="只有平台运营（信用办）可以执行重错码检查")
    now = timezone.now()
    valid = Registration.objects.filter(error_rule="")
    findings: list[CodeDefect] = []

    invalid: dict[str, list[dict]] = {}
    for r in Registration.objects.exclude(error_rule="").values(
        "code", "name", "error_rule", "department__name"
    )[:DEFECT_LIMIT]:
        invalid.setdefault(r["code"], []).append(
            _source(r["department__name"], r["code"], r["name"], r["error_rule"])
        )
    findings += [
        CodeDefect(kind=DefectKind.INVALID_USCC, key=k, sources=v, detected_at=now)
        for k, v in invalid.items()
    ]

    codes = set(
        valid.filter(subject__isnull=False)
        .exclude(name=F("subject__name"))
        .values_list("code", flat=True)[:DEFECT_LIMIT]
    ) | set(
        valid.values("code")
        .annotate(n=Count("name", distinct=True))
        .filter(n__gt=1)
        .values_list("code", flat=True)[:DEFECT_LIMIT]
    )
    findings += _group_sources(DefectKind.CODE_MULTIPLE_NAMES, "code", "uscc", codes, now)

    same_name_elsewhere = Subject.objects.filter(name=OuterRef("name")).exclude(
        uscc=OuterRef("code")
    )
    names = (
        set(valid.filter(Exists(same_name_elsewhere)).values_list("name", flat=True)[:DEFECT_LIMIT])
        | set(
            valid.values("name")
            .annotate(n=Count("code", distinct=True))
            .filter(n__gt=1)
            .values_list("name", flat=True)[:DEFECT_LIMIT]
        )
        | set(
            Subject.objects.exclude(kind=SubjectKind.PERSON)
            .values("name")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list("name", flat=True)[:DEFECT_LIMIT]
        )
    )
    findings += _group_sources(DefectKind.NAME_MULTIPLE_CODES, "name", "name", names, now)

    with transaction.atomic():
        CodeDefect.objects.all().delete()
        CodeDefect.objects.bulk_create(findings, batch_size=1000)
        counts = {k: sum(f.kind == k for f in findings) for k in DefectKind.values}
        audit_event_append(
            actor=actor,
            action=AuditAction.CODE_DEFECTS_SCAN,
            object_type="code_defect",
            detail=counts,
        )
    return counts


def _source(
    department: str | None, code: str, name: str, error_rule: str = "", registry: bool = False
) -> dict:
    return {
        "department": department or "",
        "code": code,
        "name": name,
        "error_rule": error_rule,
        "registry": registry,
    }


def _group_sources(
    kind: str, reg_field: str, subject_field: str, keys: set[str], now
) -> list[CodeDefect]:
    """One finding per key, listing the registry entries and the reports that carry it."""
    keys = sorted(keys)[:DEFECT_LIMIT]
    grouped: dict[str, list[dict]] = {k: [] for k in keys}
    for i in range(0, len(keys), 500):
        part = keys[i : i + 500]
        registry = Subject.objects.exclude(kind=SubjectKind.PERSON)
        for s in registry.filter(**{f"{subject_field}__in": part}).values(
            "uscc", "name", "source_department__name"
        ):
            grouped[s[subject_field]].append(
                _source(s["source_department__name"], s["uscc"], s["name"], registry=True)
            )
        for r in Registration.objects.filter(error_rule="", **{f"{reg_field}__in": part}).values(
            "code", "name", "department__name"
        ):
            grouped[r[reg_field]].append(_source(r["department__name"], r["code"], r["name"]))
    return [
        CodeDefect(kind=kind, key=k[:200], sources=v, detected_at=now) for k, v in grouped.items()
    ]
