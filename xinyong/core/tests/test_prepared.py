"""Hot-path queries compiled once: the rule's plain values are written into the SQL (so
that PostgreSQL's cached generic plan can use a partial index), the per-call values stay
parameters, and the rows are the ORM's."""

import datetime

import pytest
from django.db import connection

from xinyong.core.prepared import Prepared
from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.records.models import Record
from xinyong.sanctions import selectors

pytestmark = pytest.mark.django_db

DAY = datetime.date(1, 1, 2)


def test_plain_values_are_written_into_the_sql_and_sentinels_stay_parameters(penalty_record):  # noqa: F811
    q = Prepared(
        Record.objects.filter(subject_id=-7, status="active", decision_date__gte=DAY)
        .values_list("pk", "item_code"),
        subject_id=-7, since=DAY,
    )  # fmt: skip
    sql, slots, _c, _v = q._compile()
    assert "'active'" in sql and sorted(name for name, _k, _t in slots) == ["since", "subject_id"]
    got = q(subject_id=penalty_record.subject_id, since=datetime.date(2000, 1, 1))
    assert got == [(penalty_record.pk, "administrative_penalty")]
    assert q(subject_id=penalty_record.subject_id, since=datetime.date(2099, 1, 1)) == []


def test_the_generic_plan_of_the_clean_record_probe_uses_the_partial_index(penalty_record):  # noqa: F811
    sql, slots, _c, _v = selectors._negative_since._compile()
    if connection.vendor == "sqlite":  # no plan cache: the values are simply there
        assert "'negative'" in sql and "'active'" in sql
        return
    numbered = sql
    for n in range(1, len(slots) + 1):
        numbered = numbered.replace("%s", f"${n}", 1)
    with connection.cursor() as cur:
        # A table with statistics, as in production: other subjects' records, analysed (the
        # records are partitioned; an empty partition never analysed is costed at random).
        cur.execute(
            "INSERT INTO records_record (subject_id, provider_id, item_code, item_version_id, "
            "category, polarity, disclosure, source_id, version, status, data, decision_date, "
            "created_at, updated_at, channel, received_at, content_hash, withdraw_reason) "
            "SELECT -g, 1, 'administrative_licence', 1, 'licence', 'positive', 'public', "
            "'p' || g, 1, 'active', '{}', date '2024-01-01', now(), now(), 'api', now(), 'h', '' "
            "FROM generate_series(1, 5000) g"
        )
        cur.execute("ANALYZE records_record")
        cur.execute(f"PREPARE probe AS {numbered}")
        cur.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cur.execute("EXPLAIN EXECUTE probe(%s, %s)",
                        [penalty_record.subject_id, datetime.date(2020, 1, 1)])  # fmt: skip
            plan = "\n".join(r[0] for r in cur.fetchall())
        finally:
            cur.execute("RESET plan_cache_mode")
            cur.execute("DEALLOCATE probe")
    assert "record_negative_idx" in plan, plan
