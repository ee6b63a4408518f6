"""The industry department's system registers practitioners through the API (records go
through the ingestion API); bad input names the field and writes nothing."""

import pytest

from xinyong.audit.models import AuditEvent
from xinyong.conftest import RID
from xinyong.ingest.tests.conftest import push
from xinyong.practitioners.models import Practitioner
from xinyong.practitioners.tests.conftest import record_row

pytestmark = pytest.mark.django_db

BODY = {"profession": "doctor", "id_type": "resident_id", "id_number": RID, "name": "张医生",
        "licence_no": "110330000012345", "valid_from": "2020-07-01"}  # fmt: skip


def _post(client, token, body):
    return client.post("/api/v1/practitioners", body, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def test_the_system_registers_and_feeds_records(client, health, doctors):
    r = _post(client, health["token"], BODY)
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["licence_no"] == "110330000012345" and got["name"] == "张医生"
    assert RID not in r.content.decode() and got["id_masked"]
    assert push(client, health["token"], "practitioner_record", [record_row()]).json()["created"]
    shown = client.get(f"/api/v1/practitioners/{got['id']}",
                       headers={"Authorization": f"Bearer {health['token']}"})  # fmt: skip
    assert shown.status_code == 200
    assert AuditEvent.objects.filter(action="credit_file.read", object_type="practitioner").exists()


def test_another_department_s_system_is_refused(client, health, doctors, market_token):
    assert _post(client, market_token, BODY).status_code == 403
    assert not Practitioner.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(client, health, doctors):
    r = _post(client, health["token"], {**BODY, "id_number": "110105194912310021"})
    assert r.status_code == 422 and "id_number" in r.content.decode()
    assert RID[:-1] not in r.content.decode()
    r = _post(client, health["token"], {**BODY, "valid_from": "2026-02-30"})
    assert r.status_code == 422 and "valid_from" in r.content.decode()
    assert not Practitioner.objects.exists()
