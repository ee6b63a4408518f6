"""Objections end to end: the bound subject disputes a record on the portal; the platform
marks it (measures resting on it suspended in the very next check) and forwards it; the
providing department corrects, revokes or maintains it with reasons; each step has its
working-day deadline, is audited and notified; nobody acts outside their part."""

import datetime

import pytest
from django.test import Client

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.tests.formerrors import field_error
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate
from xinyong.remedies import selectors, services
from xinyong.remedies.models import Notification, Objection, SubjectBinding
from xinyong.remedies.tests.test_bindings import _portal, _request
from xinyong.sanctions.tests.test_check import check

pytestmark = pytest.mark.django_db


@pytest.fixture
def bound(client, users, actors, penalty_record):
    """华为 on the serious dishonesty list (resting on its penalty), and its agent's portal
    account bound to it."""
    entry = designate(actors, penalty_record)
    portal = _portal(client)
    _request(portal)
    services.binding_review(actor=Actor.for_user(users["operator"]),
                            binding_id=SubjectBinding.objects.get().pk, approve=True)  # fmt: skip
    return portal, entry, penalty_record


def test_objection_suspends_then_maintained_resumes(bound, users, actors, market_token, client):
    portal, _entry, record = bound
    url = f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}"
    r = portal.post(url, {"reasons": "处罚决定已被行政复议撤销，附复议决定书"})
    assert r.status_code == 302
    obj = Objection.objects.get()
    assert (obj.status, obj.provider.code) == ("received", "SCJG")
    operator = Actor.for_user(users["operator"])
    body = check(client, market_token, subject=HUAWEI).json()
    assert not any(m["suspended"] for m in body["measures"])  # not marked yet
    services.objection_mark(actor=operator, objection_id=obj.pk)
    body = check(client, market_token, subject=HUAWEI).json()
    assert body["pending_objections"] == 1 and all(m["suspended"] for m in body["measures"])
    own = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert "badge objection" in own  # the record is marked wherever the file is read
    with pytest.raises(PermissionDenied):  # the provider decides, not the operator
        services.objection_decide(actor=operator, objection_id=obj.pk, decision="maintained",
                                  reason="x")  # fmt: skip
    with pytest.raises(ValidationFailed):  # out of order: not forwarded yet
        services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                                  decision="maintained", reason="x")  # fmt: skip
    services.objection_forward(actor=operator, objection_id=obj.pk)
    with pytest.raises(NotFound):  # another department does not even see it
        services.objection_decide(actor=actors["tax_clerk"], objection_id=obj.pk,
                                  decision="maintained", reason="x")  # fmt: skip
    with pytest.raises(ValidationFailed) as e:  # no corrected version was sent
        services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                                  decision="corrected", reason="已更正")  # fmt: skip
    assert e.value.errors[0].rule == "objection.not_corrected"
    services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                              decision="maintained", reason="复议维持原处罚决定")  # fmt: skip
    body = check(client, market_token, subject=HUAWEI).json()
    assert body["pending_objections"] == 0 and not any(m["suspended"] for m in body["measures"])
    steps = AuditEvent.objects.filter(object_type="objection").values_list("action", flat=True)
    assert list(steps) == ["objection.file", "objection.mark", "objection.forward",
                           "objection.decide"]  # fmt: skip
    texts = list(Notification.objects.values_list("text", flat=True))
    assert len(texts) == 4 and any("复议维持原处罚决定" in t for t in texts)
    # The dashboard and the subject's back-office file show it.
    operator_page = Client()
    operator_page.force_login(users["operator"])
    back = operator_page.get(f"/backoffice/subjects/{record.subject_id}/").content.decode()
    assert "异议与信用修复" in back and "复议维持原处罚决定" in back
    page = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert "维持" in page and "复议维持原处罚决定" in page


def test_a_wrongful_entry_is_revoked_at_once(bound, users, actors, market_token, client):
    portal, entry, record = bound
    portal.post(f"/account/subjects/{record.subject_id}/objections/new/?entry={entry.pk}",
                {"reasons": "认定事实有误"})  # fmt: skip
    obj = Objection.objects.get()
    operator = Actor.for_user(users["operator"])
    services.objection_mark(actor=operator, objection_id=obj.pk)
    services.objection_forward(actor=operator, objection_id=obj.pk)
    services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                              decision="revoked", reason="认定依据不足，予以撤销")  # fmt: skip
    gone = ListEntry.objects.get(pk=entry.pk)
    assert (gone.status, gone.removal_reason) == ("removed", "revoked")
    assert check(client, market_token, subject=HUAWEI).json()["status"] == "clear"
    # A correction notice restores the subject's reputation in public.
    notice = Client().get("/corrections/").content.decode()
    assert "华为技术有限公司" in notice and "认定依据不足，予以撤销" in notice


