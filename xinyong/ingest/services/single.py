"""One fact a platform workflow decided — a verified self-declaration, a substantiated tip,
a credit service agency's misconduct — entering the credit file as any department's
submission would: a one-row batch in the deciding department's name, processed at once,
so that its provenance, history and publicity are those of every record."""

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
    failed = batch.rows.exclude(errors=None).order_by("pk").first()
    errors = batch.errors or (failed.errors if failed else None) or []
    why = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    return None, why or gettext("信用记录未写入")
