"""Facts a platform workflow decided — a verified self-declaration, a substantiated tip, a
credit service agency's misconduct, an inspection result, a commitment's state, an industry
sanction — entering the credit file as any department's submission would: a batch in the
deciding body's name, processed at once, so that their provenance, history and publicity
are those of every record. Written once here: submit, process, and say what happened; and
leave the file the same way when the workflow revokes its decision (a one-row withdrawal)."""

from django.utils.translation import gettext

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.ingest.choices import BatchStatus
from xinyong.records.choices import Channel, RecordStatus
from xinyong.records.models import Record


class NotFiled(RuntimeError):
    """A workflow's rows were not all accepted. Raised inside the workflow's transaction,
    so that its decision and its records stay one act: neither is kept."""

    def __init__(self, item_code: str, status: str, errors: list):
        self.item_code, self.status, self.errors = item_code, status, errors
        super().__init__(f"{item_code} not filed: {status} {errors}")

    @property
    def why(self) -> str:
        """The batch's or its rows' own words, for a message to the person who decided."""
        return _said(self.errors, gettext("信用记录未写入"))


def _said(errors: list, otherwise: str) -> str:
    """The errors' own words, joined; ``otherwise`` when there are none."""
    return "；".join(_message(e) for e in errors) or otherwise


def _message(error) -> str:
    return str(error.get("message", error)) if isinstance(error, dict) else str(error)


def _on_file(provider, item_code: str, source_id: str):
    """The active record a workflow filed as ``source_id`` (at most one)."""
    return Record.objects.filter(
        provider_id=provider.pk, item_code=item_code, source_id=source_id,
        status=RecordStatus.ACTIVE,
    )  # fmt: skip


def platform_filer(actor: Actor) -> Actor:
    """The platform filing on behalf of whoever decided (their label kept for the trail):
    items only a workflow files, and providers' limits, let the platform in, not the
    person, and the decision was already that person's audited act."""
    return Actor(kind=ActorKind.SYSTEM, label=actor.label, role=Role.PLATFORM_OPERATOR)


def rows_file(
    *, actor: Actor, item_code: str, rows: list[dict], provider_code: str,
    file_name: str = "", strict: bool = True,
):  # fmt: skip
    """Submit and process the rows as one batch of ``provider_code``; the processed batch.
    ``strict``: every row must be accepted, or :class:`NotFiled` is raised with the first
    three errors (the batch's, else its rejected rows')."""
    from xinyong.ingest import services as ingest  # read at call time (tests break it)

    batch = ingest.batch_submit_rows(
        actor=actor, item_code=item_code, rows=rows, channel=Channel.FORM,
        provider_code=provider_code, file_name=file_name,
    )  # fmt: skip
    batch = ingest.batch_process(batch_id=batch.pk)
    if strict and (batch.status != BatchStatus.DONE or batch.rejected):
        raise NotFiled(item_code, batch.status, _errors(batch)[:3])
    return batch


def _errors(batch) -> list:
    if batch.errors:
        return list(batch.errors)
    failed = batch.rows.exclude(errors=None).order_by("pk").first()
    return list(failed.errors) if failed else []


def record_file_one(
    *, item_code: str, row: dict, provider, source_id: str, file_name: str,
    actor: Actor = SYSTEM,
) -> tuple[Record | None, str]:  # fmt: skip
    """Submit and process the row; the active record it is on file as (idempotent by
    ``source_id``: a resubmission changes nothing), or None and why not, in the batch's or
    the row's own words. Submitted by the platform itself by default: the decision was the
    department's audited act. An unexpected failure (a full disk) is raised: the caller
    keeps its decision and tries again later."""
    batch = rows_file(
        actor=actor, item_code=item_code, rows=[row], provider_code=provider.code,
        file_name=file_name, strict=False,
    )  # fmt: skip
    record = _on_file(provider, item_code, source_id).first()
    if record is not None:
        return record, ""
    return None, NotFiled(item_code, batch.status, _errors(batch)).why


def record_withdraw_one(
    *, item_code: str, provider, source_id: str, reason: str, file_name: str,
    actor: Actor = SYSTEM,
) -> tuple[bool, str]:  # fmt: skip
    """Withdraw the record a workflow filed with :func:`record_file_one`, when the workflow
    revokes its decision: a one-row withdrawal batch in the same provider's name (the
    reason kept with the record, at most 500 characters), processed at once — the history,
    the takedown from public view and the outbound feeds are those of any withdrawal.
    ``(True, "")`` once no active record of ``source_id`` is left (idempotent: nothing on
    file is nothing to withdraw), or ``(False, why)`` in the batch's or the row's words."""
    from xinyong.catalog.rowschema import OP, REASON, SOURCE_ID
    from xinyong.records.withdrawal import REASON_MAX

    def active():
        return _on_file(provider, item_code, source_id).exists()

    if not active():
        return True, ""
    row = {SOURCE_ID: source_id, OP: "withdraw", REASON: reason[:REASON_MAX]}
    batch = rows_file(
        actor=actor, item_code=item_code, rows=[row], provider_code=provider.code,
        file_name=file_name, strict=False,
    )  # fmt: skip
    if not active():
        return True, ""
    return False, _said(_errors(batch), gettext("信用记录未撤销"))
