"""A subject's authorisation of an agency, the agency's API tokens and the reads it makes
under an authorisation.

An authorisation takes effect only while it is not revoked, not past its end date and the
agency is in good standing; every read checks all three against the database (nothing is
cached), so a revocation, an expiry or a removal ends access at the very next call. Every
read is audited naming the agency, the subject and the authorisation, and logged where the
subject sees it. The public report is issued by ``xinyong.reports`` (never rebuilt here)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.tokens import hash_token
from xinyong.agencies.choices import GOOD_STANDING, AgencyScope, Coverage, Purpose, ReadKind
from xinyong.agencies.models import Agency, AgencyRead, AgencyToken, Authorisation
from xinyong.agencies.services.common import now, own_agency, own_subject, text, valid_id
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record

AGENCY_TOKEN_PREFIX = "xya_"  # noqa: S105 - a public marker, not a secret
MAX_YEARS = 3  # an authorisation lasts at most this long


class AuthorisationEnded(PermissionDenied):
    """The authorisation does not (or no longer) take effect: ``rule`` says why."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


def authorisation_grant(
    *, actor: Actor, subject_id: int, agency_id, purpose: str, covers: list[str],
    valid_until: datetime.date | None,
) -> Authorisation:  # fmt: skip
    """The subject's bound account authorises a filed agency for a purpose, covering the
    listed categories, until an end date (at most three years ahead)."""
    subject = own_subject(actor, subject_id, Action.AGENCY_AUTHORISE)
    errors: list[FieldError] = []
    agency = None
    if isinstance(agency_id, int) and valid_id(agency_id):
        agency = Agency.objects.filter(pk=agency_id, status__in=GOOD_STANDING).first()
    if agency is None:
        errors.append(FieldError("agency", "agency.unknown",
                                 gettext("请从名录中选择已备案的信用服务机构")))  # fmt: skip
    elif agency.subject_id == subject.pk:
        errors.append(FieldError("agency", "agency.self", gettext("不能授权本机构自身")))
    if purpose not in Purpose.values:
        errors.append(FieldError("purpose", "enum", gettext("授权用途应为：%(c)s") % {
            "c": "、".join(str(x) for x in Purpose.labels)}))  # fmt: skip
    covers = list(covers or []) if isinstance(covers, (list, tuple)) else [covers]
    unknown = [c for c in covers if c not in Coverage.values]
    if unknown or not covers:
        errors.append(FieldError("covers", "enum", gettext("请选择授权范围：%(c)s") % {
            "c": "、".join(str(x) for x in Coverage.labels)}))  # fmt: skip
    today = timezone.localdate()
    if not isinstance(valid_until, datetime.date):
        errors.append(FieldError("valid_until", "required", gettext("请填写授权有效期至")))
    elif valid_until < today:
        errors.append(FieldError("valid_until", "date.past", gettext("有效期不能早于今天")))
    elif valid_until > today + datetime.timedelta(days=366 * MAX_YEARS):
        errors.append(
            FieldError(
                "valid_until", "date.too_far", gettext("授权有效期最长 %(n)s 年") % {"n": MAX_YEARS}
            )
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(durable=True):
        a = Authorisation.objects.create(
            subject=subject, agency=agency, purpose=purpose, covers=sorted(set(covers)),
            valid_until=valid_until, granted_by_id=actor.user_id, granted_at=now(),
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_AUTHORISE, object_type="agency_authorisation",
            object_id=a.pk, detail={"subject": subject.pk, "agency": agency.pk,
                                    "purpose": purpose, "covers": a.covers,
                                    "valid_until": valid_until.isoformat()},
        )  # fmt: skip
    return a


def authorisation_revoke(*, actor: Actor, subject_id: int, authorisation_id: int) -> Authorisation:
    """The subject withdraws its consent: from now on the agency's next call is refused."""
    subject = own_subject(actor, subject_id, Action.AGENCY_AUTHORISE)
    with transaction.atomic(durable=True):
        a = (
            Authorisation.objects.select_for_update()
            .filter(pk=authorisation_id, subject=subject).first()
            if valid_id(authorisation_id) else None
        )  # fmt: skip
        if a is None:
            raise NotFound(gettext("没有该授权"))
        if a.revoked_at is not None:
            raise ValidationFailed.one("authorisation", "authorisation.revoked",
                                       gettext("该授权已撤回"))  # fmt: skip
        a.revoked_at, a.revoked_by = now(), actor.label
        a.save(update_fields=["revoked_at", "revoked_by"])
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_AUTHORISATION_REVOKE,
            object_type="agency_authorisation", object_id=a.pk,
            detail={"subject": subject.pk, "agency": a.agency_id},
        )  # fmt: skip
    return a


