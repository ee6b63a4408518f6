"""Writes of self-declaration (自主申报): a bound portal account submits, under the pledge
and with evidence; the routed department (or the credit office) verifies or refuses with
reasons; a verified declaration enters the credit file as a record of the
``self_declaration`` item, provided by the verifying department.

The record goes through the same pipeline as any department's submission (a one-row
batch, processed at once, as :func:`xinyong.ingest.services.record_withdraw` does), so
its provenance, history and publicity are those of every record. Ingestion is its own
transaction: the decision is written first, then the record; a record that could not be
written leaves the declaration verified with its record pending, and
:func:`declarations_record_pending` (the daily upkeep, ``xinyong declarations``) writes
it later. Nothing but a verified declaration ever becomes a record."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import DepartmentKind
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.rowschema import SOURCE_ID, printable
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.declarations.choices import DeclarationKind, DeclarationStatus
from xinyong.declarations.models import Declaration, DeclarationEvidence
from xinyong.declarations.pledge import PLEDGE_TEXT, PLEDGE_VERSION
from xinyong.remedies.choices import BindingStatus
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.services import notify
from xinyong.subjects.choices import SubjectKind

log = logging.getLogger(__name__)

ITEM = "self_declaration"  # the catalog item verified declarations are recorded under
TITLE_MAX, CONTENT_MAX, REASON_MAX = 200, 4000, 2000  # the item's field lengths
VERIFIED_CONCLUSION = "经核实属实"
# The subject block's category of each kind of subject that may declare (market subjects:
# the local plans ask 市场主体; a person's own file is not for self-promotion).
_CATEGORY = {SubjectKind.ORGANIZATION: "法人及非法人组织",
             SubjectKind.INDIVIDUAL_BUSINESS: "个体工商户"}  # fmt: skip


def _text(errors: list, field: str, value: str, limit: int, missing: str) -> str:
    """A text the subject wrote: present, within the item's length, and printable (it
    becomes a record's cell, which refuses control characters)."""
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(field, "required", missing))
    elif len(value) > limit:
        message = gettext("不得超过 %(n)s 个字") % {"n": limit}
        errors.append(FieldError(field, "max_length", message))
    elif printable(value) != value:
        message = gettext("含有不可显示的控制字符，请删除后重新填写")
        errors.append(FieldError(field, "text.control_char", message))
    return value


def _department(errors: list, code: str) -> Department | None:
    code = (code or "").strip()
    if not code:
        return None
    dept = Department.objects.filter(code=code, is_active=True).first()
    if dept is None:
        message = gettext("没有该部门，请从列表中选择，或不指定（由信用主管部门核实）")
        errors.append(FieldError("department", "department.unknown", message))
    return dept


def _binding(actor: Actor, subject_id: int) -> SubjectBinding:
    """The account's approved binding to the subject; another subject is not found (and
    nothing of it is told)."""
    binding = None
    if actor.is_portal_account and 0 < subject_id <= DB_INT_MAX:
        binding = (
            SubjectBinding.objects.select_related("subject")
            .filter(user_id=actor.user_id, subject_id=subject_id, status=BindingStatus.APPROVED)
            .first()
        )
    if binding is None:
        raise NotFound(gettext("没有绑定主体 %(id)s") % {"id": subject_id})
    access.require(actor, Action.DECLARATION_SUBMIT, binding.subject, hide=True)
    return binding


