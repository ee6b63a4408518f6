"""Filing a tip and routing it. Anyone files — anonymously, or under a verified identity
(a signed-in portal account: the name and contact given are kept encrypted, apart from
the tip) — and receives a receipt code, shown once and kept only as a keyed hash, with
which the tipster follows the case. A tip of a domain the routing table assigns goes to
that department at once; otherwise the credit office routes it."""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto, workdays
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject
from xinyong.tips.choices import TipStatus
from xinyong.tips.models import Tip, TipDomain, TipEvidence, TipIdentity
from xinyong.tips.services.common import day, open_tip, text
from xinyong.tips.services.settings import tip_policy

CONTENT_MAX, PLACE_MAX, NAME_MAX, CONTACT_MAX = 4000, 200, 50, 100
# The receipt code: 16 characters of an alphabet without look-alikes (0/O, 1/I/L), shown
# in groups of four; 80 bits, so it cannot be guessed, and look-ups are throttled.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 16
_RECEIPT = re.compile(f"^[{RECEIPT_ALPHABET}]{{{RECEIPT_LENGTH}}}$")
_PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The kinds of subject a tip may be about: those the portal shows and searches.
TIPPABLE = (SubjectKind.ORGANIZATION, SubjectKind.INDIVIDUAL_BUSINESS)


def receipt_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def receipt_normalize(code) -> str:
    """The code as typed (spaces, dashes, lower case allowed) → its 16 characters; a code of
    any other shape is refused, naming the field."""
    value = re.sub(r"[\s\-]", "", code if isinstance(code, str) else "").upper()
    if not _RECEIPT.match(value):
        message = gettext("查询码应为举报时取得的 16 位字母和数字（如 ABCD-EFGH-JKMN-PQRS）")
        raise ValidationFailed.one("receipt", "tip.receipt_format", message)
    return value


def receipt_hash(normalized: str) -> str:
    return crypto.identifier_hash("tip_receipt", normalized)


def _subject(errors: list, subject_id) -> Subject | None:
    subject = None
    if isinstance(subject_id, int) and 0 < subject_id <= DB_INT_MAX:
        subject = Subject.objects.filter(pk=subject_id, kind__in=TIPPABLE).first()
    if subject is None:
        message = gettext("没有该主体：请先按名称或统一社会信用代码查询，再选择被举报主体")
        errors.append(FieldError("subject", "tip.subject_unknown", message))
    return subject


def _domain(errors: list, code) -> TipDomain | None:
    code = (code if isinstance(code, str) else "").strip()
    if not code:
        return None
    domain = TipDomain.objects.select_related("department").filter(code=code, active=True).first()
    if domain is None:
        message = gettext("没有该举报领域，请从列表中选择，或选“不清楚”（由信用主管部门分派）")
        errors.append(FieldError("domain", "tip.domain_unknown", message))
    return domain


def _identity(errors: list, actor: Actor, name, contact) -> tuple[str, str]:
    if not actor.is_portal_account or actor.user_id is None:
        message = gettext("实名举报须先登录门户账号；不登录的，请选择匿名举报")
        errors.append(FieldError("anonymous", "tip.identity_login", message))
        return "", ""
    name = text(errors, "name", name, NAME_MAX, gettext("实名举报请填写姓名"))
    contact = text(errors, "contact", contact, CONTACT_MAX, gettext("实名举报请填写联系电话或邮箱"))
    if (
        contact
        and len(contact) <= CONTACT_MAX
        and not (_PHONE.match(contact) or _EMAIL.match(contact))
    ):
        message = gettext("应为手机号码、固定电话（如 0571-88888888）或电子邮箱")
        errors.append(FieldError("contact", "tip.contact_format", message))
    return name, contact


def _due(start, n: int):
    try:
        return workdays.add_workdays(start, n)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("submitted_at", "calendar.not_covered", str(e)) from None


