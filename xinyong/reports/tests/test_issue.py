"""Issuing reports: what each kind shows, to whom, and what is refused."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ActorKind
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.reports import services, signing
from xinyong.reports.models import Report
from xinyong.reports.tests.conftest import pdf_text

ANON = Actor(kind=ActorKind.ANONYMOUS, label="")


def test_public_report_shows_penalty_and_list_and_is_signed(listed, penalty_record):
    subject = penalty_record.subject
    issued = services.report_issue(actor=ANON, kind="public", subject=subject)
    report = issued.report
    assert report.number.startswith("XY") and len(issued.code) == 6
    text = pdf_text(issued.pdf)
    assert "公共信用信息报告" in text and "华为技术有限公司" in text
    assert "信市监罚〔2026〕1号" in text  # the penalty in its publicity period
    assert "严重失信主体名单" in text  # the entry in force
    assert report.number in text and issued.code in text
    sections = {s["key"]: s for s in report.twin["sections"]}
    assert len(sections["penalties"]["entries"]) == 1
    assert len(sections["lists"]["entries"]) == 1
    assert sections["licences"]["entries"] == []
    # the twin carries the PDF's digest; the signature covers both
    assert report.twin["pdf_sha256"] == report.pdf_sha256
    key_id, public = signing.current_public()
    assert report.key_id == key_id
    assert signing.verify(report.twin, report.signature, public)
    tampered = dict(report.twin, subject=dict(report.twin["subject"], name="别的公司"))
    assert not signing.verify(tampered, report.signature, public)
    assert AuditEvent.objects.filter(action="report.issue", object_id=report.number).exists()


def test_a_person_gets_no_public_report(actors, org_with_rep):
    from xinyong.subjects.models import Subject

    person = Subject.objects.get(kind="person")
    with pytest.raises(ValidationFailed) as e:
        services.report_issue(actor=ANON, kind="public", subject=person)
    assert e.value.errors[0].rule == "person_own_only"
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=actors["operator"], kind="own", subject=person)
    assert not Report.objects.exists()


def test_special_report_states_found_and_none_found(actors, penalty_record):
    subject = penalty_record.subject
    issued = services.report_issue(
        actor=actors["tax_clerk"],
        kind="special",
        subject=subject,
        domains=["market", "tax"],
        purpose="行政许可审批",
    )
    sections = {s["key"]: s for s in issued.report.twin["sections"]}
    assert sections["market"]["found"] is True and len(sections["market"]["entries"]) == 1
    assert sections["tax"]["found"] is False
    text = pdf_text(issued.pdf)
    assert "未发现行政处罚" in text and "市税务局" in text


@pytest.mark.parametrize(
    ("kw", "field", "rule"),
    [
        ({"domains": ["nowhere"]}, "domains", "unknown_domain"),
        ({"domains": []}, "domains", "required"),
        ({"domains": ["fire"]}, "domains", "unknown_domain"),  # no fire department here
        ({"domains": ["market"], "period_from": datetime.date(2000, 1, 1)}, "period_from",
         "beyond_limit"),
        ({"domains": ["market"], "period_to": datetime.date(2999, 1, 1)}, "period_to", "future"),
        ({"domains": ["market"]}, "purpose", "required"),  # a department states why
    ],
)  # fmt: skip
def test_special_report_refusals(actors, org_with_rep, kw, field, rule):
    with pytest.raises(ValidationFailed) as e:
        services.report_issue(actor=actors["tax_clerk"], kind="special", subject=org_with_rep, **kw)
    assert (e.value.errors[0].field, e.value.errors[0].rule) == (field, rule)
    assert not Report.objects.exists()


def test_review_report_needs_staff_and_purpose(actors, penalty_record):
    subject = penalty_record.subject
    with pytest.raises(ValidationFailed) as e:
        services.report_issue(actor=actors["tax_clerk"], kind="review", subject=subject)
    assert e.value.errors[0].field == "purpose"
    with pytest.raises(PermissionDenied):
        services.report_issue(
            actor=actors["auditor"], kind="review", subject=subject, purpose="政府采购"
        )
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=ANON, kind="review", subject=subject, purpose="政府采购")
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="review", subject=subject, purpose="政府采购资格审查"
    )
    assert issued.report.department_id == actors["tax_clerk"].department_id
    assert "政府采购资格审查" in pdf_text(issued.pdf)
    assert issued.report.valid_until > timezone.localdate()
