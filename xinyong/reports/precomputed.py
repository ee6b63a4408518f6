"""Reads of the reports' data computed on a batch engine (``ReportDataRun``: the run in
force; written by ``services/data.py``). A module of its own, not in ``selectors.py``:
``content`` reads it, and ``selectors`` imports ``content`` through the issuing services.

When the data is fresh, for whom: the run's data is the export's at its ``data_time``.
A batch takes it for its subjects in the run with nothing changed since the data time —
no record of theirs stored or changed (``Record.updated_at``: every write of a record
sets it, a withdrawal and the retention sweep included), none corrected away to another
subject (its earlier version names them, the record's ``updated_at`` is later: the
records changed since lead, by their index, to their versions). The public part
(``items``: what the public sees) also only on the run's ``as_of`` day, under the same
catalog of public items, and with no publication of the subject's entering or leaving
public view (the change log's dual-publicity feed, which the sweep and a repair write).
The whole file's part (``files``: every active record, grouped as the read rule decides;
only of large files, where a section is cut) changes only by a write of a record: it
needs neither. Every other subject is read from
the database, as without the data: a report never shows what its reader no longer sees."""

import datetime
from collections.abc import Callable

from django.db.models import QuerySet

from xinyong.exchange.choices import Feed
from xinyong.exchange.models import Change
from xinyong.records.models import Record, RecordVersion
from xinyong.records.selectors import public_item_codes
from xinyong.reports.models import ReportData, ReportDataRun

BY_ID = 500  # record ids asked of the database at a time (SQLite's parameter limit)


def run_in_force() -> ReportDataRun | None:
    """The run in force (the latest data; a new run replaces the rows whole)."""
    return ReportDataRun.objects.order_by("-data_time").first()


def catalog_now() -> dict:
    """The catalog's public items as a run keeps them (``ReportDataRun.catalog``)."""
    always, swept = public_item_codes()
    return {"always": always, "swept": swept}


def report_data_fresh(subject_ids: list[int], today: datetime.date) -> dict[int, dict]:
    """subject → {item code: [(public records, [ids of the newest])]} (one group an item)
    of the subjects whose public data in force is fresh today (see the module docstring);
    the others are absent."""
    run = run_in_force()
    if run is None or run.as_of != today or run.catalog != catalog_now():
        return {}
    rows = _unchanged(run, subject_ids, "items", publicity=True)
    return {
        sid: {item: [(n, ids)] for item, (n, ids) in items.items()} for sid, items in rows.items()
    }


def report_files_fresh(
    subject_ids: list[int], seen: Callable[[list[int]], QuerySet]
) -> dict[int, dict]:
    """subject → {item code: [(records, [ids of the newest])]}, a group per (provider,
    disclosure) its reader sees, of the subjects whose whole-file data in force is fresh
    (see the module docstring); the others are absent. ``seen``: the records the reader
    sees, as a queryset of the given subjects' (the read rule's) — it decides on a group
    as a whole, so one id of each tells."""
    run = run_in_force()
    if run is None:
        return {}
    rows = _unchanged(run, subject_ids, "files", publicity=False)
    firsts = [(sid, ids[0]) for sid, files in rows.items()
              for groups in files.values() for _p, _d, _n, ids in groups]  # fmt: skip
    shown: set[int] = set()
    for at in range(0, len(firsts), BY_ID):
        part = firsts[at : at + BY_ID]
        asked = seen(sorted({sid for sid, _pk in part})).filter(pk__in=[pk for _s, pk in part])
        shown.update(asked.values_list("pk", flat=True))
    return {
        sid: {item: [(n, ids) for _provider, _disclosure, n, ids in groups if ids[0] in shown]
              for item, groups in files.items()}
        for sid, files in rows.items()
    }  # fmt: skip


def _unchanged(run: ReportDataRun, subject_ids: list[int], column: str, *, publicity: bool):
    """subject → ``column`` of the run's rows of ``subject_ids`` unchanged since its data
    time (and, with ``publicity``, no publication of theirs changed)."""
    rows = dict(
        ReportData.objects.filter(run_id=run.pk, subject_id__in=subject_ids,
                                  **{f"{column}__isnull": False})
        .values_list("subject_id", column)
    )  # fmt: skip
    if not rows:
        return {}
    since = run.data_time
    changed = set(
        Record.objects.filter(subject_id__in=list(rows), updated_at__gte=since)
        .values_list("subject_id", flat=True).distinct()
    )  # fmt: skip
    changed |= set(  # a record corrected to another subject: it left the one it was of
        RecordVersion.objects.filter(subject_id__in=list(rows), record__updated_at__gte=since)
        .values_list("subject_id", flat=True).distinct()
    )  # fmt: skip
    if publicity:
        changed |= set(
            Change.objects.filter(feed=Feed.PUBLICITY, subject_id__in=list(rows), at__gte=since)
            .values_list("subject_id", flat=True).distinct()
        )  # fmt: skip
    return {sid: value for sid, value in rows.items() if sid not in changed}
