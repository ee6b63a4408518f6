"""Withdrawal: a decision revoked or changed by its department leaves public view within 3
working days of the notice, from the back office or the API, with its history and reason
kept; the withdrawal report holds every department to the deadline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.disclosure import selectors
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.exchange.models import Change
from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.records.models import Record, RecordVersion

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date.fromisoformat
WSH = "信市监罚〔2026〕1号"


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


@pytest.fixture
def published(client, market_token, org_with_rep):
    rows = [penalty(1), penalty(2)]
    assert push(client, market_token, "administrative_penalty", rows).json()["created"] == 2
    publication_sweep(actor=SYSTEM)
    record = Record.objects.get(source_id=WSH)
    assert record.publication.status == "public"
    return record


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_clerk_withdraws_a_decision_in_the_back_office(users, published):
    clerk = _login(users["market_clerk"])
    assert Client().get(f"/publicity/{published.pk}/").status_code == 200
    page = clerk.get(f"/backoffice/subjects/{published.subject_id}/").content.decode()
    assert f"/backoffice/records/{published.pk}/withdraw/" in page
    r = clerk.post(
        f"/backoffice/records/{published.pk}/withdraw/",
        {"reason": "行政复议决定撤销（信市复决〔2026〕3号）"},
        follow=True,
    )
    assert "记录已撤销" in r.content.decode()
    record = Record.objects.get(pk=published.pk)
    assert (record.status, record.version, record.channel) == ("withdrawn", 2, "form")
    assert record.withdraw_reason == "行政复议决定撤销（信市复决〔2026〕3号）"
    before = RecordVersion.objects.get(record=record)
    assert (before.version, before.status, before.data) == (1, "active", published.data)
    assert Batch.objects.filter(channel="form", withdrawn=1).count() == 1
    p = Publication.objects.get(record=record)  # taken down by the withdrawal, no sweep
    assert p.status == "withdrawn" and p.withdrawn_at == record.received_at
    assert p.ended_at.date() <= p.withdraw_deadline
    assert Change.objects.filter(feed="publicity", object_id=record.pk, action="unpublish").exists()
    assert Client().get(f"/publicity/{record.pk}/").status_code == 404
    assert WSH not in Client().get("/publicity/", {"q": "华为"}).content.decode()
    # Its credit file still lists it, marked, with the reason; no second withdrawal offered.
    page = clerk.get(f"/backoffice/subjects/{published.subject_id}/").content.decode()
    assert "行政复议决定撤销" in page and f"/records/{record.pk}/withdraw/" not in page


def test_withdrawal_needs_a_reason_and_the_providing_department(users, published):
    r = _login(users["market_clerk"]).post(
        f"/backoffice/records/{published.pk}/withdraw/", {"reason": "  "}, follow=True
    )
    assert "请填写撤销原因" in r.content.decode()
    tax = _login(users["tax_clerk"])
    r = tax.post(f"/backoffice/records/{published.pk}/withdraw/", {"reason": "误报"})
    assert r.status_code == 403
    # The market department's reviewer approves decisions; withdrawing is the clerk's act.
    reviewer = _login(users["market_reviewer"])
    r = reviewer.post(f"/backoffice/records/{published.pk}/withdraw/", {"reason": "误报"})
    assert r.status_code == 403
    assert (
        "/withdraw/"
        not in tax.get(f"/backoffice/subjects/{published.subject_id}/").content.decode()
    )
    assert (
        _login(users["market_clerk"])
        .get(f"/backoffice/records/{published.pk}/withdraw/")
        .status_code
        == 405
    )
    assert Record.objects.get(pk=published.pk).status == "active"
    assert not Batch.objects.filter(channel="form").exists()


def test_api_withdrawal_keeps_its_reason(client, market_token, published):
    rows = [{"source_id": WSH, "op": "withdraw", "reason": "决定变更"}]
    out = push(client, market_token, "administrative_penalty", rows).json()
    assert out["withdrawn"] == 1
    assert Record.objects.get(source_id=WSH).withdraw_reason == "决定变更"
    too_long = [{"source_id": "信市监罚〔2026〕2号", "op": "withdraw", "reason": "长" * 501}]
    out = push(client, market_token, "administrative_penalty", too_long).json()
    assert out["rejected"] == 1
    assert Record.objects.get(source_id="信市监罚〔2026〕2号").status == "active"


def test_report_holds_departments_to_three_working_days(client, users, market_token, published):
    push(client, market_token, "administrative_penalty", [{"source_id": WSH, "op": "withdraw"}])
    # The withdrawal takes the publication down in its own transaction: on time.
    p = Publication.objects.get(record__source_id=WSH)
    assert p.status == "withdrawn" and p.ended_at.date() <= p.withdraw_deadline
    # A take-down that did not happen (a withdrawal from before it was immediate, or a
    # publication put back by hand): the report still holds the department to the rule.
    # Notice on 30 September 2026: National Day follows, and Saturday 10 October is a
    # make-up working day, so the deadline is 10 October.
    Publication.objects.filter(pk=p.pk).update(
        status="public", ended_at=None, withdrawn_at=None, withdraw_deadline=None,
        record_version=1,
    )  # fmt: skip
    Record.objects.filter(source_id=WSH).update(received_at=at("2026-09-30"))
    market = users["market_clerk"]
    actor = Actor.for_user(market)
    waiting = selectors.withdrawal_report(actor=actor, today=D("2026-10-09"))
    assert [(r.waiting, r.overdue) for r in waiting.rows] == [(1, 0)]
    assert waiting.entries[0].deadline == D("2026-10-10") and waiting.entries[0].state == "waiting"
    overdue = selectors.withdrawal_report(actor=actor, today=D("2026-10-12"))
    assert [(r.waiting, r.overdue) for r in overdue.rows] == [(1, 1)]
    # The dashboard's alarm counts the same ones, in the reader's scope only.
    assert selectors.withdrawals_overdue(actor=actor, today=D("2026-10-09")) == 0
    assert selectors.withdrawals_overdue(actor=actor, today=D("2026-10-12")) == 1
    tax = Actor.for_user(users["tax_clerk"])
    assert selectors.withdrawals_overdue(actor=tax, today=D("2026-10-12")) == 0
    dashboard = _login(market).get("/backoffice/").content.decode()
    assert "1 条已撤销的决定超过 3 个工作日仍在公示" in dashboard  # today is long past
    publication_sweep(actor=SYSTEM, now=at("2026-10-12"))  # the sweep ran late
    late = selectors.withdrawal_report(actor=actor, today=D("2026-10-12"))
    assert [(r.total, r.on_time, r.late, r.waiting) for r in late.rows] == [(1, 0, 1, 0)]
    assert late.entries[0].state == "late"
    page = _login(market).get("/backoffice/publicity/withdrawals/").content.decode()
    assert "逾期撤下" in page and WSH in page
    # Another department's clerk sees none of it.
    tax_page = _login(users["tax_clerk"]).get("/backoffice/publicity/withdrawals/").content.decode()
    assert WSH not in tax_page
