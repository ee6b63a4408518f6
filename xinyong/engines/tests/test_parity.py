"""The three engines give identical results on the same city: today's database run, DuckDB
and Spark (local) from one export — every organisation's score, grade, points and facts —
and the grades they switch; the statistics on the same layer, written back as the records',
dual publicity's and credit checks' rollups, equal the database's own rebuilds, and the
dashboard's figures stay the same."""

import datetime
import io

import ibis
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.core.context import request_context
from xinyong.core.errors import ValidationFailed
from xinyong.disclosure.sweep import publication_sweep
from xinyong.engines import export
from xinyong.engines.evaluation import _bounds, _buckets
from xinyong.engines.services import (
    evaluation_batch_run,
    records_reconcile,
    statistics_batch_rebuild,
)
from xinyong.evaluation import facts as F
from xinyong.evaluation import services
from xinyong.evaluation.engine import run_execute
from xinyong.evaluation.models import EvaluationResult, SubjectGrade
from xinyong.stats.models import (
    CheckDaily,
    CheckMeasureDaily,
    PublicationDaily,
    PublishedDaily,
    RecordDaily,
)
from xinyong.stats.rollups import (
    checks_mark,
    checks_rollup_refresh,
    publications_mark,
    publications_rollup_rebuild,
    records_mark,
    records_rollup_refresh,
)
from xinyong.stats.schemas import StatsFilter
from xinyong.stats.selectors import records_chart, timeliness_chart

pytestmark = pytest.mark.django_db


def _results(run) -> dict[int, tuple]:
    """subject → (score, grade, points, facts); ids compared where the database keeps them
    all (it keeps any 20 of more, the engines the smallest 20)."""
    out = {}
    for r in EvaluationResult.objects.filter(run=run):
        facts = {k: v for k, v in r.facts.items()
                 if not (k.endswith("_ids") and k != "sector_ids"
                         and r.facts.get(k[:-4], 0) > F.ID_CAP)}  # fmt: skip
        out[r.subject_id] = (r.score, r.grade, r.points, facts)
    return out


def test_the_buckets_are_the_database_querys_in_its_order():
    columns = {"cf_yzcd": "string", "cf_cxlx": "string", "cn_lxzt": "string",
               "item_code": "string", "decision_date": "date", "valid_to": "date",
               "doubt": "boolean", "repaired": "boolean"}  # fmt: skip
    bounds = _bounds(datetime.date(2026, 12, 1))
    names = [n for n, _ in _buckets(ibis.table(columns, name="r"), bounds)]
    assert names == [n for n, _ in F._buckets()]


def test_each_engine_gives_the_databases_results(city, engine, tmp_path):
    actor = city
    db = run_execute(services.run_request(actor=actor, kind="full").pk)
    grades = dict(SubjectGrade.objects.values_list("subject_id", "grade"))
    manifest = export.export(tmp_path / "city")
    run = evaluation_batch_run(actor=actor, engine=engine, data=manifest.path)
    assert db.status == run.status == "done"
    expected = _results(db)
    assert len(expected) == db.subjects_done == manifest.organisations > 200
    assert _results(run) == expected
    # the spread the comparison rests on: every grade, points of most indicators
    assert {g for _s, g, _p, _f in expected.values()} >= {"B", "C", "D"}
    indicators = {k for _s, _g, p, _f in expected.values() for k in p}
    assert len(indicators) >= 8, indicators
    facts = {k for *_x, f in expected.values() for k in f}
    assert {"doubt", "repaired", "upheld", "l_doubt", "sector", "kept"} <= facts, facts
    # the batch run switched the same grades, changing none
    assert run.grades_changed == 0
    assert dict(SubjectGrade.objects.values_list("subject_id", "grade")) == grades
    assert run.timings.keys() == {"select", "engine", "write", "switch"}
    results = manifest.path / "results"  # an engine's results, read back and removed
    assert not results.exists() or not any(results.iterdir())


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _rollup() -> list[tuple]:
    return sorted(RecordDaily.objects.values_list("day", "provider_id", "item_code", "n"))


