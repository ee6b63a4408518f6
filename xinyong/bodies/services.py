"""Writes of public bodies' notices: the receipts a list decision opens for the superior
body and the audit department (:func:`receipts_for_entry_notice`, inside the decision's
transaction), their online acknowledgement by the addressee department, the paper
acknowledgement the issuing department or the credit office records, the daily reminders
of overdue ones, and who a body's notices go to (its profile). Each write is one
transaction and one audit event; the rules of who may are the access layer's."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department, User
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.bodies.choices import AckMethod, AddresseeRole, ReceiptSource
from xinyong.bodies.models import NoticeReceipt, PublicBodyProfile
from xinyong.catalog.rowschema import printable
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.lists.documents import is_public_body
from xinyong.subjects.models import Subject

NAME_MAX, PROOF_MAX = 200, 300


def text(errors: list, field: str, value, limit: int, missing: str = "") -> str:
    """A text a clerk typed: present (when ``missing`` says what is asked), within
    ``limit`` characters, without control characters."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        if missing:
            errors.append(FieldError(field, "required", missing))
    elif len(value) > limit:
        errors.append(FieldError(field, "max_length",
                                 gettext("不得超过 %(n)s 个字") % {"n": limit}))  # fmt: skip
    elif printable(value) != value:
        errors.append(FieldError(field, "text.control_char",
                                 gettext("含有不可显示的控制字符，请删除后重新填写")))  # fmt: skip
    return value


def receipt_due(today: datetime.date) -> datetime.date:
    """The acknowledgement deadline of a notice sent today, in working days."""
    try:
        return workdays.add_workdays(today, settings.XINYONG_NOTICE_RECEIPT_WORKDAYS)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("due", "calendar.not_covered", str(e)) from None


def addressee(department: Department | None, name: str) -> tuple[Department | None, str]:
    """A platform department (it acknowledges online), else the body named."""
    if department is not None and department.is_active:
        return department, department.name
    return None, name


def _audit_department() -> Department | None:
    return Department.objects.filter(code=settings.XINYONG_AUDIT_DEPARTMENT, is_active=True).first()


def body_addressees(subject: Subject) -> list[tuple[str, Department | None, str]]:
    """Who a list decision about ``subject`` is notified to: ``(role, department, name)``
    for its superior body and its audit department (its profile, else the defaults)."""
    profile = PublicBodyProfile.objects.filter(subject=subject).first()
    superior = addressee(
        profile and profile.superior_department,
        (profile and profile.superior_name) or f"{subject.name}的上级主管单位",
    )
    audit = addressee(
        (profile and profile.audit_department) or _audit_department(),
        (profile and profile.audit_name) or gettext("审计部门"),
    )
    return [(AddresseeRole.SUPERIOR, *superior), (AddresseeRole.AUDIT, *audit)]


def receipts_for_entry_notice(notice) -> list[NoticeReceipt]:
    """The receipts of a list decision's notice to the superior body and the audit
    department, one per addressee, due in working days. Part of the decision (the caller's
    transaction and audit event): the decision and its follow-up are one act."""
    entry = notice.entry
    now = timezone.now()
    due = receipt_due(timezone.localdate(now))
    title = gettext("%(subject)s被列入%(list)s") % {
        "subject": entry.subject.name, "list": entry.list_type.name,
    }  # fmt: skip
    return [
        NoticeReceipt.objects.create(
            source=ReceiptSource.LIST_NOTICE,
            entry_notice=notice,
            body=entry.subject,
            issuer_id=entry.department_id,
            role=role,
            department=dept,
            addressee_name=name,
            title=title[:300],
            number=notice.number,
            sent_at=now,
            due=due,
        )
        for role, dept, name in body_addressees(entry.subject)
    ]


