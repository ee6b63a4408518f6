"""One fact a platform workflow decided — a verified self-declaration, a substantiated tip,
a credit service agency's misconduct, an industry association's sanction — entering the
credit file as any department's submission would: a one-row batch in the deciding
department's name, processed at once, so that its provenance, history and publicity are
those of every record; and leaving it the same way when the workflow revokes its decision
(a one-row withdrawal batch)."""

from django.utils.translation import gettext

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.records.choices import Channel, RecordStatus
from xinyong.records.models import Record


def record_file_one(
    *, item_code: str, row: dict, provider, source_id: str, file_name: str,
    actor: Actor = SYSTEM,
) -> tuple[Record | None, str]:  # fmt: skip
    """Submit and process the row; the active record it is on file as (idempotent by
    ``source_id``: a resubmission changes nothing), or None and why not, in the batch's or
    the row's own words. Submitted by the platform itself by default: the decision was the
    department's audited act. An unexpected failure (a full disk) is raised: the caller
    keeps its decision and tries again later."""
    from xinyong.ingest import services as ingest  # read at call time (tests break it)

    batch = ingest.batch_submit_rows(
        actor=actor, item_code=item_code, rows=[row], channel=Channel.FORM,
        provider_code=provider.code, file_name=file_name,
    )  # fmt: skip
    batch = ingest.batch_process(batch_id=batch.pk)
    record = Record.objects.filter(
        provider_id=provider.pk, item_code=item_code, source_id=source_id,
        status=RecordStatus.ACTIVE,
    ).first()  # fmt: skip
    if record is not None:
        return record, ""
    return None, _why(batch) or gettext("信用记录未写入")


def _why(batch) -> str:
    """A batch's refusal in its own words: the batch's errors, else its first row's."""
    failed = batch.rows.exclude(errors=None).order_by("pk").first()
    errors = batch.errors or (failed.errors if failed else None) or []
    return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)


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
    from xinyong.ingest import services as ingest
    from xinyong.records.withdrawal import REASON_MAX

    def active():
        return Record.objects.filter(
            provider_id=provider.pk, item_code=item_code, source_id=source_id,
            status=RecordStatus.ACTIVE,
        ).exists()  # fmt: skip

    if not active():
        return True, ""
    row = {SOURCE_ID: source_id, OP: "withdraw", REASON: reason[:REASON_MAX]}
    batch = ingest.batch_submit_rows(
        actor=actor, item_code=item_code, rows=[row], channel=Channel.FORM,
        provider_code=provider.code, file_name=file_name,
    )  # fmt: skip
    batch = ingest.batch_process(batch_id=batch.pk)
    if not active():
        return True, ""
    return False, _why(batch) or gettext("信用记录未撤销")
