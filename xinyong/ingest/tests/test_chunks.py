"""One large batch in parallel chunks (issue #19 item 4): the same file processed in chunks
by worker processes gives the same records, outcomes and report as the single transaction;
a chunk that fails fails the whole batch with nothing written; a chunk worker killed
mid-chunk is replaced and the batch completes the same; so does a batch whose own worker
died with some chunks staged; wrong settings are refused naming the setting."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from xinyong.ingest import chunks, services
from xinyong.ingest.apps import chunk_settings_check
from xinyong.ingest.models import Batch, BatchChunk, BatchRow
from xinyong.ingest.pipeline import DUPLICATE_RULE
from xinyong.ingest.tests.conftest import csv_bytes, penalty
from xinyong.records.models import Record

ROWS = 2_500  # chunks of 1,000: three, the last one short


def _rows() -> list[dict]:
    rows = []
    for i in range(ROWS):
        row = {**penalty(i + 100), "op": "upsert"}
        if i % 97 == 5:
            row["CF_JDRQ"] = "2026-02-30"  # rejected by the row check
        if i % 131 == 7:
            row.update(op="withdraw", CF_WSH=f"未报送〔2026〕{i}号")  # rejected by the apply
        if i % 53 == 3:
            row["CF_NR_FK"] = "5.00"  # not canonical: the row path
        rows.append(row)
    rows[1500]["CF_WSH"] = rows[10]["CF_WSH"]  # a duplicate across chunks
    rows[1200]["CF_WSH"] = rows[1100]["CF_WSH"]  # one within a chunk
    rows[2100].update(op="zzz", CF_WSH=rows[20]["CF_WSH"])  # a bad op and a duplicate
    rows[30]["CF_WSH"] = "信市监罚〔2026〕1号"  # a record already there, same content
    rows[40]["CF_WSH"] = "信市监罚〔2026〕2号"  # … another, changed
    return rows


CONTENT = csv_bytes(_rows())


REPORT = ("status", "total", "created", "updated", "unchanged", "withdrawn", "rejected",
          "subjects_created", "errors", "stats")  # fmt: skip


class Undo(Exception):
    """Rolls a run back, so the next one starts from the same credit files."""


def _outcome(batch_id: int) -> dict:
    b = Batch.objects.get(pk=batch_id)
    sources = dict(Record.objects.values_list("id", "source_id"))
    return {
        "report": {f: getattr(b, f) for f in REPORT},
        "rows": [
            (r.row_no, r.source_id, r.outcome, r.errors, sources.get(r.record_id))
            for r in BatchRow.objects.filter(batch_id=b.pk).order_by("row_no")
        ],
        "records": sorted(
            Record.objects.values_list("source_id", "content_hash", "status", "subject_id")
        ),
        "staged": BatchChunk.objects.filter(batch_id=b.pk).count(),
    }


def _run(settings, actor, *, chunk_rows: str, workers: str = "2", keep=False) -> dict:
    """The file processed from the same credit files; its outcome (rolled back)."""
    settings.XINYONG_CHUNK_ROWS = chunk_rows
    settings.XINYONG_CHUNK_WORKERS = workers
    got = {}
    try:
        with transaction.atomic():
            batch = services.batch_submit(
                actor=actor, item_code="administrative_penalty", channel="upload",
                file_format="csv", payload=CONTENT, file_name="large.csv",
            )  # fmt: skip
            got["batch"] = batch.pk
            try:
                services.batch_process(batch_id=batch.pk)
            except Exception as e:
                got["raised"] = type(e).__name__
            got.update(_outcome(batch.pk))
            if not keep:
                raise Undo
    except Undo:
        pass
    return got


@pytest.fixture
def small(settings, actors, org_with_rep):
    """Small parts, and two records already there."""
    settings.XINYONG_BATCH_CHUNK_ROWS = 300
    settings.XINYONG_CHUNK_ROWS = "0"
    services.batch_process(
        batch_id=services.batch_submit_rows(
            actor=actors["market_clerk"], item_code="administrative_penalty", channel="api",
            rows=[penalty(1), penalty(2, CF_NR="罚款人民币一万元")],
        ).pk
    )  # fmt: skip
    return actors["market_clerk"]


def _spy(monkeypatch) -> list[int]:
    planned = []
    real = chunks.plan

    def plan(job, **kw):
        planned.append(real(job, **kw))
        return planned[-1]

    monkeypatch.setattr(chunks, "plan", plan)
    return planned


def _without_batch(outcome: dict) -> dict:
    return {k: v for k, v in outcome.items() if k not in ("batch",)}


def test_chunked_and_single_give_the_same_records_outcomes_and_report(settings, small,
                                                                       monkeypatch):  # fmt: skip
    planned = _spy(monkeypatch)
    single = _run(settings, small, chunk_rows="0")
    chunked = _run(settings, small, chunk_rows="1000", workers="2")
    one_by_one = _run(settings, small, chunk_rows="1000", workers="1")
    assert planned == [0, 3, 3]
    assert single["report"]["status"] == "done" and single["report"]["total"] == ROWS
    report = single["report"]
    assert report["rejected"] > 40 and report["unchanged"] == 1 and report["updated"] == 1
    duplicates = [r for r in single["rows"] if any(e["rule"] == DUPLICATE_RULE for e in r[3] or [])]
    assert len(duplicates) == 3  # across chunks, within one, with a bad op
    assert _without_batch(chunked) == _without_batch(single)
    assert _without_batch(one_by_one) == _without_batch(single)
    assert chunked["staged"] == 0  # applied: staging removed


def test_when_the_details_budget_runs_out_as_many_rows_keep_details(settings, small):
    """Which rejected rows keep their details once the budget runs out depends, on the
    single path, on when its preparing thread books them against the apply's own (and it
    may give a few more than the budget: the apply reads the budget while the next chunk
    spends it); the chunked path books in file order: exactly the budget. No outcome or
    count differs."""
    settings.XINYONG_INGEST_MAX_ERROR_ROWS = 12
    single = _run(settings, small, chunk_rows="0")
    chunked = _run(settings, small, chunk_rows="1000", workers="2")
    for got, exact in ((single, False), (chunked, True)):
        detailed = sum(1 for r in got["rows"] if r[2] == "rejected" and r[3] is not None)
        assert detailed == 12 if exact else 12 <= detailed < 20
        omitted = got["report"]["stats"]["omitted"]["rows"]
        assert omitted == got["report"]["rejected"] - detailed
    assert [r[:3] for r in chunked["rows"]] == [r[:3] for r in single["rows"]]
    assert chunked["records"] == single["records"]
    for key in REPORT[:-1]:
        assert chunked["report"][key] == single["report"][key], key


def test_a_failing_chunk_fails_the_batch_with_nothing_written(settings, small):
    settings.XINYONG_CHUNK_TEST_FAULT = "raise:1"
    records_before = Record.objects.count()
    for workers in ("2", "1"):
        got = _run(settings, small, chunk_rows="1000", workers=workers, keep=True)
        assert got["raised"] == "RuntimeError"
        assert got["report"]["status"] == "failed"
        assert got["report"]["errors"][0]["rule"] == "batch.crash"
        assert (got["rows"], got["staged"]) == ([], 0)
        assert Record.objects.count() == records_before


def test_a_chunk_worker_killed_mid_chunk_is_replaced_and_the_batch_completes_the_same(
    settings, small, tmp_path
):
    single = _run(settings, small, chunk_rows="0")
    marker = tmp_path / "killed"
    settings.XINYONG_CHUNK_TEST_FAULT = f"exit:1:{marker}"  # its process dies, once
    chunked = _run(settings, small, chunk_rows="1000", workers="2")
    assert marker.exists()
    assert _without_batch(chunked) == _without_batch(single)


def test_a_chunk_that_kills_its_worker_every_time_fails_the_batch(settings, small):
    settings.XINYONG_CHUNK_TEST_FAULT = "exit:1"
    got = _run(settings, small, chunk_rows="1000", workers="2", keep=True)
    assert got["raised"] == "ChunkFailed" and got["report"]["status"] == "failed"
    assert (got["rows"], got["staged"]) == ([], 0)
    assert Record.objects.count() == 2


class Killed(BaseException):
    """The batch's own worker process dying (no handler runs)."""


