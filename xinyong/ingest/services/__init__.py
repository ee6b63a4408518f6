"""Writes of ingestion: receiving a batch (:mod:`.submit`), processing it (:mod:`.process`)
and withdrawing a record (:mod:`.withdraw`).

``batch_submit`` stores the payload as received and the batch row, in one transaction with
one audit event (``batch_prepare`` + ``batch_record``: several files stored first, then
recorded all or none in one transaction, as an exchange package is); ``batch_process``
reads, checks and applies the rows in ONE transaction with one audit event: a crash
anywhere leaves the credit files as they were, and the batch can be processed again from
its stored payload."""

from xinyong.ingest.services.process import (
    ATTEMPTS_RULE,
    MAX_BATCH_ERRORS,
    batch_give_up,
    batch_process,
)
from xinyong.ingest.services.submit import (
    MAX_KEY_CHARS,
    Prepared,
    batch_discard,
    batch_prepare,
    batch_record,
    batch_submit,
    batch_submit_rows,
)
from xinyong.ingest.services.withdraw import record_withdraw

__all__ = [
    "ATTEMPTS_RULE", "MAX_BATCH_ERRORS", "MAX_KEY_CHARS", "Prepared", "batch_discard",
    "batch_give_up", "batch_prepare", "batch_process", "batch_record", "batch_submit",
    "batch_submit_rows", "record_withdraw",
]  # fmt: skip
