"""Back-office pages: who may open them and what they show."""

import pytest
from django.test import Client

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.subjects import services
from xinyong.subjects.demo import make_uscc

HUAWEI = "914403001922038216"
RID = "11010519491231002X"


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_require_login(db):
    r = Client().get("/backoffice/")
    assert r.status_code == 302 and "/backoffice/login/" in r["Location"]


def test_login_form_logs_in(users):
    c = Client()
    r = c.post("/backoffice/login/", {"username": "operator", "password": "Xinyong-demo-2026"})
    assert r.status_code == 302
    assert "工作台" in c.get("/backoffice/").content.decode()
    bad = Client().post("/backoffice/login/", {"username": "operator", "password": "wrong"})
    assert "用户名或密码不正确" in bad.content.decode()


def test_dashboard_shows_role_and_counts(users, actors):
    services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    html = _login(users["market_clerk"]).get("/backoffice/").content.decode()
    assert "部门经办人" in html and "市市场监督管理局" in html
    assert "<b>1</b>法人和非法人组织" in html


def test_auditor_verifies_chain_clerk_cannot(users):
    html = _login(users["auditor"]).get("/backoffice/audit/", {"verify": "1"}).content.decode()
    assert "审计链完整" in html
    assert _login(users["market_clerk"]).get("/backoffice/audit/").status_code == 403


def test_subject_page_masks_identifiers_and_audits_the_read(users, org_with_rep):
    org = org_with_rep
    before = AuditEvent.objects.filter(action="related_persons.read").count()
    html = _login(users["market_clerk"]).get(f"/backoffice/subjects/{org.pk}/").content.decode()
    assert "张三" in html and "110105********002X" in html and RID not in html
    assert "法定代表人" in html
    assert AuditEvent.objects.filter(action="related_persons.read").count() == before + 1
    other = _login(users["tax_clerk"]).get(f"/backoffice/subjects/{org.pk}/").content.decode()
    assert "张三" not in other


def test_code_defects_scan_and_listing(users, actors):
    services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    services.registration_report(actor=actors["tax_clerk"], code="914403001922038217", name="华为")
    services.registration_report(actor=actors["tax_clerk"], code=HUAWEI, name="华为技术公司")
    services.registration_report(
        actor=actors["housing_clerk"], code=make_uscc("91", "440300", 77), name="华为技术有限公司"
    )
    clerk = _login(users["market_clerk"])
    assert "立即检查" not in clerk.get("/backoffice/code-defects/").content.decode()
    op = _login(users["operator"])
    r = op.post("/backoffice/code-defects/")
    assert r.status_code == 302
    html = op.get("/backoffice/code-defects/").content.decode()
    assert "914403001922038217" in html  # an invalid code, what is wrong said in words
    assert "第18位校验码错误：应为“6”，实际为“7”" in html and "uscc.check_character" not in html
    assert "华为技术公司" in html  # one code, two names
    assert "无效代码（1）" in html and "一码多名（1）" in html and "一名多码（1）" in html
    only = op.get("/backoffice/code-defects/", {"kind": "invalid_uscc"}).content.decode()
    assert "华为技术公司" not in only


def test_code_defects_command(actors, capsys):
    from django.core.management import call_command

    services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    services.registration_report(actor=actors["tax_clerk"], code="91440300192203821", name="华为")
    call_command("code_defects")
    out = capsys.readouterr().out
    assert "无效代码：1 项" in out and "uscc.length" in out
    assert AuditEvent.objects.filter(action="code_defects.scan", actor_label=SYSTEM.label).exists()


def test_scan_is_operator_only(actors):
    from xinyong.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.code_defects_scan(actor=actors["market_clerk"])
