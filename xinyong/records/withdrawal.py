"""The withdrawal step (撤销): records leave the credit file, their history kept. One step,
set-based, called by the ingestion pipeline for a batch's ``op=withdraw`` rows and by the
services that withdraw on a decision (an objection found valid). It is not a service: it
writes no audit event and opens no transaction of its own — the caller's act is audited
once, with what it withdrew.

The records to withdraw are staged in a temporary table ``xy_withdraw`` (record id, reason,
batch row) by the caller: the pipeline from its staged rows by SQL, a service from a list.
Then each record's current version moves to ``RecordVersion``, the record becomes
``withdrawn`` (version + 1, with the reason and the provenance of the withdrawal), and
``records_withdrawn`` lets dual publicity and the lists react in the same transaction."""

import datetime

from django.db import connection

from xinyong.core.bulkcopy import insert_rows
from xinyong.records.choices import Channel, RecordStatus
from xinyong.records.models import Record
from xinyong.records.signals import records_withdrawn

TABLE = "xy_withdraw"
COLUMNS = ("record_id", "reason", "batch_row")
REASON_MAX = 500  # RecordVersion.withdraw_reason


def _temp() -> str:
    return f"{'pg_temp' if connection.vendor == 'postgresql' else 'temp'}.{TABLE}"


def withdraw_stage(cur) -> None:
    """An empty staging table for the records to withdraw (this session only)."""
    cur.execute(f"DROP TABLE IF EXISTS {_temp()}")
    cur.execute(
        f"CREATE TEMP TABLE {TABLE} (record_id bigint PRIMARY KEY, reason varchar(500), "
        "batch_row integer)"
    )


def withdraw_staged(
    cur, *, now: datetime.datetime, channel: str, by: str, batch_id: int | None = None
) -> list[int]:
    """Withdraw the records staged in ``xy_withdraw``; their ids (the table is dropped).
    ``by``: who withdraws, for the logs of what follows (``batch:N``, or a user)."""
    cur.execute(f"SELECT record_id FROM {TABLE} ORDER BY record_id")  # noqa: S608
    ids = [r[0] for r in cur.fetchall()]
    if ids:
        cur.execute(
            "INSERT INTO records_recordversion (record_id, version, status, item_version_id, "  # noqa: S608
            "subject_id, data, sealed, decision_date, valid_to, batch_id, batch_row, channel, "
            "received_at, content_hash, withdraw_reason, superseded_at, "
            "superseded_by_batch_id) "
            "SELECT r.id, r.version, r.status, r.item_version_id, r.subject_id, r.data, "
            "r.sealed, r.decision_date, r.valid_to, r.batch_id, r.batch_row, r.channel, "
            "r.received_at, r.content_hash, r.withdraw_reason, %s, %s "
            f"FROM records_record r JOIN {TABLE} w ON w.record_id = r.id",
            [now, batch_id],
        )
        cur.execute(
            f"UPDATE records_record AS r SET version = r.version + 1, status = %s, "  # noqa: S608
            "batch_id = %s, batch_row = w.batch_row, channel = %s, received_at = %s, "
            f"updated_at = %s, withdraw_reason = coalesce(w.reason, '') FROM {TABLE} w "
            "WHERE r.id = w.record_id",
            [RecordStatus.WITHDRAWN, batch_id, channel, now, now],
        )
    cur.execute(f"DROP TABLE IF EXISTS {_temp()}")
    if ids:
        records_withdrawn.send(sender=withdraw_staged, record_ids=ids, now=now, by=by)
    return ids


def records_withdraw(
    *,
    record_ids: list[int],
    reason: str,
    by: str,
    now: datetime.datetime,
    channel: str = Channel.REMEDY,
) -> list[int]:
    """Withdraw these records (active ones; others are left as they are) for ``reason``,
    outside any batch — in the caller's transaction. The ids withdrawn."""
    ids = list(
        Record.objects.filter(pk__in=record_ids, status=RecordStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    with connection.cursor() as cur:
        withdraw_stage(cur)
        insert_rows(cur, TABLE, COLUMNS, [(i, reason[:REASON_MAX], None) for i in ids])
        return withdraw_staged(cur, now=now, channel=channel, by=by)
