"""An evaluation run, as the worker executes it: the facts of every subject in scope read
in one set-based query (``facts.py``), each subject scored in Python by the model's pure
indicators (``scoring.py``), the results written in chunks with COPY, and the subjects'
current grades switched in one transaction at the end — so a reader sees the old grades or
the new ones, never half a run. A run that fails deletes what it wrote and changes no grade.

An incremental run evaluates only the subjects whose file changed after the previous run's
data time (records, list entries, objections, repairs, the registry), and those whose
facts changed by the calendar alone: a record crossing a recency cut-off, a licence or a
list term ending, a company's anniversary. Evaluating every other subject again would give
the same result — the indicators read nothing else."""

import datetime
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import orjson
from dateutil.relativedelta import relativedelta
from django.db import connection, connections, transaction
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.bulkcopy import copy_text, insert_rows
from xinyong.core.watermark import data_time
from xinyong.evaluation.choices import RunKind, RunStatus
from xinyong.evaluation.facts import AGE_CAP, bounds, facts_rows
from xinyong.evaluation.models import EvaluationResult, EvaluationRun, SubjectGrade
from xinyong.evaluation.scoring import Compiled
from xinyong.exchange.choices import Feed
from xinyong.exchange.log import changes_append_select

log = logging.getLogger(__name__)
CHUNK = 20_000
TODO = "evaluation_todo"
RESULT = EvaluationResult._meta.db_table
GRADE = SubjectGrade._meta.db_table
_COLUMNS = ("run_id", "subject_id", "model_version_id", "as_of", "score", "grade", "points",
            "facts")  # fmt: skip


class Batch(Protocol):
    """Results computed elsewhere — on DuckDB or Spark from an export of the data
    (``xinyong.engines``) — that this module writes and switches as its own: ``results``
    yields (subject id, score, grade, points as JSON, facts as JSON) for every subject;
    the run's data time is the export's (a change made after it is the next run's)."""

    engine: str
    data_time: datetime.datetime
    total: int

    def results(self, run: EvaluationRun) -> Iterator[tuple]: ...


def run_execute(
    run_id: int, progress: Callable[[int, int], None] | None = None, *, batch: Batch | None = None
) -> EvaluationRun:
    """Execute a queued run (the worker's job; the ``evaluate`` command calls it too, with
    ``progress(done, total)`` told after each chunk written). ``batch``: a full run whose
    results a batch engine computed (scored by the same ``Compiled``), written here."""
    now = timezone.now()
    claimed = EvaluationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now,
        data_time=batch.data_time if batch is not None else data_time(now),
    )  # fmt: skip
    run = EvaluationRun.objects.select_related("model_version").get(pk=run_id)
    if not claimed:
        return run  # already taken by another worker, or finished
    small = run.kind == RunKind.INCREMENTAL and connection.vendor == "postgresql"
    try:
        if small:  # compiling its queries (~0.8 s) would cost more than running them
            with connection.cursor() as cur:
                cur.execute("SET jit = off")
        _execute(run, progress, batch)
    except Exception as exc:
        log.exception("evaluation run %s failed", run_id)
        EvaluationResult.objects.filter(run=run).delete()
        EvaluationRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        _drop_todo()
    finally:
        if small:
            with connection.cursor() as cur:
                cur.execute("RESET jit")
    run.refresh_from_db()
    return run


