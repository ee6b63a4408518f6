"""Bounds the review of issue #13 asked for: verification is throttled per address (page
and API), the account page shows the latest verifications of a report and how many in
all, a failed batch is retried a bounded number of times, and the signing key is noted
without a race."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from xinyong.remedies.tests.test_repairs import bound  # noqa: F401 - shared fixture
from xinyong.reports import selectors, services
from xinyong.reports.choices import BATCH_RETRY_MAX
from xinyong.reports.models import ReportBatch, ReportVerification, SigningKey
from xinyong.reports.services.batch import report_batch_fail, report_batch_requeue
from xinyong.reports.services.issue import signing_key_note
from xinyong.reports.tests.conftest import orgs_load
from xinyong.reports.tests.test_issue import ANON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(published):
    return services.report_issue(actor=ANON, kind="public", subject=published.subject)


def test_verifying_too_often_from_one_address_is_refused(client, issued, settings):
    settings.XINYONG_REPORT_VERIFY_LIMIT = 2
    q = {"n": issued.report.number, "c": issued.code}
    assert client.get("/verify/", q).status_code == 200
    assert client.get("/verify/", q).status_code == 200
    r = client.get("/verify/", q)
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "核验报告的次数过多" in r.content.decode()
    r = client.get(f"/api/v1/reports/{issued.report.number}", {"code": issued.code})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert r.json()["detail"][0]["rule"] == "throttle"
    assert ReportVerification.objects.count() == 2  # the refused ones wrote nothing
    other = Client(REMOTE_ADDR="10.1.2.3")  # another address still verifies
    assert other.get("/verify/", q).status_code == 200


def test_the_account_page_shows_the_latest_verifications_and_the_total(bound):  # noqa: F811
    actor, _entry, record = bound
    own = services.report_issue(actor=actor, kind="own", subject=record.subject).report
    now = timezone.now()
    ReportVerification.objects.bulk_create(
        ReportVerification(report=own, at=now - datetime.timedelta(minutes=n), channel="api",
                           outcome="genuine", verifier="社会公众")
        for n in range(30)
    )  # fmt: skip
    (row,) = selectors.subject_reports(actor=actor, subject=record.subject)
    assert len(row.verifications) == selectors.VERIFICATIONS_SHOWN == 20
    assert row.verifications_total == 30 and row.verifications_more == 10
    assert row.verifications[0].at == now  # newest first


def test_a_failed_batch_is_retried_a_bounded_number_of_times(actors, departments, client, users):
    codes = orgs_load(departments, 1)
    batch = services.report_batch_submit(
        actor=actors["tax_clerk"], kind="public", purpose="招标投标：某项目", codes=codes
    )
    for _n in range(BATCH_RETRY_MAX):
        report_batch_fail(batch_id=batch.pk, error="OperationalError: server closed")
        assert report_batch_requeue(batch_id=batch.pk)
    report_batch_fail(batch_id=batch.pk, error="OperationalError: server closed")
    assert not report_batch_requeue(batch_id=batch.pk)  # final now
    b = ReportBatch.objects.get(pk=batch.pk)
    assert b.status == "failed" and b.retries == BATCH_RETRY_MAX
    client.force_login(users["tax_clerk"])
    page = client.get(f"/backoffice/reports/batches/{batch.pk}/").content.decode()
    assert f"已自动重试 {BATCH_RETRY_MAX} 次" in page


def test_the_signing_key_is_noted_once_and_its_last_use_moves(db):
    now = timezone.now()
    signing_key_note(now)
    signing_key_note(now)  # a second worker on the same new key: no IntegrityError
    later = now + datetime.timedelta(minutes=5)
    signing_key_note(later)
    (key,) = SigningKey.objects.all()
    assert key.first_used_at == now and key.last_used_at == later
