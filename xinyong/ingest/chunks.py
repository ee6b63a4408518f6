"""One large batch in parallel chunks (issue #19 item 4; docs/architecture.md).

A batch of more than ``XINYONG_CHUNK_ROWS`` rows is prepared — parsed, checked against the
item's schema, its content made canonical JSON and hashed with the platform's key — in
chunks of that many rows by ``XINYONG_CHUNK_WORKERS`` processes side by side (a process
pool the batch's worker spawns: the per-row Python holds the GIL, threads would not help).
Each chunk's prepared rows go to staging (:class:`~xinyong.ingest.models.BatchChunk`), one
commit a chunk, never seen by a reader of credit files. Then the batch's final step (in
:func:`xinyong.ingest.services.process.batch_process`) applies them from staging in ONE
transaction, exactly as the single-transaction path applies what it prepares: the credit
files change all at once or not at all.

What the single path decides across rows is decided again in file order by the final step,
so outcomes and report are the same: the budget of rejected rows that keep their details
(rejections are staged whole, booked there), and a source id repeated in two chunks (a
chunk whose looked-up source ids meet an earlier chunk's is prepared again there, in the
process, with the earlier ids known — rare, and then exact)."""

import itertools
import math
import multiprocessing
import os
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from xinyong.catalog.rowschema import compiled
from xinyong.core.sealed import SealedPath
from xinyong.ingest import chunkworker, legacy, parsers
from xinyong.ingest.models import BatchChunk
from xinyong.ingest.pipeline import Prepared, RowPreparer

CHUNK_TRIES = 2  # a chunk whose worker process died is prepared once more, then the batch fails
MIN_ROW_BYTES = 16  # no record row is shorter: a smaller payload is not counted
DATES = (14, 15)  # decision_date, valid_to in a staged row (pipeline.STAGE_COLUMNS)
MAX_WORKERS = 64


class ChunkFailed(Exception):
    """A chunk could not be prepared (its worker process died every time)."""


def _setting(name: str, low: int, high: int | None = None) -> int:
    raw = getattr(settings, name)
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise ImproperlyConfigured(f"{name}: must be a whole number {bound}, got {raw!r}")
    return value


def config() -> tuple[int, int]:
    """(rows a chunk, worker processes); ``XINYONG_CHUNK_ROWS`` 0 turns chunking off. A
    wrong value is refused naming the setting and the rule (also by ``xinyong check``)."""
    rows = _setting("XINYONG_CHUNK_ROWS", 0)
    if 0 < rows < 1000:
        raise ImproperlyConfigured(
            f"XINYONG_CHUNK_ROWS: must be 0 (off) or at least 1000, got {rows}"
        )
    return rows, _setting("XINYONG_CHUNK_WORKERS", 1, MAX_WORKERS)


@dataclass
class ChunkJob:
    """What a chunk worker needs to prepare its rows: plain values, sent to a fresh
    process, which compiles the item's schema itself."""

    payload: Path
    file_format: str
    item: object  # the item version's definition (frozen)
    provider_name: str
    provider_uscc: str
    preparer_kw: dict  # authorities, cell limit, association limits
    chunk_rows: int
    part_rows: int  # XINYONG_BATCH_CHUNK_ROWS: the final step applies parts of this size
    chunks: int = 0
    fault: str = ""  # XINYONG_CHUNK_TEST_FAULT (tests only)

    @property
    def schema(self):
        return compiled(self.item)

    @property
    def adapter(self):
        return legacy.adapter_for(
            schema=self.schema, provider_name=self.provider_name, provider_uscc=self.provider_uscc
        )

    def _source(self, preparer: RowPreparer, path: SealedPath):
        payload = parsers.open_payload(path, self.file_format, self.schema, self.adapter)
        preparer.reading = payload.reading
        if payload.records is not None and not payload.reading.legacy:
            return payload.records, lambda rows: preparer.prepare_records(payload.codes, rows)
        return payload.rows, preparer.prepare

    def count(self) -> int:
        """Rows of the payload (a parse without checks)."""
        path = SealedPath(self.payload)
        try:
            source, _ = self._source(RowPreparer(schema=self.schema), path)
            return sum(1 for _ in source)
        finally:
            path.close()


def plan(job: ChunkJob, *, file_size: int, total_hint: int) -> int:
    """How many chunks the batch takes; 0: it is processed the single way."""
    rows, _ = config()
    if not rows or (total_hint and total_hint <= rows) or file_size <= rows * MIN_ROW_BYTES:
        return 0
    total = job.count()
    return math.ceil(total / rows) if total > rows else 0


