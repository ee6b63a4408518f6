"""Batches of reports (a department screening a tender's bidders): up to
``ReportPolicy.batch_max`` subjects, issued by the worker with progress.

Submitting is one act: every code is checked first (invalid: which line and which rule;
unknown: which line), duplicates collapse, and only then is the batch written with one
``report.batch_submit`` audit event — a refused batch writes nothing.

Running issues each report with the single issue's own steps (``report_request_check``,
``prepare``, ``store``, ``issued_record``), each report in its own short durable
transaction with its own ``report.issue`` audit event, which also moves ``done``. Why one
event per report rather than one per chunk: a review report reads one subject's shared
information for one stated purpose, and the audit trail should name that read exactly as
it names a single issue (number, subject, purpose); a crash then leaves every report whole
or absent, progress is committed as it happens, and the event (one INSERT and the chain
head's UPDATE) costs about a millisecond of the ~60 ms of CPU a report takes — most of
it the typesetting and the reads of the content. Resuming is idempotent: the subjects
already issued in the batch are skipped, and the transaction of each report locks the
batch row and checks again, so two workers on one batch never issue two reports for one
subject.

Verification codes of batch reports are *derived*, not stored: ``batch_code(number)`` is
an HMAC of the report's number under the platform's secret (``SECRET_KEY``, with its
fallbacks when rotated), so the ZIP's index can list them at any time without keeping
codes in clear in the database; the report row keeps only the code's hash, as every
report does, and verification is unchanged."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import ApiClient, User
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.reports import content
from xinyong.reports.choices import BATCH_RETRY_MAX, BatchStatus, ReportKind
from xinyong.reports.models import Report, ReportBatch
from xinyong.reports.services.issue import (
    ALPHABET,
    code_hash,
    issued_record,
    new_number,
    pdf_path,
    policy,
    prepare,
    purpose_check,
    report_request_check,
    signing_key_note,
    store,
)
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.models import Subject

log = logging.getLogger(__name__)
BATCH_KINDS = (ReportKind.PUBLIC, ReportKind.REVIEW)
MAX_ERRORS = 50  # a file of 1,000 wrong codes names the first 50
# Subjects whose files are read together (``content.FileReader``): ~7 queries a chunk
# instead of ~14 a report; small enough that a chunk's rows stay a few MB and a report
# issued late in a chunk reads its file at most a few seconds old.
CHUNK = 25


def batch_code(number: str, secret: str | None = None) -> str:
    """The verification code of a batch report, derived from its number (see the module
    docstring): 6 characters of the report alphabet."""
    digest = salted_hmac("xinyong.reports.batch_code", number, secret=secret).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:6])


def batch_code_of(report: Report) -> str:
    """The code of a batch report as printed on it; tries the secret's fallbacks after a
    rotation, and answers "" when none matches (the code is then only on the PDF)."""
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        code = batch_code(report.number, secret)
        if code_hash(report.number, code) == report.code_hash:
            return code
    return ""


@dataclass(frozen=True)
class Coded:
    """One code as given, with where it was given (for the error message)."""

    code: str
    where: str  # "第3行", "文件第5行"


def codes_check(codes: list[Coded], *, limit: int) -> list[Subject]:
    """The subjects of ``codes`` in their order, duplicates collapsed; refuses naming each
    bad line (invalid: the rule; unknown: no such subject). Reads only."""
    errors: list[FieldError] = []
    seen: dict[str, Coded] = {}
    for c in codes:
        if not c.code.strip():
            continue
        try:
            code = validate_uscc(c.code)
        except IdentifierError as e:
            errors.append(FieldError("codes", e.rule, f"{c.where}：{e.message}"))
            continue
        seen.setdefault(code, c)
    if not errors and not seen:
        errors.append(FieldError("codes", "required", _("请填写或上传至少一个统一社会信用代码")))
    if len(seen) > limit:
        errors.insert(0, FieldError(
            "codes", "too_many",
            _("一批最多 %(max)d 个主体，本次去重后有 %(n)d 个") % {"max": limit, "n": len(seen)},
        ))  # fmt: skip
    if errors:
        raise ValidationFailed(errors[:MAX_ERRORS])
    found = dict(Subject.objects.filter(uscc__in=list(seen)).values_list("uscc", "pk"))
    unknown = [
        FieldError("codes", "subject.unknown",
                   _("%(where)s：平台上没有统一社会信用代码为 %(code)s 的主体")
                   % {"where": c.where, "code": code})
        for code, c in seen.items() if code not in found
    ]  # fmt: skip
    if unknown:
        raise ValidationFailed(unknown[:MAX_ERRORS])
    return [found[code] for code in seen]


def report_batch_submit(
    *, actor: Actor, kind: str, purpose: str, codes: list[str | Coded], enqueue=None
) -> ReportBatch:
    """Accept a batch: checked whole before anything is written, then one batch row and one
    audit event; the worker issues the reports (``enqueue``: how the caller queues the
    batch once committed — the tasks module, handed in so services import no tasks)."""
    access.require(
        actor, Action.REPORT_BATCH, message=_("批量信用报告仅限部门工作人员和业务系统获取")
    )
    if kind not in BATCH_KINDS:
        raise ValidationFailed.one(
            "kind", "kind.not_batchable",
            _("批量报告的类型必须是 %(kinds)s 之一") % {"kinds": "、".join(BATCH_KINDS)},
        )  # fmt: skip
    purpose = purpose_check(purpose, required=True)
    coded = [c if isinstance(c, Coded) else Coded(str(c), _("第%(n)d行") % {"n": i})
             for i, c in enumerate(codes, 1)]  # fmt: skip
    subject_ids = codes_check(coded, limit=policy().batch_max)
    persons = Subject.objects.filter(pk__in=subject_ids, kind="person").exists()
    if persons:  # not reachable by USCC today; kept so a person is never batched
        raise ValidationFailed.one("codes", "person_own_only", _("自然人的报告仅限本人获取"))
    with transaction.atomic(durable=True):
        batch = ReportBatch.objects.create(
            department_id=actor.department_id, requested_by=actor.label,
            user_id=actor.user_id, client_id=actor.client_id, kind=kind, purpose=purpose,
            subject_ids=subject_ids, status=BatchStatus.QUEUED, total=len(subject_ids),
            created_at=timezone.now(),
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.REPORT_BATCH_SUBMIT, object_type="report_batch",
            object_id=batch.pk,
            detail={"kind": kind, "purpose": purpose, "total": len(subject_ids)},
        )  # fmt: skip
        if enqueue is not None:
            transaction.on_commit(lambda: enqueue(batch.pk))
    return batch


def batch_actor(batch: ReportBatch) -> Actor | None:
    """Who the batch's reports are issued as (what they may see): its requester as now —
    None when that account or system has since been disabled."""
    if batch.client_id:
        client = ApiClient.objects.filter(pk=batch.client_id, is_active=True).first()
        return Actor.for_client(client) if client else None
    user = User.objects.filter(pk=batch.user_id, is_active=True).first()
    return Actor.for_user(user) if user else None


class _Skip(Exception):
    """Another worker issued this subject's report meanwhile: roll back this one."""


