"""Ingestion through the API: outcomes per row, provenance, idempotency, versions,
withdrawal, and refusals that name the field and the rule."""

import pytest

from xinyong.core import crypto
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.tests.conftest import NEW_ORG, fetch, penalty, push
from xinyong.records.models import Record, RecordVersion
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
ITEM = "administrative_penalty"


def test_push_creates_records_with_provenance(client, market_token, org_with_rep):
    rows = [penalty(1), penalty(2, XDR_MC="信安恒瑞科技有限公司", XDR_SHXYM=NEW_ORG)]
    r = push(client, market_token, ITEM, rows)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["created"], body["rejected"]) == ("done", 2, 0)
    assert body["subjects_created"] == 1  # the unknown organisation with a valid USCC
    detail = fetch(client, market_token, body["id"]).json()
    assert [(x["row"], x["outcome"]) for x in detail["rows"]] == [(1, "created"), (2, "created")]
    rec = Record.objects.get(pk=detail["rows"][0]["record_id"])
    assert rec.subject_id == org_with_rep.pk
    assert rec.source_id == "信市监罚〔2026〕1号"  # the decision number, the item's source id
    assert (rec.batch_id, rec.batch_row, rec.channel) == (body["id"], 1, "api")
    assert rec.provider.code == "SCJG" and rec.received_at is not None
    assert rec.data["CF_NR_FK"] == "5" and rec.data["CF_JDRQ"] == "2026-11-02"
    assert len(rec.content_hash) == 64
    assert Subject.objects.get(uscc=NEW_ORG).name == "信安恒瑞科技有限公司"


def test_resubmission_is_idempotent_and_changes_make_versions(client, market_token, org_with_rep):
    first = push(client, market_token, ITEM, [penalty(1)]).json()
    again = push(client, market_token, ITEM, [penalty(1)]).json()
    assert (again["created"], again["unchanged"]) == (0, 1)
    assert Record.objects.count() == 1 and RecordVersion.objects.count() == 0

    changed = push(client, market_token, ITEM, [penalty(1, CF_NR_FK="8")]).json()
    assert changed["updated"] == 1
    rec = Record.objects.get()
    assert (rec.version, rec.data["CF_NR_FK"], rec.batch_id) == (2, "8", changed["id"])
    old = RecordVersion.objects.get(record=rec)
    assert (old.version, old.data["CF_NR_FK"], old.batch_id) == (1, "5", first["id"])


def test_withdrawal_revokes_and_keeps_history(client, market_token, org_with_rep):
    push(client, market_token, ITEM, [penalty(1)])
    body = push(
        client,
        market_token,
        ITEM,
        [
            {"source_id": "信市监罚〔2026〕1号", "op": "withdraw"},
            {"source_id": "never-sent", "op": "撤销"},
        ],
    ).json()
    assert (body["withdrawn"], body["rejected"]) == (1, 1)
    rec = Record.objects.get()
    assert rec.status == "withdrawn" and rec.version == 2
    assert RecordVersion.objects.get(record=rec).status == "active"
    rows = fetch(client, market_token, body["id"], outcome="rejected").json()["rows"]
    assert rows[0]["errors"][0]["rule"] == "record.not_found"


@pytest.mark.parametrize(
    ("override", "field", "rule"),
    [
        ({"CF_JDRQ": "2026-13-45"}, "CF_JDRQ", "date.format"),
        ({"CF_CFLB": "罚款;打板子"}, "CF_CFLB", "enum"),
        ({"CF_SY": None}, "CF_SY", "required"),
        ({"XDR_SHXYM": "914403001922038217"}, "XDR_SHXYM", "uscc.check_character"),
        ({"CF_NR_FK": "-3"}, "CF_NR_FK", "range"),
        ({"CF_NR_FK": "5.1234567"}, "CF_NR_FK", "money.format"),
        ({"CF_WFXW": '=HYPERLINK("http://x")'}, "CF_WFXW", "cell.formula"),
        ({"XDR_LB": "自然人", "XDR_SHXYM": None}, "ZJHM", "subject.id_required"),
        ({"ZJLX": "身份证", "ZJHM": "110105194912310021"}, "ZJHM", "resident_id.check_digit"),
        ({"CF_WFXW": "x" * 2001}, "CF_WFXW", "max_length"),
        ({"NOT_A_FIELD": "1"}, "NOT_A_FIELD", "unknown_field"),
        ({"XDR_SHXYM": None}, "XDR_SHXYM", "subject.code_required"),
        ({"CF_YJ": None}, "CF_YJ", "required"),
        ({"XDR_LB": "外国企业"}, "XDR_LB", "enum"),
        ({"CF_JDRQ": "2099-01-04", "CF_YXQ": "2100-01-04"}, "CF_JDRQ", "date.future"),
        ({"CF_YXQ": "2026-10-01"}, "CF_YXQ", "date.order"),  # before the decision (11-02)
    ],
)
def test_bad_rows_are_rejected_with_field_and_rule(
    client, market_token, org_with_rep, override, field, rule
):
    body = push(client, market_token, ITEM, [penalty(1, **override), penalty(2)]).json()
    assert (body["created"], body["rejected"]) == (1, 1)  # the good row still goes in
    bad = fetch(client, market_token, body["id"], outcome="rejected").json()["rows"][0]
    assert bad["row"] == 1
    assert (field, rule) in {(e["field"], e["rule"]) for e in bad["errors"]}, bad["errors"]
    assert all(e["message"] for e in bad["errors"])


