"""``xinyong stats_rebuild``: the statistics' rollups rebuilt on a batch engine from an
export, their marks the export's data time, and ``xinyong records_reconcile``; a foreign or
missing export, an unknown engine, a bad Spark option are refused with the option named
and nothing written (the parity with the database's rebuild, the stale export and the
differences found: ``test_parity.py``, on its city)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from xinyong.stats.models import RecordDaily, RollupMark
from xinyong.stats.rollups import CHECKS, PUBLICATIONS, RECORDS

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_command_rebuilds_and_refuses_with_the_option_named(org_with_rep, tmp_path):
    with pytest.raises(CommandError) as e:
        _call("stats_rebuild", "--engine", "duckdb", "--data", str(tmp_path / "nowhere"))
    assert str(e.value) == f"--data：目录不存在：{tmp_path / 'nowhere'}"
    with pytest.raises(CommandError) as e:
        _call("stats_rebuild", "--engine", "spark", "--data", str(tmp_path))
    assert "--data：" in str(e.value) and "缺少 manifest.json" in str(e.value)
    with pytest.raises(CommandError) as e:
        _call("stats_rebuild", "--engine", "duckdb", "--spark-conf", "nokey")
    assert "--spark-conf 应为 KEY=VALUE" in str(e.value)
    _call("parquet_export", str(tmp_path / "x"))
    manifest = tmp_path / "x/manifest.json"
    good = manifest.read_text()
    manifest.write_text(good.replace('"database": "', '"database": "other-'))
    for command in ("stats_rebuild", "records_reconcile"):
        with pytest.raises(CommandError) as e:
            _call(command, "--engine", "duckdb", "--data", str(tmp_path / "x"))
        assert "--data：导出来自数据库 other-" in str(e.value)
        with pytest.raises(CommandError) as e:
            _call(command, "--engine", "hive")
        assert "--engine" in str(e.value) and "invalid choice" in str(e.value)
    assert not RecordDaily.objects.exists() and not RollupMark.objects.exists()

    manifest.write_text(good)
    out = _call("records_reconcile", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert "计算引擎 duckdb" in out and "引擎计数 0 条，数据库计数 0 条" in out
    assert out.strip().endswith("一致")
    out = _call("stats_rebuild", "--engine", "duckdb", "--data", str(tmp_path / "x"))
    assert "计算引擎 duckdb" in out
    assert "完成：信用记录日汇总 0 行，双公示日汇总 0 行，信用核查日汇总 0 行，统计截至" in out
    until = datetime.datetime.fromisoformat(json.loads(good)["data_time"])
    assert RollupMark.objects.get(name=RECORDS).until == until
    assert RollupMark.objects.get(name=PUBLICATIONS).until == until
    assert RollupMark.objects.get(name=CHECKS).until == until
