"""Reads of the reports app."""

# -- where to get a report: its files, the subject's list, a report named as a material --
# (appended by the "where to get it" work; other reads of the app follow their own blocks)

import datetime
import hmac
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.prepared import Prepared
from xinyong.core.sealed import open_sealed
from xinyong.reports.choices import BATCH_RETRY_MAX, BatchStatus, ReportKind
from xinyong.reports.models import Report, ReportBatch, ReportVerification, SigningKey
from xinyong.reports.schemas import SignatureOut, SigningKeyOut
from xinyong.reports.services.issue import code_hash, pdf_path
from xinyong.reports.signing import ALG, current_public

NUMBER_MAX = 32
CODE_MAX = 16


def _clean(number: str, code: str) -> tuple[str, str]:
    """Number and code as typed (case and spaces aside); longer than any is none at all."""
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    return (number if len(number) <= NUMBER_MAX else "", code if len(code) <= CODE_MAX else "")


def report_genuine(number: str, code: str) -> Report | None:
    """The report with this number, if ``code`` is its verification code (compared in
    constant time); None for an unknown number or a wrong code alike."""
    number, code = _clean(number, code)
    if not number or not code:
        return None
    report = Report.objects.filter(number=number).select_related("subject").first()
    if report is None or not hmac.compare_digest(report.code_hash, code_hash(number, code)):
        return None
    return report


def report_for_reader(*, actor: Actor, number: str, code: str = "", audit: bool = True) -> Report:
    """The report whose page or files ``actor`` asks for: a public report by its number and
    code (the code is the capability: whoever was handed the report may fetch it again);
    any report by whoever asked for it (:attr:`Action.REPORT_FILE`). Anything else is not
    found — a wrong code tells nothing of the number. Reading a non-public report's files
    is audited (``audit``), since they hold the subject's shared information."""
    report = report_genuine(number, code) if code else None
    if report is not None and report.kind == ReportKind.PUBLIC:
        return report
    number = _clean(number, "")[0]
    report = Report.objects.filter(number=number).select_related("subject").first() if (
        number
    ) else None  # fmt: skip
    if report is None or not access.allowed(actor, Action.REPORT_FILE, report):
        raise NotFound(_("没有该报告，或无权获取"))
    if audit:
        with transaction.atomic():
            report_read_audit(actor, kind=report.kind, object_type="report",
                              object_id=report.number, subject=report.subject_id)  # fmt: skip
    return report


def report_read_audit(actor: Actor, *, kind: str, object_type: str, object_id, **detail) -> None:
    """Step (no transaction of its own; the caller's): the one audit event of reading a
    report's files — a report (``object_type="report"``, its number) or a batch's ZIP — in
    the portal, the API and the back office alike. A public report holds published
    information only: nothing to audit."""
    if kind == ReportKind.PUBLIC:
        return
    audit_event_append(
        actor=actor, action=AuditAction.REPORT_READ, object_type=object_type,
        object_id=object_id, detail={"kind": kind, **detail},
    )  # fmt: skip


def report_pdf(report: Report) -> bytes:
    """The PDF as issued (kept sealed; a change on disk fails to open)."""
    with open_sealed(pdf_path(report.number)) as f:
        return f.read()


@dataclass(frozen=True)
class ReportRow:
    """One report of a subject as its account page lists it."""

    report: Report
    requester: str  # 本账号 / the requesting department / 社会公众
    downloadable: bool  # the account asked for it: its files are the account's
    verifications: list[ReportVerification]  # the latest VERIFICATIONS_SHOWN
    verifications_total: int = 0

    @property
    def verifications_more(self) -> int:
        return self.verifications_total - len(self.verifications)


VERIFICATIONS_SHOWN = 20  # per report on the account page; the total is told