def _publicity() -> tuple[list[tuple], list[tuple]]:
    return (sorted(PublicationDaily.objects.values_list("day", "provider_id", "item_code",
                                                        "total", "on_time", "late", "pending")),
            sorted(PublishedDaily.objects.values_list("day", "provider_id", "published",
                                                      "on_time")))  # fmt: skip


def _checks_rollup() -> tuple[list[tuple], list[tuple]]:
    return (sorted(CheckDaily.objects.values_list("day", "department_id", "total", "hits",
                                                  "answered")),
            sorted(CheckMeasureDaily.objects.values_list(
                "day", "department_id", "measure_code", "returned", "answered", "applied",
                "not_applied")))  # fmt: skip


def _checks_made() -> int:
    """Two departments' systems check the city's listed subjects (one under objection: its
    measures suspended) and a clean one, in two matters; each answers for some measures,
    applied or not, a suspended one included."""
    from xinyong.accounts.actors import ActorKind
    from xinyong.accounts.choices import Role
    from xinyong.accounts.models import Department
    from xinyong.lists.models import ListEntry
    from xinyong.sanctions.services.checks import check_feedback_submit, credit_check
    from xinyong.subjects.models import Subject

    listed = list(ListEntry.objects.filter(status="published").order_by("id")
                  .values_list("subject__uscc", flat=True)[:8])  # fmt: skip
    clean = Subject.objects.exclude(kind="person").exclude(uscc__in=listed).first().uscc
    made = 0
    for code in ("CZ", "GGZY"):
        actor = Actor(kind=ActorKind.CLIENT, label=f"{code}-系统", role=Role.DEPARTMENT_OPERATOR,
                      department_id=Department.objects.get(code=code).pk,
                      scopes=frozenset({"checks"}))  # fmt: skip
        for n, uscc in enumerate([*listed, clean]):
            for matter in ("government_procurement", "administrative_licensing"):
                body = credit_check(actor=actor, matter=matter, uscc=uscc)
                made += 1
                codes = [m["code"] for m in body["measures"]]
                if codes and n % 3 != 2:
                    check_feedback_submit(actor=actor, check_id=body["check_id"], items=[
                        {"measure": c, "applied": (n + i) % 2 == 0,
                         "reason": "" if (n + i) % 2 == 0 else "不适用"}
                        for i, c in enumerate(codes[: 1 + n % 2])
                    ])  # fmt: skip
    return made


def _figure():
    today = timezone.localdate()
    chart = records_chart(None, StatsFilter(today - datetime.timedelta(days=400),
                                            today + datetime.timedelta(days=1)))  # fmt: skip
    return chart.series, chart.rows


def _timeliness(city):
    today = timezone.localdate()
    span = StatsFilter(today - datetime.timedelta(days=400), today + datetime.timedelta(days=1))
    chart = timeliness_chart(city, None, span)
    return chart.categories, chart.series


