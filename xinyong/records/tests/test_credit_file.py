"""The credit file as each reader sees it: back office (scoped by disclosure and sharing,
with provenance, audited) and the portal (public items and fields while their publicity
rule shows them)."""

import datetime
import re

import pytest
from django.test import Client

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import AGENCY, penalty

HUAWEI = "914403001922038216"


def licence(n: int, valid_to: str = "2030-12-31", **over) -> dict:
    row = {
        "XDR_MC": "华为技术有限公司",
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": HUAWEI,
        "XK_XKWS": "食品经营许可决定书",
        "XK_WSH": f"信市监许〔2026〕{n}号",
        "XK_XKLB": "普通",
        "XK_XKZS": "食品经营许可证",
        "XK_NR": "预包装食品销售",
        "XK_JDRQ": "2026-03-01",
        "XK_YXQZ": "2026-03-01",
        "XK_YXQZI": valid_to,
        "XK_XKJG": "信安市市场监督管理局",
        "XK_XKJGDM": AGENCY,
        "XK_ZT": "有效",
        "XK_LYDW": "信安市市场监督管理局",
        "XK_LYDWDM": AGENCY,
    }
    row.update(over)
    return row


def contract(n: int) -> dict:
    return {
        "XDR_MC": "华为技术有限公司",
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": HUAWEI,
        "HT_BH": f"HT-{n}",
        "HT_MC": "办公设备采购合同",
        "HT_QDRQ": "2026-05-06",
        "HT_LXZT": "正常履行",
        "HT_FBDW": "信安市机关事务管理局",
    }


def _submit(actor, item, rows):
    batch = batch_submit_rows(actor=actor, item_code=item, rows=rows, channel="api")
    done = batch_process(batch_id=batch.pk)
    assert done.rejected == 0, list(done.rows.values_list("errors", flat=True))
    return done


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def filed(actors, org_with_rep):
    """华为's file: two penalties (one with its legal representative's ID), a valid and an
    expired licence, a withdrawn licence, and a contract record (shared, with a restricted
    field), all from the market regulator."""
    clerk = actors["market_clerk"]
    _submit(clerk, "administrative_penalty", [
        penalty(1, CF_JDRQ="2026-10-01", FRDB_ZJLX="身份证", FRDB_ZJHM="11010519491231002X"),
        penalty(2, CF_JDRQ="2026-11-02"),
    ])  # fmt: skip
    _submit(clerk, "administrative_licence", [
        licence(1), licence(2, valid_to="2026-06-30"), licence(3),
    ])  # fmt: skip
    _submit(
        clerk, "administrative_licence", [{"source_id": "信市监许〔2026〕3号", "op": "withdraw"}]
    )
    _submit(clerk, "contract_performance", [contract(1)])
    publication_sweep(actor=SYSTEM)  # as the worker does after every batch
    return org_with_rep


def test_back_office_file_lists_newest_first_with_provenance_and_is_audited(users, filed):
    before = AuditEvent.objects.filter(action="credit_file.read").count()
    html = _login(users["market_clerk"]).get(f"/backoffice/subjects/{filed.pk}/").content.decode()
    assert html.index("信市监罚〔2026〕2号") < html.index(
        "信市监罚〔2026〕1号"
    )  # 11-02 before 10-01
    assert "110105********002X" in html and "11010519491231002X" not in html
    assert "合同相对方" in html  # restricted field: the provider sees it
    assert "接口报送" in html and re.search(r"第 \d+ 批 第 1 行", html) and "来源记录编号" in html
    assert "已撤销" in html  # the withdrawn licence stays listed, marked
    assert AuditEvent.objects.filter(action="credit_file.read").count() == before + 1


def test_other_department_sees_public_records_only_without_restricted_fields(users, filed):
    html = _login(users["tax_clerk"]).get(f"/backoffice/subjects/{filed.pk}/").content.decode()
    assert "信市监罚〔2026〕1号" in html  # public item
    assert "110105********002X" not in html  # restricted field of the subject block
    assert "办公设备采购合同" not in html  # shared item, no sharing rule with the market regulator


def test_sharing_rule_opens_shared_records_but_not_restricted_fields(users, departments, filed):
    accounts.sharing_rule_save(
        actor=SYSTEM,
        provider=departments["market"],
        consumer=departments["tax"],
        purpose="信用信息共享协议（测试）",
        valid_from=datetime.date(2020, 1, 1),
    )
    html = _login(users["tax_clerk"]).get(f"/backoffice/subjects/{filed.pk}/").content.decode()
    assert "办公设备采购合同" in html and "信安市机关事务管理局" not in html


def test_category_filter(users, filed):
    c = _login(users["operator"])
    html = c.get(f"/backoffice/subjects/{filed.pk}/", {"category": "contract"}).content.decode()
    assert "办公设备采购合同" in html and "信市监罚" not in html
    assert "合同履行信息（1）" in html and "行政管理信息（5）" in html
    html = c.get(f"/backoffice/subjects/{filed.pk}/", {"category": "nonsense"}).content.decode()
    assert "办公设备采购合同" in html and "信市监罚" in html  # an unknown category is ignored


def test_portal_shows_only_what_is_published(client, filed):
    html = client.get(f"/subjects/{filed.pk}/").content.decode()
    assert "信市监许〔2026〕1号" in html  # valid licence, shown while valid
    assert "预包装食品销售" in html and "信安市市场监督管理局" in html
    assert "信市监许〔2026〕2号" not in html  # expired
    assert "信市监许〔2026〕3号" not in html  # withdrawn
    assert "信市监罚〔2026〕1号" in html  # a general penalty: public for a year
    assert "办公设备采购合同" not in html  # shared, never public
    assert "110105" not in html  # the legal representative's ID never; the name is a public field
    # Where a record comes from, for the public: the department and the date, no batch.
    assert re.search(r"信息来源：市市场监督管理局 · \d{4}-\d\d-\d\d", html)
    assert "接口报送" not in html and not re.search(r"第 \d+ 批", html)
    assert "来源记录编号" not in html
    assert AuditEvent.objects.filter(action="credit_file.read").count() == 0


def test_public_cannot_open_back_office_file(client, filed):
    r = client.get(f"/backoffice/subjects/{filed.pk}/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_portal_shows_items_published_while_in_force_beside_swept_ones(client, actors, filed):
    """An honour (shown while in force) appears with the swept licences and penalties."""
    _submit(actors["operator"], "honor", [{
        "XDR_MC": "华为技术有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": HUAWEI,
        "RY_BH": "RY-1", "RY_MC": "守合同重信用企业", "RY_JB": "市级", "RY_SYRQ": "2026-06-01",
        "RY_SYDW": "信安市市场监督管理局",
    }])  # fmt: skip
    html = client.get(f"/subjects/{filed.pk}/").content.decode()
    assert "守合同重信用企业" in html and "信市监许〔2026〕1号" in html