def _execute(
    run: EvaluationRun, progress: Callable[[int, int], None] | None, batch: Batch | None
) -> None:
    clock = time.perf_counter
    t = {"select": 0.0, "facts": 0.0, "score": 0.0, "write": 0.0}  # seconds per phase
    start = clock()
    todo = None
    if batch is not None:
        t = {"select": 0.0, "engine": 0.0, "write": 0.0}  # the engine computes facts and scores
        total = batch.total
    else:
        if run.kind == RunKind.INCREMENTAL:
            previous = (
                EvaluationRun.objects.filter(
                    status=RunStatus.DONE, model_version=run.model_version, pk__lt=run.pk
                ).order_by("-pk").first()
            )  # fmt: skip
            todo = _changed(previous, run)
        total = _count(todo)
    EvaluationRun.objects.filter(pk=run.pk).update(subjects_total=total)
    t["select"] = clock() - start
    rows: list[tuple] = []
    source = _batch_rows(run, batch, t) if batch is not None else _scored_rows(run, todo, t)
    writer = _Writer(run.pk)
    try:
        for row in source:
            rows.append(row)
            if len(rows) >= CHUNK:
                writer.put(rows)
                rows = []
                if progress is not None:
                    progress(writer.done, total)  # the chunks written so far
        writer.put(rows)
    finally:
        writer.close()
    done, t["write"] = writer.done, writer.seconds
    if progress is not None:
        progress(done, total)
    t0 = clock()
    with transaction.atomic():
        changed = _switch(run)
        t["switch"] = clock() - t0
        EvaluationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=timezone.now(), subjects_done=done,
            grades_changed=changed, timings={k: round(v, 2) for k, v in t.items()},
        )  # fmt: skip
        audit_event_append(
            actor=SYSTEM, action=AuditAction.EVALUATION_DONE, object_type="evaluation_run",
            object_id=run.pk, detail={"kind": run.kind, "subjects": done, "changed": changed}
            | ({"engine": batch.engine} if batch is not None else {}),
        )  # fmt: skip
    _drop_todo()
    if connection.vendor == "postgresql" and done > 100_000:
        with connection.cursor() as cur:  # a bulk write: fresh statistics for the readers
            cur.execute(f"ANALYZE {RESULT}, {GRADE}")


def _scored_rows(run: EvaluationRun, todo: str | None, t: dict) -> Iterator[tuple]:
    """The result rows of the run, its facts read from the database and scored here."""
    clock = time.perf_counter
    compiled = Compiled(run.model_version.definition)
    as_of, mv, dumps = run.as_of.isoformat(), run.model_version_id, orjson.dumps
    facts = facts_rows(run.as_of, todo)
    while True:
        t0 = clock()
        item = next(facts, None)
        t1 = clock()
        t["facts"] += t1 - t0
        if item is None:
            return
        subject_id, f = item
        s = compiled.score(f)
        row = (run.pk, subject_id, mv, as_of, s.score, s.grade, dumps(s.points).decode(),
               dumps(f).decode())  # fmt: skip
        t["score"] += clock() - t1
        yield row


def _batch_rows(run: EvaluationRun, batch: Batch, t: dict) -> Iterator[tuple]:
    """The result rows of a batch engine's results; ``t["engine"]``: the time waited."""
    clock = time.perf_counter
    head, as_of, mv = run.pk, run.as_of.isoformat(), run.model_version_id
    results = iter(batch.results(run))
    while True:
        t0 = clock()
        item = next(results, None)
        t["engine"] += clock() - t0
        if item is None:
            return
        subject_id, score, grade, points, facts = item
        yield (head, subject_id, mv, as_of, score, grade, points, facts)


class _Writer:
    """Writes the results chunk by chunk. On PostgreSQL, outside a caller's transaction, in
    a thread of its own with its own connection: the database copies one chunk while
    Python scores the next (the driver releases the GIL while it waits). Each chunk is
    committed; a run that fails deletes them (``run_execute``)."""

    def __init__(self, run_id: int):
        self.run_id, self.done, self.seconds = run_id, 0, 0.0
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.pool = (
            ThreadPoolExecutor(1, thread_name_prefix="evaluation-write") if threaded else None
        )
        self.pending = None

    def _write(self, rows: list[tuple]) -> None:
        t0 = time.perf_counter()
        self.done += _write(rows, self.run_id, self.done)
        self.seconds += time.perf_counter() - t0

    def put(self, rows: list[tuple]) -> None:
        if self.pool is None:
            self._write(rows)
            return
        self.wait()  # at most one chunk in flight: memory stays one chunk
        self.pending = self.pool.submit(self._write, rows)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # the thread's error, if any, is the run's

    def close(self) -> None:
        if self.pool is None:
            return
        try:
            self.wait()
        finally:
            self.pool.submit(connections.close_all).result()  # the thread's connection
            self.pool.shutdown()


def _write(rows: list[tuple], run_id: int, done: int) -> int:
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        text = copy_text(rows) if connection.vendor == "postgresql" else None
        insert_rows(cur, RESULT, _COLUMNS, rows, text=text)
        EvaluationRun.objects.filter(pk=run_id).update(subjects_done=done + len(rows))
    return len(rows)