def _locked(actor: Actor, receipt_id: int) -> NoticeReceipt:
    """The receipt, locked, when the actor sees it (another's is not found); one already
    acknowledged is refused."""
    found = None
    if 0 < receipt_id <= DB_INT_MAX:
        found = (
            NoticeReceipt.objects.visible_to(actor).select_for_update(of=("self",))
            .select_related("body", "issuer", "department").filter(pk=receipt_id).first()
        )  # fmt: skip
    if found is None:
        raise NotFound(gettext("没有通报 %(id)s") % {"id": receipt_id})
    return found


def _open(receipt: NoticeReceipt) -> None:
    at = receipt.acknowledged_at
    if at is not None:
        raise ValidationFailed.one(
            "receipt", "receipt.acknowledged",
            gettext("该通报已于%(at)s签收") % {"at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"},
        )  # fmt: skip


def receipt_acknowledge(*, actor: Actor, receipt_id: int) -> NoticeReceipt:
    """The addressee department acknowledges online: who and when are recorded, and the
    notice leaves the queues of outstanding ones. Only its own staff may."""
    with transaction.atomic(durable=True):
        receipt = _locked(actor, receipt_id)
        access.require(actor, Action.NOTICE_ACKNOWLEDGE, receipt,
                       message=gettext("只有送达部门的工作人员可以线上签收该通报"))  # fmt: skip
        _open(receipt)
        now = timezone.now()
        receipt.acknowledged_at, receipt.ack_method = now, AckMethod.ONLINE
        receipt.ack_signer = receipt.ack_recorded_by = actor.label
        receipt.save()
        audit_event_append(
            actor=actor, action=AuditAction.NOTICE_ACKNOWLEDGE, object_type="notice_receipt",
            object_id=receipt.pk, detail={"late": timezone.localdate(now) > receipt.due,
                                          "due": receipt.due.isoformat()},
        )  # fmt: skip
    return receipt


