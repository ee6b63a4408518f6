"""Who may have a report's files, who may obtain a report in a department's name, what
the subject learns of who verified it, and how a batch counts a subject gone since it was
submitted (review of issue #13: findings F5, F6, F7, F9)."""

import pytest
from django.test import Client

from xinyong.core.errors import PermissionDenied
from xinyong.remedies.tests.test_repairs import bound  # noqa: F401 - shared fixture
from xinyong.reports import services
from xinyong.reports.models import Report, ReportBatch
from xinyong.reports.services.batch import report_batch_run
from xinyong.reports.tests.conftest import orgs_load
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_the_operator_cannot_download_a_persons_own_report(bound, users):  # noqa: F811
    """REPORT_FILE governs every download: a subject's own report is its bound account's
    document — the operator does not get it in the back office by its row id."""
    actor, _entry, record = bound
    own = services.report_issue(actor=actor, kind="own", subject=record.subject)
    c = Client()
    c.force_login(users["operator"])
    r = c.get(f"/backoffice/reports/{own.report.pk}/pdf/")
    assert r.status_code in (403, 404)


def test_resuming_a_batch_counts_a_removed_subject_once(actors, departments):
    """A subject removed after submission lowers ``total`` once, however often the batch
    is resumed, and the batch ends "done" with all its reports issued."""
    codes = orgs_load(departments, 3)
    batch = services.report_batch_submit(
        actor=actors["tax_clerk"], kind="public", purpose="招标投标：某项目", codes=codes
    )
    Subject.objects.filter(pk=batch.subject_ids[0]).delete()
    report_batch_run(batch_id=batch.pk, stop_after=1)  # interrupted
    report_batch_run(batch_id=batch.pk, stop_after=1)  # resumed, interrupted again
    batch = ReportBatch.objects.get(pk=batch.pk)
    assert batch.total == 2
    report_batch_run(batch_id=batch.pk)
    batch = ReportBatch.objects.get(pk=batch.pk)
    assert Report.objects.filter(batch=batch).count() == 2 and batch.total == 2
    assert batch.status == "done"


def test_an_operator_without_department_cannot_obtain_a_review_report(org_with_rep, departments):
    """An operator account may have no department (user_create allows it): its review
    report would be stored with no department and verified as "信用主体本身". Refused,
    saying the account must belong to a department; nothing is written."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.choices import Role

    op = accounts.user_create(actor=SYSTEM, username="op2", password="Xinyong-demo-2026",
                              role=Role.PLATFORM_OPERATOR, department=None)  # fmt: skip
    actor = Actor.for_user(op)
    for kind, kw in (("review", {}), ("special", {"domains": ["market"]})):
        with pytest.raises(PermissionDenied) as e:
            services.report_issue(
                actor=actor, kind=kind, subject=org_with_rep, purpose="政府采购", **kw
            )
        assert "部门" in str(e.value)
    with pytest.raises(PermissionDenied):
        services.report_batch_submit(
            actor=actor, kind="review", purpose="招标投标", codes=[org_with_rep.uscc]
        )
    assert not Report.objects.exists() and not ReportBatch.objects.exists()


def test_the_subject_does_not_learn_a_portal_users_login_name(bound, users):  # noqa: F811
    """Who verified: a member of the public signed in is still 社会公众 to the subject (a
    login name is half a credential and says who the person is); staff show as their
    department, not by name."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.choices import Role
    from xinyong.reports.choices import VerifyChannel
    from xinyong.reports.models import ReportVerification
    from xinyong.reports.tests.test_issue import ANON

    _actor, _entry, record = bound
    issued = services.report_issue(actor=ANON, kind="public", subject=record.subject)
    bank = accounts.user_create(actor=SYSTEM, username="zhangsan_13800001111",
                                password="Xinyong-demo-2026", role=Role.PUBLIC)  # fmt: skip
    services.report_verify(actor=Actor.for_user(bank), number=issued.report.number,
                           code=issued.code, channel=VerifyChannel.PAGE)  # fmt: skip
    clerk = users["market_clerk"]
    services.report_verify(actor=Actor.for_user(clerk), number=issued.report.number,
                           code=issued.code, channel=VerifyChannel.PAGE)  # fmt: skip
    verifiers = list(ReportVerification.objects.order_by("pk").values_list("verifier", flat=True))
    assert verifiers[0] == "社会公众"
    assert not any("zhangsan" in v for v in verifiers)
    assert verifiers[1] == clerk.department.name and clerk.username not in verifiers[1]
