"""The seven causes of 5xx the fuzzing of issue #12 found, one test each (API and pages):
each input gets a 4xx naming the field and the rule, in the API's one error shape, and
writes nothing. The property tests (test_properties.py, portal/tests/test_query_properties.py)
then show the whole class is gone, not these examples only."""

import json

import pytest
from django.db import IntegrityError
from django.test import RequestFactory

from xinyong.api.main import api
from xinyong.audit.models import AuditEvent
from xinyong.core.inputs import DB_INT_MAX, JSON_MAX_DEPTH
from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.records.models import Record
from xinyong.remedies.models import Objection

pytestmark = pytest.mark.django_db
ITEM = "administrative_penalty"


def _get(client, token, url, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


def _post(client, token, url, body: bytes | str, content_type="application/json"):
    return client.post(url, body, content_type=content_type,
                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def _errors(r) -> list[tuple[str, str]]:
    body = r.json()
    assert set(body) == {"detail"}, body
    for e in body["detail"]:
        assert set(e) == {"field", "rule", "message"} and e["rule"] and e["message"], e
    return [(e["field"], e["rule"]) for e in body["detail"]]


@pytest.mark.parametrize(
    ("url", "name", "value", "rule"),
    [
        ("/api/v1/records/batches", "offset", -1, "greater_than_equal"),
        ("/api/v1/records/batches", "offset", 2**63, "less_than_equal"),
        ("/api/v1/records/batches/1", "offset", -5, "greater_than_equal"),
        ("/api/v1/records/batches/1", "offset", 2**70, "less_than_equal"),
        ("/api/v1/publicity/changes", "after", 2**64, "less_than_equal"),
        ("/api/v1/repairs/changes", "after", -1, "greater_than_equal"),
    ],
)
def test_offsets_out_of_range_name_the_parameter(client, market_token, url, name, value, rule):
    r = _get(client, market_token, url, **{name: value})
    assert r.status_code == 422 and _errors(r) == [(name, rule)]


def test_largest_offset_the_database_holds_is_an_empty_page(client, market_token, org_with_rep):
    push(client, market_token, ITEM, [penalty(1)])
    r = _get(client, market_token, "/api/v1/records/batches", offset=DB_INT_MAX)
    assert r.status_code == 200 and r.json() == []


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/records/batches/9223372036854775808", "batch_id"),
        ("/api/v1/records/batches/0", "batch_id"),
        ("/api/v1/objections/-1", "objection_id"),
        ("/api/v1/objections/99999999999999999999999", "objection_id"),
    ],
)
def test_ids_out_of_range_name_the_parameter(client, market_token, url, field):
    r = _get(client, market_token, url)
    assert r.status_code == 422 and [f for f, _rule in _errors(r)] == [field]


def test_json_integers_beyond_64_bits_name_the_field(client, market_token, org_with_rep):
    body = '{"record_id": 18446744073709551616, "reasons": "x"}'
    r = _post(client, market_token, "/api/v1/objections", body)
    assert r.status_code == 422 and [f for f, _rule in _errors(r)] == ["record_id"]
    assert Objection.objects.count() == 0


@pytest.mark.parametrize(("escape", "rule"), [("\\u0000", "string.nul"),
                                              ("\\ud800", "string.surrogate")])  # fmt: skip
