"""Filing (登记备案): an agency files its business scope, qualifications, responsible
persons and its conflicts-of-interest and information-security rules; the credit office
approves, returns for correction or refuses, with reasons. A change of a filed agency's
details is a new filing reviewed the same way — the directory keeps showing the approved
details until then. Responsible persons and practitioners become subjects (credit files).

Each step is one transaction with one audit event; materials are written before the
transaction and removed again if it fails (as ``declarations``)."""

import re
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.agencies.choices import (
    GOOD_STANDING,
    AgencyStatus,
    FilingFileKind,
    FilingKind,
    FilingStatus,
    PersonRole,
)
from xinyong.agencies.models import Agency, AgencyFiling, AgencyPerson, FilingFile, FilingPerson
from xinyong.agencies.services.common import (
    now,
    office_agency,
    own_agency,
    own_subject,
    person_input,
    person_subject,
    text,
    valid_id,
)
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.remedies.choices import BindingStatus
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.services import notify
from xinyong.subjects.choices import SubjectKind

SCOPE_MAX, QUAL_MAX, RULES_MAX, REASON_MAX = 2000, 2000, 8000, 2000
PERSONS_MAX = 5
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
DECISIONS = ("approve", "return", "refuse")


def _files(errors: list, field: str, uploads) -> list:
    files = [f for f in (uploads or []) if f is not None]
    limit = settings.XINYONG_DECLARATION_MAX_FILES
    if len(files) > limit:
        message = gettext("材料最多 %(n)s 个文件") % {"n": limit}
        errors.append(FieldError(field, "files.max_items", message))
    for f in files:
        try:
            material_check(f, field)
        except ValidationFailed as e:
            errors.extend(e.errors)
    return files


def _persons(errors: list, persons) -> list[dict]:
    out = []
    for i, p in enumerate(persons or []):
        if not any((p.get("name"), p.get("id_number"))):
            continue  # an empty row of the form
        prefix = f"persons[{i}]."
        position = text(errors, f"{prefix}position", p.get("position"), 50,
                        gettext("请填写负责人的职务"))  # fmt: skip
        person = person_input(errors, prefix, p.get("name"), p.get("id_type"), p.get("id_number"))
        if person is not None:
            out.append({**person, "position": position})
    if not out and not any(e.field.startswith("persons") for e in errors):
        errors.append(FieldError("persons", "required", gettext("请填写至少一名负责人")))
    if len(out) > PERSONS_MAX:
        message = gettext("负责人最多 %(n)s 名") % {"n": PERSONS_MAX}
        errors.append(FieldError("persons", "max_items", message))
    return out