def subject_reports(*, actor: Actor, subject, limit: int = 100) -> list[ReportRow]:
    """The reports issued about ``subject`` that ``actor`` may see (a bound account: every
    report of its subject — like the inquiry records of a credit bureau report, the
    subject learns who obtained a report about it), newest first, each with who verified
    it and when: the latest :data:`VERIFICATIONS_SHOWN` per report and how many in all — a
    report handed to every bidder's desk may be verified thousands of times)."""
    reports = list(
        Report.objects.visible_to(actor)
        .filter(subject_id=subject.pk)
        .select_related("department")
        .order_by("-issued_at", "-id")[:limit]
    )
    checks: dict[int, list[ReportVerification]] = {}
    latest = (
        ReportVerification.objects.filter(report__in=reports)
        .annotate(
            nth=Window(
                RowNumber(), partition_by=F("report_id"), order_by=[F("at").desc(), F("id").desc()]
            )
        )
        .filter(nth__lte=VERIFICATIONS_SHOWN)
        .order_by("report_id", "-at", "-id")
    )
    for v in latest:
        checks.setdefault(v.report_id, []).append(v)
    totals = dict(
        ReportVerification.objects.filter(report__in=reports)
        .values("report_id")
        .annotate(n=Count("id"))
        .values_list("report_id", "n")
    )
    rows = []
    for r in reports:
        if r.department_id is not None:
            who = r.department.name
        elif r.user_id is not None and r.user_id == actor.user_id:
            who = _("本账号")
        elif r.user_id is not None:
            who = _("信用主体的其他账号") if r.kind != ReportKind.PUBLIC else _("社会公众")
        else:
            who = _("社会公众")
        rows.append(
            ReportRow(
                report=r,
                requester=who,
                downloadable=access.allowed(actor, Action.REPORT_FILE, r),
                verifications=checks.get(r.pk, []),
                verifications_total=totals.get(r.pk, 0),
            )
        )
    return rows


def report_as_material(
    *, subject_id: int, number: str, code: str, today: datetime.date, field: str = "report"
) -> Report:
    """A report offered in place of an uploaded one (the repair form): issued by this
    platform (number and code match), about the same subject, still within its validity.
    Refused naming the field and the rule."""
    report = report_genuine(number, code)
    if report is None:
        raise ValidationFailed.one(
            field, "report.unknown", _("报告编号或验证码不正确：未找到本平台出具的该报告")
        )
    if report.subject_id != subject_id:
        raise ValidationFailed.one(field, "report.other_subject", _("该报告不是为本主体出具的"))
    if report.valid_until < today:
        raise ValidationFailed.one(
            field, "report.expired",
            _("该报告已于 %(date)s 过期，请重新获取") % {"date": report.valid_until.isoformat()},
        )  # fmt: skip
    return report


# -- verification (anyone with a report's number and code) ------------------------------

_VERIFY_FIELDS = (
    "id", "number", "code_hash", "kind", "issued_at", "valid_until", "content_sha256",
    "pdf_sha256", "key_id", "signature", "subject_kind", "department_name", "subject_name",
    "subject_code", "issuer", "public_key",
)  # fmt: skip
_VERIFY_SENTINEL = "XY00000000SENTINEL"
# The one query of a verification, compiled once per process (the ORM's compilation of
# its joins, JSON paths and subquery cost several times the query itself).
_verification = Prepared(
    Report.objects.filter(number=_VERIFY_SENTINEL)
    .annotate(
        subject_kind=F("subject__kind"),
        department_name=F("department__name"),
        public_key=Subquery(
            SigningKey.objects.filter(key_id=OuterRef("key_id")).order_by().values("public_key")[:1]
        ),
    )
    .order_by()
    .values_list(*_VERIFY_FIELDS)[:1],
    number=_VERIFY_SENTINEL,
)


def report_for_verification(number: str) -> dict | None:
    """What verification reads of a report, in one query by its unique number: the
    fields the answer publishes (the subject's name and code as the report states them,
    copied from the signed twin at issue), the code's hash, and the public key that
    signed it. The twin is not read (a large report costs the same to verify)."""
    rows = _verification(number=number)
    return dict(zip(_VERIFY_FIELDS, rows[0], strict=True)) if rows else None