def _switch(run: EvaluationRun) -> int:
    """The run's results become the subjects' current grades; how many grades changed."""
    now = timezone.now()
    # Grades that changed, told to the change log (the feed and the subscriptions).
    changed = changes_append_select(
        Feed.EVALUATIONS, "grade", f"SELECT r.id AS o, r.subject_id AS s, r.subject_id AS k "  # noqa: S608
        f"FROM {RESULT} r LEFT JOIN {GRADE} g ON g.subject_id = r.subject_id "
        "WHERE r.run_id = %s AND (g.grade IS NULL OR g.grade <> r.grade)", [run.pk], now,
    )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {GRADE} (subject_id, result_id, model_version_id, score, grade, as_of, "  # noqa: S608
            "evaluated_at) SELECT r.subject_id, r.id, r.model_version_id, r.score, r.grade, "
            f"r.as_of, %s FROM {RESULT} r WHERE r.run_id = %s "
            "ON CONFLICT (subject_id) DO UPDATE SET result_id = excluded.result_id, "
            "model_version_id = excluded.model_version_id, score = excluded.score, "
            "grade = excluded.grade, as_of = excluded.as_of, evaluated_at = excluded.evaluated_at",
            [now, run.pk],
        )
    return changed


def _count(todo: str | None) -> int:
    with connection.cursor() as cur:
        if todo:
            cur.execute(f"SELECT count(*) FROM {todo}")  # noqa: S608
        else:
            cur.execute("SELECT count(*) FROM subjects_subject WHERE kind <> 'person'")
        return cur.fetchone()[0]


def _drop_todo() -> None:
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TODO}")


def _changed(previous: EvaluationRun | None, run: EvaluationRun) -> str:
    """A temporary table of the subjects to evaluate again (see the module's docstring)."""
    since, before, now = previous.data_time, bounds(previous.as_of), bounds(run.as_of)
    sources = [
        ("SELECT subject_id FROM records_record WHERE updated_at > %s", [since]),
        ("SELECT subject_id FROM lists_listentry WHERE updated_at > %s", [since]),
        (
            "SELECT subject_id FROM remedies_objection WHERE filed_at > %s OR marked_at > %s "
            "OR decided_at > %s",
            [since] * 3,
        ),
        ("SELECT subject_id FROM remedies_repairapplication WHERE decided_at > %s", [since]),
        # the calendar alone: a record leaving the last year or the window, a validity or a
        # list term ending, an anniversary
        (
            "SELECT subject_id FROM records_record WHERE status = 'active' AND "
            "(decision_date >= %s AND decision_date < %s OR decision_date >= %s AND "
            "decision_date < %s)",
            [before["y1"], now["y1"], before["y3"], now["y3"]],
        ),
        (
            "SELECT subject_id FROM records_record WHERE status = 'active' AND valid_to >= %s "
            "AND valid_to < %s",
            [previous.as_of, run.as_of],
        ),
        (
            "SELECT subject_id FROM lists_listentry WHERE term_end >= %s AND term_end < %s",
            [previous.as_of, run.as_of],
        ),
    ]
    anniversaries = " OR ".join(["established_on > %s AND established_on <= %s"] * AGE_CAP)
    sources.append((
        # the registry's changes and the anniversaries: one scan of the subjects
        f"SELECT id AS subject_id FROM subjects_subject WHERE updated_at > %s OR {anniversaries}",  # noqa: S608
        [since] + [d for years in range(1, AGE_CAP + 1)
         for d in (previous.as_of - relativedelta(years=years),
                   run.as_of - relativedelta(years=years))],
    ))  # fmt: skip
    _drop_todo()
    union = " UNION ".join(sql for sql, _ in sources)
    params = [p for _, ps in sources for p in ps]
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMPORARY TABLE {TODO} (subject_id bigint PRIMARY KEY)")
        cur.execute(f"INSERT INTO {TODO} (subject_id) SELECT x.subject_id FROM ({union}) x "  # noqa: S608
                    "WHERE x.subject_id IS NOT NULL", params)  # fmt: skip
        if connection.vendor == "postgresql":  # a few thousand ids: index reads, not a scan
            cur.execute(f"ANALYZE {TODO}")
    return TODO