def authorisation_usable(a: Authorisation, *, today: datetime.date | None = None) -> None:
    """Refuse, saying why, unless the authorisation takes effect now."""
    today = today or timezone.localdate()
    if a.revoked_at is not None:
        raise AuthorisationEnded("authorisation.revoked", gettext(
            "该授权已于 %(t)s 被主体撤回，不能再获取其信息") % {
            "t": timezone.localtime(a.revoked_at).strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    if a.valid_until < today:
        raise AuthorisationEnded(
            "authorisation.expired",
            gettext("该授权已于 %(d)s 到期，不能再获取其信息") % {"d": a.valid_until.isoformat()},
        )
    if a.agency.status not in GOOD_STANDING:
        raise AuthorisationEnded(
            "agency.not_in_good_standing", gettext("本机构已被移出信用服务机构名录，授权不再有效")
        )


def token_issue(
    *, actor: Actor, subject_id: int, name: str, scopes: list[str],
    expires_on: datetime.date | None = None,
) -> tuple[AgencyToken, str]:  # fmt: skip
    """A filed agency's bound account issues a token for its systems; the token is shown
    once and only its hash is kept."""
    errors: list[FieldError] = []
    name = text(errors, "name", name, 100, gettext("请填写令牌名称"))
    scopes = list(scopes or []) if isinstance(scopes, (list, tuple)) else [scopes]
    if not scopes or any(s not in AgencyScope.values for s in scopes):
        errors.append(FieldError("scopes", "enum", gettext("请选择权限范围：%(c)s") % {
            "c": "、".join(str(x) for x in AgencyScope.labels)}))  # fmt: skip
    if expires_on is not None and (
        not isinstance(expires_on, datetime.date) or expires_on <= timezone.localdate()
    ):
        errors.append(FieldError("expires_on", "date.past", gettext("过期日期须晚于今天")))
    with transaction.atomic(durable=True):
        agency = own_agency(actor, subject_id, lock=True)
        if agency.status not in GOOD_STANDING:
            errors.append(FieldError("subject", "agency.not_filed",
                                     gettext("机构备案后方可签发接口令牌")))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        prefix = secrets.token_hex(4)
        secret = f"{AGENCY_TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        expires_at = None
        if expires_on is not None:
            expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time()))
        token = AgencyToken.objects.create(
            agency=agency, user_id=actor.user_id, name=name, token_prefix=prefix,
            token_hash=hash_token(secret), scopes=sorted(set(scopes)), created_at=now(),
            expires_at=expires_at,
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_TOKEN_ISSUE, object_type="agency_token",
            object_id=token.pk, detail={"agency": agency.pk, "prefix": prefix,
                                        "scopes": token.scopes},
        )  # fmt: skip
    return token, secret


def token_revoke(*, actor: Actor, subject_id: int, token_id: int) -> AgencyToken:
    with transaction.atomic(durable=True):
        agency = own_agency(actor, subject_id, lock=True)
        token = (
            AgencyToken.objects.filter(pk=token_id, agency=agency, revoked_at__isnull=True).first()
            if valid_id(token_id) else None
        )  # fmt: skip
        if token is None:
            raise NotFound(gettext("没有该令牌，或已停用"))
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
        audit_event_append(
            actor=actor, action=AuditAction.AGENCY_TOKEN_REVOKE, object_type="agency_token",
            object_id=token.pk, detail={"agency": agency.pk},
        )  # fmt: skip
    return token


def _authorisation(token: AgencyToken, authorisation_id: int, covers: str) -> Authorisation:
    """The authorisation, if it is this agency's, takes effect now and covers ``covers``.
    Another agency's (or none) is not found: nothing about it is told."""
    a = (
        Authorisation.objects.select_related("agency", "subject")
        .filter(pk=authorisation_id, agency_id=token.agency_id).first()
        if valid_id(authorisation_id) else None
    )  # fmt: skip
    if a is None:
        raise NotFound(gettext("没有该授权"))
    authorisation_usable(a)
    if covers not in a.covers:
        raise AuthorisationEnded(
            "authorisation.not_covered",
            gettext("该授权不包括“%(c)s”") % {"c": Coverage(covers).label},
        )
    return a


def _log(token: AgencyToken, a: Authorisation, kind: str, detail: dict, shown: str) -> None:
    with transaction.atomic():
        AgencyRead.objects.create(
            authorisation=a,
            agency_id=a.agency_id,
            subject_id=a.subject_id,
            token=token,
            kind=kind,
            detail=shown[:200],
            read_at=now(),
        )
        audit_event_append(
            actor=Actor.for_user(token.user), action=AuditAction.AGENCY_READ,
            object_type="agency_authorisation", object_id=a.pk,
            detail={"agency": a.agency_id, "subject": a.subject_id, "authorisation": a.pk,
                    "token": token.token_prefix, "kind": kind, **detail},
        )  # fmt: skip


def agency_read_report(*, token: AgencyToken, authorisation_id: int):
    """The subject's public report, issued by the report service to the agency's account
    (its own audit event), the read logged and audited under the authorisation."""
    from xinyong.reports.choices import ReportKind
    from xinyong.reports.services import report_issue

    a = _authorisation(token, authorisation_id, Coverage.PUBLIC_REPORT)
    issued = report_issue(actor=Actor.for_user(token.user), kind=ReportKind.PUBLIC,
                          subject=a.subject, purpose=str(Purpose(a.purpose).label))  # fmt: skip
    _log(token, a, ReadKind.PUBLIC_REPORT, {"report": issued.report.number}, issued.report.number)
    return a, issued


def agency_read_records(*, token: AgencyToken, authorisation_id: int, category=None,
                        offset: int = 0, limit: int = 50):  # fmt: skip
    """The subject's records as the subject itself sees them (public and shared fields;
    restricted ones stay with the providers), shared with the agency by its consent."""
    from xinyong.records.selectors import _page

    a = _authorisation(token, authorisation_id, Coverage.CONSENTED_RECORDS)
    qs = Record.objects.filter(subject_id=a.subject_id).exclude(status=RecordStatus.EXPIRED)
    page = _page(qs, category=category, offset=offset, limit=limit, level=lambda r: 1)
    ids = [r.id for r in page.records]
    _log(
        token,
        a,
        ReadKind.CONSENTED_RECORDS,
        {"records": ids, "offset": offset},
        gettext("%(n)s 条记录") % {"n": len(ids)},
    )
    return a, page
