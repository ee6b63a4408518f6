"""Uploads in the back office: CSV in UTF-8 and GBK, XLSX, headers in Chinese or as codes;
files refused as a whole (encoding, columns, size, format) write nothing; formula cells are
refused on the way in and neutralised on the way out; a crash leaves no half-applied batch."""

import csv
import io
from html import escape
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from xinyong.audit.models import AuditEvent
from xinyong.ingest import services
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.tests.conftest import NEW_ORG, penalty
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

ITEM = "administrative_penalty"
# Chinese names of the penalty fields, as a clerk's spreadsheet heads its columns.
CHINESE = {"XDR_MC": "行政相对人名称", "CF_WSH": "行政处罚决定书文号", "CF_JDRQ": "处罚决定日期"}


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _csv(rows: list[dict], encoding="utf-8", headers=None) -> bytes:
    buf = io.StringIO()
    fields = list(rows[0])
    w = csv.writer(buf)
    w.writerow([(headers or {}).get(f, f) for f in fields])
    for r in rows:
        w.writerow([r.get(f, "") for f in fields])
    return buf.getvalue().encode(encoding)


def _xlsx(rows: list[dict]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    fields = list(rows[0])
    ws.append(fields)
    for r in rows:
        ws.append([r.get(f) for f in fields])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, name: str, content: bytes, item=ITEM, **extra):
    """Upload as a clerk does; the worker's job (queued on commit) runs at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/backoffice/batches/upload/",
            {"item": item, "file": SimpleUploadedFile(name, content), **extra},
        )


def _batch_dir_files(settings) -> list[Path]:
    return [p for p in Path(settings.XINYONG_BATCH_DIR).rglob("*") if p.is_file()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_upload_with_chinese_headers(users, org_with_rep, encoding):
    c = _login(users["market_clerk"])
    content = _csv([penalty(1), penalty(2)], encoding, headers=CHINESE)
    r = _upload(c, "处罚.csv", content)
    assert r.status_code == 302, r.content.decode()
    batch = Batch.objects.get()
    assert (batch.status, batch.channel, batch.created) == ("done", "upload", 2)
    page = c.get(r["Location"]).content.decode()
    assert "已完成" in page and "处罚.csv" in page
    rec = Record.objects.get(source_id="信市监罚〔2026〕1号")
    assert rec.data["XDR_MC"] == "华为技术有限公司" and rec.channel == "upload"


def test_xlsx_upload_and_formula_cell_rejected(users, org_with_rep):
    rows = [penalty(1), penalty(2, CF_SY='=HYPERLINK("http://evil","x")')]
    c = _login(users["market_clerk"])
    r = _upload(c, "penalties.xlsx", _xlsx(rows))
    assert r.status_code == 302
    batch = Batch.objects.get()
    assert (batch.created, batch.rejected) == (1, 1)
    bad = BatchRow.objects.get(batch_id=batch.pk, outcome="rejected")
    assert bad.row_no == 2  # data rows count from 1: the header is not a row
    assert bad.errors[0]["field"] == "CF_SY" and bad.errors[0]["rule"] == "cell.formula"


def test_report_download_is_formula_safe(users, org_with_rep):
    """A rejected row whose source id is a formula comes back quoted, not executable."""
    c = _login(users["market_clerk"])
    _upload(c, "p.csv", _csv([penalty(1), penalty(2, CF_WSH="=1+2", CF_CFJG="@SUM(A1)")]))
    batch = Batch.objects.get()
    r = c.get(f"/backoffice/batches/{batch.pk}/report.csv")
    assert r["Content-Type"].startswith("text/csv")
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff行号")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    rejected = [x for x in lines if x[2] == "拒收"]
    assert rejected and all(x[1] == "'=1+2" for x in rejected)
    assert {x[4] for x in rejected} == {"CF_WSH", "CF_CFJG"}
    assert all(x[5] == "cell.formula" for x in rejected)
    assert not any(cell.startswith(("=", "+", "-", "@")) for x in lines for cell in x)


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"\x81\xff\xfe\x00\x80" * 50, "file.encoding"),
        ("行政相对人名称,处罚决定书文号\n华为,1\n".encode(), "column.missing"),
        (None, "column.unknown"),
        (b"", "file.empty"),
    ],
)
def test_unreadable_files_are_rejected_whole(users, org_with_rep, content, rule):
    if content is None:  # a valid file with one column the catalog does not know
        row = penalty(1)
        row["不存在的列"] = "x"
        content = _csv([row])
    c = _login(users["market_clerk"])
    r = _upload(c, "bad.csv", content)
    assert r.status_code == 302
    batch = Batch.objects.get()
    assert batch.status == "rejected"
    assert rule in {e["rule"] for e in batch.errors}
    assert Record.objects.count() == 0 and BatchRow.objects.count() == 0
    page = c.get(r["Location"]).content.decode()  # the message, not the rule id
    assert escape(batch.errors[0]["message"]) in page and rule not in page


def test_file_over_the_limit_is_refused_before_reading(users, org_with_rep, settings):
    """A 100 MB upload: refused with the rule named; nothing stored, no batch."""
    c = _login(users["market_clerk"])
    big = b"x" * (100 * 1024 * 1024)
    r = _upload(c, "huge.csv", big)
    assert r.status_code == 413
    html = r.content.decode()
    assert "<b>文件</b>" in html and "50 MB" in html and "file.too_large" not in html
    assert Batch.objects.count() == 0 and _batch_dir_files(settings) == []


def test_wrong_format_and_missing_fields_named(users, org_with_rep):
    c = _login(users["market_clerk"])
    r = _upload(c, "p.pdf", b"%PDF-1.4")
    html = r.content.decode()
    assert r.status_code == 400 and "file.format" not in html
    assert '<span class="field-error" id="id_file_error">' in html  # beside the file field
    r = c.post("/backoffice/batches/upload/", {"item": ""})
    html = r.content.decode()
    assert r.status_code == 400 and "请选择目录项" in html and "请选择要上传的文件" in html
    assert Batch.objects.count() == 0


def test_item_of_another_department_refused(users, org_with_rep):
    r = _upload(
        _login(users["tax_clerk"]), "p.csv", _csv([penalty(1)]), item="intellectual_property"
    )
    # A refusal by the access rules, not a malformed form: 403, in the rule's words.
    assert r.status_code == 403 and "不是目录项“知识产权信息”的信息提供单位" in r.content.decode()
    assert Batch.objects.count() == 0


def test_crash_mid_batch_leaves_nothing(users, org_with_rep, monkeypatch, settings):
    """The second chunk fails: the first chunk's records, outcomes and new subjects are
    rolled back with it; the batch is marked failed and processes cleanly afterwards."""
    settings.XINYONG_BATCH_CHUNK_ROWS = 2
    real = services.process.apply_chunk
    calls = []

    def failing(cur, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(cur, **kw)

    monkeypatch.setattr(services.process, "apply_chunk", failing)
    rows = [penalty(1), penalty(2, XDR_MC="信安恒瑞科技有限公司", XDR_SHXYM=NEW_ORG)]
    rows += [penalty(n) for n in range(3, 6)]
    _upload(_login(users["market_clerk"]), "p.csv", _csv(rows))  # the worker logs the crash
    batch = Batch.objects.get()
    assert batch.status == "failed" and batch.errors[0]["rule"] == "batch.crash"
    assert Record.objects.count() == 0 and BatchRow.objects.count() == 0
    assert not Subject.objects.filter(uscc=NEW_ORG).exists()
    assert AuditEvent.objects.filter(action="batch.fail").count() == 1
    monkeypatch.setattr(services.process, "apply_chunk", real)
    done = services.batch_process(batch_id=batch.pk)
    assert (done.status, done.created, done.subjects_created) == ("done", 5, 1)


def test_batches_are_scoped_to_their_department(users, org_with_rep):
    _upload(_login(users["market_clerk"]), "p.csv", _csv([penalty(1)]))
    batch = Batch.objects.get()
    assert _login(users["tax_clerk"]).get(f"/backoffice/batches/{batch.pk}/").status_code == 404
    assert (
        f"#{batch.pk}"
        not in _login(users["tax_clerk"]).get("/backoffice/batches/").content.decode()
    )
    assert _login(users["operator"]).get(f"/backoffice/batches/{batch.pk}/").status_code == 200
    report = _login(users["tax_clerk"]).get(f"/backoffice/batches/{batch.pk}/report.csv")
    assert report.status_code == 404


def test_progress_is_read_from_the_worker_file(users, org_with_rep):
    from xinyong.ingest.progress import progress_write
    from xinyong.ingest.schemas import BatchOut

    c = _login(users["market_clerk"])
    _upload(c, "p.csv", _csv([penalty(1)]))
    batch = Batch.objects.get()
    Batch.objects.filter(pk=batch.pk).update(status="processing", processed=0)
    batch.refresh_from_db()
    progress_write(batch, 40_000)
    assert BatchOut.of(batch).processed == 40_000
    html = c.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "40,000" in html and 'http-equiv="refresh"' in html


def test_batch_abandoned_by_a_dead_worker_is_taken_again(users, org_with_rep):
    import datetime

    from django.utils import timezone

    c = _login(users["market_clerk"])
    _upload(c, "p.csv", _csv([penalty(1)]))
    batch = Batch.objects.get()
    # Another worker holds its lease right now: left alone.
    soon = timezone.now() + datetime.timedelta(seconds=20)
    Batch.objects.filter(pk=batch.pk).update(
        status="processing", lease_owner="w:1:t", lease_expires=soon
    )
    assert services.batch_process(batch_id=batch.pk).status == "processing"
    # Its worker died, its lease ran out (the transaction rolled back): processed again.
    Batch.objects.filter(pk=batch.pk).update(lease_expires=timezone.now())
    again = services.batch_process(batch_id=batch.pk)
    assert (again.status, again.unchanged) == ("done", 1)  # the same record, not a second
    assert Record.objects.count() == 1
    assert (again.lease_owner, again.lease_expires, again.attempts) == ("", None, 2)


def test_batch_pages_in_english(users, org_with_rep):
    c = _login(users["market_clerk"])
    _upload(c, "p.csv", _csv([penalty(1), penalty(2, CF_CFJG="=1")]))
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    batch = Batch.objects.get()
    html = c.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "Download the row report (CSV)" in html and "Repeated in the batch" in html
    assert "Done" in html and "已完成" not in html
    html = c.get("/backoffice/batches/upload/").content.decode()
    assert "Upload a credit information file" in html and "Choose a catalog item" not in html


def test_older_field_codes_still_found_in_feeds_are_read(users, org_with_rep):
    """The 2016 dual-publicity codes: 处罚结果 CF_JG is the content, 处罚机关 CF_XZJG the
    authority; 项目名称 XK_XMMC, 审批类别 XK_SPLB, 截止期 XK_JZQ, 许可机关 XK_XZJG."""
    from xinyong.records.tests.test_credit_file import licence

    old = {"CF_NR": "CF_JG", "CF_CFJG": "CF_XZJG", "CF_CFLB": "CF_CFLB1"}
    c = _login(users["market_clerk"])
    _upload(c, "old.csv", _csv([penalty(1)], headers=old))
    rec = Record.objects.get()
    assert rec.data["CF_NR"] == "罚款人民币五万元" and rec.data["CF_CFJG"] == "信安市市场监督管理局"
    old = {"XK_XKWS": "XK_XMMC", "XK_XKLB": "XK_SPLB", "XK_YXQZI": "XK_JZQ", "XK_XKJG": "XK_XZJG"}
    _upload(c, "old.csv", _csv([licence(1)], headers=old), item="administrative_licence")
    rec = Record.objects.get(item_code="administrative_licence")
    assert rec.data["XK_YXQZI"] == "2030-12-31" and rec.valid_to.isoformat() == "2030-12-31"
