"""The three engines give identical results on the same city: today's database run, DuckDB
and Spark (local) from one export — every organisation's score, grade, points and facts —
and the grades they switch; a statistic on the same layer equals the database's figures."""

import datetime

import ibis
import pytest

from xinyong.engines import export
from xinyong.engines.connect import connect, tables
from xinyong.engines.evaluation import _bounds, _buckets
from xinyong.engines.services import evaluation_batch_run
from xinyong.engines.statistics import records_daily
from xinyong.evaluation import facts as F
from xinyong.evaluation import services
from xinyong.evaluation.engine import run_execute
from xinyong.evaluation.models import EvaluationResult, SubjectGrade

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


def test_database_duckdb_and_spark_give_identical_results(city, spark, tmp_path):
    actor = city
    db = run_execute(services.run_request(actor=actor, kind="full").pk)
    manifest = export.export(tmp_path / "city")
    duck = evaluation_batch_run(actor=actor, engine="duckdb", data=manifest.path)
    grades_duck = dict(SubjectGrade.objects.values_list("subject_id", "grade"))
    sp = evaluation_batch_run(actor=actor, engine="spark", data=manifest.path)
    assert db.status == duck.status == sp.status == "done"
    expected = _results(db)
    assert len(expected) == db.subjects_done == manifest.organisations > 200
    assert _results(duck) == expected
    assert _results(sp) == expected
    # the spread the comparison rests on: every grade, points of most indicators
    assert {g for _s, g, _p, _f in expected.values()} >= {"B", "C", "D"}
    indicators = {k for _s, _g, p, _f in expected.values() for k in p}
    assert len(indicators) >= 8, indicators
    facts = {k for *_x, f in expected.values() for k in f}
    assert {"doubt", "repaired", "upheld", "l_doubt", "sector", "kept"} <= facts, facts
    # the batch runs switched the same grades, changing none
    assert duck.grades_changed == sp.grades_changed == 0
    assert dict(SubjectGrade.objects.values_list("subject_id", "grade")) == grades_duck
    assert sp.timings.keys() == {"select", "engine", "write", "switch"}
    results = manifest.path / "results"  # Spark's results, read back and removed
    assert not results.exists() or not any(results.iterdir())


def test_records_collected_per_day_department_and_item_equal_the_databases(city, spark, tmp_path):
    from xinyong.records.models import Record
    from xinyong.stats.rollups import daily_counts

    expected = sorted((r["day"], r["provider_id"], r["item_code"], r["n"])
                      for r in daily_counts(Record.objects.all()))  # fmt: skip
    assert sum(n for *_k, n in expected) == Record.objects.count() > 500
    export.export(tmp_path / "x")
    for engine in ("duckdb", "spark"):
        got = records_daily(tables(connect(engine), engine, tmp_path / "x"))
        assert [(r["day"], r["provider_id"], r["item_code"], r["n"]) for r in got] == expected
