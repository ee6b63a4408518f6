"""`xinyong evaluate` and the daily run: the operator runs an evaluation from the command
line with its progress printed, loads a model file (a refused one is named by its line and
rule, and nothing is loaded), and the daily upkeep ends with the day's incremental run."""

import io

import pytest
from django.core.management import CommandError, call_command

from xinyong.evaluation.models import EvaluationRun, ModelVersion, SubjectGrade
from xinyong.evaluation.tests.conftest import penalties

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def test_a_full_then_an_incremental_run_with_progress(actors, org_with_rep):
    out = _call("--full", "--as-of", "2026-12-01")
    assert "全量评价" in out and "1 / 1（100%）" in out and "完成：评价主体 1 个" in out
    assert SubjectGrade.objects.get(pk=org_with_rep.pk).grade == "B"
    penalties(actors["market_clerk"], {"CF_JDRQ": "2026-06-01", "CF_YXQ": "2027-06-01",
                                       "CF_YZCD": "严重"})  # fmt: skip
    out = _call("--as-of", "2026-12-02")
    assert "增量评价" in out and "等级变化 1 个" in out
    assert SubjectGrade.objects.get(pk=org_with_rep.pk).grade == "C"


def test_a_model_file_is_loaded_or_refused_with_its_line_and_rule(tmp_path, org_with_rep):
    source = ModelVersion.objects.get(active=True).source
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace("version: 1", "version: 2").replace("code: court,", "code: x,"))
    with pytest.raises(CommandError) as e:
        _call("--load", str(bad))
    line = next(n for n, t in enumerate(source.splitlines(), 1) if "code: court," in t)
    assert f"第 {line} 行" in str(e.value) and "model.unknown_indicator" in str(e.value)
    assert ModelVersion.objects.count() == 1 and not EvaluationRun.objects.exists()
    good = tmp_path / "good.yaml"
    good.write_text(source.replace("version: 1", "version: 2"))
    out = _call("--load", str(good), "--no-run")
    assert "已载入并启用" in out and ModelVersion.objects.get(active=True).version == 2
    assert not EvaluationRun.objects.exists()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _call("--as-of", "2026-13-01")
    with pytest.raises(CommandError, match="无法读取"):
        _call("--load", str(tmp_path / "missing.yaml"))


def test_the_daily_upkeep_ends_with_the_days_incremental_run(org_with_rep):
    out = io.StringIO()
    call_command("daily_upkeep", stdout=out)
    assert "增量评价：评价主体 1 个" in out.getvalue()  # the first run of a model is full
    run = EvaluationRun.objects.get()
    assert (run.kind, run.status, run.requested_by) == ("full", "done", "system")
    call_command("daily_upkeep", stdout=io.StringIO())
    assert EvaluationRun.objects.first().kind == "incremental"
