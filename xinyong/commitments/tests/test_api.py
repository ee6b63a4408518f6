"""The commitments API as a department's business system uses it: the matters' templates,
a paper commitment recorded with its scan, the department's list and detail, the check,
a breach proposed with evidence and decided by the reviewer. Bad input is a 4xx naming
the field and the rule and writes nothing; another department's commitment is not found."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import pdf
from xinyong.conftest import HUAWEI
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
URL = "/api/v1/commitments"


@pytest.fixture
def tax_token(departments):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="税务业务系统", department=departments["tax"], scopes=["records:write"]
    )
    return token


def api(token) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def form(**over) -> dict:
    data = {
        "subject": HUAWEI,
        "matter": "government_procurement",
        "kind": "scene",
        "reason": "参加政府采购活动",
        "signatory": "张三",
        "scan": pdf("承诺书.pdf"),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def rules(r) -> set[tuple[str, str]]:
    return {(e["field"], e["rule"]) for e in r.json()["detail"]}


def test_matters_show_rules_and_the_current_templates(client, market_token, org_with_rep):
    r = api(market_token).get("/api/v1/commitment-matters")
    assert r.status_code == 200
    by_code = {m["code"]: m for m in r.json()}
    licensing = by_code["administrative_licensing"]
    assert licensing["time_limit_workdays"] == 20 and not licensing["high_risk"]
    kinds = {t["kind"]: t for t in licensing["templates"]}
    assert set(kinds) == {"notify", "deficiency"}
    assert kinds["notify"]["version"] == 1 and "承诺" in kinds["notify"]["text"]
    assert kinds["notify"]["check_method_label"] == "网络核查"
    assert by_code["hazardous_chemicals_licence"]["high_risk"] is True
    assert client.get("/api/v1/commitment-matters").status_code == 401


def test_a_business_system_records_a_paper_commitment_for_its_department(
    market_token, tax_token, org_with_rep
):
    r = api(market_token).post(URL, form())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"].startswith("CN") and body["status"] == "in_force"
    assert body["department"] == {"code": "SCJG", "name": "市市场监督管理局"}
    assert body["channel"] == "paper" and body["scan_sha256"] and body["scan_name"] == "承诺书.pdf"
    assert body["subject"] == {"name": "华为技术有限公司", "uscc": HUAWEI}
    assert body["template_version"] == 1 and body["events"][0]["action"] == "sign"
    assert Record.objects.filter(
        item_code="commitment_performance", source_id=body["number"]
    ).exists()
    # Another department's token records for its own department, and cannot name another.
    r = api(tax_token).post(URL, form(reason="税务窗口收取"))
    assert r.status_code == 201 and r.json()["department"]["code"] == "SW"
    r = api(tax_token).post(URL, form(department="SCJG"))
    assert r.status_code == 422 and ("department", "extra_forbidden") in rules(r)
    assert Commitment.objects.filter(department__code="SCJG").count() == 1


def test_deficiency_tolerant_acceptance_with_its_missing_documents(market_token, org_with_rep):
    due = timezone.localdate() + datetime.timedelta(days=5)
    r = api(market_token).post(
        URL,
        form(
            matter="administrative_licensing", kind="deficiency",
            missing='[{"name": "消防验收意见", "form": "复印件"}]',
            supply_due=due.isoformat(), late_consequence="终止办理",
        ),
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["missing"] == [{"name": "消防验收意见", "form": "复印件", "supplied_at": None}]
    assert body["supply_due"] == due.isoformat() and body["late_consequence"] == "终止办理"


def test_bad_recording_is_refused_naming_field_and_rule_writing_nothing(market_token, org_with_rep):
    records = Record.objects.count()
    far = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()
    deficiency = {
        "matter": "administrative_licensing",
        "kind": "deficiency",
        "late_consequence": "终止办理",
        "missing": '[{"name": "证明", "form": "原件"}]',
    }
    cases = [
        ({"matter": "nope"}, ("matter", "matter.unknown")),
        ({"kind": "bogus"}, ("kind", "enum")),
        ({"kind": "notify"}, ("kind", "commitment.not_allowed")),  # procurement: scene only
        ({"scan": None}, ("scan", "required")),
        ({"reason": " "}, ("reason", "required")),
        ({"subject": "91339900MA1X2Y3B1X"}, ("subject", "subject.unknown")),
        ({"signatory": "张\x00三"}, ("signatory", "string.nul")),
        ({"supply_due": "not a date"}, ("supply_due", "date_from_datetime_parsing")),
        ({**deficiency, "supply_due": far}, ("supply_due", "deadline.beyond_limit")),
        ({**deficiency, "supply_due": far, "missing": "[{"}, ("missing", "json.syntax")),
        ({**deficiency, "missing": '[{"name": 1}]'}, ("missing.0.name", "string_type")),
    ]
    client = api(market_token)
    for over, expected in cases:
        r = client.post(URL, form(**over))
        assert r.status_code == 422, (over, r.content)
        assert expected in rules(r), (over, r.json())
    r = client.post(URL, {"subject": HUAWEI}, content_type="application/json")
    assert r.status_code == 415 and ("Content-Type", "content_type.multipart") in rules(r)
    assert Commitment.objects.count() == 0 and Record.objects.count() == records


def _record(token, **over) -> str:
    r = api(token).post(URL, form(**over))
    assert r.status_code == 201, r.content
    return r.json()["number"]


def test_the_departments_list_filters_pages_and_keeps_others_out(
    market_token, tax_token, org_with_rep
):
    first = _record(market_token)
    second = _record(market_token, matter="public_resource_trading", reason="参加招标投标")
    theirs = _record(tax_token)
    client = api(market_token)
    numbers = [c["number"] for c in client.get(URL).json()]
    assert numbers == [second, first]  # newest first, the tax office's not among them
    assert [c["number"] for c in client.get(URL, {"limit": 1, "offset": 1}).json()] == [first]
    by = {
        "matter": {"matter": "public_resource_trading"},
        "subject": {"subject": HUAWEI, "kind": "scene", "status": "in_force"},
        "due": {"due_before": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()},
        "none due": {"due_before": timezone.localdate().isoformat()},
        "kept": {"status": "kept"},
    }
    got = {k: [c["number"] for c in client.get(URL, q).json()] for k, q in by.items()}
    assert got == {"matter": [second], "subject": [second, first], "due": [first, second],
                   "none due": [], "kept": []}  # fmt: skip
    r = client.get(URL, {"matter": "nope"})
    assert r.status_code == 422 and ("matter", "matter.unknown") in rules(r)
    r = client.get(URL, {"kind": "bogus"})
    assert r.status_code == 422 and {f for f, _ in rules(r)} == {"kind"}
    # Another department's commitment (published on the portal) is not found here.
    assert client.get(f"{URL}/{theirs}").status_code == 404
    assert client.post(f"{URL}/{theirs}/keep", {"note": "属实"},
                       content_type="application/json").status_code == 404  # fmt: skip
    detail = client.get(f"{URL}/{first}").json()
    assert detail["matter"]["code"] == "government_procurement" and detail["case"] is None


def test_kept_breach_proposed_heard_and_decided(market_token, users, company, org_with_rep):
    portal, _subject = company
    client = api(market_token)
    kept = _record(market_token)
    breached = _record(market_token, reason="再次申请")
    r = client.post(
        f"{URL}/{kept}/keep", {"note": "经网络核查属实"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "kept"
    assert r.json()["check_note"] == "经网络核查属实"
    r = client.post(f"{URL}/{kept}/keep", {"note": "再次核查"}, content_type="application/json")
    assert r.status_code == 422 and ("status", "commitment.state") in rules(r)
    # A breach without evidence: refused, nothing changes.
    r = client.post(f"{URL}/{breached}/breach", {"breach_kind": "false", "reasons": "不实"})
    assert r.status_code == 422 and ("evidence", "required") in rules(r)
    r = client.post(f"{URL}/{breached}/breach", {"breach_kind": "maybe", "reasons": " ",
                                                 "evidence": pdf()})  # fmt: skip
    assert {("breach_kind", "enum"), ("reasons", "required")} <= rules(r)
    assert Commitment.objects.get(number=breached).status == "in_force"
    r = client.post(f"{URL}/{breached}/breach", {
        "breach_kind": "broken", "reasons": "未按承诺提交履约材料", "evidence": pdf(),
    })  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "breach_proposed" and body["evidence_sha256"]
    assert body["statement_due"] and body["breach_record_id"] is None
    # Deciding is a reviewer's: the business system's token is refused.
    decision = {"breach": True, "reason": "陈述申辩未提供新的证据"}
    r = client.post(f"{URL}/{breached}/decision", decision, content_type="application/json")
    assert r.status_code == 403
    c = Commitment.objects.get(number=breached)
    services.commitment_statement(actor=portal, commitment_id=c.pk, statement="正在补办")
    reviewer = Client()
    reviewer.force_login(users["market_reviewer"])
    r = reviewer.post(f"{URL}/{breached}/decision", decision, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "breached" and body["hearing_outcome"] == "rejected"
    assert body["bar_until"] and body["breach_record_id"] and body["case"]["list"] == "watch"
    assert [e["action"] for e in body["events"]] == ["sign", "propose_breach", "statement",
                                                      "decide"]  # fmt: skip


def test_a_client_without_the_scope_is_refused(departments, org_with_rep):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="核查系统", department=departments["market"], scopes=["checks"]
    )
    client = api(token)
    assert client.get("/api/v1/commitment-matters").status_code == 200  # any client
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert client.get("/api/v1/feeds/commitments").status_code == 403
