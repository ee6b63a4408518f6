"""Retention: a record stays in the credit file until its retention ends (by default 5 years
after the act; a licence counts from the end of its validity), then leaves every reader and
public view; the daily upkeep runs it and re-queues itself in the worker."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.models import AuditEvent
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.exchange.models import Change
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.records.models import Record
from xinyong.records.selectors import credit_file
from xinyong.records.services import record_retention_sweep
from xinyong.records.tasks import daily_upkeep, next_run
from xinyong.records.tests.test_credit_file import licence

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 25, 9, tzinfo=TZ)


@pytest.fixture
def old_and_new(client, market_token, org_with_rep):
    rows = [
        penalty(1, CF_JDRQ="2021-11-24", CF_YXQ="2022-11-24"),  # 5 years ended yesterday
        penalty(2, CF_JDRQ="2021-11-25", CF_YXQ="2022-11-25"),  # ends today: still kept
    ]
    assert push(client, market_token, "administrative_penalty", rows).json()["created"] == 2
    licences = [
        licence(1, XK_JDRQ="2015-03-01", XK_YXQZ="2015-03-01", valid_to="2021-11-24"),
        licence(2, XK_JDRQ="2015-03-01", XK_YXQZ="2015-03-01", valid_to="2030-12-31"),
    ]
    assert push(client, market_token, "administrative_licence", licences).json()["created"] == 2
    publication_sweep(actor=SYSTEM, now=NOW)
    return org_with_rep


def _ids(actor, subject) -> set[str]:
    return {r.source_id for r in credit_file(actor=actor, subject=subject).records}


def test_records_past_retention_leave_the_credit_file(users, old_and_new):
    clerk = Actor.for_user(users["market_clerk"])
    assert len(_ids(clerk, old_and_new)) == 4
    # A period longer than the retention (a rule the office set) is cut short with it.
    Publication.objects.filter(record__source_id="信市监罚〔2026〕1号").update(status="public")
    report = record_retention_sweep(actor=SYSTEM, now=NOW)
    assert report.expired == {"administrative_penalty": 1, "administrative_licence": 1}
    assert report.unpublished == 1
    assert _ids(clerk, old_and_new) == {"信市监罚〔2026〕2号", "信市监许〔2026〕2号"}
    gone = Record.objects.get(source_id="信市监罚〔2026〕1号")
    assert gone.status == "expired" and gone.data["CF_WSH"] == "信市监罚〔2026〕1号"  # archive
    assert Publication.objects.get(record=gone).status == "ended"
    assert Change.objects.filter(feed="publicity", object_id=gone.pk, action="unpublish").exists()
    # Idempotent, and audited each time.
    again = record_retention_sweep(actor=SYSTEM, now=NOW)
    assert (again.expired, again.unpublished) == ({}, 0)
    assert AuditEvent.objects.filter(action="record.retention_sweep").count() == 2
    # The next day the second penalty's five years are over too.
    later = record_retention_sweep(actor=SYSTEM, now=NOW + datetime.timedelta(days=1))
    assert later.expired == {"administrative_penalty": 1}


def test_daily_upkeep_runs_now_or_queues_itself_once(settings, old_and_new):
    out = io.StringIO()
    call_command("daily_upkeep", stdout=out)
    assert "保存期满退出信用档案" in out.getvalue()
    assert Record.objects.filter(status="expired").count() >= 2
    call_command("daily_upkeep", "--schedule", stderr=(err := io.StringIO()))
    assert "cron" in err.getvalue()  # the in-process backend of the tests cannot defer
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(2):
        call_command("daily_upkeep", "--schedule", stdout=(out := io.StringIO()))
        assert "每日维护已安排" in out.getvalue()
    queued = DBTaskResult.objects.filter(task_path=daily_upkeep.module_path, status="READY")
    assert queued.count() == 1
    local = queued.get().run_after.astimezone(TZ)
    assert (local.hour, local.minute) == (0, 5) and local > datetime.datetime.now(TZ)


def test_next_run_is_the_coming_five_past_midnight():
    assert next_run(NOW) == datetime.datetime(2026, 11, 26, 0, 5, tzinfo=TZ)
    early = datetime.datetime(2026, 11, 25, 0, 1, tzinfo=TZ)
    assert next_run(early) == datetime.datetime(2026, 11, 25, 0, 5, tzinfo=TZ)