def test_a_batch_whose_worker_died_resumes_from_its_staged_chunks(settings, small, monkeypatch):
    import datetime

    from django.utils import timezone

    single = _run(settings, small, chunk_rows="1000", workers="1")
    real = chunks.prepare_chunk
    prepared = []

    def dying(job, chunk_no, seen=None):
        if chunk_no == 2 and not prepared.count("died"):
            prepared.append("died")
            raise Killed
        prepared.append(chunk_no)
        return real(job, chunk_no, seen)

    monkeypatch.setattr(chunks, "prepare_chunk", dying)
    settings.XINYONG_CHUNK_ROWS = "1000"
    settings.XINYONG_CHUNK_WORKERS = "1"
    batch = services.batch_submit(
        actor=small, item_code="administrative_penalty", channel="upload", file_format="csv",
        payload=CONTENT, file_name="large.csv",
    )  # fmt: skip
    with pytest.raises(Killed):
        services.batch_process(batch_id=batch.pk)
    assert Batch.objects.get(pk=batch.pk).status == "processing"
    assert BatchChunk.objects.filter(batch_id=batch.pk).count() == 2
    assert Record.objects.count() == 2  # nothing of the batch in the credit files
    Batch.objects.filter(pk=batch.pk).update(
        lease_expires=timezone.now() - datetime.timedelta(seconds=1)
    )  # its lease ran out: the watch takes it again
    services.batch_process(batch_id=batch.pk)
    # Only the missing chunk prepared by the workers again; chunks 1 and 2 repeat source
    # ids of chunk 0, so the final step prepares them once more knowing those ids.
    assert prepared == [0, 1, "died", 2, 1, 2]
    assert _without_batch(_outcome(batch.pk)) == _without_batch(single)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("XINYONG_CHUNK_ROWS", "abc", "XINYONG_CHUNK_ROWS: must be a whole number ≥ 0, got 'abc'"),
        ("XINYONG_CHUNK_ROWS", "-5", "XINYONG_CHUNK_ROWS: must be a whole number ≥ 0"),
        ("XINYONG_CHUNK_ROWS", "500", "XINYONG_CHUNK_ROWS: must be 0 (off) or at least 1000"),
        ("XINYONG_CHUNK_WORKERS", "0", "XINYONG_CHUNK_WORKERS: must be a whole number 1–64"),
        ("XINYONG_CHUNK_WORKERS", "two", "XINYONG_CHUNK_WORKERS: must be a whole number 1–64"),
    ],
)
def test_wrong_chunk_settings_are_refused_naming_the_setting(settings, actors, org_with_rep,
                                                              name, value, says):  # fmt: skip
    settings.XINYONG_CHUNK_ROWS, settings.XINYONG_CHUNK_WORKERS = "200000", "2"
    assert chunk_settings_check() == []
    setattr(settings, name, value)
    [error] = chunk_settings_check()
    assert says in error.msg and error.id == "ingest.E001"
    batch = services.batch_submit_rows(
        actor=actors["market_clerk"], item_code="administrative_penalty", channel="api",
        rows=[penalty(1)],
    )  # fmt: skip
    with pytest.raises(ImproperlyConfigured, match=name):
        services.batch_process(batch_id=batch.pk)
    # Refused before the batch was taken: it waits, untouched, for a corrected worker.
    assert Batch.objects.get(pk=batch.pk).status == "received"
    assert not Record.objects.exists()
