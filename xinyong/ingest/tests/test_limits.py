"""Bounded resources: hostile uploads are refused before they are parsed, each naming its
rule, in a worker that stays under 500 MB; a batch keeps the details of at most its first
rejected rows and counts the rest; its page, the batch list and the API answer in pages of
bounded size."""

import io
import json
import os
import subprocess
import sys
import time
import zipfile

import pytest
from django.test import Client

from xinyong.ingest.models import BatchRow
from xinyong.ingest.tests import hostile
from xinyong.ingest.tests.conftest import csv_bytes, penalty, submit_file

pytestmark = pytest.mark.django_db
WORKER_LIMIT_MB = 500


_submit = submit_file


_csv = csv_bytes


@pytest.mark.no_database  # the worker migrates an in-memory SQLite database of its own
def test_hostile_uploads_keep_the_worker_under_500_mb(tmp_path):
    """The reported uploads, each processed in a worker process of its own: a 9.9 MB CSV
    of a million columns, a 9 MB cell, 20,000 rejected rows, a 1 MB XLSX holding a 1 GiB
    cell (declared, and lying about its size)."""
    cases = ["wide_csv", "huge_cell_csv", "error_rows_csv", "xlsx_bomb", "xlsx_bomb_lying",
             "xlsx_rich_runs"]  # fmt: skip
    run = subprocess.run(  # noqa: S603 - this interpreter, this module, a temp directory
        [sys.executable, "-m", "xinyong.ingest.tests.hostile", str(tmp_path), *cases],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HOSTILE_ERROR_ROWS": "20000"},
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = {r["case"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert set(results) == set(cases), run.stderr[-3000:]
    for r in results.values():
        assert "crash" not in r, r
        assert r["peak_rss_mb"] < WORKER_LIMIT_MB, r
        assert r["errors_json_bytes"] < 4096, r  # the batch's reasons stay small
    assert results["wide_csv"]["file_bytes"] > 9_000_000
    assert (results["wide_csv"]["status"], results["wide_csv"]["rules"]) == (
        "rejected", ["file.columns"],
    )  # fmt: skip
    assert results["huge_cell_csv"]["rules"] == ["cell.too_large"]
    assert results["xlsx_bomb"]["file_bytes"] < 2_000_000
    assert results["xlsx_bomb"]["rules"] == ["xlsx.too_large"]
    assert results["xlsx_bomb_lying"]["rules"] == ["xlsx.size_mismatch"]
    assert results["xlsx_rich_runs"]["rules"] == ["cell.too_large"]  # runs of one cell
    errors = results["error_rows_csv"]
    assert (errors["status"], errors["rejected"], errors["detailed_rows"]) == ("done", 20000, 1000)
    assert errors["stats_omitted"] == {"rows": 19000, "errors": {"XDR_LB|enum": 19000}}


def test_too_many_columns_is_one_reason_not_one_per_column(actors, org_with_rep):
    header = ",".join(f"c{i}" for i in range(201))
    batch = _submit(actors["market_clerk"], (header + "\n" + "x," * 200 + "x\n").encode())
    assert batch.status == "rejected"
    assert [e["rule"] for e in batch.errors] == ["file.columns"]
    assert "201 列" in batch.errors[0]["message"] and "200 列" in batch.errors[0]["message"]


def test_a_cell_beyond_the_limit_refuses_the_csv_naming_the_line(actors, org_with_rep, settings):
    settings.XINYONG_INGEST_MAX_CELL_CHARS = 1000
    batch = _submit(actors["market_clerk"], _csv([penalty(1), penalty(2, CF_SY="虚" * 1001)]))
    assert (batch.status, [e["rule"] for e in batch.errors]) == ("rejected", ["cell.too_large"])
    assert "第3行" in batch.errors[0]["message"]  # the file's line (the header is line 1)


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_parts_are_measured_before_openpyxl_reads_them(
    actors, org_with_rep, settings, tmp_path
):
    clerk = actors["market_clerk"]
    # A part that decompresses more than 100 times its size (64 MB declared honestly).
    ratio = _submit(clerk, hostile.xlsx_bomb(tmp_path / "r.xlsx", cell_mb=64).read_bytes(), "xlsx")
    assert [e["rule"] for e in ratio.errors] == ["xlsx.ratio"]
    # A part declaring 1 MB that yields 64 MB.
    lying = hostile.xlsx_bomb(tmp_path / "l.xlsx", cell_mb=64, declared_mb=1)
    assert [e["rule"] for e in _submit(clerk, lying.read_bytes(), "xlsx").errors] == [
        "xlsx.size_mismatch"
    ]
    # A cell longer than the cell limit in an otherwise ordinary workbook.
    settings.XINYONG_INGEST_MAX_CELL_CHARS = 5000
    header = list(penalty(1))
    rows = [header, list(penalty(1).values()), list(penalty(2, CF_SY="虚" * 6000).values())]
    big = _submit(clerk, _xlsx(rows), "xlsx")
    assert [e["rule"] for e in big.errors] == ["cell.too_large"]
    # More shared strings than openpyxl may hold (it loads them all at once).
    settings.XINYONG_XLSX_MAX_SHARED_STRINGS = 50
    many = hostile.xlsx_shared_strings(tmp_path / "s.xlsx", strings=51, chars=10)
    assert [e["rule"] for e in _submit(clerk, many.read_bytes(), "xlsx").errors] == [
        "xlsx.shared_strings"
    ]
    # Not a zip at all.
    assert [e["rule"] for e in _submit(clerk, b"PK\x03\x04garbage", "xlsx").errors] == ["file.xlsx"]


def test_details_of_rejected_rows_are_capped_and_the_rest_counted(
    client, users, actors, org_with_rep, settings
):
    settings.XINYONG_INGEST_MAX_ERROR_ROWS = 10
    rows = [penalty(n, XDR_LB="公司") for n in range(1, 31)]
    rows += [penalty(n, CF_JDRQ="2026-02-30") for n in range(31, 36)]
    rows += [penalty(n) for n in range(36, 41)]
    batch = _submit(actors["market_clerk"], _csv(rows))
    assert (batch.status, batch.rejected, batch.created) == ("done", 35, 5)
    detailed = BatchRow.objects.filter(batch=batch, errors__isnull=False)
    assert detailed.count() == 10
    assert BatchRow.objects.filter(batch=batch, outcome="rejected").count() == 35
    assert batch.stats["omitted"] == {
        "rows": 25, "errors": {"XDR_LB|enum": 20, "CF_JDRQ|date.format": 5},
    }  # fmt: skip
    client.force_login(users["market_clerk"])
    page = client.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "另有 25 行拒收未逐行保存错误明细" in page
    assert "行政相对人类别 · 不在可选值内 × 20" in page  # by name (the CSV keeps the codes)
    assert "处罚决定日期 · 日期有误 × 5" in page and "XDR_LB" not in page
    report = b"".join(client.get(f"/backoffice/batches/{batch.pk}/report.csv").streaming_content)
    assert "另有 25 行拒收" in report.decode("utf-8-sig")
    assert ",XDR_LB,enum,× 20" in report.decode("utf-8-sig")


def test_rejected_rows_of_the_apply_step_share_the_cap(actors, org_with_rep, settings):
    """Rows rejected by the set-based apply (no such subject) count against the same cap."""
    settings.XINYONG_INGEST_MAX_ERROR_ROWS = 3
    rows = [penalty(n, XDR_SHXYM="", XDR_ZZJG="12345678-9") for n in range(1, 9)]
    batch = _submit(actors["market_clerk"], _csv(rows))
    assert batch.rejected == 8
    assert BatchRow.objects.filter(batch=batch, errors__isnull=False).count() == 3
    assert batch.stats["omitted"]["errors"] == {"XDR_MC|subject.not_found": 5}


@pytest.fixture
def big_batch(actors, org_with_rep, settings):
    """3,000 rejected rows of which 1,000 keep details."""
    rows = [penalty(n, XDR_LB="公司", CF_SY="说明" * 100) for n in range(1, 3001)]
    return _submit(actors["market_clerk"], _csv(rows))


def _timed(client: Client, url: str, **kw):
    started = time.monotonic()
    r = client.get(url, **kw)
    body = b"".join(r.streaming_content) if r.streaming else r.content
    return r, body, time.monotonic() - started


def test_batch_page_list_and_api_answer_in_bounded_pages(
    client, users, big_batch, market_token, django_assert_max_num_queries
):
    client.force_login(users["market_clerk"])
    url = f"/backoffice/batches/{big_batch.pk}/"
    with django_assert_max_num_queries(20):
        r, page, seconds = _timed(client, url)
    assert r.status_code == 200 and len(page) < 300_000 and seconds < 5
    assert page.count(b"<tr><td>") == 100  # one page of row outcomes
    # The next page through the cursor, however deep.
    assert b"after=100" in page
    r, deep, _ = _timed(client, url + "?outcome=rejected&after=2900")
    assert deep.count(b"<tr><td>") == 100 and b"after=" not in deep.split(b"</table>")[1]
    r, listing, seconds = _timed(client, "/backoffice/batches/")
    assert r.status_code == 200 and len(listing) < 100_000 and seconds < 5
    auth = {"Authorization": f"Bearer {market_token}"}
    r, body, seconds = _timed(client, f"/api/v1/records/batches/{big_batch.pk}", headers=auth)
    detail = json.loads(body)
    assert len(detail["rows"]) == 1000 and len(body) < 2_000_000 and seconds < 5
    assert detail["rows_next"] == 1000 and detail["rows_after"] == 1000
    assert detail["rows_without_details"] == 2000
    assert detail["errors_omitted"] == [{"field": "XDR_LB", "rule": "enum", "count": 2000}]
    nxt = client.get(
        f"/api/v1/records/batches/{big_batch.pk}", {"after": 2500, "limit": 10}, headers=auth
    ).json()
    assert [r["row"] for r in nxt["rows"]] == list(range(2501, 2511))
    assert nxt["rows"][0]["errors"] == []  # beyond the cap: outcome kept, details counted
    too_big = client.get(f"/api/v1/records/batches/{big_batch.pk}", {"limit": 1001}, headers=auth)
    assert too_big.status_code == 422
    listing = client.get("/api/v1/records/batches", {"limit": 1}, headers=auth)
    assert listing.status_code == 200 and len(listing.json()) == 1
    assert client.get("/api/v1/records/batches", {"limit": 201}, headers=auth).status_code == 422
    assert client.get("/api/v1/records/batches", {"offset": -1}, headers=auth).status_code == 422
