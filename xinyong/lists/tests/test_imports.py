"""Lists received from outside: the courts' 失信被执行人 pushed as a batch become entries
in force at once; a withdrawn record takes its entry off the list; a subject with a case
made on the platform keeps it; the check hits the imported entry."""

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.conftest import HUAWEI
from xinyong.ingest.tests.conftest import push
from xinyong.lists.imports import entries_import
from xinyong.lists.models import ListEntry
from xinyong.sanctions.tests.test_check import check

pytestmark = pytest.mark.django_db


def debtor(n: int, **over) -> dict:
    row = {
        "XDR_MC": "华为技术有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": HUAWEI,
        "SX_AH": f"（2026）信01执{n}号", "SX_ZXFY": "信安市中级人民法院",
        "SX_YW": "支付货款及利息", "SX_LXQK": "全部未履行",
        "SX_QX": "有履行能力而拒不履行生效法律文书确定义务",
        "SX_FBRQ": "2026-10-10", "SX_YXQZ": "2028-10-09",
    }  # fmt: skip
    row.update(over)
    return row


@pytest.fixture
def court_token(departments):
    from xinyong.accounts.services import department_save

    court = department_save(actor=SYSTEM, code="FY", name="市中级人民法院", kind="judicial")
    _c, token = accounts.api_client_issue(
        actor=SYSTEM, name="法院执行系统", department=court,
        scopes=[ApiScope.RECORDS_WRITE, ApiScope.CHECKS],
    )  # fmt: skip
    return token


def test_court_list_batch_becomes_entries_and_follows_withdrawals(
    client, court_token, org_with_rep
):
    r = push(client, court_token, "court_dishonest_debtor", [debtor(1)])
    assert r.json()["created"] == 1, r.content
    report = entries_import(actor=SYSTEM, item_code="court_dishonest_debtor")
    assert (report.created, report.updated, report.removed) == (1, 0, 0)
    entry = ListEntry.objects.get()
    assert (entry.status, entry.external, entry.list_type.code) == (
        "published", True, "court_dishonest_debtor",
    )  # fmt: skip
    assert entry.decision_no == "（2026）信01执1号" and str(entry.term_end) == "2028-10-09"
    body = check(client, court_token, subject=HUAWEI, matter="bond_issuance").json()
    assert [h["list"] for h in body["hits"]] == ["court_dishonest_debtor"]
    assert [m["code"] for m in body["measures"]] == ["restrict_bonds"]
    # Idempotent: nothing new, nothing changes.
    again = entries_import(actor=SYSTEM, item_code="court_dishonest_debtor")
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    # The court deletes the entry (the debtor paid): the record is withdrawn, and the
    # entry leaves the list in the same transaction — the next import has nothing to do.
    paid = {"source_id": "（2026）信01执1号", "op": "withdraw", "reason": "已全部履行"}
    push(client, court_token, "court_dishonest_debtor", [paid])
    assert entries_import(actor=SYSTEM, item_code="court_dishonest_debtor").removed == 0
    gone = ListEntry.objects.get()
    assert (gone.status, gone.removal_reason) == ("removed", "revoked")
    assert check(client, court_token, subject=HUAWEI).json()["status"] == "clear"
