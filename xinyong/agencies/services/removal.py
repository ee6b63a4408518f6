"""Removal of an agency from the directory (移出信用服务机构名录), with due process.

The credit office notifies the agency of the facts, the basis and the reasons, with a
deadline for its statement (5 working days, ``core.workdays``); the notice is a PDF the
agency holds (``agencies.printing``). The agency's bound account states its case (a text
and an optional attachment) on its portal page or through the agency API, once and by the
deadline. The decision — the agency removed, or the case dropped (it stays listed, the
mark taken off) — states its reasons and whether the statement was adopted; removing waits
for the deadline unless the agency has answered. A removal ends the agency's tokens and,
since the agency is no longer in good standing, the authorisations given to it.

Each step is one transaction with one audit event; the agency's accounts are told."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.agencies.choices import AgencyStatus, RemovalStatus
from xinyong.agencies.models import Agency, AgencyToken, Removal
from xinyong.agencies.services.common import now, office_agency, text, valid_id
from xinyong.agencies.services.filing import REASON_MAX, tell_agency
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.lists.choices import StatementAdoption

STATEMENT_WORKDAYS = 5  # the agency's time to answer the notice (工作日), as associations
FACTS_MAX, BASIS_MAX, STATEMENT_MAX = 4000, 300, 4000
CREDIT_OFFICE = "信用主管部门"  # the issuer printed when the operator has no department


def _number(prefix: str, case: Removal, when: datetime.datetime) -> str:
    """文号: the prefix, the year, the case's row (unique without a counter to lock)."""
    return f"{prefix}{timezone.localdate(when):%Y}{case.pk:06d}"


def _event(actor: Actor, action: str, case: Removal, **detail) -> None:
    audit_event_append(
        actor=actor, action=action, object_type="agency_removal", object_id=case.pk,
        detail={"agency": case.agency_id, "number": case.number, **detail},
    )  # fmt: skip


def _issuer(actor: Actor) -> str:
    name = Department.objects.filter(pk=actor.department_id).values_list("name", flat=True)
    return name.first() or CREDIT_OFFICE


