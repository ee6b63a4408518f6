"""API clients issued and revoked in the back office by the credit office: the token shown
once works, stops working once revoked; each step one audit event; a clerk is refused."""

import re

from django.test import Client

from xinyong.accounts.models import ApiClient
from xinyong.audit.models import AuditEvent
from xinyong.core.tests.formerrors import field_error


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(token: str) -> int:
    return Client().get("/api/v1/subjects?q=华为", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_operator_issues_then_revokes_a_client(users, departments):
    office = _login(users["operator"])
    page = office.get("/backoffice/api-clients/").content.decode()
    assert "查询主体" in page and "读取审计检查点" in page  # scopes by their names
    assert "subjects:read" not in re.sub(r'value="[^"]*"', "", page)

    before = AuditEvent.objects.count()
    r = office.post(
        "/backoffice/api-clients/",
        {"name": "市场监管业务系统", "department": departments["market"].pk,
         "scopes": ["subjects:read", "checks"]},
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200 and "令牌只显示这一次" in html
    token = re.search(r"<code>(xy_[^<]+)</code>", html).group(1)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-seq").first().action == "api_client.issue"
    assert token not in office.get("/backoffice/api-clients/").content.decode()  # once only
    assert _api(token) == 200

    client = ApiClient.objects.get(name="市场监管业务系统")
    r = office.post(f"/backoffice/api-clients/{client.pk}/revoke/", follow=True)
    assert "已停用接口客户端：市场监管业务系统" in r.content.decode()
    assert AuditEvent.objects.count() == before + 2
    assert AuditEvent.objects.order_by("-seq").first().action == "api_client.revoke"
    assert _api(token) == 401


def test_issue_form_names_each_bad_field(users, departments):
    office = _login(users["operator"])
    r = office.post("/backoffice/api-clients/", {"name": " ", "scopes": ["launch:rockets"]})
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "department") == "请选择所属部门"
    assert 'value="launch:rockets"' not in html  # not offered back
    # a department chosen: the service's rules beside the name and the scopes
    before = AuditEvent.objects.count()
    r = office.post("/backoffice/api-clients/", {
        "name": " ", "department": departments["market"].pk, "scopes": ["launch:rockets"],
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "name") == "请填写业务系统名称（100 字以内）"
    assert field_error(html, "scopes", control=False) == "未知权限范围：launch:rockets"
    assert field_error(html, "department") == ""
    assert f'<option value="{departments["market"].pk}" selected>' in html  # kept
    r = office.post("/backoffice/api-clients/", {
        "name": "长" * 101, "department": "99999999999999", "scopes": ["checks"],
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and field_error(html, "name") and field_error(html, "department")
    assert re.search(r'value="checks" id="id_scopes_\d+" checked>', html)  # kept ticked
    assert not ApiClient.objects.exists() and AuditEvent.objects.count() == before


def test_clerk_is_refused(users, departments, market_token):
    clerk = _login(users["market_clerk"])
    assert clerk.get("/backoffice/api-clients/").status_code == 403
    r = clerk.post(
        "/backoffice/api-clients/",
        {"name": "私发令牌", "department": departments["market"].pk, "scopes": ["checks"]},
    )
    assert r.status_code == 403 and not ApiClient.objects.filter(name="私发令牌").exists()
    client = ApiClient.objects.get()
    r = clerk.post(f"/backoffice/api-clients/{client.pk}/revoke/", follow=True)
    assert "只有平台运营（信用办）" in r.content.decode()
    assert ApiClient.objects.get().is_active and _api(market_token) == 200
