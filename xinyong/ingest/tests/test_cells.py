"""Cells no credit file may hold — NUL, other control characters, lone surrogates — are row
errors naming the field, in every format and on both databases, never a crashed batch; and
a batch that does crash shows the submitter a generic reason, not the exception's text."""

import io
import json

import pytest

from xinyong.ingest import services
from xinyong.ingest.legacy import FieldSet
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.parsers import open_payload
from xinyong.ingest.tests.conftest import csv_bytes, penalty, push, submit_file
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


_submit = submit_file


_csv = csv_bytes


def _rejected(batch: Batch) -> dict[int, list[tuple[str, str]]]:
    return {
        r.row_no: [(e["field"], e["rule"]) for e in r.errors]
        for r in BatchRow.objects.filter(batch=batch, outcome="rejected")
    }


def test_control_characters_in_csv_cells_are_row_errors(actors, org_with_rep):
    rows = [
        penalty(1),
        penalty(2, CF_SY="在商品\x00包装上"),
        penalty(3, CF_WSH="信市监罚〔2026〕\x003号"),  # the source id itself
        penalty(4, XDR_MC="华为\x07技术有限公司"),
        penalty(5, CF_NR="罚款\x9f五万元"),
        penalty(6, CF_SY="第一行\r\n第二行\t制表"),  # line breaks and tabs are text
    ]
    content = (
        _csv(rows)
        .replace(b"\r\n", b"  ")
        .replace("第一行  第二行".encode(), '"第一行\r\n第二行'.encode())
    )
    content = content.replace("\t制表".encode(), '\t制表"'.encode())
    batch = _submit(actors["market_clerk"], content)
    assert (batch.status, batch.created) == ("done", 2)
    assert _rejected(batch) == {
        2: [("CF_SY", "cell.control_char")],
        3: [("CF_WSH", "cell.control_char")],
        4: [("XDR_MC", "cell.control_char")],
        5: [("CF_NR", "cell.control_char")],
    }
    row3 = BatchRow.objects.get(batch=batch, row_no=3)
    assert "\x00" not in row3.source_id and "\ufffd" in row3.source_id
    message = BatchRow.objects.get(batch=batch, row_no=2).errors[0]["message"]
    assert "违法事实" in message and "控制字符" in message and "包装" not in message
    assert Record.objects.get(source_id="信市监罚〔2026〕6号").data["CF_SY"].startswith("第一行")


def test_a_nul_in_the_header_is_a_named_column_error(actors, org_with_rep):
    content = _csv([penalty(1)]).replace(b"CF_SY", b"CF_\x00SY", 1)
    batch = _submit(actors["market_clerk"], content)
    assert batch.status == "rejected"
    assert {e["rule"] for e in batch.errors} >= {"column.unknown", "column.missing"}
    assert all("\x00" not in e["message"] for e in batch.errors)


def test_control_characters_in_xlsx_cells_are_row_errors(actors, org_with_rep):
    from openpyxl import Workbook

    book = Workbook()
    header = list(penalty(1))
    book.active.append(header)
    book.active.append(list(penalty(1).values()))
    book.active.append(list(penalty(2, CF_SY="虚假\x85宣传").values()))
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _submit(actors["market_clerk"], buffer.getvalue(), "xlsx")
    assert (batch.created, _rejected(batch)) == (1, {2: [("CF_SY", "cell.control_char")]})


def test_nul_and_lone_surrogates_in_api_rows_are_refused_naming_the_cell(
    client, market_token, org_with_rep
):
    """An API body is refused whole, naming each cell (the request-level input rule): no
    batch, no record. Files keep such rows as row errors (above)."""
    rows = [penalty(1), penalty(2, CF_SY="NUL"), penalty(3, CF_NR="LONE"), penalty(4)]
    body = json.dumps({"item": "administrative_penalty", "rows": rows}, ensure_ascii=False)
    body = body.replace('"NUL"', '"a\\u0000b"').replace('"LONE"', '"x\\ud800y"')
    batches = Batch.objects.count()
    r = client.post(
        "/api/v1/records/batches",
        body.encode(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {market_token}"},
    )
    assert r.status_code == 422, r.content
    got = {(e["field"], e["rule"]) for e in r.json()["detail"]}
    assert got == {("rows.1.CF_SY", "string.nul"), ("rows.2.CF_NR", "string.surrogate")}
    assert Batch.objects.count() == batches


def test_unexpected_failure_shows_a_generic_reason_not_the_exception(
    actors, org_with_rep, settings
):
    """The exception's text (a database error quoting the row, a path) goes to the log."""
    from pathlib import Path

    batch = services.batch_submit(
        actor=actors["market_clerk"],
        item_code="administrative_penalty",
        channel="upload",
        file_format="csv",
        payload=_csv([penalty(1)]),
        file_name="x.csv",
    )
    path = Path(settings.XINYONG_BATCH_DIR) / batch.payload_path
    path.unlink()  # an unexpected failure while processing
    with pytest.raises(OSError):
        services.batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed"
    [error] = batch.errors
    assert error["rule"] == "batch.crash" and str(batch.pk) in error["message"]
    assert str(path.name) not in error["message"] and "Errno" not in error["message"]


def test_row_numbers_agree_in_api_page_and_report(client, users, market_token, org_with_rep):
    """One numbering: the data row's position, from 1; the header is not a row."""
    content = _csv([penalty(1), penalty(2, XDR_LB="公司"), penalty(3)])
    batch = _submit_as(client, users["market_clerk"], content)
    auth = {"Authorization": f"Bearer {market_token}"}
    api = client.get(
        f"/api/v1/records/batches/{batch.pk}", {"outcome": "rejected"}, headers=auth
    ).json()
    assert [r["row"] for r in api["rows"]] == [2]
    report = b"".join(client.get(f"/backoffice/batches/{batch.pk}/report.csv").streaming_content)
    lines = report.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]
    page = client.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "<tr><td>2</td>" in page and "表头不计为一行" in page
    assert Record.objects.get(source_id="信市监罚〔2026〕3号").batch_row == 3


def _submit_as(client, user, content: bytes) -> Batch:
    from xinyong.accounts.actors import Actor

    client.force_login(user)
    return _submit(Actor.for_user(user), content)


def test_the_field_set_is_decided_once_for_the_whole_api_batch(tmp_path, org_with_rep):
    """A push whose rows use an old-only key anywhere is read in the older set as a whole
    (current codes are read by it too); otherwise in the current set."""
    from xinyong.catalog import selectors as catalog
    from xinyong.catalog.rowschema import compiled
    from xinyong.ingest.legacy import adapter_for

    schema = compiled(catalog.item_current("administrative_penalty")[1])
    adapter = adapter_for(schema=schema, provider_name="市市场监督管理局", provider_uscc="")
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([penalty(1), {**penalty(2), "CF_CFLB1": "罚款"}]))
    mixed = open_payload(path, "json", schema, adapter)
    assert mixed.reading.field_set is FieldSet.LEGACY_2016 and mixed.reading.adapter is adapter
    path.write_text(json.dumps([penalty(1), penalty(2)]))
    assert open_payload(path, "json", schema, adapter).reading.field_set is FieldSet.CURRENT
    # No hidden key rides in a row any more: one a submitter sends is just an unknown field.
    assert "__adapted__" not in adapter.adapt({**penalty(2), "CF_CFLB1": "罚款"}).row


def test_rows_pushed_through_the_api_keep_their_outcomes(client, market_token, org_with_rep):
    r = push(client, market_token, "administrative_penalty", [penalty(1)])
    assert r.status_code == 200 and r.json()["created"] == 1
