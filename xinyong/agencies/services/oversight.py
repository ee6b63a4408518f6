"""Oversight of agencies: misconduct recorded in the agency's credit file (through the
catalog item ``credit_service_misconduct`` and the ingestion pipeline, as any record), and
the reports agencies register — about an organisation or a person — so that anyone can
verify them (removal from the directory: ``services.removal``)."""

import datetime
import hashlib
import logging
import re
import uuid
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.agencies.choices import (
    GOOD_STANDING,
    AgencyReportKind,
    ReportSubjectKind,
    VerifyResult,
)
from xinyong.agencies.models import AgencyReport, Misconduct
from xinyong.agencies.services.common import now, office_agency, own_agency, text
from xinyong.agencies.services.filing import tell_agency
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.rowschema import SOURCE_ID
from xinyong.core import crypto
from xinyong.core.errors import Conflict, FieldError, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.subjects.selectors import subject_by_uscc
from xinyong.subjects.services import check_person_id, check_uscc

log = logging.getLogger(__name__)
ITEM = "credit_service_misconduct"
FACTS_MAX, BASIS_MAX = 4000, 300
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NUMBER = re.compile(r"^[0-9A-Za-z\-_/〔〕（）()]{4,64}$")


def misconduct_record(
    *, actor: Actor, agency_id: int, facts: str, basis: str, decided_on: datetime.date | None
) -> Misconduct:
    """A department (or the credit office) records an agency's misconduct in its own name;
    the record then enters the agency's credit file as a one-row batch of the catalog
    item, submitted by the platform in that department's name (as a verified declaration
    is). A record the pipeline refused leaves the misconduct without its record (shown)."""
    agency = office_agency(actor, agency_id, Action.AGENCY_MISCONDUCT)
    errors: list[FieldError] = []
    facts = text(errors, "facts", facts, FACTS_MAX, gettext("请写明失信行为事实"))
    basis = text(errors, "basis", basis, BASIS_MAX, gettext("请写明认定依据"))
    if not isinstance(decided_on, datetime.date):
        errors.append(FieldError("decided_on", "required", gettext("请填写认定日期")))
    elif decided_on > timezone.localdate():
        errors.append(FieldError("decided_on", "date.future", gettext("认定日期不能晚于今天")))
    if not agency.filing_number:
        errors.append(FieldError("agency", "agency.not_filed",
                                 gettext("该机构尚未备案，不能登记失信行为")))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    department = Department.objects.get(pk=actor.department_id)
    with transaction.atomic(durable=True):
        m = Misconduct.objects.create(
            agency=agency, department=department, number=uuid.uuid4().hex[:32], facts=facts,
            basis=basis, decided_on=decided_on, recorded_by=actor.label, recorded_at=now(),
        )  # fmt: skip
        number = m.number = f"XYFWSX{timezone.localdate():%Y}{m.pk:06d}"  # by its row
        m.save(update_fields=["number"])
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_MISCONDUCT, object_type="agency",
            object_id=agency.pk, detail={"misconduct": number, "department": department.code},
        )  # fmt: skip
        tell_agency(agency, gettext("%(d)s登记了本机构的失信行为（%(n)s）") % {
            "d": department.name, "n": number})  # fmt: skip
    misconduct_file(misconduct_id=m.pk)
    m.refresh_from_db()
    return m


def _row(m: Misconduct) -> dict:
    subject = m.agency.subject
    return {
        SOURCE_ID: m.number, "XDR_MC": subject.name, "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": subject.uscc, "XYFW_BH": m.number, "XYFW_BABH": m.agency.filing_number,
        "XYFW_SS": m.facts, "XYFW_YJ": m.basis, "XYFW_RDRQ": m.decided_on.isoformat(),
        "XYFW_RDBM": m.department.name,
    }  # fmt: skip


def misconduct_file(*, misconduct_id: int) -> bool:
    """Write a misconduct's record through ingestion (idempotent by its number)."""
    from xinyong.ingest.services.single import record_file_one

    m = Misconduct.objects.select_related("agency__subject", "department").get(pk=misconduct_id)
    if m.record_id is not None:
        return True
    try:
        record, _why = record_file_one(
            item_code=ITEM, row=_row(m), provider=m.department, source_id=m.number,
            file_name=f"信用服务机构失信行为 {m.number}",
        )  # fmt: skip
    except Exception:  # the misconduct stays recorded; its record is shown as pending
        log.exception("misconduct %s: record not written", m.pk)
        record = None
    if record is None:
        return False
    Misconduct.objects.filter(pk=m.pk).update(record=record)
    return True