def agency_removal_notify(
    *, actor: Actor, agency_id: int, facts: str, basis: str, reasons: str
) -> Removal:
    """The credit office tells a filed agency it intends to remove it from the directory:
    the facts, the basis and the reasons, and until when it may state its case. The agency
    stays listed, marked, until the decision."""
    errors: list[FieldError] = []
    facts = text(errors, "facts", facts, FACTS_MAX, gettext("请写明拟移出所依据的事实"))
    basis = text(errors, "basis", basis, BASIS_MAX, gettext("请写明拟移出的依据"))
    reasons = text(errors, "reasons", reasons, REASON_MAX, gettext("请写明拟移出的理由"))
    today = timezone.localdate()
    try:
        due = workdays.add_workdays(today, STATEMENT_WORKDAYS)
    except workdays.CalendarNotCovered as e:
        errors.append(FieldError("statement_due", "calendar.not_covered", str(e)))
    with transaction.atomic(durable=True):
        agency = office_agency(actor, agency_id, Action.AGENCY_REVIEW, lock=True)
        if agency.status != AgencyStatus.FILED:
            errors.append(FieldError("status", "agency.not_filed",
                                     gettext("只有已备案的机构可以告知拟移出")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        case = Removal.objects.create(
            agency=agency, number=uuid.uuid4().hex[:32],
            issuer=_issuer(actor), status=RemovalStatus.NOTIFIED, facts=facts, basis=basis,
            reasons=reasons, notified_by=actor.label, notified_at=now(), statement_due=due,
        )  # fmt: skip
        case.number = _number("XYFWYC", case, case.notified_at)  # by its row
        case.save(update_fields=["number"])
        agency.status = AgencyStatus.REMOVAL_NOTIFIED
        agency.save(update_fields=["status"])
        _event(actor, AuditAction.AGENCY_REMOVAL_NOTIFY, case, due=due.isoformat())
        tell_agency(agency, gettext(
            "信用主管部门拟将本机构移出信用服务机构名录（%(n)s），请于 %(due)s 前陈述申辩："
            "%(r)s") % {"n": case.number, "due": due.isoformat(), "r": reasons})  # fmt: skip
    return case


def _own_case(actor: Actor, subject_id: int, removal_id: int, *, lock=False) -> Removal:
    """A removal case of the agency whose subject the account is bound to (another's, or
    one of an agency the account does not act for, is not found)."""
    qs = Removal.objects.select_related("agency__subject")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = (
        qs.filter(pk=removal_id, agency__subject_id=subject_id).first()
        if valid_id(removal_id) and valid_id(subject_id) else None
    )  # fmt: skip
    if case is None or not access.allowed(actor, Action.AGENCY_ACT, case.agency.subject):
        raise NotFound(gettext("没有该移出名录案件"))
    return case


def statement_refusal(case: Removal, today: datetime.date) -> ValidationFailed | None:
    """Why the agency may not state its case on ``today`` (None: it may) — the one rule
    the service applies and the page asks before offering the form."""
    if case.status != RemovalStatus.NOTIFIED:
        return ValidationFailed.one("statement", "removal.closed",
                                    gettext("该移出名录案件已办结，不能再陈述申辩"))  # fmt: skip
    if case.statement_at is not None:
        return ValidationFailed.one("statement", "removal.answered",
                                    gettext("本机构已提交过陈述申辩"))  # fmt: skip
    if today > case.statement_due:
        return ValidationFailed.one("statement", "removal.late", gettext(
            "陈述申辩期限已于 %(due)s 届满") % {"due": case.statement_due.isoformat()})  # fmt: skip
    return None


def agency_removal_statement(
    *, actor: Actor, subject_id: int, removal_id: int, statement: str, attachment=None
) -> Removal:
    """The agency states its case through its bound account (the portal page or a token
    of that account): the text and at most one attachment (PDF, PNG or JPEG, checked by
    its content), once, by the deadline. Refused, writing nothing, otherwise."""
    case = _own_case(actor, subject_id, removal_id)
    errors: list[FieldError] = []
    statement = text(errors, "statement", statement, STATEMENT_MAX,
                     gettext("请填写陈述申辩意见"))  # fmt: skip
    if attachment is not None:
        try:
            material_check(attachment, "attachment")
        except ValidationFailed as e:
            errors.extend(e.errors)
    refusal = statement_refusal(case, timezone.localdate())
    if refusal is not None:
        errors = refusal.errors + [e for e in errors if e.field != "statement"]
    if errors:
        raise ValidationFailed(errors)
    stored, digest = ("", "") if attachment is None else material_store(attachment)
    try:
        with transaction.atomic(durable=True):
            case = _own_case(actor, subject_id, removal_id, lock=True)
            refusal = statement_refusal(case, timezone.localdate())
            if refusal is not None:
                raise refusal
            case.statement, case.statement_at, case.statement_by = statement, now(), actor.label
            if stored:
                case.statement_file_path, case.statement_file_sha256 = stored, digest
                case.statement_file_name = (attachment.name or "").rsplit("/", 1)[-1][:255]
            case.save()
            _event(actor, AuditAction.AGENCY_REMOVAL_STATEMENT, case, file=digest)
            tell_agency(case.agency, gettext("本机构对移出名录告知（%(n)s）的陈述申辩已提交")
                        % {"n": case.number})  # fmt: skip
    except BaseException:
        if stored:
            material_discard(stored)
        raise
    return case


def _decision_input(errors: list, case: Removal, reasons: str, adoption: str) -> tuple[str, str]:
    reasons = text(errors, "reasons", reasons, REASON_MAX, gettext("请写明决定的理由"))
    adoption = adoption if isinstance(adoption, str) else ""
    if case.statement_at is None:
        return reasons, ""  # nothing was said: nothing to adopt
    if adoption not in StatementAdoption.values:
        errors.append(FieldError("statement_adoption", "required", gettext(
            "机构已陈述申辩，请选择对陈述申辩的采纳情况：%(c)s") % {
            "c": "、".join(str(x) for x in StatementAdoption.labels)}))  # fmt: skip
    return reasons, adoption


def _open_case(actor: Actor, agency_id: int) -> tuple[Agency, Removal]:
    agency = office_agency(actor, agency_id, Action.AGENCY_REVIEW, lock=True)
    case = (
        Removal.objects.select_for_update()
        .filter(agency=agency, status=RemovalStatus.NOTIFIED).first()
    )  # fmt: skip
    if case is None:
        message = gettext("须先告知拟移出的事实、依据和理由，再作出决定")
        raise ValidationFailed.one("status", "agency.not_notified", message)
    return agency, case


def _decide(case: Removal, actor: Actor, status: str, reasons: str, adoption: str) -> None:
    case.status, case.decision_reasons, case.statement_adoption = status, reasons, adoption
    case.decided_by, case.decided_at = actor.label, now()
    case.decision_number = _number("XYFWJD", case, case.decided_at)
    case.save()


def agency_remove(
    *, actor: Actor, agency_id: int, reasons: str, statement_adoption: str = ""
) -> Removal:
    """The decision to remove, after the notice: refused before the deadline unless the
    agency has answered; a statement must be answered (adopted in part or not — one
    adopted in full is a reason to drop the case, not to remove). The agency leaves the
    directory, its tokens end and the authorisations given to it no longer take effect."""
    errors: list[FieldError] = []
    with transaction.atomic(durable=True):
        agency, case = _open_case(actor, agency_id)
        reasons, adoption = _decision_input(errors, case, reasons, statement_adoption)
        today = timezone.localdate()
        if case.statement_at is None and today <= case.statement_due:
            errors.append(FieldError("status", "removal.period", gettext(
                "机构的陈述申辩期限 %(due)s 尚未届满，且尚未陈述申辩，暂不能作出移出决定")
                % {"due": case.statement_due.isoformat()}))  # fmt: skip
        if adoption == StatementAdoption.ADOPTED:
            errors.append(FieldError("statement_adoption", "removal.adopted", gettext(
                "采纳机构的陈述申辩的，应终止移出程序，而非决定移出")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        _decide(case, actor, RemovalStatus.REMOVED, reasons, adoption)
        agency.status, agency.removed_at = AgencyStatus.REMOVED, case.decided_at
        agency.save(update_fields=["status", "removed_at"])
        ended = AgencyToken.objects.filter(agency=agency, revoked_at__isnull=True).update(
            revoked_at=case.decided_at
        )
        _event(actor, AuditAction.AGENCY_REMOVE, case, decision=case.decision_number,
               adoption=adoption, tokens_ended=ended)  # fmt: skip
        tell_agency(agency, gettext("本机构已被移出信用服务机构名录（%(n)s）：%(r)s") % {
            "n": case.decision_number, "r": reasons})  # fmt: skip
    return case


def agency_removal_drop(
    *, actor: Actor, agency_id: int, reasons: str, statement_adoption: str = ""
) -> Removal:
    """The credit office drops the case (at any time before its decision): the agency
    stays in the directory and its mark is taken off; the reasons, and the answer to a
    statement it made, are kept and told."""
    errors: list[FieldError] = []
    with transaction.atomic(durable=True):
        agency, case = _open_case(actor, agency_id)
        reasons, adoption = _decision_input(errors, case, reasons, statement_adoption)
        if errors:
            raise ValidationFailed(errors)
        _decide(case, actor, RemovalStatus.DROPPED, reasons, adoption)
        agency.status = AgencyStatus.FILED
        agency.save(update_fields=["status"])
        _event(actor, AuditAction.AGENCY_REMOVAL_DROP, case, decision=case.decision_number,
               adoption=adoption)  # fmt: skip
        tell_agency(agency, gettext("信用主管部门已终止本机构的移出名录程序（%(n)s）：%(r)s") % {
            "n": case.decision_number, "r": reasons})  # fmt: skip
    return case
