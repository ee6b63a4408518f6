"""The pages and the API: the public finds the subject, files a tip and reads its receipt
code once, then follows it; each form refused names its field (400) and writes nothing;
filing and look-ups are throttled; the department's queue marks overdue tips; the clerk
accepts and decides on the tip's page; the credit office keeps the routing table; a
business system lists and handles its department's tips."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.tips.models import Tip
from xinyong.tips.tests.conftest import TIPSTER_ACCOUNT, file_tip, pdf

pytestmark = pytest.mark.django_db


def _code(html: str) -> str:
    return re.search(r'id="receipt-code"[^>]*>([A-Z0-9-]{19})<', html).group(1)


def _form(**kw) -> dict:
    return {"content": "门店销售过期食品", "occurred_on": "2025-11-20",
            "place": "文三路 100 号", "domain": "market", "anonymous": "yes"} | kw  # fmt: skip


def test_anyone_finds_the_subject_files_a_tip_and_follows_it(client, org_with_rep, domains):
    found = client.get("/tips/", {"q": "华为"}).content.decode()
    assert f"/tips/new/{org_with_rep.pk}/" in found
    assert (
        f"/tips/new/{org_with_rep.pk}/"
        in client.get(f"/subjects/{org_with_rep.pk}/").content.decode()
    )
    page = client.get(f"/tips/new/{org_with_rep.pk}/")
    assert page.status_code == 200 and "市场监管" in page.content.decode()
    filed = client.post(f"/tips/new/{org_with_rep.pk}/", _form(evidence=pdf()))
    assert filed.status_code == 200
    html = filed.content.decode()
    code = _code(html)
    assert "只显示这一次" in html and "no-cache" in filed["Cache-Control"]
    tip = Tip.objects.get()
    assert tip.department.code == "SCJG" and tip.anonymous
    shown = client.post("/tips/follow/", {"receipt": code})
    assert shown.status_code == 200
    assert tip.number in shown.content.decode() and "待受理" in shown.content.decode()
    assert code not in client.get("/tips/follow/").content.decode()


def test_a_signed_in_tipster_files_under_a_verified_identity(
    client, org_with_rep, domains, tipster
):
    from xinyong.accounts.models import User
    from xinyong.tips.models import TipIdentity

    url = f"/tips/new/{org_with_rep.pk}/"
    refused = client.post(url, _form(anonymous="no", name="王举报", contact="13912345678"))
    assert refused.status_code == 400 and "实名举报须先登录" in refused.content.decode()
    assert not Tip.objects.exists()
    client.force_login(User.objects.get(username=TIPSTER_ACCOUNT))
    filed = client.post(url, _form(anonymous="no", name="王举报", contact="13912345678"))
    assert filed.status_code == 200, filed.content.decode()[:500]
    assert TipIdentity.objects.get().user.username == TIPSTER_ACCOUNT


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"content": ""}, "content", "请填写举报内容"),
        ({"occurred_on": "2025-02-30"}, "occurred_on", "YYYY-MM-DD"),
        ({"place": ""}, "place", "请填写发生地点"),
        ({"domain": "nope"}, "domain", "没有该举报领域"),
        ({"anonymous": "maybe"}, "anonymous", "请选择匿名或实名举报"),
        ({"evidence": pdf("x.exe", b"MZ")}, "evidence", "PDF、PNG 或 JPEG"),
    ],
)
def test_a_refused_filing_names_the_field_and_writes_nothing(
    client, org_with_rep, domains, change, field, message
):
    resp = client.post(f"/tips/new/{org_with_rep.pk}/", _form(**change))
    html = resp.content.decode()
    assert resp.status_code == 400 and message in html
    assert f'id="id_{field}_error"' in html or f"id_{field}" in html
    assert not Tip.objects.exists()


def test_an_unknown_or_personal_subject_has_no_tip_page(client, org_with_rep, domains):
    from xinyong.subjects.models import Subject

    person = Subject.objects.filter(kind="person").first()
    assert client.get(f"/tips/new/{person.pk}/").status_code == 404
    assert client.get("/tips/new/987654/").status_code == 404
    assert client.post("/tips/new/987654/", _form()).status_code == 404


def test_receipt_look_ups_are_refused_named_and_throttled(client, org_with_rep, domains, settings):
    bad = client.post("/tips/follow/", {"receipt": "123"})
    assert bad.status_code == 400 and "查询码应为" in bad.content.decode()
    unknown = client.post("/tips/follow/", {"receipt": "ABCD-EFGH-JKMN-PQRS"})
    assert unknown.status_code == 404 and "没有与该查询码对应的举报" in unknown.content.decode()
    settings.XINYONG_TIP_LOOKUP_LIMIT = 3
    answers = [client.post("/tips/follow/", {"receipt": "ABCD-EFGH-JKMN-PQRS"}).status_code
               for _ in range(2)]  # fmt: skip
    assert answers == [404, 429]  # 3 counted already: the 4th is over
    resp = client.post("/tips/follow/", {"receipt": "ABCD-EFGH-JKMN-PQRS"})
    assert resp.status_code == 429 and int(resp["Retry-After"]) > 0


def test_filing_is_throttled(client, org_with_rep, domains, settings):
    settings.XINYONG_TIP_FILE_LIMIT = 1
    assert client.post(f"/tips/new/{org_with_rep.pk}/", _form()).status_code == 200
    again = client.post(f"/tips/new/{org_with_rep.pk}/", _form())
    assert again.status_code == 429 and "次数过多" in again.content.decode()
    assert Tip.objects.count() == 1


def test_the_clerk_accepts_and_decides_on_the_tips_page(org_with_rep, domains, users):
    from xinyong.accounts.actors import ANONYMOUS

    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    queue = clerk.get("/backoffice/tips/").content.decode()
    assert tip.number in queue and "超期" not in queue.split("<table", 1)[1].split("</table>")[0]
    url = f"/backoffice/tips/{tip.pk}/"
    refused = clerk.post(url, {"step": "acknowledge", "decision": "reject", "reason": ""})
    assert refused.status_code == 400 and "不予受理的，请写明理由" in refused.content.decode()
    assert (
        clerk.post(url, {"step": "acknowledge", "decision": "accept", "reason": ""}).status_code
        == 302
    )
    refused = clerk.post(url, {"step": "decide", "decision": "substantiated", "reason": ""})
    assert refused.status_code == 400 and "请写明办结理由" in refused.content.decode()
    done = clerk.post(url, {"step": "decide", "decision": "substantiated", "reason": "属实",
                            "summary": ""})  # fmt: skip
    assert done.status_code == 302
    page = clerk.get(url).content.decode()
    assert "查证属实" in page and "已记入信用档案" in page and "待核定" in page
    assert clerk.post(url, {"step": "reward", "amount": "-5", "basis": "x"}).status_code == 400
    assert clerk.post(url, {"step": "reward", "amount": "800", "basis": "办法"}).status_code == 302
    today = timezone.localdate().isoformat()
    assert clerk.post(url, {"step": "paid", "paid_on": today}).status_code == 302
    assert clerk.post(url, {"step": "nonsense"}).status_code == 400
    follow = Client().post("/tips/follow/", {"receipt": code}).content.decode()
    assert "已发放" in follow and "800" in follow


def test_the_queue_marks_overdue_tips(org_with_rep, domains, users):
    import datetime

    from xinyong.accounts.actors import ANONYMOUS

    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    Tip.objects.filter(pk=tip.pk).update(ack_due=timezone.localdate() - datetime.timedelta(days=3))
    office = Client()
    office.force_login(users["operator"])
    html = office.get("/backoffice/tips/?overdue=1").content.decode()
    assert tip.number in html and "超期" in html and "其中超期 1 件" in html


def test_the_credit_office_keeps_the_routing_table(client, users, departments):
    client.force_login(users["operator"])
    url = "/backoffice/tips/settings/"
    assert "市场监管（含食品药品" in client.get(url).content.decode()  # the shipped domains
    bad = client.post(url, {"form": "domain", "code": "X", "name": "", "department": "NOPE"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "编码应为" in html and "请填写领域名称" in html
    ok = client.post(url, {"form": "domain", "code": "market", "name": "市场监管",
                           "department": "SCJG", "order": "1", "active": "on"})  # fmt: skip
    assert ok.status_code == 302
    assert client.post(url, {"form": "policy", "ack_workdays": "7",
                             "decide_workdays": "20"}).status_code == 302  # fmt: skip
    page = client.get(url).content.decode()
    assert "市市场监督管理局" in page and 'value="7"' in page


def test_a_business_system_lists_and_handles_its_tips(org_with_rep, domains, market_token):
    from xinyong.accounts.actors import ANONYMOUS

    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    other, _ = file_tip(ANONYMOUS, org_with_rep.pk, domain_code="")  # not routed yet
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    listed = api.get("/api/v1/tips").json()
    assert [t["number"] for t in listed] == [tip.number]
    assert listed[0]["status"] == "submitted" and listed[0]["evidence"][0]["name"]
    assert api.get(f"/api/v1/tips/{other.pk}").status_code == 404

    def post(path, body):
        return api.post(f"/api/v1/tips/{tip.pk}/{path}", body, content_type="application/json")

    bad = post("acknowledgement", {"decision": "rejected", "reason": ""})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "reason"
    bad = post("acknowledgement", {"decision": "perhaps"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "decision"
    assert post("acknowledgement", {"decision": "accepted"}).json()["status"] == "accepted"
    bad = post("decision", {"decision": "substantiated", "reason": ""})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "reason"
    done = post("decision", {"decision": "substantiated", "reason": "经查属实",
                             "summary": "已依法处理"})  # fmt: skip
    assert done.status_code == 200 and done.json()["record_source_id"] == tip.number
    assert post("reward", {"amount": "1000.50", "basis": "奖励办法第九条"}).json()[
        "reward_status"] == "granted"  # fmt: skip
    today = timezone.localdate().isoformat()
    paid = post("reward/paid", {"paid_on": today})
    assert paid.status_code == 200 and paid.json()["reward_status"] == "paid"
    follow = Client().post("/tips/follow/", {"receipt": code}).content.decode()
    assert "1000.50" in follow and "已依法处理" in follow
    one = api.get(f"/api/v1/tips/{tip.pk}").json()  # closed: no longer listed, still readable
    assert one["status_label"] == "查证属实" and one["reward_paid_on"] == today
    assert api.get("/api/v1/tips").json() == []