def _digest(errors: list, sha256, upload) -> str:
    sha = (sha256 or "").strip().lower() if isinstance(sha256, str) else ""
    if sha and not _SHA256.match(sha):
        errors.append(FieldError("sha256", "sha256.format",
                                 gettext("文件摘要应为 64 位十六进制 SHA-256 值")))  # fmt: skip
        return ""
    if upload is not None:
        h = hashlib.sha256()
        for chunk in upload.chunks():
            h.update(chunk)
        upload.seek(0)
        got = h.hexdigest()
        if sha and sha != got:
            errors.append(FieldError("sha256", "sha256.mismatch",
                                     gettext("填写的文件摘要与上传的文件不符")))  # fmt: skip
        return got
    if not sha:
        errors.append(
            FieldError("sha256", "required", gettext("请填写报告文件的 SHA-256 摘要或上传报告文件"))
        )
    return sha


def _report_subject(
    errors: list, subject_kind, subject_uscc, person_id_type, person_id_number
) -> dict:
    """Whom the report is about, as columns: an organisation by its USCC (registered
    here), or a person by an identifier — checked, then kept only protected (keyed hash,
    ciphertext, mask), never registered as a subject on an agency's word. The fields of
    the other kind must stay empty (a report is about one subject; no guess is made)."""
    uscc = subject_uscc.strip() if isinstance(subject_uscc, str) else ""
    number = person_id_number.strip() if isinstance(person_id_number, str) else ""
    if subject_kind not in ReportSubjectKind.values:
        errors.append(FieldError("subject_kind", "enum", gettext("报告所涉主体类型应为：%(c)s") % {
            "c": "、".join(str(x) for x in ReportSubjectKind.labels)}))  # fmt: skip
        return {}
    person = subject_kind == ReportSubjectKind.PERSON
    if person and uscc:
        message = gettext("报告所涉主体为自然人时，不填写统一社会信用代码")
        errors.append(FieldError("subject", "report.one_subject", message))
    if not person and number:
        message = gettext("报告所涉主体为组织时，不填写自然人证件号码")
        errors.append(FieldError("person_id_number", "report.one_subject", message))
    if person:
        if not number:
            errors.append(FieldError("person_id_number", "required",
                                     gettext("请填写报告所涉自然人的证件号码")))  # fmt: skip
            return {}
        id_type = person_id_type if isinstance(person_id_type, str) else ""
        try:
            checked = check_person_id(id_type, number, field="person_id_number")
        except ValidationFailed as e:
            errors.extend(
                FieldError("person_id_type" if x.field == "id_type" else x.field, x.rule,
                           x.message) for x in e.errors
            )  # fmt: skip
            return {}
        kept = crypto.protect_identifier(id_type, checked)
        return {"subject_kind": ReportSubjectKind.PERSON, "subject": None,
                **{f"person_{k}": v for k, v in kept.items()}}  # fmt: skip
    try:
        code = check_uscc(uscc, field="subject")
    except ValidationFailed as e:
        errors.extend(e.errors)
        return {}
    subject = subject_by_uscc(code)
    if subject is None:
        message = gettext("未找到统一社会信用代码为“%(c)s”的主体") % {"c": code}
        errors.append(FieldError("subject", "subject.not_found", message))
        return {}
    return {"subject_kind": ReportSubjectKind.ORGANIZATION, "subject": subject}