def test_duplicate_source_in_one_batch_rejected(client, market_token, org_with_rep):
    body = push(client, market_token, ITEM, [penalty(1), penalty(1, CF_NR_FK="9")]).json()
    assert (body["created"], body["rejected"], body["duplicates_in_batch"]) == (1, 1, 1)
    err = fetch(client, market_token, body["id"], outcome="rejected").json()["rows"][0]["errors"]
    assert err[0]["rule"] == "batch.duplicate_source_id" and "第1行" in err[0]["message"]


def test_person_subject_identifier_never_in_clear(client, market_token, departments):
    rid = "11010519491231002X"
    row = penalty(1, XDR_MC="李四", XDR_LB="自然人", XDR_SHXYM=None, ZJLX="身份证", ZJHM=rid)
    body = push(client, market_token, ITEM, [row]).json()
    assert body["created"] == 1 and body["subjects_created"] == 1
    rec = Record.objects.select_related("subject").get()
    assert rec.subject.kind == "person" and rec.subject.id_masked == "110105********002X"
    assert rec.data["ZJHM"] == "110105********002X"
    assert rid in crypto.decrypt(rec.sealed)
    dumped = str(list(Record.objects.values_list("data", "sealed", "content_hash")))
    assert rid not in dumped and rid not in str(list(Subject.objects.values()))


def test_name_and_org_code_match_or_refuse_ambiguity(client, market_token, actors, org_with_rep):
    row = penalty(1, XDR_SHXYM=None, XDR_ZZJG="19220382-1")
    body = push(client, market_token, ITEM, [row]).json()
    assert body["created"] == 1
    assert Record.objects.get().subject_id == org_with_rep.pk
    # Another organisation with the same name and embedded organisation code: ambiguous.
    from xinyong.subjects import services
    from xinyong.subjects.identifiers import uscc_check_char

    twin = "91110000192203821"
    services.organization_register(
        actor=actors["market_clerk"], uscc=twin + uscc_check_char(twin), name="华为技术有限公司"
    )
    row = penalty(2, XDR_SHXYM=None, XDR_SWDJ="440300192203821")
    body = push(client, market_token, ITEM, [row]).json()
    rows = fetch(client, market_token, body["id"]).json()["rows"]
    assert rows[0]["outcome"] == "rejected" and rows[0]["errors"][0]["rule"] == "subject.ambiguous"


def test_unknown_item_and_foreign_item_write_nothing(client, market_token, tax_token, org_with_rep):
    r = push(client, market_token, "gossip", [penalty(1)])
    assert r.status_code == 404 and "目录" in r.json()["detail"][0]["message"]
    r = push(client, tax_token, "registration_basic", [{"XDR_MC": "x"}])
    assert r.status_code == 403 and "提供单位" in r.json()["detail"][0]["message"]
    assert Batch.objects.count() == 0


def test_oversized_and_malformed_bodies(client, market_token, settings, org_with_rep):
    settings.XINYONG_API_BATCH_MAX_ROWS = 3
    r = push(client, market_token, ITEM, [penalty(n) for n in range(4)])
    assert r.status_code == 422 and r.json()["detail"][0]["rule"] == "rows.max_items"
    r = push(client, market_token, ITEM, [penalty(1)], colour="blue")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "colour"
    r = client.post(
        "/api/v1/records/batches",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {market_token}"},
    )
    assert r.status_code in (400, 422)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = push(client, market_token, ITEM, [penalty(1)] * 5)
    assert r.status_code == 413 and r.json()["detail"][0]["rule"] == "body.max_size"
    assert Batch.objects.count() == 0 and BatchRow.objects.count() == 0


def test_provider_sees_only_its_own_batches(client, market_token, tax_token, org_with_rep):
    body = push(client, market_token, ITEM, [penalty(1)]).json()
    assert fetch(client, tax_token, body["id"]).status_code == 404
    listed = client.get(
        "/api/v1/records/batches", headers={"Authorization": f"Bearer {tax_token}"}
    ).json()
    assert listed == []


def test_large_batch_goes_to_the_worker(
    client, market_token, settings, org_with_rep, django_capture_on_commit_callbacks
):
    settings.XINYONG_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        r = push(client, market_token, ITEM, [penalty(1), penalty(2)])
    assert r.status_code == 202 and r.json()["status"] == "received"
    done = fetch(client, market_token, r.json()["id"]).json()
    assert (done["status"], done["created"]) == ("done", 2)


def test_licence_validity_ending_before_it_starts_is_rejected(client, market_token, org_with_rep):
    from xinyong.records.tests.test_credit_file import licence

    rows = [licence(1, XK_YXQZ="2026-03-01", valid_to="2026-02-28"), licence(2)]
    body = push(client, market_token, "administrative_licence", rows).json()
    assert (body["created"], body["rejected"]) == (1, 1)
    bad = fetch(client, market_token, body["id"], outcome="rejected").json()["rows"][0]
    assert [(e["field"], e["rule"]) for e in bad["errors"]] == [("XK_YXQZI", "date.order")]
    assert "不得早于有效期自" in bad["errors"][0]["message"]
