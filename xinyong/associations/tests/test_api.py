"""The association's system through the API: records by the ingestion API (members and
authorised items only), its members (in pages), campaigns and their signatures, sanctions
and their revocation; no government power by token either."""

import datetime

import pytest
from django.test import Client

from xinyong.associations import services
from xinyong.associations.models import Authorisation, Membership, Sanction
from xinyong.associations.tests.conftest import OUTSIDER, decided, honor_row
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


def test_campaigns_by_api_created_signed_read_and_closed(api, association, company):
    portal, huawei = company
    r = _post(api, "/associations/campaigns", {"title": "食品安全诚信自律承诺", "text": "守法经营"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["signed"]) == ("open", 0)
    cid = body["id"]
    services.campaign_sign(actor=portal, campaign_id=cid, subject_id=huawei.pk)
    assert [c["signed"] for c in api.get("/api/v1/associations/campaigns").json()] == [1]
    assert api.get(f"/api/v1/associations/campaigns/{cid}").json()["signed"] == 1
    sigs = api.get(f"/api/v1/associations/campaigns/{cid}/signatures").json()
    assert [(x["member"], x["member_uscc"]) for x in sigs] == [("华为技术有限公司", HUAWEI)]
    assert api.get(f"/api/v1/associations/campaigns/{cid}/signatures?offset=1").json() == []
    r = _post(api, f"/associations/campaigns/{cid}/close", {})
    assert r.json()["status"] == "closed"
    again = _post(api, f"/associations/campaigns/{cid}/close", {})
    assert again.status_code == 422 and "campaign.closed" in again.content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": " ", "text": "守法经营"}, "title"),
        ({"title": "承诺", "text": ""}, "text"),
        ({"title": "承诺" * 101, "text": "守法经营"}, "title"),
        ({"title": "承诺"}, "text"),
        ({"title": "承诺", "text": "t", "status": "closed"}, "status"),
    ],
)
def test_bad_campaign_body_names_the_field_nothing_written(api, body, field):
    from xinyong.associations.models import Campaign

    r = _post(api, "/associations/campaigns", body)
    assert r.status_code == 422, r.content
    assert field in r.content.decode()
    assert not Campaign.objects.exists()


def test_another_associations_campaign_is_not_found(api, association, actors):
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.choices import DepartmentKind, Role

    other = accounts.department_save(
        actor=SYSTEM, code="JZXH", name="市建筑业协会", kind=DepartmentKind.ASSOCIATION
    )
    user = accounts.user_create(
        actor=SYSTEM, username="jz", password="Xinyong-demo-2026", role=Role.ASSOCIATION_CLERK,
        department=other,
    )  # fmt: skip
    Authorisation.objects.create(
        association=other, subject=association["grant"].subject, granted_by=association[
            "grant"].granted_by, items=["honor"], basis="b", valid_from=datetime.date(2025, 1, 1),
        granted_at=association["grant"].granted_at,
    )  # fmt: skip
    theirs = services.campaign_open(actor=Actor.for_user(user), title="建筑承诺", text="t")
    for url in (f"/campaigns/{theirs.pk}", f"/campaigns/{theirs.pk}/signatures"):
        assert api.get(f"/api/v1/associations{url}").status_code == 404
    assert _post(api, f"/associations/campaigns/{theirs.pk}/close", {}).status_code == 404
    assert api.get("/api/v1/associations/campaigns").json() == []


def test_revocation_by_api_withdraws_the_record(api, association):
    s = decided(association)
    url = f"/associations/sanctions/{s.pk}/revocation"
    r = _post(api, url, {"ground": "wrong", "reasons": "r"})
    assert r.status_code == 422 and "ground" in r.content.decode()
    r = _post(api, url, {"ground": "review", "reasons": ""})
    assert r.status_code == 422 and "reasons" in r.content.decode()
    assert Record.objects.get().status == "active"
    r = _post(api, url, {"ground": "review", "reasons": "经协会理事会复核撤销"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["revoke_ground"]) == ("revoked", "review")
    assert body["revoke_reasons"] == "经协会理事会复核撤销"
    assert Record.objects.get().status == "withdrawn"
    assert _post(api, url, {"ground": "review", "reasons": "again"}).status_code == 422


def test_members_by_api_in_pages(api, association):
    _post(api, "/associations/members", {"uscc": OUTSIDER, "joined_on": "2026-01-01"})
    first = api.get("/api/v1/associations/members?limit=1").json()
    second = api.get("/api/v1/associations/members?limit=1&offset=1").json()
    assert [m["uscc"] for m in first + second] == [OUTSIDER, HUAWEI]
    assert api.get("/api/v1/associations/members?limit=0").status_code == 422
    assert api.get("/api/v1/associations/members?limit=201").status_code == 422