def declaration_submit(
    *, actor: Actor, subject_id: int, kind: str, title: str, content: str, pledge: bool,
    evidence: list, department_code: str = "",
) -> Declaration:  # fmt: skip
    """A bound account declares a fact of its subject: the kind, what and the details,
    the pledge signed (its current text is kept as signed), one or more evidence files,
    and the department asked to verify (none: the credit office). Due within
    ``XINYONG_DECLARATION_WORKDAYS`` working days. Refused, writing nothing, on any rule
    broken; each error names its field."""
    binding = _binding(actor, subject_id)
    errors: list[FieldError] = []
    if binding.subject.kind not in _CATEGORY:
        message = gettext("自主申报面向企业等市场主体和个体工商户，自然人不适用")
        errors.append(FieldError("subject", "declaration.subject_kind", message))
    if kind not in DeclarationKind.values:
        choices = "、".join(str(label) for label in DeclarationKind.labels)
        message = gettext("申报类别应为：%(choices)s") % {"choices": choices}
        errors.append(FieldError("kind", "enum", message))
    title = _text(errors, "title", title, TITLE_MAX, gettext("请填写申报事项"))
    content = _text(errors, "content", content, CONTENT_MAX, gettext("请填写申报内容"))
    department = _department(errors, department_code)
    if pledge is not True:
        message = gettext("请阅读并签署信用承诺：申报信息须对其真实性作出承诺")
        errors.append(FieldError("pledge", "required", message))
    files = [f for f in (evidence or []) if f is not None]
    if not files:
        errors.append(
            FieldError("evidence", "required", gettext("请上传证明材料（PDF、PNG 或 JPEG）"))
        )
    elif len(files) > settings.XINYONG_DECLARATION_MAX_FILES:
        message = gettext("证明材料最多 %(n)s 个文件") % {
            "n": settings.XINYONG_DECLARATION_MAX_FILES
        }
        errors.append(FieldError("evidence", "files.max_items", message))
    if errors:
        raise ValidationFailed(errors)
    for upload in files:
        material_check(upload, "evidence")
    now = timezone.now()
    try:
        due = workdays.add_workdays(timezone.localdate(now), settings.XINYONG_DECLARATION_WORKDAYS)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("submitted_at", "calendar.not_covered", str(e)) from None
    stored: list[str] = []
    digests: list[str] = []
    try:
        with transaction.atomic(durable=True):
            declaration = Declaration.objects.create(
                subject=binding.subject, binding=binding, kind=kind, title=title,
                content=content, pledge_version=PLEDGE_VERSION, pledge_text=PLEDGE_TEXT,
                pledged_at=now, department=department, status=DeclarationStatus.SUBMITTED,
                submitted_at=now, verify_due=due,
            )  # fmt: skip
            for upload in files:
                path, digest = material_store(upload)
                stored.append(path)
                digests.append(digest)
                DeclarationEvidence.objects.create(declaration=declaration, path=path,
                                                   name=Path(upload.name).name[:255],
                                                   sha256=digest)  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.DECLARATION_SUBMIT, object_type="declaration",
                object_id=declaration.pk, detail={
                    "subject": binding.subject_id, "kind": kind, "pledge": PLEDGE_VERSION,
                    "department": department.code if department else "",
                    "evidence": digests,
                },
            )  # fmt: skip
            notify(actor.user_id,
                   f"自主申报“{title}”已提交（{declaration.number}），"
                   f"将于{due:%Y-%m-%d}前核实", _link(declaration))  # fmt: skip
    except BaseException:
        for path in stored:
            material_discard(path)
        raise
    return declaration


def _link(declaration: Declaration) -> str:
    return reverse("portal:account_declarations", args=[declaration.subject_id])