def agency_file(
    *, actor: Actor, subject_id: int, scope: str, qualifications: str, contact_phone: str,
    persons: list[dict], conflicts_rules: str = "", security_rules: str = "",
    qualification_files=(), conflicts_files=(), security_files=(),
) -> AgencyFiling:  # fmt: skip
    """An organisation's bound account files it as a credit service agency (first filing),
    or files a change of its filed details. Refused, writing nothing, while a filing
    waits for review, when the agency was removed, or on any input rule broken (each
    error names its field): the rules of conflicts of interest and of information
    security are each required as a text or a document."""
    subject = own_subject(actor, subject_id)
    errors: list[FieldError] = []
    if subject.kind != SubjectKind.ORGANIZATION:
        message = gettext("信用服务机构备案须以法人或非法人组织办理")
        errors.append(FieldError("subject", "agency.subject_kind", message))
    scope = text(errors, "scope", scope, SCOPE_MAX, gettext("请填写业务范围"))
    qualifications = text(errors, "qualifications", qualifications, QUAL_MAX,
                          gettext("请填写资质情况（证书名称、编号、发证机关）"))  # fmt: skip
    phone = (contact_phone or "").strip() if isinstance(contact_phone, str) else ""
    if not _PHONE.match(phone):
        errors.append(FieldError("contact_phone", "phone.format",
                                 gettext("请填写有效的联系电话（7 至 20 位数字）")))  # fmt: skip
    conflicts_rules = text(errors, "conflicts_rules", conflicts_rules, RULES_MAX)
    security_rules = text(errors, "security_rules", security_rules, RULES_MAX)
    qual = _files(errors, "qualification_files", qualification_files)
    conf = _files(errors, "conflicts_files", conflicts_files)
    sec = _files(errors, "security_files", security_files)
    if not qual and not any(e.field == "qualification_files" for e in errors):
        errors.append(FieldError("qualification_files", "required",
                                 gettext("请上传资质证明材料（PDF、PNG 或 JPEG）")))  # fmt: skip
    if (
        not conflicts_rules
        and not conf
        and not any(e.field.startswith("conflicts") for e in errors)
    ):
        errors.append(FieldError("conflicts_rules", "agency.rules_required",
                                 gettext("请填写或上传利益冲突防范制度")))  # fmt: skip
    if not security_rules and not sec and not any(e.field.startswith("security") for e in errors):
        errors.append(FieldError("security_rules", "agency.rules_required",
                                 gettext("请填写或上传信息安全制度")))  # fmt: skip
    people = _persons(errors, persons)
    if errors:
        raise ValidationFailed(errors)
    stored: list[str] = []
    try:
        with transaction.atomic(durable=True):
            agency = Agency.objects.select_for_update().filter(subject=subject).first()
            kind = FilingKind.INITIAL
            if agency is None:
                agency = Agency.objects.create(subject=subject, status=AgencyStatus.PENDING,
                                               created_at=now())  # fmt: skip
            elif agency.status == AgencyStatus.REMOVED:
                raise ValidationFailed.one(
                    "subject", "agency.removed", gettext("该机构已被移出名录，不能再办理备案")
                )
            elif agency.filings.filter(status=FilingStatus.SUBMITTED).exists():
                raise Conflict("subject", "agency.filing_pending",
                               gettext("已有备案申请正在审核，请等待审核结果"))  # fmt: skip
            elif agency.status in GOOD_STANDING:
                kind = FilingKind.CHANGE
            else:  # refused or returned before approval: files again
                agency.status = AgencyStatus.PENDING
                agency.save(update_fields=["status"])
            filing = AgencyFiling.objects.create(
                agency=agency, kind=kind, status=FilingStatus.SUBMITTED, scope=scope,
                qualifications=qualifications, conflicts_rules=conflicts_rules,
                security_rules=security_rules, contact_phone=phone,
                submitted_by_id=actor.user_id, submitted_at=now(),
            )  # fmt: skip
            digests = []
            for kind_, uploads in ((FilingFileKind.QUALIFICATION, qual),
                                   (FilingFileKind.CONFLICTS, conf),
                                   (FilingFileKind.SECURITY, sec)):  # fmt: skip
                for upload in uploads:
                    path, digest = material_store(upload)
                    stored.append(path)
                    digests.append(digest)
                    FilingFile.objects.create(
                        filing=filing,
                        kind=kind_,
                        path=path,
                        name=Path(upload.name).name[:255],
                        sha256=digest,
                    )
            for p in people:
                FilingPerson.objects.create(filing=filing, name=p["name"], position=p["position"],
                                            id_type=p["id_type"], id_hash=p["id_hash"],
                                            id_encrypted=p["id_encrypted"],
                                            id_masked=p["id_masked"])  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.AGENCY_FILE, object_type="agency_filing",
                object_id=filing.pk, detail={
                    "agency": agency.pk, "subject": subject.pk, "kind": kind,
                    "files": digests, "persons": [p["id_masked"] for p in people],
                },
            )  # fmt: skip
    except BaseException:
        for path in stored:
            material_discard(path)
        raise
    return filing


def _next_number(today) -> str:
    prefix = f"XYFW{today:%Y}"
    last = (
        Agency.objects.filter(filing_number__startswith=prefix)
        .order_by("-filing_number")
        .values_list("filing_number", flat=True)
        .first()
    )
    n = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _bound_users(agency: Agency) -> list[int]:
    return list(
        SubjectBinding.objects.filter(
            subject_id=agency.subject_id, status=BindingStatus.APPROVED
        ).values_list("user_id", flat=True)
    )


def tell_agency(agency: Agency, message: str) -> None:
    """Every account bound to the agency's subject is told (in-app, and by e-mail)."""
    link = reverse("portal:account_agency", args=[agency.subject_id])
    for user_id in _bound_users(agency):
        notify(user_id, message, link)


def _approve(actor: Actor, agency: Agency, filing: AgencyFiling) -> None:
    today = timezone.localdate()
    for f in ("scope", "qualifications", "conflicts_rules", "security_rules", "contact_phone"):
        setattr(agency, f, getattr(filing, f))
    if not agency.filing_number:
        agency.filing_number = _next_number(today)
        agency.filed_on = today
        agency.status = AgencyStatus.FILED
    agency.save()
    keep = set()
    for p in filing.persons.all():
        person = person_subject(actor, {
            "name": p.name, "id_type": p.id_type, "id_hash": p.id_hash,
            "id_encrypted": p.id_encrypted, "id_masked": p.id_masked,
        })  # fmt: skip
        keep.add(person.pk)
        current = AgencyPerson.objects.filter(
            agency=agency, person=person, role=PersonRole.RESPONSIBLE, ended_at__isnull=True
        ).first()
        if current is None:
            AgencyPerson.objects.create(agency=agency, person=person, position=p.position,
                                        role=PersonRole.RESPONSIBLE, added_at=now())  # fmt: skip
        elif current.position != p.position:
            current.position = p.position
            current.save(update_fields=["position"])
    AgencyPerson.objects.filter(
        agency=agency, role=PersonRole.RESPONSIBLE, ended_at__isnull=True
    ).exclude(person_id__in=keep).update(ended_at=now())