def receipt_record_paper(*, actor: Actor, receipt_id: int, signer: str, proof: str,
                         received_on: datetime.date | None) -> NoticeReceipt:  # fmt: skip
    """The issuing department (or the credit office) records a paper acknowledgement: who
    signed for the addressee, the day, and the proof (送达回证 number, registered mail
    number…). Refused, writing nothing, without any of them or with a day out of range."""
    with transaction.atomic(durable=True):
        receipt = _locked(actor, receipt_id)
        access.require(actor, Action.NOTICE_RECEIPT_RECORD, receipt,
                       message=gettext("纸质签收由通报部门或信用主管部门登记"))  # fmt: skip
        _open(receipt)
        errors: list[FieldError] = []
        signer = text(errors, "signer", signer, NAME_MAX, gettext("请填写签收单位及签收人"))
        proof = text(errors, "proof", proof, PROOF_MAX,
                     gettext("请填写签收凭证（送达回证编号、挂号信单号等）"))  # fmt: skip
        today = timezone.localdate()
        if not isinstance(received_on, datetime.date):
            errors.append(FieldError("received_on", "required", gettext("请填写签收日期")))
        elif received_on > today:
            errors.append(FieldError("received_on", "date.future", gettext("签收日期不能晚于今天")))
        elif received_on < timezone.localdate(receipt.sent_at):
            errors.append(FieldError("received_on", "date.order",
                                     gettext("签收日期不能早于通报送达日期")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        at = timezone.now()  # received today: now; an earlier day: at its noon
        if received_on < today:
            at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
        receipt.acknowledged_at, receipt.ack_method = at, AckMethod.PAPER
        receipt.ack_signer, receipt.ack_proof = signer, proof
        receipt.ack_recorded_by = actor.label
        receipt.save()
        audit_event_append(
            actor=actor, action=AuditAction.NOTICE_PAPER_RECEIPT, object_type="notice_receipt",
            object_id=receipt.pk, detail={"received_on": received_on.isoformat(),
                                          "proof": proof, "late": received_on > receipt.due},
        )  # fmt: skip
    return receipt


def _staff_emails(department_ids) -> list[str]:
    users = User.objects.filter(department_id__in=department_ids, is_active=True, is_staff=True)
    return [e for e in users.values_list("email", flat=True) if e]


def receipts_remind(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """The daily upkeep's reminder: every notice past its deadline and not acknowledged is
    counted once a day, and the staff of both sides with an e-mail address are written to
    (the dashboards list them as late). How many were reminded."""
    today = timezone.localdate(now)
    with transaction.atomic(durable=True):
        late = list(
            NoticeReceipt.objects.select_for_update()
            .filter(acknowledged_at__isnull=True, due__lt=today)
            .exclude(reminded_on=today).order_by("due", "pk")
        )  # fmt: skip
        if not late:
            return 0
        for r in late:
            r.reminders += 1
            r.reminded_on = today
        NoticeReceipt.objects.bulk_update(late, ["reminders", "reminded_on"])
        ids = [r.pk for r in late][:1000]
        audit_event_append(actor=actor, action=AuditAction.NOTICE_REMIND,
                           object_type="notice_receipt",
                           detail={"receipts": ids, "day": today.isoformat()})  # fmt: skip
        for r in late:
            emails = _staff_emails({r.issuer_id, r.department_id} - {None})
            body = gettext("通报“%(title)s”（%(to)s）签收期限为%(due)s，至今未签收，请及时办理") % {
                "title": r.title, "to": r.addressee_name, "due": r.due.isoformat(),
            }  # fmt: skip
            if emails:
                transaction.on_commit(lambda e=emails, b=body: send_mail(
                    "信用平台通报催办", b, None, e, fail_silently=True))  # fmt: skip
    return len(late)


def _department(errors: list, field: str, code: str) -> Department | None:
    code = (code or "").strip() if isinstance(code, str) else ""
    if not code:
        return None
    dept = Department.objects.filter(code=code, is_active=True).first()
    if dept is None:
        errors.append(FieldError(field, "department.unknown",
                                 gettext("没有该部门，请从列表中选择或填写单位名称")))  # fmt: skip
    return dept


def public_body_profile_save(*, actor: Actor, subject_id: int, superior_code: str = "",
                             superior_name: str = "", audit_code: str = "",
                             audit_name: str = "") -> PublicBodyProfile:  # fmt: skip
    """Set who a public body's notices go to: its superior body and its audit department,
    each a platform department or a named body. The department that registered the
    subject or the credit office (the subject's registry is theirs)."""
    subject = None
    if 0 < subject_id <= DB_INT_MAX:
        subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None or not is_public_body(subject):
        raise NotFound(gettext("没有机关事业单位或国有企业 %(id)s") % {"id": subject_id})
    access.require(actor, Action.SUBJECT_CHANGE, subject,
                   message=gettext("通报对象由该主体的登记部门或信用主管部门设置"))  # fmt: skip
    errors: list[FieldError] = []
    superior = _department(errors, "superior_code", superior_code)
    audit = _department(errors, "audit_code", audit_code)
    superior_name = text(errors, "superior_name", superior_name, NAME_MAX)
    audit_name = text(errors, "audit_name", audit_name, NAME_MAX)
    if superior is None and not superior_name and not errors:
        errors.append(FieldError("superior_name", "required",
                                 gettext("请选择上级主管单位或填写其名称")))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(durable=True):
        profile, _created = PublicBodyProfile.objects.update_or_create(
            subject=subject,
            defaults={"superior_department": superior, "superior_name": superior_name,
                      "audit_department": audit, "audit_name": audit_name,
                      "updated_by": actor.label, "updated_at": timezone.now()},
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.PUBLIC_BODY_SAVE, object_type="public_body",
            object_id=subject.pk, detail={
                "superior": superior.code if superior else superior_name,
                "audit": audit.code if audit else audit_name,
            },
        )  # fmt: skip
    return profile
