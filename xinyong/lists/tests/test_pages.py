"""The case pages: a clerk opens a case from the subject, steps go through the forms with
their roles, refusals come back as messages and change nothing; the portal shows a public
entry in force, with its legal basis, and nothing of a pending case or a non-public list."""

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import BASIS, GROUNDS

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_case_from_opening_to_publication_through_the_pages(users, penalty_record):
    clerk, reviewer = _login(users["market_clerk"]), _login(users["market_reviewer"])
    subject = penalty_record.subject_id
    page = clerk.get(f"/backoffice/lists/new/?subject={subject}").content.decode()
    assert penalty_record.source_id in page  # the record to cite
    r = clerk.post("/backoffice/lists/new/", {
        "subject": subject, "list": "serious_dishonesty", "national_category": "market_order",
        "basis_kind": "penalty", "basis_records": [penalty_record.pk], "grounds": GROUNDS,
        "legal_basis": BASIS,
    })  # fmt: skip
    entry = ListEntry.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/backoffice/lists/{entry.pk}/")
    url = f"/backoffice/lists/{entry.pk}/"
    # The portal shows nothing of a pending case.
    assert "严重失信主体名单" not in Client().get(f"/subjects/{subject}/").content.decode()
    # A reviewer is offered no clerk's step; skipping is refused with the reason.
    assert 'value="notify"' not in reviewer.get(url).content.decode()
    r = reviewer.post(url, {"action": "publish"}, follow=True)
    assert "认定程序的环节不能跳过" in r.content.decode()
    assert ListEntry.objects.get().status == "opened"
    clerk.post(url, {"action": "notify", "notice_no": "信市监告〔2026〕1号"})
    page = clerk.get(url).content.decode()
    assert "事先告知书" in page and "陈述和申辩" in page
    clerk.post(url, {"action": "hear", "statement": "对事实无异议"})
    r = reviewer.post(url, {"action": "decide", "decision_no": "信市监认〔2026〕1号",
                            "decided_on": "2026-13-01"}, follow=True)  # fmt: skip
    assert "认定日期无效" in r.content.decode() and ListEntry.objects.get().status == "heard"
    r = reviewer.post(url, {"action": "decide", "decision_no": "信市监认〔2026〕1号"}, follow=True)
    assert "认定决定须写明采纳或不予采纳的理由" in r.content.decode()  # the statement is answered
    answer = {"statement_adoption": "rejected", "statement_reply": "事实清楚"}
    reviewer.post(url, {"action": "decide", "decision_no": "信市监认〔2026〕1号", **answer})
    reviewer.post(url, {"action": "publish"})
    assert ListEntry.objects.get().status == "published"
    portal = Client().get(f"/subjects/{subject}/").content.decode()
    assert "严重失信主体名单" in portal and BASIS in portal and "信市监认〔2026〕1号" in portal
    assert "对事实无异议" not in portal  # the statement is not public
    back = clerk.get(f"/backoffice/subjects/{subject}/").content.decode()
    assert "严重失信主体名单" in back and "已公示" in back
    # The legal representative's own (non-public, audited) file shows the responsibility.
    person = ListEntry.objects.get().persons.get().person
    own = clerk.get(f"/backoffice/subjects/{person.pk}/").content.decode()
    assert "作为华为技术有限公司的责任人" in own
    reads = AuditEvent.objects.filter(object_type="subject", object_id=str(person.pk))
    assert any("responsible_for_entries" in e.detail for e in reads)
    assert Client().get(f"/subjects/{person.pk}/").status_code == 404  # no public page


def test_other_departments_do_not_see_pending_cases(users, penalty_record):
    clerk = _login(users["market_clerk"])
    clerk.post("/backoffice/lists/new/", {
        "subject": penalty_record.subject_id, "list": "watch", "basis_kind": "penalty",
        "basis_records": [penalty_record.pk], "grounds": GROUNDS, "legal_basis": BASIS,
    })  # fmt: skip
    entry = ListEntry.objects.get()
    tax = _login(users["tax_clerk"])
    assert tax.get(f"/backoffice/lists/{entry.pk}/").status_code == 404
    assert "重点关注对象名单" not in tax.get("/backoffice/lists/").content.decode()
    r = clerk.post("/backoffice/lists/new/", {
        "subject": penalty_record.subject_id, "list": "serious_dishonesty", "grounds": "",
        "legal_basis": "",
    })  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 400 and "认定事由必填" in body and "严重失信情形" in body
    assert ListEntry.objects.count() == 1
