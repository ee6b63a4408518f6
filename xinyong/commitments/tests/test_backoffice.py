"""The back office's commitment pages as their users meet them: the credit office sets a
matter's rule and templates (a changed text is a new version, shown in the history); a
clerk records a paper commitment for a subject found by its code; the department's queue
puts late ones first and the dashboard counts them; the commitment's page offers each
viewer only the steps it may take, and every refusal is said next to its field with
nothing written."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.commitments import services
from xinyong.commitments.models import Commitment, CommitmentTemplate, MatterRule
from xinyong.commitments.tests.conftest import pdf, sign
from xinyong.core.tests.visible import assert_no_codes
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def _as(users, who) -> Client:
    c = Client()
    c.force_login(users[who])
    return c


def _error(html: str, field_id: str) -> str:
    """The message shown next to a field (``backoffice/_field_error.html``)."""
    m = re.search(rf'id="{re.escape(field_id)}_error">(.*?)</span>', html, re.S)
    return m.group(1) if m else ""


# -- settings ------------------------------------------------------------------------------


def test_the_credit_office_sets_a_rule_and_a_template_new_text_new_version(users):
    office = _as(users, "operator")
    r = office.get("/backoffice/commitments/settings/")
    assert r.status_code == 200 and "行政许可" in r.content.decode()
    url = "/backoffice/commitments/settings/administrative_licensing/"
    html = office.get(url).content.decode()
    assert "证明事项告知承诺书" in html and "第 1 版" in html
    # High risk without its basis: refused next to the field, nothing written.
    r = office.post(url, {"form": "rule", "time_limit_workdays": "20", "high_risk": "on",
                          "high_risk_basis": "", "block_months": "12"})  # fmt: skip
    assert r.status_code == 400
    assert "须写明依据" in _error(r.content.decode(), "id_high_risk_basis")
    assert not MatterRule.objects.get(matter__code="administrative_licensing").high_risk
    r = office.post(url, {"form": "rule", "time_limit_workdays": "15", "block_months": "6"})
    assert r.status_code == 302
    rule = MatterRule.objects.get(matter__code="administrative_licensing")
    assert (rule.time_limit_workdays, rule.block_months) == (15, 6)
    # A checked template without its period: refused next to the field.
    t = CommitmentTemplate.objects.get(matter__code="administrative_licensing", kind="notify")
    form = {"form": "t-notify", "t-notify-kind": "notify", "t-notify-name": t.name,
            "t-notify-check_method": "online", "t-notify-check_workdays": "",
            "t-notify-validity_months": "12", "t-notify-legal_basis": t.legal_basis,
            "t-notify-text": "修订后的承诺书正文", "t-notify-active": "on"}  # fmt: skip
    r = office.post(url, form)
    assert r.status_code == 400
    assert "工作日内核查" in _error(r.content.decode(), "id_t-notify-check_workdays")
    assert t.versions.count() == 1
    r = office.post(url, form | {"t-notify-check_workdays": "10"})
    assert r.status_code == 302
    html = office.get(url).content.decode()
    assert "第 2 版" in html and "修订后的承诺书正文" in html and "第 1 版" in html
    assert t.versions.count() == 2
    # A new kind in the matter.
    r = office.post(url, {"form": "new", "new-kind": "scene", "new-name": "场景承诺书",
                          "new-check_method": "exempt", "new-exempt_reason": "",
                          "new-validity_months": "12", "new-legal_basis": "依据",
                          "new-text": "正文"})  # fmt: skip
    assert r.status_code == 400 and "须写明理由" in _error(
        r.content.decode(), "id_new-exempt_reason"
    )
    assert_no_codes(html, where="matter settings", allow=["operator", "system"])  # user names


@pytest.mark.parametrize("who", ["market_clerk", "market_reviewer", "auditor"])
def test_only_the_credit_office_opens_the_settings(users, who):
    c = _as(users, who)
    assert c.get("/backoffice/commitments/settings/").status_code == 403
    url = "/backoffice/commitments/settings/administrative_licensing/"
    assert c.post(url, {"form": "rule", "time_limit_workdays": "1",
                        "block_months": "1"}).status_code == 403  # fmt: skip
    assert MatterRule.objects.get(matter__code="administrative_licensing").time_limit_workdays == 20


# -- recording a paper commitment ----------------------------------------------------------


def _record_form(subject, **over):
    form = {"subject": subject.pk, "matter": "administrative_licensing", "kind": "deficiency",
            "reason": "申请食品经营许可（容缺受理）", "signatory": "张三",
            "scan": pdf("承诺书.pdf"), "missing_name_0": "消防验收意见",
            "missing_form_0": "复印件", "missing_name_1": "卫生许可证明",
            "missing_form_1": "原件",
            "supply_due": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "late_consequence": "终止办理，已受理的申请退回"}  # fmt: skip
    form.update(over)
    return form


def test_a_clerk_records_a_paper_commitment_found_by_the_subjects_code(users, org_with_rep):
    clerk = _as(users, "market_clerk")
    html = clerk.get(f"/backoffice/commitments/new/?by=uscc&q={org_with_rep.uscc}").content
    html = html.decode()
    assert f"?subject={org_with_rep.pk}" in html and "华为技术有限公司" in html
    html = clerk.get(f"/backoffice/commitments/new/?subject={org_with_rep.pk}").content.decode()
    assert "容缺受理最迟补正日期" in html and 'name="missing_name_4"' in html
    # Beyond the matter's time limit: said next to the date, nothing written.
    far = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()
    r = clerk.post("/backoffice/commitments/new/", _record_form(org_with_rep, supply_due=far))
    assert r.status_code == 400
    assert "法定办结时限" in _error(r.content.decode(), "id_supply_due")
    # A row with its form missing: said next to that row.
    r = clerk.post("/backoffice/commitments/new/",
                   _record_form(org_with_rep, missing_form_1=""))  # fmt: skip
    assert r.status_code == 400 and "材料形式必填" in _error(
        r.content.decode(), "id_missing_form_1"
    )
    # No scan: said next to the upload.
    form = _record_form(org_with_rep)
    del form["scan"]
    r = clerk.post("/backoffice/commitments/new/", form)
    assert r.status_code == 400 and "请上传材料" in _error(r.content.decode(), "id_scan")
    assert Commitment.objects.count() == 0
    r = clerk.post("/backoffice/commitments/new/", _record_form(org_with_rep))
    assert r.status_code == 302
    c = Commitment.objects.get()
    assert r["Location"] == f"/backoffice/commitments/{c.pk}/"
    assert c.channel == "paper" and c.department.code == "SCJG"
    assert list(c.missing.values_list("name", "form")) == [("消防验收意见", "复印件"),
                                                           ("卫生许可证明", "原件")]  # fmt: skip
    html = clerk.get(r["Location"]).content.decode()
    assert "容缺受理承诺" in html and "消防验收意见" in html and "承诺书.pdf" in html
    scan = clerk.get(f"/backoffice/commitments/{c.pk}/scan/")
    assert scan.status_code == 200 and b"".join(scan.streaming_content).startswith(b"%PDF")
    assert _as(users, "tax_clerk").get(f"/backoffice/commitments/{c.pk}/scan/").status_code == 404


def test_the_auditor_cannot_record(users, org_with_rep):
    auditor = _as(users, "auditor")
    assert auditor.get("/backoffice/commitments/new/").status_code == 403
    r = auditor.post("/backoffice/commitments/new/", _record_form(org_with_rep))
    assert r.status_code == 403 and Commitment.objects.count() == 0


# -- the queue and the to-do lists ---------------------------------------------------------


def _signed(company, n=2):
    actor, subject = company
    return [sign(actor, subject, reason=f"申请第 {i + 1} 项许可") for i in range(n)]


def test_the_queue_puts_late_ones_first_and_the_dashboard_counts_them(users, company):
    first, second = _signed(company)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Commitment.objects.filter(pk=second.pk).update(check_due=yesterday)
    html = _as(users, "market_clerk").get("/backoffice/commitments/").content.decode()
    assert html.index(second.number) < html.index(first.number)
    assert "超期" in html
    # Another department's clerk sees none of them; the operator sees every department's.
    assert (
        first.number not in _as(users, "tax_clerk").get("/backoffice/commitments/").content.decode()
    )
    html = _as(users, "operator").get("/backoffice/commitments/").content.decode()
    assert first.number in html and "市市场监督管理局" in html
    # The dashboard: the clerk's department has two to check, one late.
    html = _as(users, "market_clerk").get("/backoffice/").content.decode()
    todo = html[html.index('id="todo-commitment_checks"') :]
    assert "信用承诺待核查" in todo and "2 项" in todo and "1 项超期" in todo
    assert (
        "todo-commitment_checks" not in _as(users, "tax_clerk").get("/backoffice/").content.decode()
    )
    # Filtering by status: none proposed yet.
    html = _as(users, "market_clerk").get("/backoffice/commitments/?status=breach_proposed")
    assert first.number not in html.content.decode()


# -- one commitment ------------------------------------------------------------------------


def test_breach_without_evidence_or_reasons_is_refused_next_to_the_fields(users, company):
    (c,) = _signed(company, 1)
    url = f"/backoffice/commitments/{c.pk}/"
    r = _as(users, "market_clerk").post(url, {"step": "propose", "breach_kind": "false",
                                              "reasons": " "})  # fmt: skip
    assert r.status_code == 400
    html = r.content.decode()
    assert "必填" in _error(html, "id_reasons") and "请上传材料" in _error(html, "id_evidence")
    c.refresh_from_db()
    assert c.status == "in_force" and not c.evidence_path
    # Another department: not found; the auditor reads, takes no step.
    assert _as(users, "tax_clerk").get(url).status_code == 404
    assert _as(users, "tax_clerk").post(url, {"step": "keep", "note": "x"}).status_code == 404
    auditor = _as(users, "auditor")
    page = auditor.get(url).content.decode()
    assert c.number in page and 'name="step"' not in page
    r = auditor.post(url, {"step": "keep", "note": "已核查"})
    assert r.status_code == 403
    c.refresh_from_db()
    assert c.status == "in_force"


def test_keep_then_nothing_more_to_do(users, company):
    (c,) = _signed(company, 1)
    url = f"/backoffice/commitments/{c.pk}/"
    clerk = _as(users, "market_clerk")
    r = clerk.post(url, {"step": "keep", "note": ""})
    assert r.status_code == 400 and "核查情况必填" in _error(r.content.decode(), "id_note")
    assert (
        clerk.post(url, {"step": "keep", "note": "经网络核查，卫生许可证明真实"}).status_code == 302
    )
    html = clerk.get(url).content.decode()
    assert "已履约" in html and "经网络核查" in html and 'value="keep"' not in html


def test_the_decision_waits_for_the_statement_and_a_clerk_cannot_decide(users, company):
    actor, _subject = company
    (c,) = _signed(company, 1)
    url = f"/backoffice/commitments/{c.pk}/"
    clerk, reviewer = _as(users, "market_clerk"), _as(users, "market_reviewer")
    r = clerk.post(url, {"step": "propose", "breach_kind": "false",
                         "reasons": "所承诺的证明并不存在", "evidence": pdf()})  # fmt: skip
    assert r.status_code == 302
    html = reviewer.get(url).content.decode()
    assert "期满或收到陈述申辩后方可认定" in html
    r = reviewer.post(url, {"step": "decide", "decision": "breach", "reason": "不实"})
    assert r.status_code == 400 and "期满或收到陈述申辩后方可认定" in r.content.decode()
    page = clerk.get(url).content.decode()
    assert 'value="decide"' not in page and "由本部门审核人认定" in page
    services.commitment_statement(actor=actor, commitment_id=c.pk, statement="材料正在补办")
    r = clerk.post(url, {"step": "decide", "decision": "breach", "reason": "不实"})
    assert r.status_code == 403
    # The reviewer's to-do list: one breach to decide.
    html = reviewer.get("/backoffice/").content.decode()
    assert "违诺待认定" in html
    r = reviewer.post(url, {"step": "decide", "decision": "", "reason": "x"})
    assert r.status_code == 400 and "请选择认定结果" in _error(r.content.decode(), "id_decision")
    c.refresh_from_db()
    assert c.status == "breach_proposed"
    assert not Record.objects.filter(item_code="commitment_breach").exists()


def test_a_decided_breach_shows_its_case_and_the_check_says_not_allowed(users, company):
    actor, subject = company
    (c,) = _signed(company, 1)
    url = f"/backoffice/commitments/{c.pk}/"
    clerk, reviewer = _as(users, "market_clerk"), _as(users, "market_reviewer")
    clerk.post(url, {"step": "propose", "breach_kind": "false",
                     "reasons": "所承诺的证明并不存在", "evidence": pdf()})  # fmt: skip
    services.commitment_statement(actor=actor, commitment_id=c.pk, statement="材料正在补办")
    r = reviewer.post(
        url, {"step": "decide", "decision": "breach", "reason": "陈述申辩未提供新证据"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    html = reviewer.get(url).content.decode()
    assert "违诺" in html and "虚假承诺" in html and "陈述申辩未提供新证据" in html
    assert f"/backoffice/lists/{c.case_id}/" in html and "重点关注对象名单" in html
    assert "所有事项" in html and "材料正在补办" in html
    evidence = clerk.get(f"/backoffice/commitments/{c.pk}/evidence/")
    assert evidence.status_code == 200
    assert_no_codes(html, names=[subject.name], where="commitment", allow=["market_clerk",
                    "market_reviewer"])  # fmt: skip
    # The back-office credit check for the matter: not allowed, the case linked.
    r = clerk.post("/backoffice/checks/", {"subject": subject.uscc,
                                          "matter": "administrative_licensing"})  # fmt: skip
    html = r.content.decode()
    assert "不适用告知承诺、容缺受理" in html and c.number in html
    assert (
        f"/backoffice/lists/{c.case_id}/" in html
        and "证明事项告知承诺" not in html.split("现在可签署的承诺")[1].split("</p>")[0]
    )