def report_twin_signed(report: Report) -> dict:
    """The JSON twin as downloaded (``SignedReportOut``): the report exactly as signed and
    the platform's signature over its canonical form, with the public key that made it
    (which the reader checks against the published keys — never trusts on its own)."""
    public = (
        SigningKey.objects.filter(key_id=report.key_id).values_list("public_key", flat=True).first()
    )
    if public is None:  # signed before the key was remembered (never, but say so plainly)
        key, current = current_public()
        public = current if key == report.key_id else ""
    signature = SignatureOut(
        alg=ALG, key_id=report.key_id, public_key=public or "", value=report.signature
    )
    return {"report": report.twin, "signature": signature.model_dump()}


def signing_keys() -> list[SigningKeyOut]:
    """Every key that signed reports, newest first, the one signing now marked — listed
    even before its first report, so it can be published ahead of a rotation."""
    current, public = current_public()
    keys = [
        SigningKeyOut(
            key_id=k.key_id,
            public_key=k.public_key,
            first_used_at=k.first_used_at,
            last_used_at=k.last_used_at,
            current=k.key_id == current,
        )
        for k in SigningKey.objects.order_by("-first_used_at", "key_id")
    ]
    if not any(k.current for k in keys):
        keys.insert(0, SigningKeyOut(key_id=current, public_key=public, current=True))
    return keys


# -- the back office's reports and batches (wt-office) ----------------------------------


def reports_requested(*, actor: Actor, offset: int = 0, limit: int = 50) -> list[Report]:
    """Reports departments obtained (review, special, batches), newest first: a
    department's staff its own, the operator and the auditor every department's."""
    qs = (
        Report.objects.visible_to(actor)
        .filter(department_id__isnull=False)
        .select_related("subject", "department")
        .defer("twin")
        .order_by("-issued_at", "-pk")
    )
    return list(qs[offset : offset + limit])


def report_get(*, actor: Actor, report_id: int) -> Report:
    report = Report.objects.visible_to(actor).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("没有该报告，或无权查看"))
    return report


def batches_visible(*, actor: Actor, limit: int = 20) -> list[ReportBatch]:
    return list(ReportBatch.objects.visible_to(actor).select_related("department")[:limit])


def batch_get(*, actor: Actor, batch_id: int) -> ReportBatch:
    """A batch the actor may read (its department's; all for the operator and auditor)."""
    batch = ReportBatch.objects.visible_to(actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("没有该批量任务，或无权查看"))
    return batch


def batch_reports(batch: ReportBatch):
    """The batch's reports in the order of its subjects (the order given)."""
    order = {sid: n for n, sid in enumerate(batch.subject_ids)}
    rows = list(batch.reports.select_related("subject").order_by("pk"))
    return sorted(rows, key=lambda r: order.get(r.subject_id, len(order)))


def batches_stalled(now: datetime.datetime | None = None, minutes: int = 10) -> list[int]:
    """Batches queued or running with no report issued for ``minutes``: their worker died
    (or never got them); the watch queues them again."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=minutes)
    out = []
    for b in ReportBatch.objects.filter(
        status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING), created_at__lt=cutoff
    ):
        last = b.reports.order_by("-issued_at").values_list("issued_at", flat=True).first()
        if last is None or last < cutoff:
            out.append(b.pk)
    return out


def batches_retryable() -> list[int]:
    """Failed batches the watch may queue again (fewer than ``BATCH_RETRY_MAX`` retries)."""
    return list(
        ReportBatch.objects.filter(
            status=BatchStatus.FAILED, retries__lt=BATCH_RETRY_MAX
        ).values_list("pk", flat=True)
    )


def batches_unfinished() -> bool:
    """Whether any batch still needs the watch: queued, running, or failed and retryable."""
    return ReportBatch.objects.filter(
        Q(status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING))
        | Q(status=BatchStatus.FAILED, retries__lt=BATCH_RETRY_MAX)
    ).exists()
