"""Verifying a report: anyone holding its number and verification code (printed on the
PDF, carried by its QR code) learns whether the platform issued it, when and for whom, and
— given the file or its SHA-256 — whether the file is the one issued.

An unknown number and a wrong code get the same answer ("not genuine"), in the same time
(the code's hash is computed before the lookup), so numbers cannot be probed. A
verification of a known number with its right code is logged (``ReportVerification``:
the subject sees who checked its reports); like the credit check's log, that row is the
record of a public act and is not also appended to the hash-chained audit trail, whose one
chain would put every bank and tender desk checking a report behind one lock. Nothing is
logged for a wrong code: there is no report it could be attached to without telling the
prober that the number exists.

On the hot path: two statements, two round trips — one indexed lookup (the number is
unique; the answer's fields are columns, never read out of the twin's JSON) and one INSERT
that is its own transaction. On PostgreSQL that INSERT commits without waiting for the WAL
flush (``synchronous_commit`` off for that one transaction): the wait was most of a
verification's time (median 4.5 ms, p99 7 ms at 1M subjects, bench/RESULTS.md), and what a
crash could lose is the log of verifications of the last fraction of a second — never a
report, and never out of order (the WAL is still written in order; only the wait for the
disk is skipped). The log row has no foreign-key constraint: its check would lock the
report's row, a write to the report table on every verification. Both statements run as
SQL compiled once per process (``core.prepared``): the ORM's compilation of the lookup's
joins and subquery cost several times the query itself."""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.core import crypto
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.prepared import fetch
from xinyong.reports import selectors
from xinyong.reports.choices import ReportKind, VerifyChannel, VerifyOutcome
from xinyong.reports.models import ReportVerification
from xinyong.reports.schemas import VerificationOut
from xinyong.reports.services.issue import code_hash
from xinyong.subjects.choices import SubjectKind

# What issue.py makes: "XY", the date, 8 characters of its alphabet (no 0/O, 1/I).
NUMBER = re.compile(r"XY\d{8}[2-9A-HJ-NP-Z]{8}")
CODE = re.compile(r"[2-9A-HJ-NP-Z]{6}")
SHA256 = re.compile(r"[0-9a-f]{64}")
NOT_GENUINE = "not_genuine"
PUBLIC_VERIFIER = "社会公众"  # stored as data: who verified, when nobody signed in
PDF_MAX_MB = 10  # a report is well under 1 MB; an upload beyond this is not one of ours


@dataclass(frozen=True)
class Verification:
    """The answer: ``status`` is a :class:`VerifyOutcome` value or ``NOT_GENUINE`` (then
    ``row`` is None and nothing about the number is told)."""

    status: str
    row: dict | None = None

    @property
    def found(self) -> bool:
        return self.row is not None

    def out(self) -> VerificationOut | None:
        return None if self.row is None else _out(self.status, self.row)


def verify_input_check(number, code, pdf_sha256=None) -> tuple[str, str, str | None]:
    """The number, code and digest normalised (case, spaces), or 422 naming the field."""
    number = (number or "").strip().upper() if isinstance(number, str) else ""
    code = (code or "").strip().upper() if isinstance(code, str) else ""
    errors = []
    if not NUMBER.fullmatch(number):
        errors.append(
            FieldError(
                "number", "format", _("报告编号应为 XY 加 8 位日期和 8 位字母数字，共 18 位")
            )
        )
    if not CODE.fullmatch(code):
        errors.append(FieldError("code", "format", _("验证码应为报告上印制的 6 位字母数字")))
    digest = None
    if pdf_sha256:
        digest = pdf_sha256.strip().lower() if isinstance(pdf_sha256, str) else ""
        if not SHA256.fullmatch(digest):
            errors.append(
                FieldError("sha256", "format", _("文件摘要应为 64 位十六进制 SHA-256 值"))
            )
    if errors:
        raise ValidationFailed(errors)
    return number, code, digest


def report_pdf_digest(upload, field: str = "pdf") -> str:
    """SHA-256 of an uploaded report file, after checking it is a PDF of sensible size
    (told by its first bytes, never by its name)."""
    if upload is None or not upload.size:
        raise ValidationFailed.one(
            field, "file.empty", _("上传的文件是空的，请选择报告的 PDF 文件")
        )
    if upload.size > PDF_MAX_MB * 1024 * 1024:
        raise ValidationFailed.one(
            field,
            "file.too_big",
            _("文件超过 %(mb)d MB，不是本平台出具的报告") % {"mb": PDF_MAX_MB},
        )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationFailed.one(field, "file.format", _("上传的文件不是 PDF 文件"))
    upload.seek(0)
    h = hashlib.sha256()
    for chunk in upload.chunks():
        h.update(chunk)
    return h.hexdigest()


