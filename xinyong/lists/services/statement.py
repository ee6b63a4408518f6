"""The subject's side of the designation procedure: its statement and defence (陈述申辩)
filed online through its bound portal account, within the period the prior notice set,
with attachments; and the rule that a decision answers a statement. The clerk then
records the hearing from it (``entry_hear``), and the decision says whether it was
adopted and why."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.lists.choices import EntryAction, EntryStatus, StatementAdoption
from xinyong.lists.models import EntryStatement, ListEntry, ListEntryEvent, StatementFile

MAX_TEXT = 5000  # characters of one statement
MAX_FILES = 5  # attachments of one statement


def answer_errors(entry: ListEntry, adoption: str, reply: str) -> list[FieldError]:
    """A decision after a statement answers it: whether it was adopted, and why."""
    if not entry.statement:
        return []
    errors = []
    if adoption not in StatementAdoption.values:
        errors.append(FieldError(
            "statement_adoption", "required",
            gettext("当事人提出了陈述申辩：请选择采纳情况（%(choices)s）")
            % {"choices": "、".join(map(str, StatementAdoption.labels))},
        ))  # fmt: skip
    if not reply:
        errors.append(FieldError(
            "statement_reply", "required",
            gettext("当事人提出了陈述申辩：认定决定须写明采纳或不予采纳的理由"),
        ))  # fmt: skip
    elif len(reply) > 2000:
        errors.append(FieldError("statement_reply", "max_length",
                                 gettext("理由不得超过 2000 字")))  # fmt: skip
    return errors


def _period_refusal(entry: ListEntry, today) -> ValidationFailed | None:
    """Why a statement cannot be filed now, or None: only after the prior notice and
    until the last day of the period (inclusive)."""
    if entry.status != EntryStatus.NOTIFIED or entry.statement_due is None:
        return ValidationFailed.one(
            "entry", "statement.not_open",
            gettext("该案件当前为“%(status)s”，不在陈述申辩阶段，不能在线提交陈述申辩")
            % {"status": EntryStatus(entry.status).label},
        )  # fmt: skip
    if today > entry.statement_due:
        return ValidationFailed.one(
            "entry", "statement.period_ended",
            gettext("陈述申辩期已于%(due)s届满，不再受理在线陈述申辩；如有正当理由，请与"
                    "%(department)s联系")
            % {"due": f"{entry.statement_due:%Y-%m-%d}", "department": entry.department.name},
        )  # fmt: skip
    return None


def _entry(actor: Actor, entry_id: int, *, lock: bool = False) -> ListEntry:
    qs = ListEntry.objects.select_related("department", "list_type", "subject")
    entry = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=entry_id).first()
    message = gettext("没有名单条目 %(id)s") % {"id": entry_id}
    if entry is None or entry.status in (EntryStatus.OPENED, EntryStatus.DROPPED):
        raise NotFound(message)  # the subject was never told of it
    access.require(actor, Action.ENTRY_STATEMENT, entry, hide=True, message=message)
    return entry


def entry_statement_file(*, actor: Actor, entry_id: int, text: str, files=()) -> EntryStatement:
    """The subject states its case online: the text (required, at most :data:`MAX_TEXT`
    characters) and up to :data:`MAX_FILES` attachments (PDF, PNG or JPEG, checked by
    content). Refused, writing nothing, outside the period or once heard; another
    subject's case is not found. The case's log shows it; one audit event."""
    text = (text or "").strip()
    files = [f for f in files if f is not None]
    entry = _entry(actor, entry_id)
    refusal = _period_refusal(entry, timezone.localdate())
    if refusal:
        raise refusal
    errors = []
    if not text:
        errors.append(FieldError("statement_text", "required", gettext("请填写陈述申辩意见")))
    elif len(text) > MAX_TEXT:
        message = gettext("陈述申辩意见不得超过 %(n)s 字") % {"n": MAX_TEXT}
        errors.append(FieldError("statement_text", "max_length", message))
    if len(files) > MAX_FILES:
        errors.append(FieldError("files", "max_count", gettext("附件最多 %(n)s 个")
                                 % {"n": MAX_FILES}))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    for f in files:
        material_check(f, "files")
    stored = []
    try:
        for f in files:
            stored.append((*material_store(f), f.name))
        with transaction.atomic(durable=True):
            entry = _entry(actor, entry_id, lock=True)
            now = timezone.now()
            refusal = _period_refusal(entry, timezone.localdate(now))
            if refusal:
                raise refusal
            statement = EntryStatement.objects.create(
                entry=entry, text=text, filed_by=actor.label, user_id=actor.user_id,
                filed_at=now,
            )  # fmt: skip
            StatementFile.objects.bulk_create([
                StatementFile(statement=statement, path=path, sha256=digest,
                              name=(name or "").rsplit("/", 1)[-1][:255])
                for path, digest, name in stored
            ])  # fmt: skip
            ListEntryEvent.objects.create(
                entry=entry, action=EntryAction.STATEMENT, from_status=entry.status,
                to_status=entry.status, actor=actor.label, at=now, note=text[:200],
            )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.LIST_ENTRY_STATEMENT, object_type="list_entry",
                object_id=entry.pk,
                detail={"statement": statement.pk, "subject": entry.subject_id,
                        "files": [digest for _p, digest, _n in stored]},
            )  # fmt: skip
    except BaseException:
        for path, _d, _n in stored:
            material_discard(path)
        raise
    return statement