def report_register(
    *, actor: Actor, subject_id: int, number: str, kind: str, issued_on: datetime.date | None,
    subject_kind: str = ReportSubjectKind.ORGANIZATION, subject_uscc: str = "",
    person_id_type: str = "", person_id_number: str = "", sha256: str = "", upload=None,
) -> AgencyReport:  # fmt: skip
    """A filed agency registers a report it issued: its number, whom it is about (an
    organisation by USCC, or a person by identifier), the kind, the date and the file's
    SHA-256 (computed from the file when given). Bad input is refused by field and rule,
    writing nothing."""
    errors: list[FieldError] = []
    number = (number or "").strip() if isinstance(number, str) else ""
    if not _NUMBER.match(number):
        errors.append(FieldError("number", "number.format",
                                 gettext("报告编号为 4 至 64 位字母、数字或 -_/")))  # fmt: skip
    about = _report_subject(errors, subject_kind, subject_uscc, person_id_type, person_id_number)
    if kind not in AgencyReportKind.values:
        errors.append(FieldError("kind", "enum", gettext("报告类型应为：%(c)s") % {
            "c": "、".join(str(x) for x in AgencyReportKind.labels)}))  # fmt: skip
    if not isinstance(issued_on, datetime.date):
        errors.append(FieldError("issued_on", "required", gettext("请填写出具日期")))
    elif issued_on > timezone.localdate():
        errors.append(FieldError("issued_on", "date.future", gettext("出具日期不能晚于今天")))
    if upload is not None:
        try:
            material_check(upload, "file")
        except ValidationFailed as e:
            errors.extend(e.errors)
    sha = _digest(errors, sha256, upload if not errors else None)
    stored = ""
    with transaction.atomic(durable=True):
        agency = own_agency(actor, subject_id, lock=True)
        if agency.status not in GOOD_STANDING:
            errors.append(FieldError("subject", "agency.not_filed",
                                     gettext("机构备案有效期间方可登记出具的报告")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        try:
            if upload is not None:
                stored = material_store(upload)[0]
            with transaction.atomic():
                report = AgencyReport.objects.create(
                    agency=agency, number=number, kind=kind, issued_on=issued_on, sha256=sha,
                    path=stored, **about,
                    file_name=Path(upload.name).name[:255] if upload is not None else "",
                    registered_at=now(), registered_by=actor.label,
                )  # fmt: skip
        except IntegrityError:
            if stored:
                material_discard(stored)
            raise Conflict("number", "number.taken",
                           gettext("报告编号“%(n)s”已登记") % {"n": number}) from None  # fmt: skip
        whom = (
            {"person": report.person_id_masked} if report.subject_id is None
            else {"subject": report.subject_id}
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_REPORT_REGISTER, object_type="agency_report",
            object_id=report.pk, detail={"agency": agency.pk, "number": number,
                                         "subject_kind": report.subject_kind, **whom,
                                         "sha256": sha},
        )  # fmt: skip
    return report


def report_verify(*, number: str, sha256: str = "", upload=None) -> dict:
    """Whether a report of this number was registered by an agency, its file matches and
    the agency is in good standing: genuine, mismatch, unknown or agency removed. Reads
    public facts only: the agency, and an organisation the report is about — never a
    person, in clear or masked."""
    errors: list[FieldError] = []
    number = (number or "").strip() if isinstance(number, str) else ""
    if not _NUMBER.match(number):
        errors.append(FieldError("number", "number.format",
                                 gettext("报告编号为 4 至 64 位字母、数字或 -_/")))  # fmt: skip
    if upload is not None:
        try:
            material_check(upload, "file")
        except ValidationFailed as e:
            errors.extend(e.errors)
    sha = _digest(errors, sha256, upload if not errors else None)
    if errors:
        raise ValidationFailed(errors)
    report = (
        AgencyReport.objects.select_related("agency__subject", "subject")
        .filter(number=number).first()
    )  # fmt: skip
    if report is None:
        return {"result": VerifyResult.UNKNOWN, "number": number}
    if report.sha256 != sha:
        result = VerifyResult.MISMATCH
    elif report.agency.status in GOOD_STANDING:
        result = VerifyResult.GENUINE
    else:
        result = VerifyResult.AGENCY_REMOVED
    out = {"result": result, "number": number}
    if result != VerifyResult.MISMATCH:
        # An organisation is named; a person never is — not even masked: the verifier
        # holds the report, the platform adds nothing about the person to it.
        subject = report.subject if report.subject_kind == ReportSubjectKind.ORGANIZATION else None
        out.update(
            agency=report.agency.subject.name, agency_uscc=report.agency.subject.uscc,
            filing_number=report.agency.filing_number,
            agency_status=report.agency.status, kind=report.kind,
            subject_kind=report.subject_kind, subject=subject.name if subject else "",
            issued_on=report.issued_on,
        )  # fmt: skip
    return out
