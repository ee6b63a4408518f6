"""The reports' data computed elsewhere — a batch engine's, from an export
(``engines/reports.py``, ``xinyong report_data``) — written back as the run in force
(``ReportDataRun``, ``ReportData``), which a batch of public or review reports then reads
instead of ranking each subject's records in the database (``content.FileReader``)."""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.bulkcopy import insert_rows
from xinyong.reports import precomputed
from xinyong.reports.models import ReportData, ReportDataRun

_LOCK = 727019  # PostgreSQL advisory lock: one writer of the run in force at a time


class ReportDataStale(Exception):
    """The data in force is of a later moment than the data offered: it would go back."""

    def __init__(self, offered: datetime.datetime, in_force: datetime.datetime):
        super().__init__(offered, in_force)
        self.offered, self.in_force = offered, in_force


def report_data_replace(
    *,
    actor: Actor,
    engine: str,
    data_time: datetime.datetime,
    as_of: datetime.date,
    batch_id: int | None,
    catalog: dict,
    chunks: Iterable[list[tuple[int, str, str]]],
) -> ReportDataRun:
    """Replace the run in force by one computed on ``engine`` from the data of
    ``data_time``, for the day ``as_of``, under the catalog's public items ``catalog``:
    ``chunks`` of (subject id, items, files as JSON text or None). All or nothing, in one
    transaction: the old rows deleted, the new ones written in bulk (COPY; SQLite: executemany), one
    ``engines.report_data`` audit event — an error midway (the engine lost, the input
    spoiled) leaves the run in force as it was; then (PostgreSQL) the tables' statistics
    refreshed, as a bulk write must. Refused (:class:`ReportDataStale`, nothing
    written) when the run in force is of later data."""
    columns = ("subject_id", "run_id", "items", "files")
    n = 0
    with transaction.atomic(durable=True):
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            current = precomputed.run_in_force()
            if current is not None and data_time < current.data_time:
                raise ReportDataStale(data_time, current.data_time)
            ReportData.objects.all().delete()  # one DELETE: nothing refers to its rows
            ReportDataRun.objects.all().delete()
            run = ReportDataRun.objects.create(
                engine=engine, data_time=data_time, as_of=as_of, batch_id=batch_id,
                catalog=catalog, subjects=0, created_at=timezone.now(),
            )  # fmt: skip
            for chunk in chunks:
                insert_rows(cur, ReportData._meta.db_table, columns,
                            [(sid, run.pk, *data) for sid, *data in chunk])  # fmt: skip
                n += len(chunk)
        ReportDataRun.objects.filter(pk=run.pk).update(subjects=n)
        run.subjects = n
        audit_event_append(
            actor=actor, action=AuditAction.ENGINES_REPORT_DATA, object_type="report_data",
            object_id=run.pk, detail={"engine": engine, "data_time": data_time.isoformat(),
            "as_of": as_of.isoformat(), "batch": batch_id, "subjects": n},
        )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # the table replaced whole: its statistics too
            # (stale, the planner took the run's index for a new run id: 13 s, not 0.1 s,
            # to read 1,000 subjects' data)
            cur.execute(f"ANALYZE {ReportData._meta.db_table}, {ReportDataRun._meta.db_table}")
    return run
