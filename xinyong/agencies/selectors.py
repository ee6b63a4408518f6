"""Reads of the credit service agencies: the public directory (names, codes, scope, filing
number and date, status, counts — never a person's identifier), an agency's own pages,
a subject's authorisations and the reads made under them, the credit office's queue.

Who reads what is the access layer's: the bound account its own agency and its own
subject's authorisations (``AGENCY_ACT`` / ``AGENCY_AUTHORISE``), staff the back office
(``AGENCY_VIEW``); a token is checked here against the database on every call."""

import hmac
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.tokens import hash_token
from xinyong.agencies import printing
from xinyong.agencies.choices import (
    GOOD_STANDING,
    AgencyStatus,
    FilingStatus,
    PersonRole,
    RemovalStatus,
    ReportSubjectKind,
)
from xinyong.agencies.models import (
    Agency,
    AgencyFiling,
    AgencyPerson,
    AgencyRead,
    AgencyReport,
    AgencyToken,
    Authorisation,
    FilingFile,
    Misconduct,
    Removal,
)
from xinyong.agencies.services.access import AGENCY_TOKEN_PREFIX
from xinyong.agencies.services.common import own_subject, valid_id
from xinyong.agencies.services.removal import statement_refusal
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.subjects.choices import SubjectKind

DIRECTORY_MAX = 200


def _practitioners():
    return Count(
        "persons",
        filter=Q(persons__role=PersonRole.PRACTITIONER, persons__ended_at__isnull=True),
    )


def directory(*, q: str = "") -> list[Agency]:
    """The public directory: agencies in good standing (one notified of removal still is,
    marked), with the count of their practitioners."""
    qs = Agency.objects.filter(status__in=GOOD_STANDING).select_related("subject")
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(
            Q(subject__name__icontains=q) | Q(subject__uscc=q.upper()) | Q(filing_number=q.upper())
        )
    return list(
        qs.annotate(practitioners=_practitioners()).order_by("filing_number")[:DIRECTORY_MAX]
    )


def directory_entry(*, agency_id: int) -> Agency:
    """One agency of the directory (a removed one stays findable, marked, so that a
    report it issued can be judged)."""
    agency = (
        Agency.objects.filter(pk=agency_id)
        .exclude(filing_number="")
        .select_related("subject")
        .annotate(practitioners=_practitioners())
        .first()
        if valid_id(agency_id) else None
    )  # fmt: skip
    if agency is None:
        raise NotFound(gettext("没有该信用服务机构"))
    agency.removal = (
        agency.removals.filter(status=RemovalStatus.REMOVED).order_by("-decided_at").first()
        if agency.status == AgencyStatus.REMOVED else None
    )  # fmt: skip
    return agency


def filed_agencies() -> list[tuple[int, str]]:
    """The agencies a subject may authorise: (id, name — filing number)."""
    qs = Agency.objects.filter(status__in=GOOD_STANDING).select_related("subject")
    return [(a.pk, f"{a.subject.name}（{a.filing_number}）") for a in qs.order_by("filing_number")]


def account_agency(*, actor: Actor, subject_id: int) -> dict:
    """A bound account's agency page: the agency (or none yet), its filings, persons,
    tokens and registered reports."""
    subject = own_subject(actor, subject_id)
    agency = Agency.objects.filter(subject=subject).first()
    out = {"subject": subject, "agency": agency, "filings": [], "persons": [], "tokens": [],
           "reports": [], "removals": [], "pending": False}  # fmt: skip
    if agency is not None:
        out["filings"] = list(agency.filings.prefetch_related("files", "persons")[:20])
        out["pending"] = any(f.status == FilingStatus.SUBMITTED for f in out["filings"])
        out["persons"] = list(
            AgencyPerson.objects.filter(agency=agency, ended_at__isnull=True)
            .select_related("person").order_by("role", "pk")
        )  # fmt: skip
        out["tokens"] = list(AgencyToken.objects.filter(agency=agency)[:50])
        out["reports"] = list(
            AgencyReport.objects.filter(agency=agency).select_related("subject")[:50]
        )
        out["removals"] = list(agency.removals.all()[:20])
        today = timezone.localdate()
        for case in out["removals"]:  # the statement form is offered while it may be made
            case.may_answer = statement_refusal(case, today) is None
    return out


