"""Batch work, as the operator starts it: an export of the data to Parquet (audited: the
whole credit file leaves the database), a full evaluation run on DuckDB or Spark written
back as the evaluation's own run, and the statistics' rollups rebuilt on one written back
by the stats app's own writers; and the records an export holds reconciled with the
database's, per department and catalog item."""

import contextlib
import datetime
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import ValidationFailed
from xinyong.engines import export as exporting
from xinyong.engines import reconcile
from xinyong.engines.connect import Engine, EngineUnavailable, Tables, connect, tables
from xinyong.engines.evaluation import BatchRefused, EngineBatch, export_check
from xinyong.engines.export import database_check
from xinyong.engines.reports import report_data_expr, report_data_parquet
from xinyong.engines.selectors import records_counts
from xinyong.engines.statistics import (
    check_measures_daily_table,
    checks_daily_table,
    chunks,
    publications_daily_table,
    published_daily_table,
    records_daily_table,
)
from xinyong.evaluation import services as evaluation
from xinyong.evaluation.choices import RunKind
from xinyong.evaluation.engine import run_execute
from xinyong.evaluation.models import EvaluationRun
from xinyong.reports import precomputed
from xinyong.reports.choices import BatchStatus
from xinyong.reports.models import ReportBatch, ReportDataRun
from xinyong.reports.services.data import ReportDataStale, report_data_replace
from xinyong.stats import rollups


def parquet_export(*, actor: Actor, dest: Path) -> exporting.Manifest:
    """Export the tables batch jobs read into ``dest`` (see ``export.py``)."""
    access.require(actor, Action.ADMINISTER)
    manifest = exporting.export(dest)
    with transaction.atomic():  # the export's own transaction is read-only
        audit_event_append(
            actor=actor, action=AuditAction.ENGINES_EXPORT, object_type="parquet_export",
            object_id=manifest.path.name[:64], detail={"path": str(manifest.path),
            "rows": manifest.rows, "data_time": manifest.data_time.isoformat()},
        )  # fmt: skip
    return manifest


def _engine(value: str) -> Engine:
    try:
        return Engine(value)
    except ValueError:
        raise ValidationFailed.one(
            "engine", "enum", gettext("引擎应为 %(engines)s") % {"engines": "、".join(Engine)}
        ) from None


@contextlib.contextmanager
def _opened(
    actor: Actor,
    engine: str,
    data: Path | None,
    check: Callable[[exporting.Manifest], None],
    master: str | None,
    conf: dict[str, str] | None,
) -> Iterator[tuple[Tables, exporting.Manifest]]:
    """The export at ``data`` (None: one made now, removed when the block ends) opened on
    ``engine``, after ``check`` (this database's, not stale…); the refusals as
    ``ValidationFailed`` naming the option (``data``, ``engine``), before anything runs."""
    access.require(actor, Action.ADMINISTER)
    engine = _engine(engine)
    made = exporting.default_dir() if data is None else None
    try:
        try:
            if made is not None:
                manifest = parquet_export(actor=actor, dest=made)
            else:
                manifest = exporting.manifest_read(data)
            check(manifest)
            source = tables(connect(engine, master=master, conf=conf), engine, manifest.path)
        except exporting.ExportError as e:
            raise ValidationFailed.one("data", "engines.export", str(e)) from None
        except BatchRefused as e:
            raise ValidationFailed.one("data", "engines.stale", str(e)) from None
        except EngineUnavailable as e:
            raise ValidationFailed.one("engine", "engines.unavailable", str(e)) from None
        yield source, manifest
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)


