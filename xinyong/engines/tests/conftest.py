import datetime

import pytest
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context

SEED = 19


@pytest.fixture(scope="session")
def spark():
    """One local Spark for the whole run (its start costs seconds): two cores, few
    partitions — the tests' data is small."""
    from xinyong.engines.connect import spark_session

    return spark_session("local[2]", {"spark.ui.enabled": "false",
                                      "spark.sql.shuffle.partitions": "4",
                                      "spark.default.parallelism": "2"})  # fmt: skip


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request):
    """Each batch engine in turn, as its own test: DuckDB, then Spark (local), whose one
    session starts with the first test that asks for it. scripts/test runs the Spark ones
    on its PostgreSQL run only (``spark`` mark, xinyong/conftest.py), as a province does."""
    if request.param == "spark":
        request.getfixturevalue("spark")
    return request.param


@pytest.fixture
def city(db):
    """A small city through the demo's own paths (every catalog item's records, the lists,
    commitments, self-declarations), and what a demo lacks: a penalty under objection, an
    objection upheld, a repair approved, a list entry under objection."""
    from xinyong.accounts.models import User
    from xinyong.declarations.demo import build_declarations
    from xinyong.demo.city import build_city, build_records
    from xinyong.demo.commitments import build_commitments
    from xinyong.demo.lists import build_lists
    from xinyong.lists.models import ListEntry
    from xinyong.records.models import Record
    from xinyong.remedies.models import Objection, RepairApplication, SubjectBinding

    with request_context(channel="cli"):
        build_city(seed=SEED, total=300, chunk=300)
        build_records(seed=SEED, total=300, per_item=40)
        build_lists()
        build_commitments()
        build_declarations()
    now, due = timezone.now(), timezone.localdate() + datetime.timedelta(days=10)
    recent = timezone.localdate() - datetime.timedelta(days=300)  # counted in the last year
    penalties = Record.objects.filter(item_code="administrative_penalty", status="active",
                                      decision_date__gte=recent)  # fmt: skip
    penalties = list(penalties.order_by("id")[:3])
    assert len(penalties) == 3

    def objection(record, status, decision="", decided_at=None):
        Objection.objects.create(
            subject_id=record.subject_id, record=record, provider_id=record.provider_id,
            filed_by="agent", reasons="有误", status=status, filed_at=now, mark_due=due,
            forward_due=due, decide_due=due, decided_at=decided_at, decision=decision,
        )  # fmt: skip

    objection(penalties[0], "marked")
    objection(penalties[1], "decided", "corrected", now)
    user = User.objects.create_user(username="engines_agent", password="x", role="public")
    binding = SubjectBinding.objects.create(
        user=user, subject_id=penalties[2].subject_id, status="approved", applicant="张三",
        phone="13800000001", evidence_path="x.pdf", evidence_name="授权书.pdf",
        evidence_sha256="0" * 64, requested_at=now, via="operator",
    )  # fmt: skip
    repair = RepairApplication.objects.create(
        subject_id=penalties[2].subject_id, binding=binding,
        department_id=penalties[2].provider_id, statement="已整改", status="approved",
        filed_at=now, decide_due=due, decided_at=now,
    )  # fmt: skip
    repair.records.add(penalties[2])
    ListEntry.objects.filter(
        pk=ListEntry.objects.filter(status="published").order_by("id").values("id")[:1]
    ).update(under_objection=True)
    return SYSTEM