def filing_review(*, actor: Actor, filing_id: int, decision: str, reason: str = "") -> AgencyFiling:
    """The credit office decides a filing: approve (the agency is filed, numbered and in
    the directory, or its changed details are), return for correction or refuse — the
    last two with reasons. The agency's accounts are told."""
    errors: list[FieldError] = []
    if decision not in DECISIONS:
        errors.append(FieldError("decision", "enum", gettext("请选择审核结论")))
    required = gettext("退回补正或不予备案的，请写明理由") if decision != "approve" else ""
    reason = text(errors, "reason", reason, REASON_MAX, required)
    with transaction.atomic(durable=True):
        filing = (
            AgencyFiling.objects.select_for_update(of=("self",)).filter(pk=filing_id).first()
            if valid_id(filing_id) else None
        )  # fmt: skip
        if filing is None:
            raise NotFound(gettext("没有备案申请 %(id)s") % {"id": filing_id})
        agency = office_agency(actor, filing.agency_id, Action.AGENCY_REVIEW, lock=True)
        if filing.status != FilingStatus.SUBMITTED:
            raise ValidationFailed.one("status", "agency.filing_decided",
                                       gettext("该备案申请已%(s)s") % {
                                           "s": filing.get_status_display()})  # fmt: skip
        if agency.status == AgencyStatus.REMOVED and decision == "approve":
            errors.append(FieldError("decision", "agency.removed",
                                     gettext("该机构已被移出名录，不能准予备案")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        filing.status = {"approve": FilingStatus.APPROVED, "return": FilingStatus.RETURNED,
                         "refuse": FilingStatus.REFUSED}[decision]  # fmt: skip
        filing.reviewed_by, filing.reviewed_at, filing.reason = actor.label, now(), reason
        filing.save()
        if decision == "approve":
            _approve(actor, agency, filing)
            told = gettext("信用服务机构备案已准予（备案编号 %(n)s）") % {"n": agency.filing_number}
        elif filing.kind == FilingKind.INITIAL:
            if decision == "refuse":
                agency.status = AgencyStatus.REFUSED
                agency.save(update_fields=["status"])
            told = gettext("信用服务机构备案%(s)s：%(r)s") % {
                "s": filing.get_status_display(),
                "r": reason,
            }
        else:
            told = gettext("信用服务机构变更备案%(s)s：%(r)s") % {
                "s": filing.get_status_display(),
                "r": reason,
            }
        action = {"approve": AuditAction.AGENCY_APPROVE, "return": AuditAction.AGENCY_RETURN,
                  "refuse": AuditAction.AGENCY_REFUSE}[decision]  # fmt: skip
        audit_event_append(
            actor=actor, action=action, object_type="agency_filing", object_id=filing.pk,
            detail={"agency": agency.pk, "kind": filing.kind, "reason": reason,
                    "filing_number": agency.filing_number},
        )  # fmt: skip
        tell_agency(agency, told)
    return filing


def practitioner_add(
    *, actor: Actor, subject_id: int, name: str, id_type: str, id_number: str, position: str = ""
) -> AgencyPerson:
    """A filed agency lists a practitioner: registered as a subject (its identifier
    protected) so it has a credit file; listed once while not ended."""
    errors: list[FieldError] = []
    person = person_input(errors, "", name, id_type, id_number)
    position = text(errors, "position", position, 50)
    with transaction.atomic(durable=True):
        agency = own_agency(actor, subject_id, lock=True)
        if agency.status not in GOOD_STANDING:
            errors.append(FieldError("subject", "agency.not_filed",
                                     gettext("机构备案后方可登记从业人员")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        subject = person_subject(actor, person)
        try:
            with transaction.atomic():
                row = AgencyPerson.objects.create(
                    agency=agency, person=subject, role=PersonRole.PRACTITIONER,
                    position=position, added_at=now(),
                )  # fmt: skip
        except IntegrityError:
            raise Conflict("id_number", "agency.practitioner_listed",
                           gettext("该人员已在本机构从业人员名单中")) from None  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_PERSON_ADD, object_type="agency",
            object_id=agency.pk, detail={"person": subject.pk, "id_masked": subject.id_masked},
        )  # fmt: skip
    return row


def practitioner_end(*, actor: Actor, subject_id: int, person_id: int) -> AgencyPerson:
    """A practitioner leaves the agency: ended (kept in the history), not deleted."""
    with transaction.atomic(durable=True):
        agency = own_agency(actor, subject_id, lock=True)
        row = (
            AgencyPerson.objects.filter(
                pk=person_id, agency=agency, role=PersonRole.PRACTITIONER, ended_at__isnull=True
            ).first()
            if valid_id(person_id) else None
        )  # fmt: skip
        if row is None:
            raise NotFound(gettext("没有该从业人员"))
        row.ended_at = now()
        row.save(update_fields=["ended_at"])
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_PERSON_END, object_type="agency",
            object_id=agency.pk, detail={"person": row.person_id},
        )  # fmt: skip
    return row
