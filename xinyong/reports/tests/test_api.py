"""POST /api/v1/reports and the requester's files: departments' systems (scope
``reports``) and staff sessions; refusals name the field and the rule."""

import hashlib

import pytest
from django.test import Client

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI, RID
from xinyong.reports import signing
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db
UNKNOWN_USCC = "91339900MA1X2Y3B1X"  # valid, registered by nobody


def api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def token_for(department, scopes, name="税务业务系统") -> str:
    return accounts.api_client_issue(actor=SYSTEM, name=name, department=department, scopes=scopes)[
        1
    ]


def post(c: Client, **body):
    return c.post("/api/v1/reports", body, content_type="application/json")


def test_a_system_issues_and_fetches_a_review_report(published, market_token, departments):
    market = api(market_token)
    r = post(market, kind="review", subject=HUAWEI, purpose="政府采购资格审查")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["kind"] == "review" and out["kind_label"] == "信用审查报告"
    assert out["subject_name"] == "华为技术有限公司" and len(out["verification_code"]) == 6
    number = out["number"]
    assert out["pdf_url"].endswith(f"/api/v1/reports/{number}/pdf")
    assert f"n={number}" in out["verify_url"]
    report = Report.objects.get(number=number)
    assert report.department_id == departments["market"].pk and report.purpose == "政府采购资格审查"
    pdf = market.get(f"/api/v1/reports/{number}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == out["pdf_sha256"]
    twin = market.get(f"/api/v1/reports/{number}/json").json()
    assert signing.verify(twin["report"], twin["signature"]["value"],
                          twin["signature"]["public_key"])  # fmt: skip
    assert twin["report"]["number"] == number
    assert AuditEvent.objects.filter(action="report.read", object_id=number).count() == 2
    # another department's system sees nothing of it
    other = api(token_for(departments["tax"], ["reports"]))
    for path in ("pdf", "json"):
        r = other.get(f"/api/v1/reports/{number}/{path}")
        assert r.status_code == 404
        assert r.json()["detail"][0]["field"] == "number"


def test_public_and_special_reports(published, market_token):
    market = api(market_token)
    r = post(market, kind="public", subject=HUAWEI)
    assert r.status_code == 201 and r.json()["kind_label"] == "公共信用信息报告"
    r = post(market, kind="special", subject=HUAWEI, domains=["market", "tax"],
             period_from="2025-01-01")  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "purpose"  # staff: why
    r = post(market, kind="special", subject=HUAWEI, domains=["market", "tax"],
             period_from="2025-01-01", purpose="行政许可：食品经营许可")  # fmt: skip
    assert r.status_code == 201, r.content
    report = Report.objects.get(kind="special")
    assert str(report.period_from) == "2025-01-01" and report.domains == ["market", "tax"]


def _refusal(r, status: int) -> tuple[str, str]:
    assert r.status_code == status, r.content
    (err,) = r.json()["detail"]
    return err["field"], err["rule"]


@pytest.mark.parametrize(
    ("body", "status", "field", "rule"),
    [
        ({"kind": "public", "subject": "914403001922038217"}, 422, "subject",
         "uscc.check_character"),
        ({"kind": "public", "subject": "91440300192203821"}, 422, "subject", "uscc.length"),
        ({"kind": "public", "subject": "9I4403001922038216"}, 422, "subject", "uscc.charset"),
        ({"kind": "public", "subject": UNKNOWN_USCC}, 404, "subject", "subject.not_found"),
        # a person has no USCC: its identifier is no way to a report through the API
        ({"kind": "public", "subject": RID}, 422, "subject", "uscc.region"),
        ({"kind": "own", "subject": HUAWEI}, 422, "kind", "kind.api"),
        ({"kind": "anything", "subject": HUAWEI}, 422, "kind", "kind.api"),
        ({"kind": "review", "subject": HUAWEI}, 422, "purpose", "required"),
        ({"kind": "review", "subject": HUAWEI, "purpose": " 。"}, 422, "purpose", "required"),
        ({"kind": "public", "subject": HUAWEI, "purpose": "用" * 201}, 422, "purpose",
         "string_too_long"),
        ({"kind": "special", "subject": HUAWEI, "domains": ["nowhere"]}, 422, "domains",
         "unknown_domain"),
        ({"kind": "special", "subject": HUAWEI, "domains": ["market"],
          "period_from": "2001-01-01"}, 422, "period_from", "beyond_limit"),
        ({"kind": "special", "subject": HUAWEI, "domains": ["market"],
          "period_from": "2026-02-30"}, 422, "period_from", "date_from_datetime_parsing"),
        ({"kind": "public", "subject": HUAWEI, "domains": ["market"]}, 422, "domains",
         "special_only"),
    ],
)  # fmt: skip
def test_refusals_name_field_and_rule(org_with_rep, market_token, body, status, field, rule):
    got = _refusal(post(api(market_token), **body), status)
    assert got == (field, rule)
    assert not Report.objects.exists()


def test_a_person_gets_no_public_report_even_from_the_service(org_with_rep, market_token):
    """The person's own subject exists (张三), but only by identifier hash: the API cannot
    reach it, and the service refuses a person's public report outright."""
    from xinyong.core.errors import ValidationFailed
    from xinyong.reports import services
    from xinyong.subjects.models import Subject

    person = Subject.objects.get(kind="person")
    with pytest.raises(ValidationFailed) as e:
        services.report_issue(actor=SYSTEM, kind="public", subject=person)
    assert (e.value.errors[0].field, e.value.errors[0].rule) == ("subject", "person_own_only")


def test_scope_and_role(org_with_rep, departments, users):
    no_scope = api(token_for(departments["tax"], ["checks", "subjects:read"]))
    assert _refusal(post(no_scope, kind="public", subject=HUAWEI), 403) == ("", "permission")
    tax = api(token_for(departments["tax"], ["reports"], name="税务报告系统"))
    r = post(tax, kind="review", subject=HUAWEI, purpose="财政资金")
    assert r.status_code == 201
    number = r.json()["number"]
    assert no_scope.get(f"/api/v1/reports/{number}/pdf").status_code == 403
    assert Client().post("/api/v1/reports", {}, content_type="application/json").status_code == 401
    # the auditor's session: no review report
    auditor = Client(enforce_csrf_checks=False)
    auditor.force_login(users["auditor"])
    r = post(auditor, kind="review", subject=HUAWEI, purpose="政府采购")
    assert _refusal(r, 403) == ("", "permission")
    # a clerk's session gets its department's report and its files
    clerk = Client()
    clerk.force_login(users["tax_clerk"])
    assert clerk.get(f"/api/v1/reports/{number}/pdf").status_code == 200
    market = Client()
    market.force_login(users["market_clerk"])
    assert market.get(f"/api/v1/reports/{number}/json").status_code == 404
    assert Report.objects.count() == 1
