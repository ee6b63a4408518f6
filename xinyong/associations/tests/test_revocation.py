"""A decided sanction revoked by its association (the record withdrawn through ingestion's
withdrawal path, the censure off the portal at once, the member told), a public censure
repaired early like a penalty in public view (after the minimum period, decided by the
association), and the decision filed through the one path for a decided fact."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.associations import printing, selectors, services
from xinyong.associations.choices import SanctionStatus
from xinyong.associations.models import Sanction
from xinyong.associations.tests.conftest import decided
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest.models import Batch
from xinyong.records.models import Record, RecordVersion
from xinyong.records.selectors import public_records_qs
from xinyong.remedies import services as remedies
from xinyong.remedies.models import Notification, RepairApplication
from xinyong.reports.tests.conftest import pdf_text
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% repair material\n" + b"0" * 200


def _field(e) -> str:
    return e.value.errors[0].field


def _shown(subject_id: int) -> list[str]:
    return [s.number for s in selectors.public_memberships(subject_id)["censures"]]


def test_revoked_censure_leaves_the_file_and_the_portal_at_once(association, company):
    portal, huawei = company
    s = decided(association)
    publication_sweep(actor=SYSTEM)
    assert _shown(huawei.pk) == [s.number]
    assert public_records_qs(subject_id=huawei.pk).filter(pk=s.record_id).exists()
    events = AuditEvent.objects.count()
    s = services.sanction_revoke(
        actor=association["actor"], sanction_id=s.pk, ground="error", reasons="会员名称认定有误"
    )
    assert s.status == SanctionStatus.REVOKED and s.revoke_ground == "error"
    # The record: withdrawn by a withdrawal batch in the association's name, its history
    # and the reason kept.
    record = Record.objects.get(pk=s.record_id)
    assert record.status == "withdrawn"
    assert "决定有误" in record.withdraw_reason and "会员名称认定有误" in record.withdraw_reason
    assert RecordVersion.objects.filter(record=record, status="active").exists()
    withdrawal = Batch.objects.get(pk=record.batch_id)
    assert withdrawal.provider_id == association["dept"].pk
    assert withdrawal.item_code == "industry_censure"
    # Off the portal: the subject page's box, the public records, the publication.
    assert _shown(huawei.pk) == []
    assert not public_records_qs(subject_id=huawei.pk).filter(pk=record.pk).exists()
    assert Publication.objects.get(record=record).status == "withdrawn"
    # The member is told, with a link to its case.
    note = Notification.objects.get(user_id=portal.user_id, text__contains=s.number)
    assert "撤销" in note.text and "决定有误" in note.text
    assert note.link == reverse("portal:account_association_sanction", args=[s.pk])
    revoke_events = AuditEvent.objects.filter(action="association.sanction_revoke")
    assert revoke_events.get().object_id == str(s.pk)
    assert AuditEvent.objects.count() > events


def test_revoked_warning_withdrawn_too(association):
    s = decided(association, kind="warning")
    services.sanction_revoke(
        actor=association["actor"], sanction_id=s.pk, ground="review", reasons="经复核撤销"
    )
    assert Record.objects.get(pk=s.record_id).status == "withdrawn"
    # Its revocation says the record left the file, and nothing of a portal it was never on.
    _name, pdf = printing.document_pdf(Sanction.objects.get(pk=s.pk), "revocation")
    text = pdf_text(pdf).replace("\n", "")
    assert "记录已撤回" in text and "门户网站" not in text


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"ground": ""}, "ground"),
        ({"ground": "mistake"}, "ground"),
        ({"reasons": " "}, "reasons"),
        ({"reasons": "x" * 4001}, "reasons"),
    ],
)
def test_bad_revocation_names_the_field_and_writes_nothing(association, kw, field):
    s = decided(association)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        services.sanction_revoke(
            actor=association["actor"],
            sanction_id=s.pk,
            **{"ground": "error", "reasons": "理由", **kw},
        )
    assert _field(e) == field
    assert Sanction.objects.get().status == SanctionStatus.DECIDED
    assert Record.objects.get(pk=s.record_id).status == "active"
    assert AuditEvent.objects.count() == events


def test_only_a_decided_case_is_revoked_and_only_once(association):
    actor = association["actor"]
    s = services.sanction_propose(
        actor=actor,
        subject_id=Subject.objects.get(uscc=HUAWEI).pk,
        kind="warning",
        facts="f",
        basis="b",
        reasons="r",
    )
    with pytest.raises(ValidationFailed) as e:
        services.sanction_revoke(actor=actor, sanction_id=s.pk, ground="error", reasons="r")
    assert _field(e) == "status"
    done = decided(association, kind="criticism")
    services.sanction_revoke(actor=actor, sanction_id=done.pk, ground="error", reasons="r")
    with pytest.raises(ValidationFailed) as e:
        services.sanction_revoke(actor=actor, sanction_id=done.pk, ground="error", reasons="r")
    assert _field(e) == "status"


def test_nobody_else_revokes_and_not_once_the_authorisation_ended(association, actors):
    s = decided(association)
    for who in (actors["market_clerk"], actors["tax_clerk"]):
        with pytest.raises(NotFound):
            services.sanction_revoke(actor=who, sanction_id=s.pk, ground="error", reasons="r")
    for who in (actors["operator"], actors["auditor"]):  # they read the case, cannot act
        with pytest.raises(PermissionDenied):
            services.sanction_revoke(actor=who, sanction_id=s.pk, ground="error", reasons="r")
    services.authorisation_end(
        actor=actors["market_clerk"], authorisation_id=association["grant"].pk, reason="到期"
    )
    with pytest.raises(PermissionDenied):
        services.sanction_revoke(
            actor=association["actor"], sanction_id=s.pk, ground="error", reasons="r"
        )
    assert Record.objects.get(pk=s.record_id).status == "active"


def test_decision_not_filed_is_no_decision(association, monkeypatch):
    """The decision and its record are one act: when ingestion files nothing, the case
    stays told, undecided, and the refusal says why."""
    from xinyong.ingest import services as ingest

    monkeypatch.setattr(ingest, "batch_process", lambda *, batch_id: Batch.objects.get(pk=batch_id))
    with pytest.raises(ValidationFailed) as e:
        decided(association)
    assert _field(e) == "decision"
    assert Sanction.objects.get().status == SanctionStatus.NOTIFIED
    assert not Record.objects.exists()


def test_decision_filed_through_the_one_path_for_a_decided_fact(association):
    s = decided(association, kind="criticism")
    record = Record.objects.get(pk=s.record_id)
    batch = Batch.objects.get(pk=record.batch_id)
    assert (batch.provider_id, batch.channel, batch.total) == (
        association["dept"].pk,
        "form",
        1,
    )
    assert batch.file_name == f"行业惩戒决定 {s.number}"
    assert record.data["HY_CS"] == "通报批评"


# -- credit repair of a public censure ------------------------------------------------------
def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _backdate(s: Sanction, months: int) -> None:
    """The censure decided ``months`` ago (its record's decision date)."""
    day = timezone.localdate() - relativedelta(months=months)
    Record.objects.filter(pk=s.record_id).update(decision_date=day)


def test_censure_repairable_only_after_the_minimum_period(association, company):
    _portal, huawei = company
    s = decided(association, months=12)
    publication_sweep(actor=SYSTEM)
    today = timezone.localdate()
    ((record, rule),), _entries = remedies.repair_targets(huawei, today)
    assert record.pk == s.record_id
    assert not rule.ok and "最短公示期" in rule.reason
    _backdate(s, 4)
    ((_record, rule),), _entries = remedies.repair_targets(huawei, today)
    assert rule.ok and rule.needs_performance and "行业协会" in rule.reason


def test_short_censure_ends_by_itself(association, company):
    _portal, huawei = company
    decided(association, months=2)  # within the three months' minimum
    publication_sweep(actor=SYSTEM)
    ((_record, rule),), _ = remedies.repair_targets(huawei, timezone.localdate())
    assert not rule.ok and "自动撤下" in rule.reason


def test_granted_repair_takes_the_censure_off_the_portal(association, company, actors):
    portal, huawei = company
    s = decided(association, months=12)
    publication_sweep(actor=SYSTEM)
    _backdate(s, 4)
    with pytest.raises(ValidationFailed) as e:  # proof of correcting the conduct required
        remedies.repair_apply(
            actor=portal,
            subject_id=huawei.pk,
            record_ids=[s.record_id],
            statement="已更换原料供应商并完成整改",
            materials={"commitment": _pdf("承诺书.pdf")},
        )
    assert _field(e) == "materials.performance"
    app = remedies.repair_apply(
        actor=portal,
        subject_id=huawei.pk,
        record_ids=[s.record_id],
        statement="已更换原料供应商并完成整改",
        materials={"commitment": _pdf("承诺书.pdf"), "performance": _pdf("整改报告.pdf")},
    )
    assert app.department_id == association["dept"].pk  # the association decides
    for who in (actors["market_reviewer"], actors["operator"]):
        with pytest.raises(NotFound):
            remedies.repair_decide(actor=who, application_id=app.pk, approve=True, reason="r")
    assert _shown(huawei.pk) == [s.number]
    remedies.repair_decide(
        actor=association["actor"], application_id=app.pk, approve=True, reason="整改到位"
    )
    assert RepairApplication.objects.get().status == "approved"
    assert _shown(huawei.pk) == []
    assert not public_records_qs(subject_id=huawei.pk).exists()
    assert Publication.objects.get(record_id=s.record_id).status == "ended"
    assert Notification.objects.filter(user_id=portal.user_id, text__contains="信用修复成功")


def test_association_decides_repairs_only_while_authorised(association, company, actors):
    portal, huawei = company
    s = decided(association, months=12)
    publication_sweep(actor=SYSTEM)
    _backdate(s, 4)
    app = remedies.repair_apply(
        actor=portal,
        subject_id=huawei.pk,
        record_ids=[s.record_id],
        statement="已整改",
        materials={"commitment": _pdf("承诺书.pdf"), "performance": _pdf("整改报告.pdf")},
    )
    services.authorisation_end(
        actor=actors["market_clerk"], authorisation_id=association["grant"].pk, reason="到期"
    )
    with pytest.raises(PermissionDenied):
        remedies.repair_decide(
            actor=association["actor"], application_id=app.pk, approve=True, reason="r"
        )
    assert RepairApplication.objects.get().status == "submitted"


def test_revoking_a_censure_under_repair_still_withdraws_it(association, company):
    """Revocation and repair are independent: a revoked censure is withdrawn whatever a
    pending repair application says."""
    portal, huawei = company
    s = decided(association, months=12)
    publication_sweep(actor=SYSTEM)
    _backdate(s, 4)
    remedies.repair_apply(
        actor=portal,
        subject_id=huawei.pk,
        record_ids=[s.record_id],
        statement="已整改",
        materials={"commitment": _pdf("承诺书.pdf"), "performance": _pdf("整改报告.pdf")},
    )
    services.sanction_revoke(
        actor=association["actor"], sanction_id=s.pk, ground="review", reasons="复核撤销"
    )
    assert Record.objects.get(pk=s.record_id).status == "withdrawn"
    assert _shown(huawei.pk) == []


# -- the documents the member holds ----------------------------------------------------------
def test_decision_and_revocation_are_pdfs_the_member_downloads(association, company):
    from xinyong.reports.tests.conftest import look

    s = decided(association)
    member = Client()
    member.force_login(Subject.objects.get(uscc=HUAWEI).bindings.get().user)

    def download(which: str):
        url = reverse("portal:account_association_sanction_document", args=[s.pk, which])
        return member.get(url)

    assert download("revocation").status_code == 404  # not revoked (yet)
    assert download("anything").status_code == 404
    r = download("decision")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = look(r.content, "association-decision")
    assert "行业惩戒决定书" in text and "公开谴责" in text and "过期原料" in text
    assert "公示至" in text and "信用修复" in text
    services.sanction_revoke(
        actor=association["actor"], sanction_id=s.pk, ground="review", reasons="经复核事实不清"
    )
    text = look(download("revocation").content, "association-revocation")
    assert "撤销行业惩戒决定书" in text and "经复核撤销" in text and "经复核事实不清" in text
    # The association's people download the same from the back office.
    office = Client()
    office.force_login(association["user"])
    url = reverse("backoffice:association_sanction_document", args=[s.pk, "revocation"])
    assert office.get(url).content.startswith(b"%PDF-")


def test_a_dropped_case_has_its_decision_not_to_sanction(association):
    from xinyong.reports.tests.conftest import look

    actor = association["actor"]
    s = services.sanction_propose(
        actor=actor, subject_id=Subject.objects.get(uscc=HUAWEI).pk, kind="warning",
        facts="抽检不合格", basis="公约第十二条", reasons="情节轻微",
    )  # fmt: skip
    services.sanction_notify(actor=actor, sanction_id=s.pk)
    lapsed = timezone.localdate() - relativedelta(days=30)
    Sanction.objects.filter(pk=s.pk).update(statement_due=lapsed)
    services.sanction_decide(actor=actor, sanction_id=s.pk, sanction=False, reasons="已整改到位")
    name, pdf = printing.document_pdf(Sanction.objects.get(pk=s.pk), "decision")
    text = look(pdf, "association-dropped")
    assert name.endswith(".pdf") and "不予行业惩戒决定书" in text and "已整改到位" in text
    assert "未提出陈述申辩" in text and "不记入" in text