def test_the_rollup_and_reconciliation_on_each_engine_are_the_databases(city, engine, tmp_path):
    from xinyong.disclosure.models import Publication
    from xinyong.records.models import Record
    from xinyong.sanctions.models import CreditCheck

    with request_context(channel="cli"):  # licences and penalties published, some late
        publication_sweep(actor=SYSTEM)
        checks = _checks_made()
    live, timeliness = _figure(), _timeliness(city)  # no rollup yet: everything live
    old = export.export(tmp_path / "old")
    records_rollup_refresh(rebuild=True)  # the database's rebuilds, after that export
    publications_rollup_rebuild()
    checks_rollup_refresh(rebuild=True)
    expected, mark = _rollup(), records_mark()
    publicity, pub_mark = _publicity(), publications_mark()
    checked, checks_at = _checks_rollup(), checks_mark()
    by_day, by_measure = checked
    assert sum(r[2] for r in by_day) == checks and sum(r[3] for r in by_day) > 0
    assert sum(r[4] for r in by_day) > 0  # hits answered
    assert all(sum(r[i] for r in by_measure) > 0 for i in (3, 4, 5, 6)), by_measure
    assert sum(r[3] for r in by_measure) < sum(
        len(c.result["measures"]) for c in CreditCheck.objects.all()
    )  # suspended
    assert sum(n for *_k, n in expected) == Record.objects.count() > 500
    daily, published = publicity
    decided = Publication.objects.exclude(decision_date=None)
    assert [sum(r[i] for r in daily) for i in (3, 4, 5, 6)] == [
        decided.count(), decided.filter(on_time=True).count(),
        decided.filter(on_time=False).count(), decided.filter(status="pending").count(),
    ]  # fmt: skip
    assert decided.filter(on_time=True).exists() and decided.filter(on_time=False).exists()
    assert sum(r[2] for r in published) == Publication.objects.exclude(on_time=None).count() > 50
    assert _figure() == live and _timeliness(city) == timeliness
    # an export older than a rollup's mark: refused, nothing written
    with pytest.raises(CommandError) as e:
        _call("stats_rebuild", "--engine", "duckdb", "--data", str(old.path))
    assert "--data：导出的数据截至" in str(e.value) and "请重新导出" in str(e.value)
    assert _rollup() == expected and records_mark() == mark
    assert _publicity() == publicity and publications_mark() == pub_mark
    assert _checks_rollup() == checked and checks_mark() == checks_at

    # a record in the export but stamped after its data time (committed late): not in the
    # rollup, counted live by the database
    tail = Record.objects.order_by("id").first()
    tail.pk, tail.source_id = None, f"{tail.source_id}-tail"
    tail.created_at = tail.updated_at = timezone.now() + datetime.timedelta(minutes=1)
    tail.save(force_insert=True)
    live = _figure()
    manifest = export.export(tmp_path / "new")
    assert manifest.rows["records"] == Record.objects.count() and manifest.data_time > mark
    RecordDaily.objects.all().delete()
    PublicationDaily.objects.all().delete()
    CheckMeasureDaily.objects.all().delete()
    written, m = statistics_batch_rebuild(actor=city, engine=engine, data=manifest.path)
    assert written == {"records": len(expected), "publications": len(daily),
                       "checks": len(by_day)}  # fmt: skip
    assert _rollup() == expected and _publicity() == publicity and _checks_rollup() == checked
    assert records_mark() == publications_mark() == checks_mark() == m.data_time
    assert m.data_time == manifest.data_time
    assert _figure() == live and _timeliness(city) == timeliness
    records_rollup_refresh(rebuild=True)  # the database's rebuilds agree (tail: live)
    publications_rollup_rebuild()
    checks_rollup_refresh(rebuild=True)
    assert _rollup() == expected and _figure() == live and _publicity() == publicity
    assert _checks_rollup() == checked
    # dual publicity rebuilt since the export: refused by its name, nothing written
    with pytest.raises(ValidationFailed) as e:
        statistics_batch_rebuild(actor=city, engine=engine, data=manifest.path,
                                 only=("publications",))  # fmt: skip
    assert "早于双公示日汇总的截至时间" in e.value.errors[0].message
    assert _publicity() == publicity and publications_mark() > manifest.data_time

    # reconciliation: the export's records per department and item, counted by each
    # engine, are the database's; a record the export missed is named
    rec = records_reconcile(actor=city, engine=engine, data=manifest.path)
    assert rec.agrees and rec.engine == engine, rec.differences
    assert rec.total_engine == rec.total_database == Record.objects.count() - 1
    missed = Record.objects.filter(item_code="administrative_penalty").order_by("id").first()
    missed.pk, missed.source_id = None, f"{missed.source_id}-missed"
    missed.created_at = manifest.data_time - datetime.timedelta(seconds=1)
    missed.save(force_insert=True)
    rec = records_reconcile(actor=city, engine=engine, data=manifest.path)
    assert [(d.provider_id, d.item_code, d.delta) for d in rec.differences] == [
        (missed.provider_id, "administrative_penalty", -1)
    ]
    with pytest.raises(CommandError) as e:
        _call("records_reconcile", "--engine", engine, "--data", str(manifest.path))
    assert str(e.value) == "对账不一致：1 个部门和目录项"
