"""Review B (issue #12): faults found in the merged ingestion code, each proved here."""

import io
import json
import re
import zipfile

import pytest
from openpyxl import Workbook

from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty, submit_file

pytestmark = pytest.mark.django_db


def _submit(actor, content: bytes, file_format: str = "xlsx") -> Batch:
    return submit_file(actor, content, file_format)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = edit(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content)
    return out.getvalue()


def test_an_xlsx_without_a_worksheet_is_rejected_with_a_reason(actors, org_with_rep):
    """A workbook whose only sheet is removed from workbook.xml: openpyxl opens it, and
    ``book.worksheets[0]`` raised IndexError — the batch 'failed' (internal error) and the
    worker's task raised, instead of a rejection naming the rule."""

    def edit(name, content):
        if name == "xl/workbook.xml":
            return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content)
        return content

    data = _rewrite(_xlsx([["CF_WSH", "XDR_MC"], ["a", "b"]]), edit)
    batch = _submit(actors["market_clerk"], data)
    assert batch.status == "rejected", batch.errors
    assert batch.errors[0]["rule"].startswith("file.")


def _with_flag(data: bytes, target: str, flag: int) -> bytes:
    """``data`` with general-purpose flag bits set on ``target`` in both of its headers
    (zipfile's writer clears them, so the bytes are patched)."""
    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(target)
    local = info.header_offset
    buf[local + 6] |= flag
    central = bytes(buf).index(b"PK\x01\x02")
    while bytes(buf[central + 46 : central + 46 + len(target)]) != target.encode():
        central = bytes(buf).index(b"PK\x01\x02", central + 1)
    buf[central + 8] |= flag
    return bytes(buf)


def test_an_xlsx_with_an_encrypted_part_is_rejected_with_a_reason(actors, org_with_rep):
    """A part flagged encrypted: ``zipfile`` raises RuntimeError ("password required"),
    which the XLSX pre-check did not catch — the batch crashed (internal error)."""
    row = penalty(1)
    data = _with_flag(_xlsx([list(row), list(row.values())]), "xl/worksheets/sheet1.xml", 0x1)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").flag_bits & 1
    batch = _submit(actors["market_clerk"], data)
    assert batch.status == "rejected", batch.errors
    assert batch.errors[0]["rule"].startswith(("file.", "xlsx."))


def test_a_cell_made_of_rich_text_runs_is_held_to_the_cell_limit(actors, org_with_rep, settings):
    """The pre-check measures each ``<t>`` text run, but openpyxl joins a string's
    rich-text runs (``<is><r><t>…</t></r>…</is>``, or the same in a shared string) into
    ONE cell: a cell of any size (up to the 200 MB decompressed limit) reaches openpyxl
    and the worker in runs each under the cell limit."""
    settings.XINYONG_INGEST_MAX_CELL_CHARS = 1000
    row = penalty(1, CF_SY="BIGCELL")
    runs = ("<r><t>" + "A" * 900 + "</t></r>") * 50  # 45,000 characters in one cell

    def edit(name, content):
        if name == "xl/worksheets/sheet1.xml":
            return content.replace(b"<is><t>BIGCELL</t></is>", f"<is>{runs}</is>".encode())
        return content

    data = _rewrite(_xlsx([list(row), list(row.values())]), edit)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<r><t>") == 50
    batch = _submit(actors["market_clerk"], data)
    assert batch.status == "rejected", (batch.status, batch.rejected, batch.errors)
    assert batch.errors[0]["rule"] == "cell.too_large"


def test_an_api_push_is_held_to_the_column_limit(client, market_token, org_with_rep):
    """The column limit (``XINYONG_INGEST_MAX_COLUMNS``) bounded CSV and XLSX headers only:
    an API push of one row with 50,000 unknown keys (a 0.9 MB body; the body may be 32 MB)
    was accepted, and every key became a counted error in the batch's statistics — 1.4 MB
    stored in the batch row, read again by the batch list, the API and the quality page
    (the reported million-column CSV, through the API). Keys spread over many rows add up
    the same way. Refused whole, writing nothing, naming the rule."""
    from xinyong.ingest.tests.conftest import push

    row = {**penalty(1), **{f"k{i}": "x" for i in range(50_000)}}
    r = push(client, market_token, "administrative_penalty", [row])
    assert r.status_code == 422, (r.status_code, len(json.dumps(Batch.objects.get().stats)))
    assert r.json()["detail"][0]["rule"] == "rows.columns"
    assert not Batch.objects.exists()
    spread = [{**penalty(n), **{f"k{n}_{i}": "x" for i in range(150)}} for n in range(1, 5)]
    r = push(client, market_token, "administrative_penalty", spread)
    assert r.status_code == 422 and r.json()["detail"][0]["rule"] == "rows.columns"
    assert not Batch.objects.exists()


def test_an_api_push_is_held_to_a_field_name_length(client, market_token, org_with_rep):
    """Twenty keys of a million characters each (a 20 MB body, under the 32 MB limit):
    accepted, each key quoted in the row's errors and counted in the statistics — 20 MB
    stored in the batch row and 40 MB in its row outcomes, served again whole by the batch
    page and ``GET /api/v1/records/batches/{id}``. Refused whole, naming the rule."""
    from xinyong.ingest.tests.conftest import push

    row = {**penalty(1), **{f"{i}" + "K" * 1_000_000: "x" for i in range(20)}}
    r = push(client, market_token, "administrative_penalty", [row])
    assert r.status_code == 422, (r.status_code, len(json.dumps(Batch.objects.get().stats)))
    assert r.json()["detail"][0]["rule"] == "rows.key_length"
    assert len(r.content) < 4096
    assert not Batch.objects.exists()


def test_text_outside_strings_is_counted_element_by_element(settings):
    """The count across runs is for strings only: many short texts in a row (defined
    names here) are no cell and stay accepted."""
    from xinyong.ingest import limits

    settings.XINYONG_INGEST_MAX_CELL_CHARS = 1000
    names = "".join(f'<definedName name="n{i}">"{"x" * 90}"</definedName>' for i in range(50))

    def edit(name, content):
        if name == "xl/workbook.xml":
            return content.replace(
                b"</sheets>", f"</sheets><definedNames>{names}</definedNames>".encode()
            )
        return content

    data = _rewrite(_xlsx([["CF_WSH"], ["a"]]), edit)
    assert b"definedNames" in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    limits.xlsx_check(io.BytesIO(data))  # no LimitExceeded


def test_a_cursor_page_of_rows_offers_no_offset_that_goes_back(client, market_token, org_with_rep):
    """``GET /api/v1/records/batches/{id}?after=N``: the offset is ignored (the cursor
    wins), yet ``rows_next`` was computed from it — after row 2 with limit 2 it said
    ``offset=2``, i.e. rows 3–4 again instead of 5–6. With a cursor the next page is
    ``rows_after`` and ``rows_next`` follows the rows actually shown."""
    from xinyong.ingest.tests.conftest import fetch, push

    rows = [penalty(n, XDR_LB="未知类别") for n in range(1, 7)]  # six rejected rows
    batch_id = push(client, market_token, "administrative_penalty", rows).json()["id"]
    page = fetch(client, market_token, batch_id, after=2, limit=2).json()
    assert [r["row"] for r in page["rows"]] == [3, 4]
    assert page["rows_after"] == 4
    if page["rows_next"] is not None:
        nxt = fetch(client, market_token, batch_id, offset=page["rows_next"], limit=2).json()
        assert [r["row"] for r in nxt["rows"]] == [5, 6]