def _parts(start: int, end: int, size: int) -> list[int]:
    """Sizes of the parts of rows [start, end): the single path's chunk boundaries (a
    small first one, then ``size``), so the details budget runs out at the same row."""
    first = max(size // 10, 1)
    cuts = [start]
    edge = first
    while edge < end:
        if edge > start:
            cuts.append(edge)
        edge += size
    cuts.append(end)
    return [b - a for a, b in itertools.pairwise(cuts) if b > a]


def prepare_chunk(job: ChunkJob, chunk_no: int, seen: dict | None = None) -> dict:
    """Chunk ``chunk_no`` prepared: its parts (staged rows and whole rejections), the
    source ids it accepted (``seen``) and looked up (``probed``), its quality counts."""
    preparer = RowPreparer(schema=job.schema, deferred=True, **job.preparer_kw)
    if seen:
        preparer.seen = dict(seen)
    path = SealedPath(job.payload)
    try:
        source, prepare = job._source(preparer, path)
        start = chunk_no * job.chunk_rows
        rows = itertools.islice(source, start, start + job.chunk_rows)
        parts, n = [], 0
        for size in _parts(start, start + job.chunk_rows, job.part_rows):
            got = list(itertools.islice(rows, size))
            if not got:
                break
            out = prepare(got)
            parts.append({"rows": len(got), "staged": out.staged, "rejected": out.rejected})
            n += len(got)
    finally:
        path.close()
    q = preparer.quality
    return {
        "rows": n, "parts": parts, "seen": preparer.seen, "probed": sorted(preparer.probed),
        "quality": {"checked": q.checked, "filled": q.filled, "legacy_rows": q.legacy_rows,
                    "supplied": q.supplied},
    }  # fmt: skip


def _encode(chunk: dict) -> bytes:
    return zlib.compress(orjson.dumps(chunk), 1)


def _decode(blob: bytes) -> dict:
    chunk = orjson.loads(zlib.decompress(bytes(blob)))
    for part in chunk["parts"]:
        staged = part["staged"]
        for i, row in enumerate(staged):
            for d in DATES:
                if row[d] is not None:
                    row[d] = date.fromisoformat(row[d])
            staged[i] = tuple(row)
    return chunk


def _work(job: ChunkJob, chunk_no: int) -> tuple[int, bytes]:
    """A chunk worker's task: rows read and the prepared rows, encoded (small to send back)."""
    _fault(job, chunk_no)
    with translation.override(settings.LANGUAGE_CODE):
        chunk = prepare_chunk(job, chunk_no)
        return chunk["rows"], _encode(chunk)


def _fault(job: ChunkJob, chunk_no: int) -> None:
    """Tests only: ``raise:K`` chunk K raises; ``exit:K`` its process dies each time;
    ``exit:K:PATH`` once (PATH marks it)."""
    if not job.fault:
        return
    kind, k, *mark = job.fault.split(":", 2)
    if int(k) != chunk_no:
        return
    if kind == "raise":
        raise RuntimeError(f"chunk {chunk_no}: test fault")
    if mark and Path(mark[0]).exists():
        return
    if mark:
        Path(mark[0]).touch()
    os._exit(9)


def stage(batch_id: int, job: ChunkJob, *, lost) -> None:
    """Prepare the chunks not yet in staging, side by side, committing each as it comes.
    Chunks staged by an earlier attempt of the batch (its worker died) are kept. A chunk
    that raises fails the batch; one whose process died is prepared again, up to
    ``CHUNK_TRIES`` times. ``lost()``: the batch's lease was lost (stop).

    The worker processes are spawned, not forked: the batch's worker has threads (the
    heartbeat; polars' pool, which a forked child would wait on forever)."""
    _, workers = config()
    done = set(BatchChunk.objects.filter(batch_id=batch_id).values_list("chunk_no", flat=True))
    tries = dict.fromkeys(range(job.chunks), 0)
    while missing := [k for k in range(job.chunks) if k not in done]:
        for k in missing:
            tries[k] += 1
            if tries[k] > CHUNK_TRIES:
                raise ChunkFailed(f"batch {batch_id}: chunk {k} failed {CHUNK_TRIES} times")
        if workers == 1:  # one after the other, in this process
            for k in missing:
                _store(batch_id, k, *_work(job, k))
                done.add(k)
                if lost():
                    return
            continue
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            min(workers, len(missing)), mp_context=context, initializer=chunkworker.init
        ) as pool:
            futures = {pool.submit(_work, job, k): k for k in missing}
            for future in as_completed(futures):
                try:
                    rows, blob = future.result()
                except BrokenProcessPool:
                    continue  # the chunk is taken again by a fresh pool
                _store(batch_id, futures[future], rows, blob)
                done.add(futures[future])
                if lost():
                    return


def _store(batch_id: int, chunk_no: int, rows: int, blob: bytes) -> None:
    """One chunk staged, committed at once (outside the batch's final transaction)."""
    BatchChunk.objects.create(batch_id=batch_id, chunk_no=chunk_no, rows=rows, prepared=blob)


def staged_parts(batch_id: int, job: ChunkJob, preparer: RowPreparer):
    """The final step's source: ``(rows read, Prepared)`` part by part, in file order, as
    the single path yields them; rejections booked on ``preparer`` (details budget, error
    counts) just before their part is applied, source ids checked across chunks."""
    seen: dict[str, int] = {}
    q = preparer.quality
    for k in range(job.chunks):
        blob = BatchChunk.objects.filter(batch_id=batch_id, chunk_no=k).values_list(
            "prepared", flat=True
        )
        chunk = _decode(blob.get())
        if any(s in seen for s in chunk["probed"]):
            with translation.override(settings.LANGUAGE_CODE):
                chunk = _decode(_encode(prepare_chunk(job, k, seen)))
        seen.update(chunk["seen"])
        got = chunk["quality"]
        q.checked += got["checked"]
        q.filled.update(got["filled"])
        q.legacy_rows += got["legacy_rows"]
        q.supplied.update(got["supplied"])
        for part in chunk["parts"]:
            out = Prepared(staged=part["staged"])
            for row_no, source_id, errors in part["rejected"]:
                preparer.book_reject(out, row_no, source_id, errors)
            yield part["rows"], out


def unstage(batch_id: int) -> None:
    """Staging of a batch that ended (applied, failed, refused) removed."""
    BatchChunk.objects.filter(batch_id=batch_id).delete()