def reports_about(subject) -> list[AgencyReport]:
    """The reports agencies registered about this subject: an organisation's by its row,
    a person's by the keyed hash of its identifier (the report keeps no link to it)."""
    if subject.kind == SubjectKind.PERSON:
        if not subject.id_hash:
            return []
        qs = AgencyReport.objects.filter(
            subject_kind=ReportSubjectKind.PERSON, person_id_type=subject.id_type,
            person_id_hash=subject.id_hash,
        )  # fmt: skip
    else:
        qs = AgencyReport.objects.filter(subject=subject)
    return list(qs.select_related("agency__subject")[:200])


def subject_authorisations(*, actor: Actor, subject_id: int) -> dict:
    """Every authorisation the subject gave, with whether it takes effect now, and the log
    of the reads agencies made under them."""
    subject = own_subject(actor, subject_id, Action.AGENCY_AUTHORISE)
    today = timezone.localdate()
    rows = list(Authorisation.objects.filter(subject=subject).select_related("agency__subject"))
    for a in rows:
        a.in_effect = (
            a.revoked_at is None and a.valid_until >= today and a.agency.status in GOOD_STANDING
        )
    reads = list(AgencyRead.objects.filter(subject=subject).select_related("agency__subject")[:200])
    reports = reports_about(subject)
    if reports:  # what agencies said about the subject is not public: the read is audited
        with transaction.atomic():
            audit_event_append(
                actor=actor, action=AuditAction.CREDIT_FILE_READ, object_type="subject",
                object_id=subject.pk, detail={"agency_reports": [r.pk for r in reports]},
            )  # fmt: skip
    return {"subject": subject, "authorisations": rows, "reads": reads, "reports": reports}


def token_authenticate(secret: str) -> AgencyToken | None:
    """The token this secret is, if it is not stopped or expired, its account is still
    bound to the agency and the agency is in good standing; constant-time compare. Read
    from the database on every call, so a stop or a removal takes effect at once."""
    if not isinstance(secret, str) or not secret.startswith(AGENCY_TOKEN_PREFIX):
        return None
    prefix, _, rest = secret[len(AGENCY_TOKEN_PREFIX) :].partition("_")
    if not prefix or not rest or "\x00" in prefix or len(prefix) > 12:
        return None
    token = (
        AgencyToken.objects.select_related("agency__subject", "user")
        .filter(token_prefix=prefix, revoked_at__isnull=True).first()
    )  # fmt: skip
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(secret)):
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    if token.agency.status not in GOOD_STANDING:
        return None
    if not access.allowed(Actor.for_user(token.user), Action.AGENCY_ACT, token.agency.subject):
        return None  # the account is no longer bound to the agency
    AgencyToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def agency_authorisations(*, token: AgencyToken) -> list[Authorisation]:
    """The authorisations given to the token's agency (each says whether it is in effect)."""
    today = timezone.localdate()
    rows = list(
        Authorisation.objects.filter(agency_id=token.agency_id).select_related("subject")[:500]
    )
    for a in rows:
        a.in_effect = a.revoked_at is None and a.valid_until >= today
    return rows


# -- back office ----------------------------------------------------------------------
def office_queue(*, actor: Actor) -> dict:
    access.require(actor, Action.AGENCY_VIEW)
    pending = list(
        AgencyFiling.objects.filter(status=FilingStatus.SUBMITTED)
        .select_related("agency__subject").order_by("submitted_at")
    )  # fmt: skip
    agencies = list(
        Agency.objects.select_related("subject").annotate(practitioners=_practitioners())
        .order_by("status", "filing_number")[:500]
    )  # fmt: skip
    removals = list(
        Removal.objects.filter(status=RemovalStatus.NOTIFIED)
        .select_related("agency__subject").order_by("statement_due", "pk")
    )  # fmt: skip
    return {"pending": pending, "agencies": agencies, "removals": removals}


