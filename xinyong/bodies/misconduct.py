"""Writes of staff misconduct notices (工作人员违规失信行为通报): a department records that
a staff member of a public institution or state-owned enterprise broke a rule, and the
unit and the discipline inspection body (纪检监察机关) each get a receipt followed until
acknowledged, like a list decision's notice (:mod:`.services`). The person is found by
its identifier's keyed hash: the identifier is never kept or shown here."""

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
from xinyong.bodies.choices import AddresseeRole, ReceiptSource
from xinyong.bodies.models import NoticeReceipt, StaffMisconduct
from xinyong.bodies.services import NAME_MAX, _department, addressee, receipt_due, text
from xinyong.core import crypto
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.lists.documents import is_public_body
from xinyong.subjects.choices import IdType, SubjectKind
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.models import Subject
from xinyong.subjects.services import check_person_id

NUMBER_MAX, TEXT_MAX = 100, 4000


def _person(errors: list, id_type: str, id_number: str) -> Subject | None:
    """The registered person with this identifier (never echoed back in a message)."""
    if id_type not in IdType.values:
        errors.append(FieldError("id_type", "enum", gettext("证件类型应为居民身份证或护照")))
        return None
    if not (id_number or "").strip():
        errors.append(FieldError("id_number", "required", gettext("请填写工作人员的证件号码")))
        return None
    try:
        number = check_person_id(id_type, id_number.strip())
    except ValidationFailed as e:
        errors.extend(e.errors)
        return None
    person = Subject.objects.filter(
        kind=SubjectKind.PERSON, id_type=id_type, id_hash=crypto.identifier_hash(id_type, number)
    ).first()
    if person is None:
        message = gettext("没有该证件号码的自然人，请先登记该工作人员")
        errors.append(FieldError("id_number", "subject.not_found", message))
    return person


def _unit(errors: list, uscc: str) -> Subject | None:
    try:
        code = validate_uscc((uscc or "").strip())
    except IdentifierError as e:
        errors.append(FieldError("unit", e.rule, e.message))
        return None
    unit = Subject.objects.filter(uscc=code).first()
    if unit is None:
        errors.append(FieldError("unit", "subject.not_found",
                                 gettext("没有该统一社会信用代码的单位")))  # fmt: skip
    elif not is_public_body(unit):
        message = gettext("%(name)s不是机关事业单位或国有企业") % {"name": unit.name}
        errors.append(FieldError("unit", "unit.not_public_body", message))
        return None
    return unit


def _body(m: StaffMisconduct, department: Department) -> str:
    return gettext(
        "关于%(unit)s工作人员违规失信行为的通报\n%(number)s\n\n"
        "经%(department)s查实，%(unit)s工作人员%(person)s于%(date)s有下列违规失信行为：\n"
        "%(facts)s\n\n上述行为违反了%(basis)s。现予通报，请依照有关规定处理，并于签收后将处理情况反馈%(department)s。"
    ) % {"unit": m.unit.name, "number": m.number, "department": department.name,
         "person": m.person.name, "date": f"{m.act_date:%Y年%-m月%-d日}", "facts": m.facts,
         "basis": m.basis}  # fmt: skip


def misconduct_record(
    *, actor: Actor, id_type: str, id_number: str, unit_uscc: str, number: str, basis: str,
    facts: str, act_date: datetime.date | None, discipline_code: str = "",
    discipline_name: str = "",
) -> StaffMisconduct:  # fmt: skip
    """Record a staff member's misconduct in the department's name and notify the unit
    (a platform department with the unit's USCC acknowledges online; else the unit by
    name) and the discipline body (a department chosen, or named). Refused, writing
    nothing, on any field wrong; each error names its field."""
    access.require(actor, Action.MISCONDUCT_RECORD,
                   message=gettext("工作人员违规失信行为通报须以部门名义录入"))  # fmt: skip
    department = Department.objects.get(pk=actor.department_id)
    errors: list[FieldError] = []
    person = _person(errors, id_type, id_number)
    unit = _unit(errors, unit_uscc)
    number = text(errors, "number", number, NUMBER_MAX, gettext("请填写通报文号"))
    basis = text(errors, "basis", basis, TEXT_MAX, gettext("请写明违反的规定（法规、制度条款）"))
    facts = text(errors, "facts", facts, TEXT_MAX, gettext("请写明违规失信事实"))
    if not isinstance(act_date, datetime.date):
        errors.append(FieldError("act_date", "required", gettext("请填写行为日期")))
    elif act_date > timezone.localdate():
        errors.append(FieldError("act_date", "date.future", gettext("行为日期不能晚于今天")))
    discipline = _department(errors, "discipline_code", discipline_code)
    discipline_name = text(errors, "discipline_name", discipline_name, NAME_MAX)
    if (
        discipline is None
        and not discipline_name
        and not any(e.field == "discipline_code" for e in errors)
    ):
        errors.append(FieldError("discipline_name", "required",
                                 gettext("请选择纪检监察机关或填写其名称")))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    due = receipt_due(timezone.localdate(now))
    unit_department = Department.objects.filter(uscc=unit.uscc, is_active=True).first()
    try:
        with transaction.atomic(durable=True):
            m = StaffMisconduct(number=number, person=person, unit=unit, department=department,
                                basis=basis, facts=facts, act_date=act_date,
                                recorded_by=actor.label, recorded_at=now)  # fmt: skip
            m.body = _body(m, department)
            m.save()
            title = gettext("%(unit)s工作人员违规失信行为") % {"unit": unit.name}
            to = [(AddresseeRole.UNIT, *addressee(unit_department, unit.name)),
                  (AddresseeRole.DISCIPLINE, *addressee(discipline, discipline_name))]  # fmt: skip
            for role, dept, name in to:
                NoticeReceipt.objects.create(
                    source=ReceiptSource.MISCONDUCT, misconduct=m, body=unit, issuer=department,
                    role=role, department=dept, addressee_name=name, title=title[:300],
                    number=number, sent_at=now, due=due,
                )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.MISCONDUCT_RECORD, object_type="staff_misconduct",
                object_id=m.pk, detail={"number": number, "unit": unit.pk, "person": person.pk,
                                        "to": [name for _r, _d, name in to]},
            )  # fmt: skip
    except IntegrityError:
        raise ValidationFailed.one("number", "misconduct.duplicate",
                                   gettext("本部门已有该文号的通报")) from None  # fmt: skip
    return m