def test_nul_and_lone_surrogates_in_a_batch_are_refused_with_the_cell(
    client, market_token, org_with_rep, escape, rule
):
    rows = [penalty(1), penalty(2), penalty(3), penalty(4, CF_WFXW="虚假ESC宣传")]
    body = json.dumps({"item": ITEM, "rows": rows}, ensure_ascii=False).replace("ESC", escape)
    events = AuditEvent.objects.count()
    r = _post(client, market_token, "/api/v1/records/batches", body.encode())
    assert r.status_code == 422 and _errors(r) == [("rows.3.CF_WFXW", rule)]
    assert (Batch.objects.count(), Record.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("escape", ["\\u0000", "\\udfff"])
def test_nul_and_surrogates_in_a_check_are_refused(client, market_token, escape):
    body = '{"subject": "9144030019220382ESC", "matter": "government_procurement"}'
    r = _post(client, market_token, "/api/v1/checks", body.replace("ESC", escape))
    assert r.status_code == 422 and [f for f, _ in _errors(r)] == ["subject"]


@pytest.mark.parametrize(
    ("url", "field", "rule"),
    [
        ("/api/v1/records/batches?item=%00", "item", "string.nul"),
        ("/api/v1/records/batches?item=%ED%A0%80", "item", "string.utf8"),  # a surrogate
        ("/api/v1/records/batches?item=%FF%FE", "item", "string.utf8"),
        ("/api/v1/subjects?q=%E5%8D%8E%00%E4%B8%BA", "q", "string.nul"),
        ("/api/v1/subjects/91440300%00", "code", "string.nul"),
        ("/api/v1/publicity/changes?item=x&%00=1", "\\u0000", "string.nul"),
    ],
)
def test_nul_and_invalid_utf8_in_query_and_path_name_the_parameter(
    client, market_token, url, field, rule
):
    r = client.get(url, headers={"Authorization": f"Bearer {market_token}"})
    assert r.status_code == 422 and _errors(r) == [(field, rule)]


@pytest.mark.parametrize(
    ("body", "status", "rule"),
    [
        (b'{"item": "administrative_penalty", "rows": [\xff]}', 400, "body.utf8"),
        (b'{"item": "\xe5\x8d"}', 400, "body.utf8"),
        (b'{"item": ' + b"[" * (JSON_MAX_DEPTH + 1) + b"]" * (JSON_MAX_DEPTH + 1) + b"}", 400,
         "json.depth"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "json.depth"),
        (b'{"item": "x", "rows": [{"A": NaN}]}', 400, "json.syntax"),
        (b'{"item": "x", "rows": [', 400, "json.syntax"),
    ],
)  # fmt: skip
def test_unreadable_bodies_are_400_with_field_and_rule(client, market_token, body, status, rule):
    r = _post(client, market_token, "/api/v1/records/batches", body)
    assert r.status_code == status and _errors(r) == [("body", rule)]
    assert Batch.objects.count() == 0


def test_a_batch_nested_within_the_limit_reaches_the_row_check(client, market_token, org_with_rep):
    nested: object = "x"
    for _ in range(JSON_MAX_DEPTH - 4):  # object, rows list, row, cell: 4 levels
        nested = [nested]
    r = push(client, market_token, ITEM, [penalty(1, CF_WFXW=nested)])
    assert r.status_code == 200 and r.json()["rejected"] == 1


def test_objection_with_entry_id_0_or_unknown_names_the_field(client, market_token, org_with_rep):
    push(client, market_token, ITEM, [penalty(1)])
    record = Record.objects.get()
    body = {"record_id": record.pk, "entry_id": 0, "reasons": "异议"}
    r = _post(client, market_token, "/api/v1/objections", json.dumps(body))
    assert r.status_code == 422 and _errors(r) == [("entry_id", "greater_than_equal")]
    r = _post(client, market_token, "/api/v1/objections", json.dumps({**body, "entry_id": 10**9}))
    assert r.status_code == 422 and _errors(r) == [("target", "objection.target")]
    body = {"entry_id": DB_INT_MAX, "reasons": "异议"}
    r = _post(client, market_token, "/api/v1/objections", json.dumps(body))
    assert r.status_code == 404 and _errors(r) == [("", "not_found")]
    assert Objection.objects.count() == 0


def test_objection_service_wants_exactly_one_target_whatever_its_value(actors, client,
                                                                       market_token,
                                                                       org_with_rep):  # fmt: skip
    from xinyong.core.errors import ValidationFailed
    from xinyong.remedies import services

    push(client, market_token, ITEM, [penalty(1)])
    record = Record.objects.get()
    with pytest.raises(ValidationFailed) as e:  # entry 0 is a second target, not "none"
        services.objection_file(actor=actors["market_clerk"], reasons="异议",
                                record_id=record.pk, entry_id=0)  # fmt: skip
    assert e.value.errors[0].rule == "objection.target"
    assert Objection.objects.count() == 0


def test_a_database_refusal_reaching_the_api_never_shows_its_text():
    """The last resort (a constraint no validation caught): 409 in the API's shape, without
    the database's message (which can hold row content)."""
    request = RequestFactory().post("/api/v1/objections")
    secret = 'duplicate key value violates unique constraint "x" DETAIL: Key (uscc)=(9144)'
    r = api.on_exception(request, IntegrityError(secret))
    assert r.status_code == 409
    body = json.loads(r.content)
    assert body["detail"][0]["rule"] == "integrity" and "9144" not in r.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=%E5%8D%8E%ED%A0%80",  # 华 + an encoded surrogate
        "q=%FF",
        "q=%E5%8D%8E%E4%B8%BA&page=-1",
        f"q=%E5%8D%8E%E4%B8%BA&page={2**70}",
        "q=%E5%8D%8E%E4%B8%BA&page=%C2%B2",  # "²": a digit int() cannot read
    ],
)
def test_portal_search_refuses_hostile_parameters_with_400(client, query):
    assert client.get(f"/search/?{query}").status_code == 400


@pytest.mark.parametrize(
    "query", [f"page={2**70}", "page=-1", "q=%00", "date_from=%00", "provider=%ED%A0%80"]
)
def test_portal_publicity_refuses_hostile_parameters_with_400(client, query):
    assert client.get(f"/publicity/?{query}").status_code == 400


@pytest.mark.parametrize("offset", [str(2**70), "-1", "%C2%B2", "1e9"])
def test_portal_subject_page_clamps_an_offset_it_cannot_use(client, org_with_rep, offset):
    assert client.get(f"/subjects/{org_with_rep.pk}/?offset={offset}").status_code == 200


def test_back_office_form_with_nul_is_a_400_page(client, users):
    client.force_login(users["market_clerk"])
    r = client.post("/backoffice/lists/new/", {"subject": "华为\x00"})
    assert r.status_code == 400


def test_upload_form_with_nul_in_a_field_is_a_400_page(client, users, org_with_rep):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["market_clerk"])
    upload = SimpleUploadedFile("p.csv", b"CF_WSH\n1\n", content_type="text/csv")
    r = client.post("/backoffice/batches/upload/", {"item": "administrative\x00", "file": upload})
    assert r.status_code == 400 and Batch.objects.count() == 0


@pytest.mark.django_db
def test_a_multipart_body_the_parser_refuses_is_400_in_a_staff_session(client, users):
    """The session's CSRF check reads a form body first: a part whose headers exceed the
    parser's limit (found by the property tests) is the client's fault, named."""
    client.force_login(users["market_clerk"])
    body = (
        b'--B\r\nContent-Disposition: form-data; name="reason"; '
        + b"x" * 4000
        + b"\r\n\r\nv\r\n--B--\r\n"
    )
    resp = client.generic(
        "POST", "/api/v1/commitments", body, content_type="multipart/form-data; boundary=B"
    )
    assert resp.status_code == 400
    assert resp.json()["detail"][0] == {
        "field": "body", "rule": "multipart.syntax", "message": "无法读取 multipart 请求体"
    }  # fmt: skip
