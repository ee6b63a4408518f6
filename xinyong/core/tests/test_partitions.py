"""Partitioned tables (issue #19 item 1): the growing tables are partitioned on PostgreSQL
with their names, keys and indexes as the models declare them; a live table is converted
online without losing a write made meanwhile; the migration converts a database that
already holds rows; retention drops whole months, archived first."""

import datetime
import gzip
import importlib
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core import partitions
from xinyong.core.partitions import SPECS, PartitionError, convert, is_partitioned, spec_for
from xinyong.core.services import partitions_upkeep
from xinyong.records.models import Record
from xinyong.sanctions.models import CheckFeedback, CreditCheck, Measure, Memorandum

pytestmark = pytest.mark.django_db(transaction=True)
PG = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _partitioned_afterwards():
    """Whatever a test leaves, the next one finds the tables partitioned again."""
    yield
    if PG:
        for spec in SPECS:
            convert.partition_table(spec)


def _insert_records(cur, first: int, last: int) -> None:
    cur.execute(
        "INSERT INTO records_record (subject_id, provider_id, item_code, item_version_id, "
        "category, polarity, disclosure, source_id, version, status, data, created_at, "
        "updated_at, channel, received_at, content_hash, withdraw_reason) "
        "SELECT g %% 97 + 1, 1, 'administrative_penalty', 1, 'penalty', 'negative', 'public', "
        "'s' || g, 1, 'active', jsonb_build_object('n', g), now(), now(), 'api', now(), "
        "'h', '' FROM generate_series(%s, %s) g",
        [first, last],
    )


