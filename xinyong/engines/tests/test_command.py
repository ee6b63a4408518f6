"""The operator's commands: an export to Parquet, and an evaluation on a batch engine from
it; bad input is refused with the option and the rule named, and nothing is written."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from xinyong.audit.models import AuditEvent
from xinyong.evaluation.models import EvaluationResult, EvaluationRun, SubjectGrade

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _nothing_written():
    assert not EvaluationRun.objects.exists()
    assert not EvaluationResult.objects.exists() and not SubjectGrade.objects.exists()


def test_an_export_then_a_duckdb_run_from_it(org_with_rep, tmp_path):
    out = _call("parquet_export", str(tmp_path / "city"))
    assert "已导出到" in out and "subjects 2" in out and "数据截至" in out
    manifest = json.loads((tmp_path / "city/manifest.json").read_text())
    assert manifest["organisations"] == 1 and manifest["rows"]["subjects"] == 2
    assert AuditEvent.objects.filter(action="engines.export").count() == 1
    out = _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "city"))
    assert "计算引擎 duckdb" in out and "完成：评价主体 1 个，等级变化 1 个" in out
    run = EvaluationRun.objects.get()
    assert run.kind == "full" and run.data_time.isoformat() == manifest["data_time"]
    assert SubjectGrade.objects.get(pk=org_with_rep.pk).grade == "B"
    done = AuditEvent.objects.get(action="evaluation.done")
    assert done.detail["engine"] == "duckdb"


def test_without_data_an_export_is_made_for_the_run_and_removed(org_with_rep, settings,
                                                                tmp_path):  # fmt: skip
    settings.XINYONG_PARQUET_DIR = tmp_path
    out = _call("evaluate", "--engine", "duckdb", "--as-of", "2026-12-01")
    assert "数据 现在导出" in out and "完成：评价主体 1 个" in out
    assert list(tmp_path.iterdir()) == []  # the export, used, is gone


def test_an_unknown_engine_is_refused(org_with_rep):
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "hive")
    assert "--engine" in str(e.value) and "invalid choice" in str(e.value)
    _nothing_written()


def test_a_missing_or_foreign_directory_is_refused_and_nothing_written(org_with_rep, tmp_path):
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "nowhere"))
    assert str(e.value) == f"--data：目录不存在：{tmp_path / 'nowhere'}"
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "spark", "--data", str(tmp_path))
    assert "--data：" in str(e.value) and "缺少 manifest.json" in str(e.value)
    _call("parquet_export", str(tmp_path / "x"))
    (tmp_path / "x/manifest.json").write_text(
        (tmp_path / "x/manifest.json").read_text().replace('"database": "', '"database": "other-')
    )
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert "--data：导出来自数据库 other-" in str(e.value)
    _nothing_written()


def test_an_export_older_than_the_grades_in_force_is_refused(org_with_rep, tmp_path):
    _call("parquet_export", str(tmp_path / "old"))
    _call("evaluate", "--full")  # a database run after the export
    runs = EvaluationRun.objects.count()
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "old"))
    assert "--data：导出的数据截至" in str(e.value) and "请重新导出" in str(e.value)
    assert EvaluationRun.objects.count() == runs


def test_options_that_do_not_go_together_are_refused(org_with_rep):
    for args, words in [
        (("--engine", "duckdb", "--incremental"), "只执行全量评价"),
        (("--data", "x"), "只用于 --engine duckdb 或 spark"),
        (("--engine", "spark", "--spark-conf", "nokey"), "--spark-conf 应为 KEY=VALUE"),
    ]:
        with pytest.raises(CommandError) as e:
            _call("evaluate", *args)
        assert words in str(e.value)
    _nothing_written()


def test_a_batch_run_failing_midway_leaves_no_results_and_the_grades_in_force(
    org_with_rep, tmp_path, monkeypatch
):
    from xinyong.engines.evaluation import EngineBatch

    _call("parquet_export", str(tmp_path / "x"))
    _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    before = list(SubjectGrade.objects.values_list("subject_id", "result_id", "grade"))
    healthy = EngineBatch.results

    def dies(self, run):
        yield from healthy(self, run)
        raise RuntimeError("executor lost")

    monkeypatch.setattr(EngineBatch, "results", dies)
    with pytest.raises(CommandError) as e:
        _call("evaluate", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert str(e.value) == "评价失败：executor lost"
    failed = EvaluationRun.objects.get(status="failed")
    assert not EvaluationResult.objects.filter(run=failed).exists()
    assert list(SubjectGrade.objects.values_list("subject_id", "result_id", "grade")) == before