def test_only_the_bound_subject_may_object(bound, actors, org_with_rep):
    portal, _entry, record = bound
    stranger = _portal(Client(), "stranger")
    r = stranger.post(f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}",
                      {"reasons": "x"})  # fmt: skip
    assert r.status_code == 404 and not Objection.objects.exists()
    r = portal.post(f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}",
                    {"reasons": ""})  # fmt: skip
    assert r.status_code == 400 and "请写明异议理由" in r.content.decode()
    with pytest.raises(NotFound):
        services.objection_file(actor=Actor.for_user(User.objects.get(username="stranger")),
                                reasons="x", record_id=record.pk)  # fmt: skip


def test_deadlines_count_working_days_across_the_holiday(bound, users, monkeypatch):
    """Filed on 30 September 2026: marked by 8 October, forwarded by 9 October (National
    Day in between); late steps are flagged in the operator's queue."""
    record = bound[2]
    from xinyong.remedies.services import objections as module

    monkeypatch.setattr(module.timezone, "localdate", lambda *a: datetime.date(2026, 9, 30))
    obj = services.objection_file(actor=Actor.for_user(users["market_clerk"]),
                                  reasons="代为提出", record_id=record.pk)  # fmt: skip
    assert (obj.mark_due, obj.forward_due) == (datetime.date(2026, 10, 8),
                                               datetime.date(2026, 10, 9))  # fmt: skip
    operator = Actor.for_user(users["operator"])
    rows = selectors.objection_queue(actor=operator, today=datetime.date(2026, 10, 9))
    assert [r.overdue for r in rows] == ["mark"]
    rows = selectors.objection_queue(actor=operator, today=datetime.date(2026, 10, 8))
    assert [r.overdue for r in rows] == [""]


def test_queue_pages_for_operator_and_provider(bound, users):
    portal, _entry, record = bound
    portal.post(f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}",
                {"reasons": "金额有误"})  # fmt: skip
    obj = Objection.objects.get()
    operator, market = Client(), Client()
    operator.force_login(users["operator"])
    market.force_login(users["market_reviewer"])
    assert "金额有误" in operator.get("/backoffice/objections/").content.decode()
    operator.post("/backoffice/objections/", {"objection": obj.pk, "step": "mark"})
    operator.post("/backoffice/objections/", {"objection": obj.pk, "step": "forward"})
    assert 'value="decide"' in market.get("/backoffice/objections/").content.decode()
    r = market.post("/backoffice/objections/", {"objection": obj.pk, "step": "decide",
                                                "decision": "maintained", "reason": ""},
                    follow=True)  # fmt: skip
    assert "请写明处理理由" in r.content.decode()
    done = {"objection": obj.pk, "step": "decide", "decision": "maintained", "reason": "核实无误"}
    market.post("/backoffice/objections/", done)
    assert Objection.objects.get().status == "decided"


