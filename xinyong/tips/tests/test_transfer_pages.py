"""Transfers on the pages and the API: the clerk sends a tip on from its page (refused
input named next to the field, nothing written) and is taken back to its queue, where the
tip no longer is; the new department's page shows the transfer and its reasons; the credit
office reassigns from the same page; the tipster's follow page says where the tip went;
a business system transfers over the API."""

import pytest
from django.test import Client

from xinyong.accounts.actors import ANONYMOUS
from xinyong.tips.models import Tip, TipTransfer
from xinyong.tips.tests.conftest import file_tip

pytestmark = pytest.mark.django_db
WHY = "举报事项为偷逃税款，属税务部门职责。"


def _client(users, who) -> Client:
    c = Client()
    c.force_login(users[who])
    return c


def test_the_clerk_sends_a_tip_on_from_its_page(org_with_rep, domains, users):
    tip, code = file_tip(ANONYMOUS, org_with_rep.pk)
    market, url = _client(users, "market_clerk"), f"/backoffice/tips/{tip.pk}/"
    page = market.get(url).content.decode()
    assert "移送主管部门" in page and 'id="transfer-form"' in page
    assert '<option value="SW">市税务局</option>' in page
    assert '<option value="SCJG">' not in page.split('id="transfer-form"')[1]  # not to itself
    refused = market.post(url, {"step": "transfer", "department": "SW", "reason": ""})
    assert refused.status_code == 400 and "请写明转办理由" in refused.content.decode()
    refused = market.post(url, {"step": "transfer", "department": "", "reason": WHY})
    assert refused.status_code == 400 and "请选择承办部门" in refused.content.decode()
    assert not TipTransfer.objects.exists()
    done = market.post(url, {"step": "transfer", "department": "SW", "reason": WHY}, follow=True)
    assert done.redirect_chain[-1][0] == "/backoffice/tips/"
    html = done.content.decode()
    assert "已转办至市税务局" in html and tip.number not in html
    assert market.get(url).status_code == 404

    tax = _client(users, "tax_clerk").get(url).content.decode()
    assert 'id="tip-transfers"' in tax and WHY in tax and "承办部门移送" in tax
    assert "市市场监督管理局" in tax and "受理（本人为承办人）" in tax
    follow = Client().post("/tips/follow/", {"receipt": code}).content.decode()
    assert "已转办至市税务局" in follow and WHY not in follow


def test_the_credit_office_reassigns_from_the_same_page(org_with_rep, domains, users):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    office, url = _client(users, "operator"), f"/backoffice/tips/{tip.pk}/"
    page = office.get(url).content.decode()
    assert "改派承办部门" in page and "分派承办部门" not in page  # routed: reassign, not route
    done = office.post(url, {"step": "transfer", "department": "ZJ", "reason": "属住建部门职责"})
    assert done.status_code == 302 and done["Location"] == url  # the office still sees it
    page = office.get(url).content.decode()
    assert "信用主管部门改派" in page and Tip.objects.get(pk=tip.pk).department.code == "ZJ"
    auditor = _client(users, "auditor").get(url).content.decode()
    assert 'id="tip-transfers"' in auditor and 'id="transfer-form"' not in auditor


def test_a_business_system_transfers_over_the_api(org_with_rep, domains, market_token):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    api = Client(headers={"Authorization": f"Bearer {market_token}"})

    def post(body):
        return api.post(f"/api/v1/tips/{tip.pk}/transfer", body, content_type="application/json")

    bad = post({"department": "SW", "reason": ""})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "reason"
    bad = post({"department": "SCJG", "reason": WHY})
    assert bad.status_code == 422 and bad.json()["detail"][0]["rule"] == "tip.transfer_same"
    assert post({"department": "SW", "reason": WHY, "extra": 1}).status_code == 422
    done = post({"department": "SW", "reason": WHY})
    body = done.json()
    assert done.status_code == 200 and body["department"] == "SW"
    assert body["department_name"] == "市税务局" and body["status"] == "submitted"
    assert body["transfer"]["kind"] == "department" and body["transfer"]["reason"] == WHY
    assert body["ack_due"] and body["decide_due"]
    assert api.get(f"/api/v1/tips/{tip.pk}").status_code == 404  # no longer its tip
    assert post({"department": "ZJ", "reason": WHY}).status_code == 404
