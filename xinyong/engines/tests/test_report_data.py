"""``xinyong report_data``: the reports' data computed on a batch engine and written back,
for every organisation or a report batch's subjects; bad input refused with
the option and the rule named and nothing written; the write-back all or nothing (the
parity with the database path and the stale-data fallback: ``test_reports.py``)."""

import io

import pytest
from django.core.management import CommandError, call_command

from xinyong.audit.models import AuditEvent
from xinyong.core.context import request_context
from xinyong.reports import services
from xinyong.reports.models import ReportBatch, ReportData, ReportDataRun
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _written() -> tuple:
    runs = list(ReportDataRun.objects.values_list("pk", "engine", "data_time", "batch_id"))
    rows = sorted(ReportData.objects.values_list("subject_id", "run_id", "items"))
    return runs, rows, AuditEvent.objects.filter(action="engines.report_data").count()


def _batch(actor, org, kind="public"):
    with request_context(channel="web"):
        return services.report_batch_submit(actor=actor, kind=kind, purpose="招标投标审查",
                                            codes=[org.uscc])  # fmt: skip


def test_the_command_computes_every_organisations_or_a_batchs_data(org_with_rep, actors,
                                                                   tmp_path):  # fmt: skip
    _call("parquet_export", str(tmp_path / "x"))
    out = _call("report_data", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert "全部非自然人主体" in out and "完成：主体 1 个，数据截至" in out, out
    run = ReportDataRun.objects.get()
    assert (run.engine, run.batch_id, run.subjects) == ("duckdb", None, 1)
    assert list(ReportData.objects.values_list("subject_id", "items", "files")) == [
        (org_with_rep.pk, {}, None)  # no records: no public items, no large file
    ]
    event = AuditEvent.objects.get(action="engines.report_data")
    assert event.detail["subjects"] == 1 and event.detail["engine"] == "duckdb"

    for n, kind in enumerate(("public", "review"), 2):  # a batch of either kind
        batch = _batch(actors["market_clerk"], org_with_rep, kind=kind)
        out = _call("report_data", "--engine", "duckdb", "--batch", str(batch.pk))
        assert f"批量报告任务 {batch.pk}" in out and "完成：主体 1 个" in out
        run = ReportDataRun.objects.get()  # replaced
        assert (run.batch_id, run.subjects) == (batch.pk, 1)
        assert AuditEvent.objects.filter(action="engines.report_data").count() == n


def test_bad_input_is_refused_with_the_option_named_and_nothing_written(org_with_rep, actors,
                                                                         tmp_path):  # fmt: skip
    done = _batch(actors["market_clerk"], org_with_rep)
    ReportBatch.objects.filter(pk=done.pk).update(status="done")
    cases = [
        (("--engine", "hive"), "--engine", "invalid choice"),
        (("--engine", "duckdb", "--batch", "x"), "--batch", "invalid int value"),
        (("--engine", "duckdb", "--batch", "999999"), "--batch：没有编号为 999999 的批量报告任务",
         ""),
        (("--engine", "duckdb", "--batch", str(done.pk)),
         f"--batch：批量报告任务 {done.pk} 已结束", ""),
        (("--engine", "duckdb", "--data", str(tmp_path / "nowhere")),
         f"--data：目录不存在：{tmp_path / 'nowhere'}", ""),
        (("--engine", "spark", "--data", str(tmp_path)), "--data：", "缺少 manifest.json"),
        (("--engine", "duckdb", "--spark-conf", "nokey"), "--spark-conf 应为 KEY=VALUE", ""),
    ]  # fmt: skip
    for args, first, then in cases:
        with pytest.raises(CommandError) as e:
            _call("report_data", *args)
        assert first in str(e.value) and then in str(e.value), (args, str(e.value))
    _call("parquet_export", str(tmp_path / "x"))
    manifest = tmp_path / "x/manifest.json"
    manifest.write_text(manifest.read_text().replace('"database": "', '"database": "other-'))
    with pytest.raises(CommandError) as e:
        _call("report_data", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert "--data：导出来自数据库 other-" in str(e.value)
    assert _written() == ([], [], 0)

    # an export older than the data in force: refused, the data in force kept
    _call("parquet_export", str(tmp_path / "old"))
    _call("report_data", "--engine", "duckdb")  # from an export made now
    before = _written()
    with pytest.raises(CommandError) as e:
        _call("report_data", "--engine", "duckdb", "--data", str(tmp_path / "old"))
    assert "--data：导出的数据截至" in str(e.value) and "早于现有信用报告预计算数据" in str(e.value)
    assert _written() == before


def test_the_write_back_is_all_or_nothing(org_with_rep, departments, tmp_path, monkeypatch):
    from xinyong.engines import reports

    for n in range(3):  # a few organisations, written a chunk each
        Subject.objects.create(kind="organization", uscc=f"91339900MA1X2Y3B{n}0", name=f"组织{n}",
                               status="active")  # fmt: skip
    _call("parquet_export", str(tmp_path / "x"))
    _call("report_data", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    before = _written()
    assert len(before[1]) == 4
    healthy = reports._chunks

    def dies(dataset):
        for chunk in healthy(dataset):
            yield chunk[:1]
            yield chunk[1:2]
        raise RuntimeError("executor lost")

    monkeypatch.setattr(reports, "_chunks", dies)
    with pytest.raises(RuntimeError, match="executor lost"):
        _call("report_data", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert _written() == before  # the old run, its rows, no second event
    assert not (tmp_path / "x/results/report-data").exists()  # the engine's output removed
