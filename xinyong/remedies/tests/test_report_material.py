"""The repair form accepts a credit report issued by this platform, named by its number
and verification code, instead of an uploaded one: genuine, the subject's own, within its
validity; the department's queue shows it with a link to verify it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import ValidationFailed
from xinyong.remedies import services
from xinyong.remedies.models import RepairApplication, RepairMaterial, SubjectBinding
from xinyong.remedies.tests.test_repairs import bound, pdf  # noqa: F401 - the shared fixture
from xinyong.reports import services as reports
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


def apply(actor, entry, record, **kw):
    return services.repair_apply(
        actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk], statement="已整改",
        materials={"commitment": pdf()}, **kw,
    )  # fmt: skip


def test_a_platform_report_stands_for_the_upload(bound, users):  # noqa: F811
    actor, entry, record = bound
    issued = reports.report_issue(actor=actor, kind="own", subject=record.subject)
    app = apply(actor, entry, record, report_number=issued.report.number,
                report_code=issued.code.lower())  # fmt: skip
    m = RepairMaterial.objects.get(application=app, kind="credit_report")
    assert m.report_id == issued.report.pk and m.path == "" and m.name == issued.report.number
    assert m.sha256 == issued.report.pdf_sha256
    reviewer = Client()
    reviewer.force_login(users["market_reviewer"])
    queue = reviewer.get("/backoffice/repairs/").content.decode()
    assert f"平台出具的信用报告 {issued.report.number}" in queue
    assert f"/verify/?n={issued.report.number}&amp;c={issued.code}" in queue
    # no upload behind it: the material download is the report's PDF as issued, audited
    # like the read of an uploaded material
    r = reviewer.get(f"/backoffice/repairs/materials/{m.pk}/")
    assert r.status_code == 200 and r.content == issued.pdf
    assert r["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="credit_file.read", object_type="repair", detail__report=issued.report.number
    ).exists()
    other = Client()
    other.force_login(users["tax_clerk"])  # not the deciding department
    assert other.get(f"/backoffice/repairs/materials/{m.pk}/").status_code == 404


def test_through_the_form(bound):  # noqa: F811
    _actor, entry, record = bound
    issued = reports.report_issue(actor=ANONYMOUS, kind="public", subject=record.subject)
    portal = Client()
    portal.force_login(SubjectBinding.objects.get().user)
    url = f"/account/subjects/{record.subject_id}/repairs/new/"
    page = portal.get(url).content.decode()
    assert 'name="report_number"' in page and 'name="report_code"' in page
    form = {"entry": entry.pk, "statement": "已整改", "material_commitment": pdf(),
            "report_number": issued.report.number, "report_code": "WRONG1"}  # fmt: skip
    r = portal.post(url, form)
    assert r.status_code == 400 and "报告编号或验证码不正确" in r.content.decode()
    form.update(report_code=issued.code, material_commitment=pdf())
    assert portal.post(url, form).status_code == 302
    assert RepairMaterial.objects.get(kind="credit_report").report_id == issued.report.pk


def _refused(actor, entry, record, **kw) -> str:
    with pytest.raises(ValidationFailed) as e:
        apply(actor, entry, record, **kw)
    (err,) = e.value.errors
    assert err.field == "report_number"
    return err.rule


def test_refusals(bound, actors):  # noqa: F811
    from xinyong.subjects import services as subjects

    actor, entry, record = bound
    issued = reports.report_issue(actor=actor, kind="own", subject=record.subject)
    number, code = issued.report.number, issued.code
    assert _refused(actor, entry, record, report_number="XY20260101AAAAAAAA",
                    report_code=code) == "report.unknown"  # fmt: skip
    assert _refused(actor, entry, record, report_number=number,
                    report_code="ZZZZZZ") == "report.unknown"  # fmt: skip
    assert _refused(actor, entry, record, report_number=number, report_code="") == "report.unknown"
    other = subjects.organization_register(
        actor=actors["market_clerk"], uscc="91339900MA1X2Y3B1X", name="信安测试有限公司"
    )
    theirs = reports.report_issue(actor=ANONYMOUS, kind="public", subject=other)
    assert _refused(actor, entry, record, report_number=theirs.report.number,
                    report_code=theirs.code) == "report.other_subject"  # fmt: skip
    Report.objects.filter(pk=issued.report.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert _refused(actor, entry, record, report_number=number,
                    report_code=code) == "report.expired"  # fmt: skip
    fresh = reports.report_issue(actor=actor, kind="own", subject=record.subject)
    with pytest.raises(ValidationFailed) as e:  # an upload and a number: one or the other
        services.repair_apply(
            actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk], statement="已整改",
            materials={"commitment": pdf(), "credit_report": pdf("报告.pdf")},
            report_number=fresh.report.number, report_code=fresh.code,
        )  # fmt: skip
    assert e.value.errors[0].rule == "report.both"
    assert not RepairApplication.objects.exists()