def _contents() -> dict[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT id, (data ->> 'n')::int FROM records_record")
        return dict(cur.fetchall())


def test_growing_tables_are_partitioned_keeping_the_models_names():
    if not PG:  # SQLite: the migration leaves every table as it was
        assert partitions.partitions_status() == []
        with pytest.raises(CommandError, match="分区只用于 PostgreSQL"):
            call_command("partitions", "status")
        return
    with connection.cursor() as cur:
        for spec in SPECS:
            assert is_partitioned(cur, spec.table), spec.table
            found = connection.introspection.get_constraints(cur, spec.table)
            primary = next(c for c in found.values() if c["primary_key"])
            assert spec.key in primary["columns"]  # the key is part of every unique key
        # every index the model declares is there under its own name, so that a later
        # migration altering it finds it
        for model in (Record, CreditCheck):
            found = connection.introspection.get_constraints(cur, model._meta.db_table)
            for index in model._meta.indexes:
                assert index.name in found, index.name
        cur.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'records_record'::regclass")
        assert cur.fetchone()[0] == int(settings.XINYONG_HASH_PARTITIONS) == 16
    out = _call("status")
    assert "records_record: HASH (subject_id)，16 个分区" in out
    assert "sanctions_creditcheck: RANGE (at)" in out


def _call(*args) -> str:
    import io

    out = io.StringIO()
    call_command("partitions", *args, stdout=out)
    return out.getvalue()


def test_online_conversion_keeps_every_write_made_while_it_copies():
    """The records table is turned back into a plain one holding 3,000 rows, then
    converted online in slices of 200 while another connection inserts, changes and deletes
    rows; every one of those writes is in the partitioned table afterwards."""
    if not PG:
        return
    spec = spec_for("records_record")
    convert.unpartition_table(spec)
    with connection.cursor() as cur:
        _insert_records(cur, 1, 3000)
    expected = _contents()
    done, lock = threading.Event(), threading.Lock()

    def writer():
        n = 100_000
        try:
            with connections["default"].cursor() as cur:
                while not done.is_set():
                    n += 1
                    _insert_records(cur, n, n)
                    cur.execute("SELECT max(id) FROM records_record")
                    new_id = cur.fetchone()[0]
                    victim = 1 + n % 2900
                    cur.execute(
                        "UPDATE records_record SET data = jsonb_build_object('n', %s), "
                        "updated_at = now() WHERE id = %s",
                        [-n, victim],
                    )
                    cur.execute("DELETE FROM records_record WHERE id = %s", [victim + 50])
                    with lock:
                        expected[new_id] = n
                        if victim in expected:
                            expected[victim] = -n
                        expected.pop(victim + 50, None)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = convert.partition_table(spec, online=True, slice_rows=200)
    finally:
        done.set()
        thread.join()
    assert result["rows"] >= 2900 and result["lock_seconds"] < 5
    assert result["caught_up"] > 0  # writes made while it copied were caught up
    with connection.cursor() as cur:
        assert is_partitioned(cur, "records_record")
    assert _contents() == expected
    assert len(expected) > 3000 - 100  # the writer did write meanwhile
    with connection.cursor() as cur:  # the change log and its trigger are gone with the swap
        cur.execute(
            "SELECT to_regclass('records_record__log'), to_regclass('records_record__new'), "
            "(SELECT count(*) FROM pg_trigger WHERE tgname = 'xy_capture')"
        )
        assert cur.fetchone() == (None, None, 0)
    assert _keys_match()

    # the id sequence carries on after every id taken, through the old table or the new
    with connection.cursor() as cur:
        _insert_records(cur, 900_000, 900_000)
        cur.execute("SELECT id FROM records_record WHERE source_id = 's900000'")
        assert cur.fetchone()[0] > max(expected)


def _keys_match() -> bool:
    """The source-key table holds exactly the records' keys, each with its record's id,
    subject, status and content hash."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM records_record__unique), "
            "(SELECT count(*) FROM records_record), (SELECT count(*) FROM records_record r "
            "JOIN records_record__unique k USING (provider_id, item_code, source_id, id, "
            "subject_id, status, content_hash))"
        )
        keys, records, matched = cur.fetchone()
    return keys == records == matched


def test_the_migration_converts_a_database_that_holds_rows():
    """Every table back to plain, rows in each (checks of two years), then the migration's
    step: the same rows, each check in its month's partition, none in the default one."""
    if not PG:
        return
    migration = importlib.import_module("xinyong.core.migrations.0002_partitioning")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.backwards(None, editor)
    with connection.cursor() as cur:
        assert not any(is_partitioned(cur, s.table) for s in SPECS)
        _insert_records(cur, 1, 500)
        cur.execute(
            "INSERT INTO records_recordversion (record_id, version, status, item_version_id, "
            "subject_id, data, batch_id, batch_row, channel, received_at, content_hash, "
            "withdraw_reason, superseded_at) SELECT id, 1, 'active', 1, subject_id, data, "
            "NULL, NULL, 'api', now(), 'h', '', now() FROM records_record"
        )
        cur.execute(
            "INSERT INTO disclosure_publication (record_id, record_version, item_code, "
            "provider_id, received_at, status, penalty_class) SELECT id, 1, item_code, "
            "provider_id, now(), 'public', '' FROM records_record"
        )
        cur.execute(
            "INSERT INTO ingest_batchrow (batch_id, row_no, source_id, outcome) "
            "SELECT g / 100 + 1, g, 's' || g, 'created' FROM generate_series(1, 700) g"
        )
    now = timezone.now()
    for months_ago in (0, 1, 13, 24):
        CreditCheck.objects.create(
            at=now - datetime.timedelta(days=31 * months_ago), department_id=1, actor="t",
            matter="m", query="q", status="clear",
        )  # fmt: skip
    before = {s.table: _count(s.table) for s in SPECS}
    migration.forwards(None, editor)
    with connection.cursor() as cur:
        assert all(is_partitioned(cur, s.table) for s in SPECS)
    assert {s.table: _count(s.table) for s in SPECS} == before
    assert _count("sanctions_creditcheck_default") == 0
    oldest = (now - datetime.timedelta(days=31 * 24)).date()
    assert _count(f"sanctions_creditcheck_y{oldest.year}m{oldest.month:02d}") == 1
    assert Record.objects.count() == 500
    assert _keys_match()  # the source keys of the records already there, in their table
    migration.forwards(None, editor)  # a second run (after `apply --online`) does nothing


def _count(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return cur.fetchone()[0]


def test_a_foreign_key_to_the_table_stops_the_conversion_and_changes_nothing():
    if not PG:
        return
    spec = spec_for("records_recordversion")
    convert.unpartition_table(spec)
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE xy_test_ref (v bigint REFERENCES records_recordversion (id))")
    try:
        with pytest.raises(PartitionError, match="外键 xy_test_ref"):
            convert.partition_table(spec)
        with connection.cursor() as cur:
            assert not is_partitioned(cur, "records_recordversion")
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE xy_test_ref")
        convert.partition_table(spec)


def test_upkeep_makes_months_ready_and_drops_the_expired_ones_archived(settings, tmp_path):
    if not PG:
        assert partitions_upkeep(actor=SYSTEM) == {"created": [], "dropped": []}
        return
    settings.VAR_DIR = tmp_path
    settings.XINYONG_CHECK_LOG_RETENTION_MONTHS = "24"
    today = timezone.localdate()
    at = lambda day: datetime.datetime.combine(day, datetime.time(12), datetime.UTC)  # noqa: E731
    old = CreditCheck.objects.create(
        at=at(today - datetime.timedelta(days=800)), department_id=1, actor="t", matter="m",
        query="old", status="clear",
    )  # fmt: skip
    kept = CreditCheck.objects.create(
        at=at(today), department_id=1, actor="t", matter="m", query="kept", status="clear"
    )
    # a check dated beyond the months kept ready lands in the default partition ...
    ahead = today + datetime.timedelta(days=200)
    CreditCheck.objects.create(
        at=at(ahead), department_id=1, actor="t", matter="m", query="ahead", status="clear"
    )
    memo = Memorandum.objects.create(
        code="t", name="测试备忘录", document_no="测试〔2026〕1号", issued_by="测试",
        issued_on=today,
    )  # fmt: skip
    measure = Measure.objects.create(
        memorandum=memo, code="m_test", name="测试措施", kind="sanction", legal_basis="测试依据",
        category="administrative",
    )  # fmt: skip
    CheckFeedback.objects.create(credit_check=old, measure=measure, applied=True, by="t", at=old.at)
    CheckFeedback.objects.create(
        credit_check=kept, measure=measure, applied=True, by="t", at=kept.at
    )
    assert _count("sanctions_creditcheck_default") >= 1
    # ... and moves into its month when the upkeep, run that month, makes it ready
    done = partitions_upkeep(actor=SYSTEM, today=ahead)
    month = f"sanctions_creditcheck_y{ahead.year}m{ahead.month:02d}"
    assert month in done["created"]
    assert _count(month) == 1 and _count("sanctions_creditcheck_default") == 0
    # the month of the old check, more than 24 months back, was archived and dropped
    gone = f"sanctions_creditcheck_y{old.at.year}m{old.at.month:02d}"
    dropped = dict(done["dropped"])
    assert dropped.pop(gone) == 1 and set(dropped.values()) <= {0}  # other old months: empty
    archive = tmp_path / "archive" / "partitions" / f"{gone}.csv.gz"
    lines = gzip.open(archive, "rt").read().splitlines()
    assert lines[0].startswith("id,") and "old" in lines[1]
    assert set(CreditCheck.objects.values_list("query", flat=True)) == {"kept", "ahead"}
    assert list(CheckFeedback.objects.values_list("credit_check_id", flat=True)) == [kept.pk]
    event = AuditEvent.objects.get(action="partition.retention")
    assert event.detail["dropped"][gone] == 1
    # run again: nothing more to do, no second event
    assert partitions_upkeep(actor=SYSTEM, today=ahead)["dropped"] == []
    assert AuditEvent.objects.filter(action="partition.retention").count() == 1


def test_the_command_names_an_unknown_table():
    if not PG:
        return
    with pytest.raises(CommandError, match="table: records_x is not one of"):
        call_command("partitions", "apply", "--table", "records_x")
    assert "records_record: 已是分区表" in _call("apply", "--table", "records_record")


def test_each_month_of_the_audit_trail_is_guarded_and_never_dropped_by_retention():
    """The trail is partitioned by month too: its guard holds on every month (a statement
    trigger is not inherited, so TRUNCATE is guarded on each), and retention refuses it."""
    from django.db import DatabaseError, transaction

    from xinyong.audit.services import audit_event_append
    from xinyong.core.partitions.months import partitions_drop

    with transaction.atomic():
        audit_event_append(actor=SYSTEM, action="partition.convert", object_type="table")
    with pytest.raises(ValueError, match="audit_auditevent is never dropped"):
        partitions_drop(table="audit_auditevent", before=datetime.date(2999, 1, 1))
    if not PG:
        return
    today = timezone.now()
    month = f"audit_auditevent_y{today.year}m{today.month:02d}"
    for sql in (f"TRUNCATE {month}", f"DELETE FROM {month}", f"UPDATE {month} SET hash = ''"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql)
    assert AuditEvent.objects.filter(action="partition.convert").count() == 1


def test_online_conversion_of_a_table_without_a_change_column_compares_whole_rows():
    """Publications are updated (status, dates) and no column says when: the catch-up
    compares whole rows. A publication ended while the copy ran is ended afterwards."""
    if not PG:
        return
    spec = spec_for("disclosure_publication")
    convert.unpartition_table(spec)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO disclosure_publication (record_id, record_version, item_code, "
            "provider_id, received_at, status, penalty_class) SELECT g, 1, 'x', 1, now(), "
            "'public', '' FROM generate_series(1, 2000) g"
        )
    done, changed = threading.Event(), []

    def writer():
        try:
            with connections["default"].cursor() as cur:
                n = 0
                while not done.is_set() and n < 1900:
                    n += 7
                    cur.execute(
                        "UPDATE disclosure_publication SET status = 'ended', ended_at = now() "
                        "WHERE record_id = %s",
                        [n],
                    )
                    changed.append(n)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = convert.partition_table(spec, online=True, slice_rows=100)
    finally:
        done.set()
        thread.join()
    with connection.cursor() as cur:
        assert is_partitioned(cur, "disclosure_publication")
        cur.execute("SELECT record_id FROM disclosure_publication WHERE status = 'ended'")
        assert sorted(r for (r,) in cur.fetchall()) == sorted(changed)
        cur.execute("SELECT count(*) FROM disclosure_publication")
        assert cur.fetchone()[0] == 2000
    assert changed and result["rows"] == 2000


def test_the_source_key_stays_unique_across_partitions_and_follows_its_record():
    """Records are partitioned by subject; their source key is unique across all of them
    (a table of its own, kept by triggers): a second record with the same key for another
    subject is refused, a record moved to another subject keeps its key, a deleted one
    frees it."""
    from django.db import IntegrityError, transaction

    if not PG:
        return
    with connection.cursor() as cur:
        _insert_records(cur, 1, 300)
        with pytest.raises(IntegrityError), transaction.atomic():
            cur.execute(
                "INSERT INTO records_record (subject_id, provider_id, item_code, "
                "item_version_id, category, polarity, disclosure, source_id, version, status, "
                "data, created_at, updated_at, channel, received_at, content_hash, "
                "withdraw_reason) SELECT subject_id + 1, provider_id, item_code, 1, category, "
                "polarity, disclosure, source_id, 1, status, data, now(), now(), channel, "
                "now(), 'h', '' FROM records_record WHERE source_id = 's7'"
            )
        # to another subject: another partition (hash of 5000 and of 1 differ for most rows)
        cur.execute("UPDATE records_record SET subject_id = 5000 + id WHERE id <= 100")
        cur.execute(
            "UPDATE records_record SET status = 'withdrawn', content_hash = 'w' WHERE id > 250"
        )  # key unchanged, what the lookup reads changed
        cur.execute("DELETE FROM records_record WHERE source_id IN ('s1', 's2')")
        cur.execute("SELECT count(*) FROM records_record__unique WHERE source_id IN ('s1', 's2')")
        assert cur.fetchone()[0] == 0
    assert _keys_match()
    with connection.cursor() as cur:  # TRUNCATE fires no delete trigger: its own one
        cur.execute("TRUNCATE records_record")
        cur.execute("SELECT count(*) FROM records_record__unique")
        assert cur.fetchone()[0] == 0


def test_a_failed_online_conversion_leaves_the_table_as_it_was(monkeypatch):
    """An error after the copy began: the change log's trigger, the log, the half-built
    table and its key table are gone; the table in use is untouched and writable."""
    if not PG:
        return
    spec = spec_for("records_record")
    convert.unpartition_table(spec)
    with connection.cursor() as cur:
        _insert_records(cur, 1, 500)
    before = _contents()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(convert, "_build_keys", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            convert.partition_table(spec, online=True, slice_rows=100)
    with connection.cursor() as cur:
        assert not is_partitioned(cur, "records_record")
        cur.execute(
            "SELECT to_regclass('records_record__log'), to_regclass('records_record__new'), "
            "to_regclass('records_record__unique'), "
            "(SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'xy\\_%%')"
        )
        assert cur.fetchone() == (None, None, None, 0)
        _insert_records(cur, 501, 501)  # still written to, and nothing logs it
    assert len(_contents()) == len(before) + 1


def test_a_wrong_partitioning_setting_is_named_at_start(settings):
    from django.core.checks import run_checks

    settings.XINYONG_HASH_PARTITIONS = "sixteen"
    settings.XINYONG_CHECK_LOG_RETENTION_MONTHS = "-3"
    found = sorted(e.msg for e in run_checks() if e.id == "xinyong.E014")
    assert found == [
        "XINYONG_CHECK_LOG_RETENTION_MONTHS: “-3” is not a whole number from 0 to 1200",
        "XINYONG_HASH_PARTITIONS: “sixteen” is not a whole number from 1 to 1024",
    ]
    with pytest.raises(ValueError, match="XINYONG_CHECK_LOG_RETENTION_MONTHS"):
        partitions_upkeep(actor=SYSTEM)  # refused, nothing dropped on a guess