def _open(actor: Actor, declaration_id: int) -> Declaration:
    """The declaration, locked, if the actor may verify it: one it does not see is not
    found; one it sees but may not verify is refused."""
    if not 0 < declaration_id <= DB_INT_MAX:
        raise NotFound(gettext("没有自主申报 %(id)s") % {"id": declaration_id})
    declaration = (
        Declaration.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("subject", "binding", "department")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise NotFound(gettext("没有自主申报 %(id)s") % {"id": declaration_id})
    access.require(actor, Action.DECLARATION_VERIFY, declaration,
                   message=gettext("自主申报由其申请核实的部门或信用主管部门核实"))  # fmt: skip
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationFailed.one(
            "status", "declaration.decided",
            gettext("该申报已%(status)s") % {"status": declaration.get_status_display()},
        )  # fmt: skip
    return declaration


def _verifier(actor: Actor, declaration: Declaration) -> Department:
    """In whose name the decision is taken (and who provides the record): the routed
    department's staff for it; the platform operator for its own department, the credit
    office (信用办) when its account has none."""
    if not actor.is_operator:
        return declaration.department
    dept = None
    if actor.department_id is not None:
        dept = Department.objects.filter(pk=actor.department_id).first()
    if dept is None:
        dept = (
            Department.objects.filter(kind=DepartmentKind.CREDIT_OFFICE, is_active=True)
            .order_by("pk")
            .first()
        )
    if dept is None:
        message = gettext("平台尚未设置信用主管部门：请为运营账号设置所属部门后再核实")
        raise ValidationFailed.one("department", "declaration.no_verifier", message)
    return dept


def declaration_verify(*, actor: Actor, declaration_id: int, note: str = "") -> Declaration:
    """Found true: the declaration is verified in the verifying department's name (one
    transaction, one audit event, the applicant told), then its record is written (see
    the module's docstring: a failure there leaves the record pending for the sweep)."""
    with transaction.atomic(durable=True):
        declaration = _open(actor, declaration_id)  # first: another's is not found, whatever sent
        errors: list[FieldError] = []
        note = (note or "").strip()
        if note:
            note = _text(errors, "reason", note, REASON_MAX, "")
        if errors:
            raise ValidationFailed(errors)
        verifier = _verifier(actor, declaration)
        now = timezone.now()
        declaration.status = DeclarationStatus.VERIFIED
        declaration.decided_by, declaration.decided_at = actor.label, now
        declaration.decided_department = verifier
        declaration.reason = note
        declaration.record_source_id = declaration.number
        declaration.save()
        audit_event_append(
            actor=actor, action=AuditAction.DECLARATION_VERIFY, object_type="declaration",
            object_id=declaration.pk, detail={
                "department": verifier.code, "source_id": declaration.number,
                "late": timezone.localdate(now) > declaration.verify_due,
            },
        )  # fmt: skip
        notify(declaration.binding.user_id,
               f"自主申报“{declaration.title}”经{verifier.name}核实属实，已记入信用档案",
               _link(declaration))  # fmt: skip
    declaration_record(declaration_id=declaration.pk)
    declaration.refresh_from_db()
    return declaration


def declaration_refuse(*, actor: Actor, declaration_id: int, reason: str) -> Declaration:
    """Not verified: the reasons are required (the applicant is told them and may declare
    again with better evidence). Nothing enters the credit file."""
    with transaction.atomic(durable=True):
        declaration = _open(actor, declaration_id)  # first: another's is not found, whatever sent
        errors: list[FieldError] = []
        reason = _text(errors, "reason", reason, REASON_MAX,
                       gettext("未通过核实的，请写明理由"))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        verifier = _verifier(actor, declaration)
        declaration.status = DeclarationStatus.REFUSED
        declaration.decided_by, declaration.decided_at = actor.label, timezone.now()
        declaration.decided_department, declaration.reason = verifier, reason
        declaration.save()
        audit_event_append(
            actor=actor, action=AuditAction.DECLARATION_REFUSE, object_type="declaration",
            object_id=declaration.pk, detail={"department": verifier.code, "reason": reason},
        )  # fmt: skip
        text = f"自主申报“{declaration.title}”未通过核实：{reason}"
        notify(declaration.binding.user_id, text, _link(declaration))
    return declaration


def _row(d: Declaration) -> dict:
    """The record's row: the subject block from the registry, the declaration's fields."""
    subject = d.subject
    verified_on = timezone.localdate(d.decided_at)
    return {
        SOURCE_ID: d.number,
        "XDR_MC": subject.name,
        "XDR_LB": _CATEGORY[subject.kind],
        "XDR_SHXYM": subject.uscc,
        "ZZSB_BH": d.number,
        "ZZSB_LB": str(DeclarationKind(d.kind).label),
        "ZZSB_SX": d.title,
        "ZZSB_NR": d.content,
        "ZZSB_RQ": timezone.localdate(d.submitted_at).isoformat(),
        "ZZSB_HSBM": d.decided_department.name,
        "ZZSB_HSRQ": verified_on.isoformat(),
        "ZZSB_HSJL": VERIFIED_CONCLUSION,
    }


def declaration_record(*, declaration_id: int) -> bool:
    """Write a verified declaration's record, if it is still pending: a one-row batch of
    the ``self_declaration`` item in the verifying department's name, processed at once.
    Submitted by the platform itself (the verifier may be a reviewer, who submits no
    batches; the decision was the verifier's act and is audited as such); idempotent — a
    resubmission of the same number changes nothing. True when the record is on file;
    otherwise the reason is kept on the declaration and the sweep tries again."""
    from django.utils import translation

    from xinyong.ingest.services.single import record_file_one

    d = (
        Declaration.objects.select_related("subject", "decided_department")
        .filter(pk=declaration_id)
        .first()
    )
    if d is None or not d.record_pending:
        return d is not None and d.record_id is not None
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the enum values are Chinese
            row = _row(d)
        record, error = record_file_one(
            item_code=ITEM, row=row, provider=d.decided_department, source_id=d.number,
            file_name=f"自主申报 {d.number}",
        )  # fmt: skip
    except Exception as e:  # ingestion failed: the declaration stays verified, retried later
        log.exception("declaration %s: record not written", d.pk)
        record, error = None, str(e) or e.__class__.__name__
    if record is None:
        Declaration.objects.filter(pk=d.pk).update(record_error=error[:500])
        return False
    Declaration.objects.filter(pk=d.pk).update(record=record, record_error="")
    return True


def declarations_record_pending(*, limit: int = 500) -> tuple[int, int]:
    """The sweep: write the records of verified declarations still pending (the daily
    upkeep runs it; ``xinyong declarations record``). ``(written, still pending)``."""
    pending = list(
        Declaration.objects.filter(status=DeclarationStatus.VERIFIED, record__isnull=True)
        .order_by("decided_at")
        .values_list("pk", flat=True)[:limit]
    )
    written = sum(declaration_record(declaration_id=pk) for pk in pending)
    return written, len(pending) - written
