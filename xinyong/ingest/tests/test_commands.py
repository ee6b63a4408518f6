"""`xinyong ingest_file` and `xinyong catalog`: the operator's commands."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def _write(path, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_ingest_file_loads_and_reports(tmp_path, org_with_rep):
    path = _write(tmp_path / "处罚.csv", [penalty(1), penalty(2), penalty(3, CF_JDRQ="2026-13-01")],
                  encoding="gbk")  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_file", str(path), "--item", "administrative_penalty",
                 "--provider", "SCJG", stdout=out, stderr=err, verbosity=0)  # fmt: skip
    text = out.getvalue()
    assert "已完成" in text and "共 3 行" in text and "新增 2" in text and "拒收 1" in text
    batch = Batch.objects.get()
    assert batch.channel == "cli" and batch.provider.code == "SCJG"
    assert Record.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--item", "administrative_penalty", "--provider", "SCJG"], "文件不存在"),
        (["{f}", "--item", "no_such_item", "--provider", "SCJG"], "目录中没有启用的目录项"),
        (["{f}", "--item", "administrative_penalty", "--provider", "NOPE"], "provider"),
        (["{f}", "--item", "judicial_judgment", "--provider", "SCJG"], "不是目录项"),
        (["{bad}", "--item", "administrative_penalty", "--provider", "SCJG"], "file.encoding"),
    ],
)
def test_ingest_file_refusals_write_nothing(tmp_path, org_with_rep, args, message):
    good = _write(tmp_path / "p.csv", [penalty(1)])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x81\xff\xfe\x00\x80" * 50)
    args = [a.format(f=good, bad=bad) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("ingest_file", *args, stdout=io.StringIO(), verbosity=0)
    assert Record.objects.count() == 0


def test_catalog_command_lists_shows_and_syncs():
    out = io.StringIO()
    call_command("catalog", "list", stdout=out)
    assert out.getvalue().count("\n") == 26 and "administrative_penalty" in out.getvalue()
    out = io.StringIO()
    call_command("catalog", "show", "administrative_licence", stdout=out)
    assert "XK_XKWS" in out.getvalue() and "行政许可决定文书名称" in out.getvalue()
    out = io.StringIO()
    call_command("catalog", "sync", stdout=out)
    assert "unchanged" in out.getvalue()
    with pytest.raises(CommandError, match="没有启用的目录项"):
        call_command("catalog", "show", "nope", stdout=io.StringIO())
