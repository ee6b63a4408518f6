"""The publication sweep: deadlines in working days, on-time publication, rule classes,
periods ending, withdrawals and corrections — and a second run that changes nothing."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.records.models import Record
from xinyong.records.tests.test_credit_file import licence

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date.fromisoformat


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ)


def pub(source_id: str) -> Publication:
    return Publication.objects.get(record=Record.objects.get(source_id=source_id))


@pytest.fixture
def pushed(client, market_token, org_with_rep):
    rows = [
        penalty(1, CF_JDRQ="2026-11-02", CF_YXQ="2027-11-02"),
        penalty(2, CF_JDRQ="2026-09-30", CF_YXQ="2027-09-30"),
        penalty(3, CF_CFLB="警告", CF_NR="警告"),
        penalty(4, CF_CFLB="罚款;吊销许可证件"),
    ]
    assert push(client, market_token, "administrative_penalty", rows).json()["created"] == 4
    assert push(client, market_token, "administrative_licence", [licence(1)]).json()["created"] == 1
    return org_with_rep


def test_sweep_publishes_with_deadlines_and_classes(pushed):
    report = publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    assert (report.refreshed, report.published, report.not_published) == (5, 4, 1)
    on_time = pub("信市监罚〔2026〕1号")
    assert (on_time.status, on_time.deadline, on_time.on_time) == ("public", D("2026-11-11"), True)
    assert on_time.public_until == D("2027-11-02") and on_time.penalty_class == "general"
    late = pub("信市监罚〔2026〕2号")  # National Day: 7 working days end 15 October
    assert (late.deadline, late.on_time) == (D("2026-10-15"), False)
    assert pub("信市监罚〔2026〕3号").status == "not_published"
    serious = pub("信市监罚〔2026〕4号")
    assert (serious.penalty_class, serious.public_until) == ("serious", D("2029-11-02"))
    assert pub("信市监许〔2026〕1号").public_until == D("2030-12-31")
    # Nothing new: a second sweep changes nothing, and says so in the audit trail.
    again = publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    assert (again.refreshed, again.published, again.ended) == (0, 0, 0)
    assert AuditEvent.objects.filter(action="publication.sweep").count() == 2


def test_periods_end_and_withdrawals_leave_public_view(client, market_token, pushed):
    publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    push(client, market_token, "administrative_penalty",
         [{"source_id": "信市监罚〔2026〕4号", "op": "withdraw"}])  # fmt: skip
    # Taken down by the withdrawal itself, before any sweep; the sweep finds it done.
    assert pub("信市监罚〔2026〕4号").status == "withdrawn"
    report = publication_sweep(actor=SYSTEM, now=at("2027-11-03"))
    assert report.withdrawn == 0 and pub("信市监罚〔2026〕4号").status == "withdrawn"
    assert pub("信市监罚〔2026〕1号").status == "ended"  # a year after the decision
    assert pub("信市监许〔2026〕1号").status == "public"  # valid until 2030


def test_a_correction_recomputes_and_keeps_the_publication_date(client, market_token, pushed):
    publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    first = pub("信市监罚〔2026〕1号").published_at
    push(client, market_token, "administrative_penalty",
         [penalty(1, CF_JDRQ="2026-11-02", CF_YXQ="2027-11-02", CF_YZCD="严重")])  # fmt: skip
    publication_sweep(actor=SYSTEM, now=at("2026-11-20"))
    p = pub("信市监罚〔2026〕1号")
    assert (p.record_version, p.penalty_class, p.public_until) == (2, "serious", D("2029-11-02"))
    assert (p.published_at, p.on_time, p.status) == (first, True, "public")


def test_portal_shows_what_the_sweep_published(client, pushed):
    html = client.get(f"/subjects/{pushed.pk}/").content.decode()
    assert "信市监罚" not in html  # received, not yet swept
    publication_sweep(actor=SYSTEM)
    html = client.get(f"/subjects/{pushed.pk}/").content.decode()
    assert "信市监罚〔2026〕1号" in html and "信市监罚〔2026〕3号" not in html  # warning only


def test_batches_trigger_the_sweep(client, market_token, org_with_rep,
                                   django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        push(client, market_token, "administrative_penalty", [penalty(1)])
    assert Publication.objects.get().status == "public"


def test_missing_calendar_is_counted_not_guessed(pushed, monkeypatch):
    def uncovered(start, n):
        raise workdays.CalendarNotCovered(start.year + 1)

    monkeypatch.setattr(workdays, "add_workdays", uncovered)
    report = publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    assert report.calendar_missing == 5
    assert set(Publication.objects.values_list("deadline", flat=True)) == {None}
    assert set(Publication.objects.values_list("on_time", flat=True)) == {None}
    out = io.StringIO()
    call_command("publicity_sweep", stdout=out)  # nothing new: the command reports zeros
    assert "新算期限 0，新公示 0" in out.getvalue()


def test_timeliness_report_per_department(pushed, users):
    from django.test import Client

    publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    c = Client()
    c.force_login(users["market_clerk"])
    html = c.get("/backoffice/publicity/timeliness/").content.decode()
    row = html[html.index("行政处罚信息") :].split("</tr>")[0]
    cells = [x.split("<")[0] for x in row.split("<td>")[1:]]
    # 4 penalties: 3 public (two on time, one decided before National Day late), 1 not
    # published (a warning only).
    assert cells[:9] == ["4", "3", "0", "1", "0", "0", "2", "1", "66.7%"]
    c.force_login(users["tax_clerk"])
    assert "暂无双公示记录" in c.get("/backoffice/publicity/timeliness/").content.decode()
    c.force_login(users["operator"])
    assert "市市场监督管理局" in c.get("/backoffice/publicity/timeliness/").content.decode()


def test_outbound_feed_by_cursor(client, market_token, pushed, departments):
    from xinyong.accounts import services as accounts

    _, token = accounts.api_client_issue(
        actor=SYSTEM, name="省公共信用信息平台", department=departments["credit"],
        scopes=["publicity:read"],
    )  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    publication_sweep(actor=SYSTEM, now=at("2026-11-06"))
    page = client.get("/api/v1/publicity/changes", {"limit": 2}, headers=auth).json()
    assert [c["action"] for c in page["changes"]] == ["unpublish", "publish"]  # warning; #1
    first = page["changes"][1]
    assert first["source_id"] == "信市监罚〔2026〕1号" and first["provider"] == "SCJG"
    assert first["fields"]["CF_CFJG"] == "信安市市场监督管理局"
    assert "FRDB_ZJHM" not in first["fields"]  # never public
    rest = client.get("/api/v1/publicity/changes", {"after": page["next_after"]}, headers=auth)
    assert len(rest.json()["changes"]) == 3
    done = rest.json()["next_after"]
    assert client.get("/api/v1/publicity/changes", {"after": done}, headers=auth).json() == {
        "changes": [], "next_after": None}  # fmt: skip
    # A withdrawal reaches the feed as an "unpublish".
    push(client, market_token, "administrative_penalty",
         [{"source_id": "信市监罚〔2026〕1号", "op": "withdraw"}])  # fmt: skip
    publication_sweep(actor=SYSTEM, now=at("2026-11-07"))
    csv_page = client.get(
        "/api/v1/publicity/changes",
        {"after": done, "format": "csv", "item": "administrative_penalty"},
        headers=auth,
    )
    lines = csv_page.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("seq,action,at,provider,source_id,XDR_MC")
    assert "unpublish" in lines[1] and "信市监罚〔2026〕1号" in lines[1]
    assert (
        client.get("/api/v1/publicity/changes", {"format": "csv"}, headers=auth).status_code == 422
    )
    no_scope = {"Authorization": f"Bearer {market_token}"}
    assert (
        client.get("/api/v1/publicity/changes", headers=no_scope).status_code == 200
    )  # all scopes
