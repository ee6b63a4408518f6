"""The association's system through the API: records by the ingestion API (members and
authorised items only), its members and sanctions; no government power by token either."""

import datetime

import pytest
from django.test import Client

from xinyong.associations.models import Membership, Sanction
from xinyong.associations.tests.conftest import OUTSIDER, honor_row
from xinyong.conftest import HUAWEI, RID
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(association_token):
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {association_token}"
    return c


def _post(c, url, body):
    return c.post(f"/api/v1{url}", body, content_type="application/json")


def test_records_through_the_ingestion_api_member_rows_only(api):
    rows = [honor_row(), honor_row(OUTSIDER, "信安市外来食品有限公司", "H-2")]
    r = _post(api, "/records/batches", {"item": "honor", "rows": rows})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["created"], body["rejected"]) == (1, 1)
    rejected = api.get(f"/api/v1/records/batches/{body['id']}").json()
    text = str(rejected)
    assert "association.not_member" in text and "不是本协会会员" in text
    assert Record.objects.get().source_id == "H-1"


def test_other_item_refused_by_the_ingestion_api(api):
    r = _post(api, "/records/batches", {"item": "contract_performance", "rows": [honor_row()]})
    assert r.status_code == 403
    assert "未获授权" in r.content.decode()


def test_no_credit_check_persons_reports_or_registration_by_token(api):
    check = _post(api, "/checks", {"matter": "administrative_licensing", "subject": HUAWEI})
    assert check.status_code == 403
    persons = api.get(f"/api/v1/subjects/{HUAWEI}/related-persons")
    assert persons.status_code in (403, 404)
    assert RID not in persons.content.decode()
    report = _post(api, "/reports", {"kind": "review", "uscc": HUAWEI, "purpose": "招标"})
    assert report.status_code in (403, 422)
    reg = _post(api, "/subjects", {"uscc": "91339900000490177L", "name": "新公司"})
    assert reg.status_code == 403


def test_members_and_sanction_procedure_by_api(api):
    r = api.get("/api/v1/associations/members")
    assert [m["uscc"] for m in r.json()] == [HUAWEI]
    r = _post(api, "/associations/members", {"uscc": OUTSIDER, "joined_on": "2026-01-01"})
    assert r.status_code == 201, r.content
    r = _post(api, f"/associations/members/{r.json()['id']}/leave", {"left_on": "2026-02-01"})
    assert r.json()["left_on"] == "2026-02-01"
    r = _post(
        api,
        "/associations/sanctions",
        {
            "member_uscc": HUAWEI,
            "kind": "criticism",
            "facts": "虚假宣传",
            "basis": "公约第八条",
            "reasons": "违反公约",
        },
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert _post(api, f"/associations/sanctions/{sid}/notify", {}).json()["status"] == "notified"
    Sanction.objects.filter(pk=sid).update(statement_due=datetime.date(2025, 1, 1))
    r = _post(
        api, f"/associations/sanctions/{sid}/decision", {"sanction": True, "reasons": "期满未申辩"}
    )
    assert r.json()["status"] == "decided"
    listed = api.get("/api/v1/associations/sanctions").json()
    assert [(c["number"], c["status"]) for c in listed] == [(r.json()["number"], "decided")]
    assert Record.objects.get().item_code == "industry_sanction"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"uscc": "", "joined_on": "2026-01-01"}, "uscc"),
        ({"uscc": OUTSIDER, "joined_on": "2026-13-01"}, "joined_on"),
        ({"uscc": OUTSIDER}, "joined_on"),
        ({"uscc": OUTSIDER, "joined_on": "2026-01-01", "extra": 1}, "extra"),
    ],
)
def test_bad_member_body_names_the_field_nothing_written(api, body, field):
    r = _post(api, "/associations/members", body)
    assert r.status_code in (400, 422)
    assert field in r.content.decode()
    assert Membership.objects.count() == 1


def test_sanction_against_non_member_names_the_field(api):
    r = _post(
        api,
        "/associations/sanctions",
        {"member_uscc": OUTSIDER, "kind": "warning", "facts": "f", "basis": "b", "reasons": "r"},
    )
    assert r.status_code == 422 or r.status_code == 400
    assert "member_uscc" in r.content.decode()
    assert not Sanction.objects.exists()


def test_department_token_has_no_association_powers(market_token, association):
    c = Client()
    c.defaults["HTTP_AUTHORIZATION"] = f"Bearer {market_token}"
    assert c.get("/api/v1/associations/members").status_code == 403
    assert c.get("/api/v1/associations/authorisations").status_code == 200