def evaluation_batch_run(
    *,
    actor: Actor,
    engine: str,
    data: Path | None = None,
    as_of: datetime.date | None = None,
    master: str | None = None,
    conf: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvaluationRun:
    """A full evaluation run computed on ``engine`` from the export at ``data`` (None: an
    export made now, into a directory removed after the run). Refused, with nothing
    written, for an unknown engine, a directory that is not an export of this database or
    is older than the grades in force, or an engine that cannot start."""  # fmt: skip
    with _opened(actor, engine, data, export_check, master, conf) as (source, manifest):
        run = evaluation.run_request(actor=actor, kind=RunKind.FULL, as_of=as_of, enqueue=False)
        return run_execute(run.pk, progress, batch=EngineBatch(source, manifest))


class Rollup(NamedTuple):
    """A rollup a batch engine rebuilds."""

    mark: Callable[[], datetime.datetime | None]  # up to when it counts now
    name: str  # what the operator reads (a refusal, the command's summary)
    count: Callable[[Tables], tuple]  # its tables, counted on the engine
    write: Callable[[tuple, datetime.datetime], int]  # the stats app's writer, up to a time


ROLLUPS = {
    "records": Rollup(rollups.records_mark, "信用记录日汇总", lambda t: (records_daily_table(t),),
                      lambda counted, until: rollups.records_rollup_replace(
                          chunks(counted[0]), until=until)),
    "publications": Rollup(rollups.publications_mark, "双公示日汇总",
                           lambda t: (publications_daily_table(t), published_daily_table(t)),
                           lambda counted, until: rollups.publications_rollup_replace(
                               chunks(counted[0]), chunks(counted[1]), until=until)),
    "checks": Rollup(rollups.checks_mark, "信用核查日汇总",
                     lambda t: (checks_daily_table(t), check_measures_daily_table(t)),
                     lambda counted, until: rollups.checks_rollup_replace(
                         chunks(counted[0]), chunks(counted[1]), until=until)),
}  # fmt: skip


def _rollups_check(names: tuple[str, ...]) -> Callable[[exporting.Manifest], None]:
    """The export is of this database and not older than any of the rollups' marks."""

    def check(manifest: exporting.Manifest) -> None:
        database_check(manifest)
        for name in names:
            mark = ROLLUPS[name].mark()
            if mark is not None and manifest.data_time < mark:
                raise BatchRefused(_stale(manifest.data_time, mark, ROLLUPS[name].name))

    return check


def _stale(until: datetime.datetime, mark: datetime.datetime, what: str) -> str:
    """An export older than the data ``what`` already written back (at ``mark``)."""
    until, mark = timezone.localtime(until), timezone.localtime(mark)
    return (f"导出的数据截至 {until:%Y-%m-%d %H:%M:%S}，早于{what}的截至时间"
            f"（{mark:%Y-%m-%d %H:%M:%S}）：请重新导出")  # fmt: skip


def statistics_batch_rebuild(
    *,
    actor: Actor,
    engine: str,
    data: Path | None = None,
    master: str | None = None,
    conf: dict[str, str] | None = None,
    only: tuple[str, ...] = tuple(ROLLUPS),
) -> tuple[dict[str, int], exporting.Manifest]:
    """The statistics' rollups (``stats.rollups``: records collected per day, department
    and item; dual publicity per decision day and per day published; credit checks and
    their measures per day and checking department; ``only`` some of them) rebuilt on
    ``engine`` from the export at ``data`` (None: an export made now, removed after): the
    engine counts them all before anything is written, then the stats app's writers
    replace every one's rows and set its mark to the export's data time, all in one
    transaction. Returns (rows written per rollup, the export's manifest). Refused, with
    nothing written, for an unknown engine, a directory that is not an export of this
    database or is older than any of the rollups' marks, or an engine that cannot start."""
    with _opened(actor, engine, data, _rollups_check(only), master, conf) as (source, manifest):
        counted = {name: ROLLUPS[name].count(source) for name in only}  # on the engine
        written, name = {}, ""
        try:
            with transaction.atomic():
                for name in only:
                    written[name] = ROLLUPS[name].write(counted[name], manifest.data_time)
        except rollups.RollupStale as e:  # a rollup was refreshed meanwhile
            raise ValidationFailed.one(
                "data", "engines.stale", _stale(e.until, e.mark, ROLLUPS[name].name)
            ) from None
        return written, manifest


def records_reconcile(
    *,
    actor: Actor,
    engine: str,
    data: Path | None = None,
    master: str | None = None,
    conf: dict[str, str] | None = None,
) -> reconcile.Reconciliation:
    """The records of the export at ``data`` (None: one made now, removed after) counted
    per department and catalog item on ``engine``, against the database's count of the
    records stored before the export's data time: the differences (``reconcile.py``).
    Writes nothing. Refused for an unknown engine, a directory that is not an export of
    this database, or an engine that cannot start."""
    with _opened(actor, engine, data, database_check, master, conf) as (source, manifest):
        got = reconcile.engine_counts(source)
        return reconcile.compare(str(source.engine), manifest.data_time, got,
                                 records_counts(manifest.data_time))  # fmt: skip


def _report_batch_scope(batch: int | None) -> list[int] | None:
    """The subjects of report batch ``batch`` (None: every organisation), refused naming
    ``--batch`` when it is no batch of reports still to issue."""
    if batch is None:
        return None
    b = ReportBatch.objects.filter(pk=batch).first()
    if b is None:
        raise ValidationFailed.one("batch", "report_batch.unknown",
                                   f"没有编号为 {batch} 的批量报告任务")  # fmt: skip
    if b.status in (BatchStatus.DONE, BatchStatus.FAILED):
        raise ValidationFailed.one("batch", "report_batch.finished",
                                   f"批量报告任务 {batch} 已结束")  # fmt: skip
    return list(b.subject_ids)


def _report_data_check(manifest: exporting.Manifest) -> None:
    """The export is of this database and not older than the report data in force."""
    database_check(manifest)
    current = precomputed.run_in_force()
    if current is not None and manifest.data_time < current.data_time:
        raise BatchRefused(_stale(manifest.data_time, current.data_time, _REPORT_DATA))


_REPORT_DATA = "现有信用报告预计算数据"


def report_data_build(
    *,
    actor: Actor,
    engine: str,
    data: Path | None = None,
    batch: int | None = None,
    master: str | None = None,
    conf: dict[str, str] | None = None,
) -> ReportDataRun:
    """The reports' data (``engines/reports.py``: the public reports' and the review
    reports') of every organisation, or of the subjects of report batch ``batch``,
    computed on ``engine`` from the export at ``data`` (None: one made now, removed after)
    for today, and written back by the reports app as the run in force, in one transaction
    with its audit event. The engine writes its result as Parquet beside the export first
    (Spark: by its executors), read back in chunks while writing: the database's
    transaction does not wait on the engine. Refused, with nothing written: an unknown
    engine or batch, a finished batch, a directory that is not an export of this database
    or is older than the data in force, an engine that cannot start."""
    subject_ids = _report_batch_scope(batch)
    with _opened(actor, engine, data, _report_data_check, master, conf) as (source, manifest):
        today, catalog = timezone.localdate(), precomputed.catalog_now()
        expr = report_data_expr(
            source, as_of=today, always=catalog["always"], swept=catalog["swept"],
            nulls_first=connection.vendor == "postgresql", subject_ids=subject_ids,
        )  # fmt: skip
        out = f"{str(manifest.path).rstrip('/')}/results/report-data"
        if "://" not in out:
            shutil.rmtree(out, ignore_errors=True)
        try:
            written = report_data_parquet(source, expr, out)
            try:
                return report_data_replace(
                    actor=actor, engine=str(source.engine), data_time=manifest.data_time,
                    as_of=today, batch_id=batch, catalog=catalog, chunks=written,
                )  # fmt: skip
            except ReportDataStale as e:  # written meanwhile from a later export
                raise ValidationFailed.one(
                    "data", "engines.stale", _stale(e.offered, e.in_force, _REPORT_DATA)
                ) from None
        finally:
            if "://" not in out:
                shutil.rmtree(out, ignore_errors=True)