def test_departments_file_follow_and_decide_through_the_api(bound, users, departments):
    """A department's system files an objection for a subject; the provider's system
    decides it; the filer follows it; outsiders see nothing; bad input gets 422."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope

    _portal_client, _entry, record = bound

    def token(dept):
        scopes = [ApiScope.RECORDS_WRITE, ApiScope.CHECKS]
        dept = departments[dept]
        return accounts.api_client_issue(actor=SYSTEM, name=f"{dept.code}-sys",
                                         department=dept, scopes=scopes)[1]  # fmt: skip

    tax, market, housing = token("tax"), token("market"), token("housing")
    api = Client()

    def call(method, url, tok, body=None):
        return getattr(api, method)(url, body, content_type="application/json",
                                    headers={"Authorization": f"Bearer {tok}"})  # fmt: skip

    # The tax office neither registered 华为 nor has it at its counter: it may not speak for
    # it about the market regulator's record (the fault: it could).
    r = call("post", "/api/v1/objections", tax, {"record_id": record.pk, "reasons": "纳税人反映"})
    assert r.status_code == 403 and r.json()["detail"][0]["rule"] == "permission"
    assert not Objection.objects.exists()
    # A credit check does not make 华为 its subject (any department may check anyone).
    assert check(api, tax, subject=HUAWEI).status_code == 200
    r = call("post", "/api/v1/objections", tax, {"record_id": record.pk, "reasons": "纳税人反映"})
    assert r.status_code == 403, r.content
    # The registrar of 华为 speaks for it.
    r = call("post", "/api/v1/objections", market, {"record_id": record.pk, "reasons": "企业反映"})
    assert r.status_code == 201, r.content
    oid = r.json()["id"]
    assert r.json()["provider"] == "SCJG" and r.json()["status"] == "received"
    bad = call("post", "/api/v1/objections", tax, {"reasons": "x", "colour": 1})
    assert bad.status_code == 422
    assert call("get", f"/api/v1/objections/{oid}", housing).status_code == 404
    operator = Actor.for_user(users["operator"])
    services.objection_mark(actor=operator, objection_id=oid)
    services.objection_forward(actor=operator, objection_id=oid)
    r = call("post", f"/api/v1/objections/{oid}/decision", tax,
             {"decision": "maintained", "reason": "x"})  # fmt: skip
    assert r.status_code == 404  # only the provider decides: another department sees nothing
    r = call("post", f"/api/v1/objections/{oid}/decision", market,
             {"decision": "maintained", "reason": "核实无误"})  # fmt: skip
    assert r.status_code == 200 and r.json()["decision"] == "maintained"
    assert call("get", f"/api/v1/objections/{oid}", market).json()["status"] == "decided"
    assert call("get", f"/api/v1/objections/{oid}", tax).status_code == 404


def test_evidence_is_kept_and_bad_evidence_refused(bound, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.remedies.tests.test_bindings import PDF

    portal, _entry, record = bound
    url = f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}"
    before = {p for p in settings.XINYONG_REMEDY_DIR.rglob("*") if p.is_file()}
    fake = SimpleUploadedFile("复议决定书.pdf", b"MZ not a pdf", content_type="application/pdf")
    r = portal.post(url, {"reasons": "附复议决定书", "evidence": fake})
    html = r.content.decode()  # a sentence next to the field, no internal keys
    assert r.status_code == 400 and "文件内容不是 PDF" in field_error(html, "evidence")
    assert "file.content" not in html and "evidence ·" not in html
    assert not Objection.objects.exists()
    assert {p for p in settings.XINYONG_REMEDY_DIR.rglob("*") if p.is_file()} == before
    good = SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf")
    assert portal.post(url, {"reasons": "附复议决定书", "evidence": good}).status_code == 302
    obj = Objection.objects.get()
    assert obj.evidence_name == "复议决定书.pdf"
    assert (settings.XINYONG_REMEDY_DIR / obj.evidence_path).read_bytes() == PDF


def test_a_wrong_record_is_withdrawn_with_its_history(bound, users, actors):
    portal, _entry, record = bound
    portal.post(f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}",
                {"reasons": "处罚对象错误"})  # fmt: skip
    obj = Objection.objects.get()
    operator = Actor.for_user(users["operator"])
    services.objection_mark(actor=operator, objection_id=obj.pk)
    assert ListEntry.objects.get(pk=_entry.pk).under_objection  # the entry rests on it
    services.objection_forward(actor=operator, objection_id=obj.pk)
    services.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                              decision="revoked", reason="处罚对象错误，撤销该记录")  # fmt: skip
    from xinyong.records.models import Record, RecordVersion

    withdrawn = Record.objects.get(pk=record.pk)
    assert withdrawn.status == "withdrawn" and "处罚对象错误" in withdrawn.withdraw_reason
    assert RecordVersion.objects.filter(record=withdrawn, status="active").exists()
    # Its basis revoked, the entry stays suspended until its department reconsiders it.
    assert ListEntry.objects.get(pk=_entry.pk).under_objection


def test_review_findings_hold(bound, users, actors, departments, client):
    """Only entries in force can be disputed; a department's system (a clerk) can revoke
    an entry on objection; the operator cannot act on another department's entry; staff
    without a department read no objection; a malformed form field is a message."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope
    from xinyong.lists import services as lists
    from xinyong.lists.tests.conftest import open_case

    portal, entry, record = bound
    case = open_case(actors, record, list_code="watch", national_category="")
    r = portal.post(f"/account/subjects/{record.subject_id}/objections/new/?entry={case.pk}",
                    {"reasons": "尚未告知"})  # fmt: skip
    assert r.status_code == 404  # a pending case is not for the portal to know
    operator = Actor.for_user(users["operator"])
    with pytest.raises(PermissionDenied):
        lists.entry_remove(actor=operator, entry_id=entry.pk, reason="revoked", note="x")
    obj = services.objection_file(actor=actors["market_clerk"], reasons="代为提出",
                                  entry_id=entry.pk)  # fmt: skip
    services.objection_mark(actor=operator, objection_id=obj.pk)
    services.objection_forward(actor=operator, objection_id=obj.pk)
    _c, token = accounts.api_client_issue(actor=SYSTEM, name="市场监管系统",
                                          department=departments["market"],
                                          scopes=[ApiScope.RECORDS_WRITE])  # fmt: skip
    auditor = Client()
    auditor.force_login(users["auditor"])
    assert auditor.get(f"/api/v1/objections/{obj.pk}").status_code == 404
    r = client.post(f"/api/v1/objections/{obj.pk}/decision",
                    {"decision": "revoked", "reason": "认定有误"}, content_type="application/json",
                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 200, r.content
    assert ListEntry.objects.get(pk=entry.pk).removal_reason == "revoked"
    staff = Client()
    staff.force_login(users["operator"])
    r = staff.post("/backoffice/bindings/", {"binding": "abc", "decision": "approve"})
    assert r.status_code == 400 and "办理对象无效" in r.content.decode()  # named, not a 500