def office_agency_detail(*, actor: Actor, agency_id: int) -> dict:
    access.require(actor, Action.AGENCY_VIEW)
    agency = (
        Agency.objects.select_related("subject").filter(pk=agency_id).first()
        if valid_id(agency_id) else None
    )  # fmt: skip
    if agency is None:
        raise NotFound(gettext("没有信用服务机构 %(id)s") % {"id": agency_id})
    filings = list(agency.filings.prefetch_related("files", "persons")[:20])
    persons = list(
        AgencyPerson.objects.filter(agency=agency).select_related("person").order_by("role", "pk")
    )
    return {
        "agency": agency, "filings": filings, "persons": persons,
        "misconduct": list(
            Misconduct.objects.visible_to(actor).filter(agency=agency).select_related("department")
        ),
        "reports": list(AgencyReport.objects.filter(agency=agency).select_related("subject")[:50]),
        "removals": list(agency.removals.all()[:20]),
        "authorisations": Authorisation.objects.filter(agency=agency).count(),
        "tokens": AgencyToken.objects.filter(agency=agency, revoked_at__isnull=True).count(),
    }  # fmt: skip


def filing_file(*, actor: Actor, file_id: int) -> tuple[Path, str]:
    """A filing's material for the back office (the read audited): its path and name."""
    access.require(actor, Action.AGENCY_VIEW)
    f = FilingFile.objects.filter(pk=file_id).first() if valid_id(file_id) else None
    if f is None:
        raise NotFound(gettext("没有该材料"))
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.AGENCY_FILE_READ,
                           object_type="agency_filing", object_id=f.filing_id,
                           detail={"file": f.pk, "sha256": f.sha256})  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / f.path, f.name


# -- removal documents ------------------------------------------------------------------
DOCUMENTS = ("notice", "decision")


def _document(actor: Actor, case: Removal, which: str) -> tuple[str, bytes]:
    """The case's notice or decision as a PDF; the read audited (a decision exists only
    once decided: before, not found)."""
    if which not in DOCUMENTS or (which == "decision" and case.decided_at is None):
        raise NotFound(gettext("没有该文书"))
    name, pdf = (printing.notice_pdf if which == "notice" else printing.decision_pdf)(case)
    number = case.number if which == "notice" else case.decision_number
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.DOCUMENT_READ,
                           object_type="agency_removal", object_id=case.pk,
                           detail={"document": which, "number": number,
                                   "agency": case.agency_id})  # fmt: skip
    return name, pdf


def removal_document(*, actor: Actor, subject_id: int, removal_id: int, which: str):
    """A document of the agency's own removal case, for its bound account."""
    subject = own_subject(actor, subject_id)
    case = (
        Removal.objects.select_related("agency__subject")
        .filter(pk=removal_id, agency__subject=subject).first()
        if valid_id(removal_id) else None
    )  # fmt: skip
    if case is None:
        raise NotFound(gettext("没有该移出名录案件"))
    return _document(actor, case, which)


def _office_case(actor: Actor, removal_id: int) -> Removal:
    access.require(actor, Action.AGENCY_VIEW)
    case = (
        Removal.objects.select_related("agency__subject").filter(pk=removal_id).first()
        if valid_id(removal_id) else None
    )  # fmt: skip
    if case is None:
        raise NotFound(gettext("没有该移出名录案件"))
    return case


def office_removal_document(*, actor: Actor, removal_id: int, which: str):
    return _document(actor, _office_case(actor, removal_id), which)


def office_statement_file(*, actor: Actor, removal_id: int) -> tuple[Path, str]:
    """The attachment of an agency's statement, for the back office (the read audited):
    its path and name."""
    case = _office_case(actor, removal_id)
    if not case.statement_file_path:
        raise NotFound(gettext("没有该材料"))
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.AGENCY_FILE_READ,
                           object_type="agency_removal", object_id=case.pk,
                           detail={"sha256": case.statement_file_sha256})  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / case.statement_file_path, case.statement_file_name


def agency_removals(*, token: AgencyToken) -> list[Removal]:
    """The token's agency's removal cases, newest first (the API's view of its own)."""
    return list(Removal.objects.filter(agency_id=token.agency_id)[:50])
