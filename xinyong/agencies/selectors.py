"""Reads of the credit service agencies: the public directory (names, codes, scope, filing
number and date, status, counts — never a person's identifier), an agency's own pages,
a subject's authorisations and the reads made under them, the credit office's queue.

Who reads what is the access layer's: the bound account its own agency and its own
subject's authorisations (``AGENCY_ACT`` / ``AGENCY_AUTHORISE``), staff the back office
(``AGENCY_VIEW``); a token is checked here against the database on every call."""

import hmac

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.tokens import hash_token
from xinyong.agencies.choices import GOOD_STANDING, FilingStatus, PersonRole
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
)
from xinyong.agencies.services.access import AGENCY_TOKEN_PREFIX
from xinyong.agencies.services.common import own_subject, valid_id
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound

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
           "reports": [], "pending": False}  # fmt: skip
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
    return out


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
    return {"subject": subject, "authorisations": rows, "reads": reads}


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
    return {"pending": pending, "agencies": agencies}


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
        "authorisations": Authorisation.objects.filter(agency=agency).count(),
        "tokens": AgencyToken.objects.filter(agency=agency, revoked_at__isnull=True).count(),
    }  # fmt: skip


def filing_file(*, actor: Actor, file_id: int) -> FilingFile:
    """A filing's material for the back office (the read audited)."""
    access.require(actor, Action.AGENCY_VIEW)
    f = FilingFile.objects.filter(pk=file_id).first() if valid_id(file_id) else None
    if f is None:
        raise NotFound(gettext("没有该材料"))
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.AGENCY_FILE_READ,
                           object_type="agency_filing", object_id=f.filing_id,
                           detail={"file": f.pk, "sha256": f.sha256})  # fmt: skip
    return f