def verifier_label(actor: Actor) -> str:
    """Who verified, as the subject is shown it: the public (anonymous or a portal
    account — a login name is half a credential and says who the person is), the
    department of a staff user (not the person), the name of a business system."""
    if actor.is_public or actor.is_anonymous:
        return PUBLIC_VERIFIER
    if actor.is_client:
        return actor.label[:150]
    if actor.department_id is not None:
        name = Department.objects.filter(pk=actor.department_id).values_list("name", flat=True)
        return (name.first() or PUBLIC_VERIFIER)[:150]
    return settings.XINYONG_PLATFORM_NAME[:150]


def report_verify(
    *, actor: Actor, number: str, code: str, pdf_sha256: str | None = None, channel: str
) -> Verification:
    """Whether the report ``number`` with ``code`` is genuine (and, given the file's
    digest, unchanged) and still valid. Writes one ``ReportVerification`` for a known
    number with its right code; nothing otherwise (see the module's note)."""
    if channel not in VerifyChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    number, code, digest = verify_input_check(number, code, pdf_sha256)
    expected = code_hash(number, code)  # before the lookup: the same time for every answer
    row = selectors.report_for_verification(number)
    if row is None or not hmac.compare_digest(row["code_hash"], expected):
        return Verification(NOT_GENUINE)
    now = timezone.now()
    if digest is not None and not hmac.compare_digest(digest, row["pdf_sha256"]):
        status = VerifyOutcome.ALTERED
    elif row["valid_until"] < timezone.localdate(now):
        status = VerifyOutcome.EXPIRED
    else:
        status = VerifyOutcome.GENUINE
    _log(row["id"], now, channel, str(status), verifier_label(actor))
    return Verification(str(status), row)


_INSERT = (
    f"INSERT INTO {ReportVerification._meta.db_table} "  # a name, not input
    "(report_id, at, channel, outcome, verifier) SELECT %s, %s, %s, %s, %s"
)
_LOG_SQL = _INSERT + " RETURNING id"
# The same INSERT as one statement that is its own transaction and, on PostgreSQL, tells
# its commit not to wait for the WAL flush (``set_config(…, true)`` lasts until the end of
# the statement's implicit transaction, its commit included): one round trip instead of
# BEGIN, SET LOCAL, INSERT and COMMIT.
_LOG_ASYNC_SQL = (
    "WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) "  # noqa: S608
    + _INSERT
    + " FROM async RETURNING id"
)


def _log(report_id: int, at, channel: str, outcome: str, verifier: str) -> int:
    """One ``ReportVerification`` row, one INSERT (no ORM instance on the hot path). On
    its own, it commits at once without waiting for the WAL flush (see the module's note
    on durability); inside a caller's transaction it joins it and commits with it."""
    conn = connections["default"]
    params = [report_id, conn.ops.adapt_datetimefield_value(at), channel, outcome, verifier]
    if conn.vendor == "postgresql" and conn.get_autocommit():
        return fetch("default", _LOG_ASYNC_SQL, params)[0][0]
    with transaction.atomic():
        return fetch("default", _LOG_SQL, params)[0][0]


def _requested_for(row: dict) -> str:
    if row["department_name"]:
        return row["department_name"]
    if row["kind"] == ReportKind.PUBLIC:
        return _("社会公众")
    return _("信用主体本身")


def _out(status: str, row: dict) -> VerificationOut:
    person = row["subject_kind"] == SubjectKind.PERSON
    name = row["subject_name"] or ""
    return VerificationOut(
        genuine=status == VerifyOutcome.GENUINE,
        status=status,
        status_label=str(VerifyOutcome(status).label),
        number=row["number"],
        kind=row["kind"],
        kind_label=str(ReportKind(row["kind"]).label),
        subject_name=crypto.mask_name(name) if person else name,
        subject_code=row["subject_code"] or "",
        issued_at=row["issued_at"],
        valid_until=row["valid_until"],
        requested_for=_requested_for(row),
        content_sha256=row["content_sha256"],
        pdf_sha256=row["pdf_sha256"],
        key_id=row["key_id"],
        signature=row["signature"],
        public_key=row["public_key"] or "",
    )
