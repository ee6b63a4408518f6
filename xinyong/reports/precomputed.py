"""Reads of the public reports' data computed on a batch engine (``ReportDataRun``: the
run in force; written by ``services/data.py``). A module of its own, not in
``selectors.py``: ``content`` reads it, and ``selectors`` imports ``content`` through the
issuing services.

When the data is fresh, for whom: the run's data is the export's at its ``data_time``
and the public's view on its ``as_of`` day. A batch takes it only on that day, under the
same catalog of public items, and for its subjects in the run with nothing changed since
the data time — no record of theirs stored or changed (``Record.updated_at``: every write
of a record sets it, a withdrawal and the retention sweep included), none corrected away
to another subject (its earlier version names them, the record's ``updated_at`` is
later: the records changed since lead, by their index, to their versions), and no
publication of theirs entering or leaving public view (the change log's dual-publicity
feed, which the sweep and a repair write). Every other subject is read from the database,
as without the data: a report never shows what the public no longer sees."""

import datetime

from xinyong.exchange.choices import Feed
from xinyong.exchange.models import Change
from xinyong.records.models import Record, RecordVersion
from xinyong.records.selectors import public_item_codes
from xinyong.reports.models import ReportData, ReportDataRun


def catalog_now() -> dict:
    """The catalog's public items as a run keeps them (``ReportDataRun.catalog``)."""
    always, swept = public_item_codes()
    return {"always": always, "swept": swept}


def report_data_fresh(subject_ids: list[int], today: datetime.date) -> dict[int, dict]:
    """subject → {item code: (public records, [ids of the newest])} of the subjects whose
    data in force is fresh today (see the module docstring); the others are absent."""
    run = ReportDataRun.objects.order_by("-data_time").first()
    if run is None or run.as_of != today or run.catalog != catalog_now():
        return {}
    rows = dict(
        ReportData.objects.filter(run_id=run.pk, subject_id__in=subject_ids)
        .values_list("subject_id", "items")
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
    changed |= set(
        Change.objects.filter(feed=Feed.PUBLICITY, subject_id__in=list(rows), at__gte=since)
        .values_list("subject_id", flat=True).distinct()
    )  # fmt: skip
    return {
        sid: {item: (n, ids) for item, (n, ids) in items.items()}
        for sid, items in rows.items()
        if sid not in changed
    }