def tip_file(
    *, actor: Actor, subject_id, content, occurred_on, place, domain_code="",
    anonymous: bool = True, name="", contact="", evidence=(),
) -> tuple[Tip, str]:  # fmt: skip
    """File a tip: ``(tip, receipt code)`` — the code is returned this once and kept only
    hashed. Refused, writing nothing, on any rule broken, each error naming its field. The
    audit event names the tip, never the tipster (its actor is the anonymous visitor)."""
    errors: list[FieldError] = []
    subject = _subject(errors, subject_id)
    domain = _domain(errors, domain_code)
    content = text(errors, "content", content, CONTENT_MAX, gettext("请填写举报内容：发生了什么"))
    occurred = day(errors, "occurred_on", occurred_on, gettext("请填写发生时间"))
    place = text(errors, "place", place, PLACE_MAX, gettext("请填写发生地点"))
    anonymous = anonymous is not False
    if not anonymous:
        name, contact = _identity(errors, actor, name, contact)
    files = [f for f in (evidence or ()) if f is not None]
    if len(files) > settings.XINYONG_TIP_MAX_FILES:
        message = gettext("证据材料最多 %(n)s 个文件") % {"n": settings.XINYONG_TIP_MAX_FILES}
        errors.append(FieldError("evidence", "files.max_items", message))
    if errors:
        raise ValidationFailed(errors)
    for upload in files:
        material_check(upload, "evidence")
    policy = tip_policy()
    now = timezone.now()
    department = domain.department if domain is not None else None
    if department is not None and not department.is_active:
        department = None
    ack_due = _due(timezone.localdate(now), policy.ack_workdays)
    code = receipt_new()
    stored: list[str] = []
    digests: list[str] = []
    try:
        with transaction.atomic(durable=True):
            tip = Tip.objects.create(
                subject=subject, domain=domain, content=content, occurred_on=occurred,
                place=place, anonymous=anonymous,
                receipt_hash=receipt_hash(receipt_normalize(code)),
                status=TipStatus.SUBMITTED if department else TipStatus.ROUTING,
                submitted_at=now, department=department,
                routed_at=now if department else None, ack_due=ack_due,
            )  # fmt: skip
            if not anonymous:
                TipIdentity.objects.create(tip=tip, user_id=actor.user_id,
                                           name_encrypted=crypto.encrypt(name),
                                           contact_encrypted=crypto.encrypt(contact))  # fmt: skip
            for upload in files:
                path, digest = material_store(upload)
                stored.append(path)
                digests.append(digest)
                TipEvidence.objects.create(tip=tip, path=path, name=Path(upload.name).name[:255],
                                           sha256=digest)  # fmt: skip
            audit_event_append(
                actor=ANONYMOUS, action=AuditAction.TIP_FILE, object_type="tip",
                object_id=tip.pk, detail={
                    "subject": subject.pk, "domain": domain.code if domain else "",
                    "department": department.code if department else "",
                    "verified_identity": not anonymous, "evidence": digests,
                },
            )  # fmt: skip
    except BaseException:
        for path in stored:
            material_discard(path)
        raise
    return tip, code


def tip_route(*, actor: Actor, tip_id: int, department_code) -> Tip:
    """The credit office routes a tip of no known domain to the competent department; the
    acceptance period runs from the routing. A tip already routed moves by a transfer
    (:func:`xinyong.tips.services.transfer.tip_transfer`, with reasons)."""
    code = (department_code if isinstance(department_code, str) else "").strip()
    with transaction.atomic(durable=True):
        tip = open_tip(actor, tip_id, Action.TIP_ROUTE, (TipStatus.ROUTING,),
                       message=gettext("举报由信用主管部门分派"))  # fmt: skip
        department = Department.objects.filter(code=code, is_active=True).first() if code else None
        if department is None:
            message = gettext("请选择承办部门")
            raise ValidationFailed.one("department", "tip.department_unknown", message)
        before = tip.department.code if tip.department_id else ""
        now = timezone.now()
        tip.department, tip.routed_at = department, now
        tip.status = TipStatus.SUBMITTED
        tip.ack_due = _due(timezone.localdate(now), tip_policy().ack_workdays)
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_ROUTE, object_type="tip", object_id=tip.pk,
            detail={"from": before, "to": department.code},
        )  # fmt: skip
    return tip
