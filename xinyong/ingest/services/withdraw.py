"""Withdrawing a record outside any file (the provider's clerk, from the back office)."""

from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.catalog.rowschema import OP, REASON, SOURCE_ID
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline import reason_errors
from xinyong.ingest.services.process import batch_process
from xinyong.ingest.services.submit import batch_submit_rows
from xinyong.records.choices import Channel, RecordStatus
from xinyong.records.models import Record


def record_withdraw(*, actor: Actor, record_id: int, reason: str) -> Batch:
    """A department withdraws one of its decisions from a back-office page (revoked or
    changed): a one-row withdrawal batch through the same pipeline as a feed's, processed at
    once, so the history, the provenance and the takedown are the same as for any other
    withdrawal. Only the providing department (or the operator on its behalf) may, and
    only with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            [
                FieldError(
                    "reason", "required", gettext("请填写撤销原因（如撤销或变更决定的文书号）")
                )
            ]
        )
    if errors := reason_errors(reason):
        raise ValidationFailed(errors)
    record = Record.objects.visible_to(actor).select_related("provider").filter(pk=record_id)
    record = record.first()
    if record is None:
        raise NotFound(gettext("没有信用记录 %(id)s") % {"id": record_id})
    refused = gettext("只有报送该记录的部门经办人（或平台运营人员）可以撤销它")
    access.require(actor, Action.RECORD_WITHDRAW, record, message=refused)
    if record.status != RecordStatus.ACTIVE:
        raise ValidationFailed(
            [
                FieldError(
                    "record",
                    "record.not_active",
                    gettext("该记录%(status)s，无需撤销") % {"status": record.get_status_display()},
                )
            ]
        )
    batch = batch_submit_rows(
        actor=actor,
        item_code=record.item_code,
        rows=[{SOURCE_ID: record.source_id, OP: "withdraw", REASON: reason}],
        channel=Channel.FORM,
        provider_code=record.provider.code,
    )
    return batch_process(batch_id=batch.pk)