def report_batch_run(
    *, batch_id: int, shard: int = 0, shards: int = 1, stop_after: int | None = None
) -> ReportBatch:
    """Issue the batch's reports not issued yet (resumable; see the module docstring):
    those of every ``shards``-th subject from ``shard`` — a worker per CPU core each takes
    its share (typesetting holds the interpreter, so threads would not help). The batch is
    done when its last report is issued, by whichever worker issues it.
    ``stop_after``: issue at most that many now (tests interrupt a batch with it)."""
    batch = ReportBatch.objects.get(pk=batch_id)
    if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
        return batch
    actor = batch_actor(batch)
    if actor is None:  # final: retrying cannot bring the requester back
        ReportBatch.objects.filter(pk=batch.pk).update(retries=BATCH_RETRY_MAX)
        return _end(batch, BatchStatus.FAILED, _("申请账号或业务系统已停用，批量报告未完成"))
    ReportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    issued = set(batch.reports.values_list("subject_id", flat=True))
    # Shares by subject id, not by position: a subject dropped from the list (below) moves
    # no other subject to another worker's share.
    todo = [sid for sid in batch.subject_ids if sid % shards == shard and sid not in issued]
    stopped = stop_after is not None and len(todo) > stop_after
    if stopped:
        todo = todo[:stop_after]
    subjects = Subject.objects.in_bulk(todo)
    valid_days = policy().validity_days
    signing_key_note(timezone.now())  # before the first report signed with it is saved
    for at in range(0, len(todo), CHUNK):
        chunk = [sid for sid in todo[at : at + CHUNK] if sid in subjects]
        # public: the data computed on a batch engine where fresh (``xinyong report_data``)
        reader = content.FileReader(batch.kind, actor, chunk, timezone.localdate(),
                                    precomputed=True)  # fmt: skip
        for sid in todo[at : at + CHUNK]:
            subject = subjects.get(sid)
            if subject is None:  # merged or removed since: nothing to issue for it
                _drop(batch.pk, sid)
                continue
            _issue_one(actor, batch, subject, valid_days, reader)
    signing_key_note(timezone.now())
    batch = ReportBatch.objects.get(pk=batch.pk)
    if stopped:
        return batch
    if batch.reports.count() < batch.total:
        return batch  # another worker's share is still being issued
    return _end(batch, BatchStatus.DONE, "")


