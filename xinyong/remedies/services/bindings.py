"""Writes of objections and credit repair. This part: who may act for a subject — a
portal account bound to it after proof (an authorisation letter, or a person's identity
document) reviewed by the platform operator or confirmed by the department that registered
the subject. Uploaded materials are checked by their content, kept outside the web root,
and removed again when the request is refused before it is stored."""

from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_store
from xinyong.remedies.choices import (
    BindingStatus,
    BindingVia,
)
from xinyong.remedies.models import (
    Notification,
    SubjectBinding,
)
from xinyong.subjects.choices import IdType
from xinyong.subjects.selectors import person_find, subject_by_uscc
from xinyong.subjects.services import check_person_id, check_uscc

# The one rule of uploaded materials lives in core.uploads (statements on list cases use
# it too); kept under these names for the services of this app.
_store = material_store


def _subject_for(uscc: str, id_type: str, id_number: str):
    if uscc:
        subject = subject_by_uscc(check_uscc(uscc, field="uscc"))
    else:
        if id_type not in IdType.values or not id_number:
            raise ValidationFailed.one(
                "subject", "required", gettext("请填写统一社会信用代码，或本人证件类型和号码")
            )
        number = check_person_id(id_type, id_number, field="id_number")
        subject = person_find(id_type=id_type, id_number=number)
    if subject is None:
        raise ValidationFailed.one(
            "subject", "subject.not_found", gettext("平台没有该主体的信用档案")
        )
    return subject


def binding_request(
    *, actor: Actor, uscc: str = "", id_type: str = "", id_number: str = "",
    applicant: str, phone: str, evidence,
) -> SubjectBinding:  # fmt: skip
    """Ask to act for a subject (by its USCC) or for oneself (a person, by ID), with the
    proof. The request waits for the operator or the registering department."""
    access.require(actor, Action.SUBJECT_BIND, message=gettext("主体绑定由门户账号申请"))
    applicant, phone = (applicant or "").strip(), (phone or "").strip()
    errors = []
    if not applicant:
        errors.append(FieldError("applicant", "required", gettext("请填写经办人姓名")))
    if not (phone.isdigit() and 7 <= len(phone) <= 20):
        errors.append(FieldError("phone", "phone.format", gettext("联系电话应为 7–20 位数字")))
    if errors:
        raise ValidationFailed(errors)
    subject = _subject_for((uscc or "").strip(), id_type, (id_number or "").strip())
    material_check(evidence)
    path, digest = _store(evidence)
    try:
        with transaction.atomic(durable=True):
            binding = SubjectBinding.objects.create(
                user_id=actor.user_id, subject=subject, status=BindingStatus.PENDING,
                applicant=applicant, phone=phone, evidence_path=path,
                evidence_name=Path(evidence.name).name[:255], evidence_sha256=digest,
                requested_at=timezone.now(),
            )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.BINDING_REQUEST, object_type="binding",
                object_id=binding.pk, detail={"subject": subject.pk, "sha256": digest},
            )  # fmt: skip
    except IntegrityError:
        (Path(settings.XINYONG_REMEDY_DIR) / path).unlink(missing_ok=True)
        raise ValidationFailed.one(
            "subject", "binding.exists", gettext("已申请或已绑定该主体")
        ) from None
    except BaseException:
        (Path(settings.XINYONG_REMEDY_DIR) / path).unlink(missing_ok=True)
        raise
    return binding


def binding_review(*, actor: Actor, binding_id: int, approve: bool, reason: str = ""):
    """The operator reviews the proof; or the department that registered the subject
    confirms the applicant. A refusal states its reason."""
    reason = (reason or "").strip()
    with transaction.atomic(durable=True):
        binding = (
            SubjectBinding.objects.select_for_update(of=("self",))
            .select_related("subject")
            .filter(pk=binding_id)
            .first()
        )
        if binding is None:
            raise NotFound(gettext("没有绑定申请 %(id)s") % {"id": binding_id})
        return _review(actor, binding, approve, reason)


def _review(actor: Actor, binding: SubjectBinding, approve: bool, reason: str):
    access.require(actor, Action.BINDING_REVIEW, binding,
                   message=gettext("由平台运营人员或该主体的登记部门审核"))  # fmt: skip
    via = BindingVia.OPERATOR if actor.is_operator else BindingVia.DEPARTMENT
    if binding.status != BindingStatus.PENDING:
        raise ValidationFailed.one("binding", "binding.reviewed", gettext("该申请已审核"))
    if not approve and not reason:
        raise ValidationFailed.one("reason", "required", gettext("不予通过须说明理由"))
    with transaction.atomic():
        binding.status = BindingStatus.APPROVED if approve else BindingStatus.REJECTED
        binding.via, binding.reviewed_by = via, actor.label
        binding.reviewed_at, binding.reason = timezone.now(), reason
        binding.save()
        audit_event_append(
            actor=actor, action=AuditAction.BINDING_REVIEW, object_type="binding",
            object_id=binding.pk, detail={"status": binding.status, "via": via, "reason": reason},
        )  # fmt: skip
    return binding


def notify(user_id: int | None, text: str, link: str = "") -> None:
    """An in-app message (and an e-mail when the account has an address)."""
    if user_id is None:
        return
    Notification.objects.create(user_id=user_id, text=text[:500], link=link,
                                created_at=timezone.now())  # fmt: skip
    email = User.objects.filter(pk=user_id).values_list("email", flat=True).first()
    if email:
        transaction.on_commit(
            lambda: send_mail("信用平台通知", text, None, [email], fail_silently=True)
        )


def _workdays_after(day, n: int):
    try:
        return workdays.add_workdays(day, n)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("filed_at", "calendar.not_covered", str(e)) from None