def _drop(batch_id: int, subject_id: int) -> None:
    """A subject gone since submission leaves the batch: out of ``subject_ids`` and
    ``total`` in one UPDATE under the batch row's lock, so a resumed or concurrent run
    does not count it again."""
    with transaction.atomic(durable=True):
        batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
        if subject_id not in batch.subject_ids:
            return  # another worker dropped it
        ReportBatch.objects.filter(pk=batch_id).update(
            subject_ids=[s for s in batch.subject_ids if s != subject_id], total=F("total") - 1
        )


def _issue_one(
    actor: Actor, batch: ReportBatch, subject, valid_days: int,
    reader: content.FileReader | None = None,
) -> None:  # fmt: skip
    req = report_request_check(actor=actor, kind=batch.kind, subject=subject,
                               purpose=batch.purpose)  # fmt: skip
    number = new_number()
    report, _code, pdf = prepare(actor, req, valid_days=valid_days, number=number,
                                 code=batch_code(number), reader=reader)  # fmt: skip
    report.batch_id = batch.pk
    store(report, pdf)
    try:
        with transaction.atomic(durable=True):
            # The batch row's lock serialises two workers on one batch; then check again.
            ReportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
            if Report.objects.filter(batch_id=batch.pk, subject_id=subject.pk).exists():
                raise _Skip
            issued_record(actor, report, key_noted=True)
    except _Skip:
        pdf_path(report.number).unlink(missing_ok=True)  # never referenced by any row


def _end(batch: ReportBatch, status: str, error: str) -> ReportBatch:
    """The batch's end: its status and time (the reports carry their own audit events)."""
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=status, finished_at=timezone.now(), error=error
    )
    batch.refresh_from_db()
    return batch


def report_batch_fail(*, batch_id: int, error: str) -> None:
    """The worker gave up (an error it cannot recover from): the batch says why; the
    reports issued so far stay valid."""
    ReportBatch.objects.filter(pk=batch_id).exclude(status=BatchStatus.DONE).update(
        status=BatchStatus.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def report_batch_requeue(*, batch_id: int) -> bool:
    """The watch queues a failed batch again (a worker's error is often transient: the
    database restarted, the disk was full for a moment), at most :data:`BATCH_RETRY_MAX` times;
    issuing resumes where it stopped. Whether it was queued again."""
    return bool(
        ReportBatch.objects.filter(
            pk=batch_id, status=BatchStatus.FAILED, retries__lt=BATCH_RETRY_MAX
        ).update(status=BatchStatus.QUEUED, retries=F("retries") + 1, finished_at=None)
    )
