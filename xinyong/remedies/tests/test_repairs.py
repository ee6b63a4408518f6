"""Credit repair: eligibility from the rules (a general penalty ends by itself, a serious
one after its minimum period, bans run their term), the application with its materials,
the department's decision within 10 working days, and approval ending publicity, list
entries and measures at once, shared through the repair feed."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.conftest import HUAWEI
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate
from xinyong.records.models import Record
from xinyong.remedies import rules, services
from xinyong.remedies.models import RepairApplication, SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF, _portal, _request
from xinyong.sanctions.tests.test_check import check

pytestmark = pytest.mark.django_db


def pdf(name="承诺书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def bound(client, users, actors, penalty_record):
    entry = designate(actors, penalty_record)
    # Listed a year and a day ago: the list's minimum period before repair has run.
    listed = timezone.localdate() - relativedelta(years=1, days=1)
    ListEntry.objects.filter(pk=entry.pk).update(decided_on=listed)
    entry.refresh_from_db()
    portal = _portal(client)
    _request(portal)
    services.binding_review(actor=Actor.for_user(users["operator"]),
                            binding_id=SubjectBinding.objects.get().pk, approve=True)  # fmt: skip
    user = SubjectBinding.objects.get().user
    return Actor.for_user(user), entry, penalty_record


def test_eligibility_follows_the_rules(bound, client, market_token):
    _actor, entry, record = bound
    publication_sweep(actor=SYSTEM)
    today = timezone.localdate()
    records, entries = services.repair_targets(record.subject, today)
    ((_fine, fine_rule),) = records  # a fine: a general penalty
    assert not fine_rule.ok and "自动停止公示" in fine_rule.reason
    assert [(e.pk, rule.ok) for e, rule in entries] == [(entry.pk, True)]
    # A serious penalty (licence revoked): only after its minimum period, with proof.
    push(client, market_token, "administrative_penalty", [penalty(2, CF_CFLB="吊销许可证件")])
    publication_sweep(actor=SYSTEM)
    serious = Record.objects.get(source_id="信市监罚〔2026〕2号")
    pub = Publication.objects.get(record=serious)
    rule = rules.record_eligibility(serious, pub, today)
    assert not rule.ok and "最短公示期" in rule.reason
    rule = rules.record_eligibility(serious, pub, pub.min_until + datetime.timedelta(days=1))
    assert rule.ok and rule.needs_performance


def test_application_approved_ends_the_entry_and_is_shared(bound, actors, client, market_token):
    actor, entry, record = bound
    with pytest.raises(ValidationFailed) as e:  # the commitment is always required
        services.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                              statement="已整改", materials={})  # fmt: skip
    assert e.value.errors[0].field == "materials.commitment"
    app = services.repair_apply(
        actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
        statement="已缴清罚款并完成整改", materials={"commitment": pdf()},
    )  # fmt: skip
    assert app.decide_due == workdays.add_workdays(timezone.localdate(), 10)
    with pytest.raises(PermissionDenied):  # the reviewer decides, not the clerk
        services.repair_decide(actor=actors["market_clerk"], application_id=app.pk,
                               approve=True, reason="符合条件")  # fmt: skip
    with pytest.raises(NotFound):  # another department's application
        services.repair_decide(actor=actors["tax_clerk"], application_id=app.pk,
                               approve=True, reason="x")  # fmt: skip
    assert check(client, market_token, subject=HUAWEI).json()["status"] == "hit"
    services.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                           approve=True, reason="已履行义务，同意修复")  # fmt: skip
    assert ListEntry.objects.get(pk=entry.pk).removal_reason == "repaired"
    assert check(client, market_token, subject=HUAWEI).json()["status"] == "clear"
    feed = client.get(
        "/api/v1/repairs/changes", headers={"Authorization": f"Bearer {market_token}"}
    )
    (shared,) = feed.json()["repairs"]
    assert (
        shared["subject"]["uscc"] == HUAWEI and shared["entries"][0]["list"] == "serious_dishonesty"
    )


def test_rejection_says_why_and_how_to_reapply(bound, actors):
    actor, entry, record = bound
    app = services.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                                statement="已整改", materials={"commitment": pdf()})  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                               approve=False, reason="罚款未缴清")  # fmt: skip
    assert e.value.errors[0].field == "reapply"
    services.repair_decide(actor=actors["market_reviewer"], application_id=app.pk, approve=False,
                           reason="罚款未缴清", reapply="缴清罚款后附缴款凭证重新申请")  # fmt: skip
    assert RepairApplication.objects.get().status == "rejected"
    assert ListEntry.objects.get(pk=entry.pk).status == "published"


def test_bad_applications_store_nothing(bound, settings):
    actor, entry, record = bound
    cases = [
        ({"entry_ids": [entry.pk + 999]}, "repair.target"),
        ({"record_ids": [record.pk]}, "repair.not_eligible"),  # a general penalty
        ({"materials": {"commitment": pdf("承诺书.pdf", b"MZ fake")}}, "file.content"),
        ({"statement": " "}, "required"),
    ]
    for over, rule in cases:
        kw = {"entry_ids": [entry.pk], "statement": "已整改", "materials": {"commitment": pdf()}}
        kw.update(over)
        if "record_ids" in over:
            kw["entry_ids"] = []
        with pytest.raises(ValidationFailed) as e:
            services.repair_apply(actor=actor, subject_id=record.subject_id, **kw)
        assert rule in {x.rule for x in e.value.errors}, (over, e.value.errors)
    root = settings.XINYONG_REMEDY_DIR
    assert not RepairApplication.objects.exists()
    assert [p.name for p in root.rglob("*") if p.is_file()] == [
        SubjectBinding.objects.get().evidence_path.rsplit("/", 1)[1]
    ]  # only the binding's proof


def test_repair_pages(bound, users):
    _actor, entry, record = bound
    publication_sweep(actor=SYSTEM)
    portal = Client()
    portal.force_login(SubjectBinding.objects.get().user)
    page = portal.get(f"/account/subjects/{record.subject_id}/repairs/new/").content.decode()
    assert "自动停止公示" in page and "严重失信主体名单" in page
    form = {"entry": entry.pk, "statement": "已整改", "material_commitment": pdf()}
    r = portal.post(f"/account/subjects/{record.subject_id}/repairs/new/", form)
    assert r.status_code == 302
    reviewer = Client()
    reviewer.force_login(users["market_reviewer"])
    queue = reviewer.get("/backoffice/repairs/").content.decode()
    assert "华为技术有限公司" in queue and "信用修复承诺书" in queue
    app = RepairApplication.objects.get()
    reviewer.post("/backoffice/repairs/", {"application": app.pk, "decision": "approve",
                                           "reason": "同意"})  # fmt: skip
    own = portal.get(f"/account/subjects/{record.subject_id}/").content.decode()
    assert "修复成功" in own


def test_one_open_application_per_item(bound):
    actor, entry, record = bound
    services.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                          statement="已整改", materials={"commitment": pdf()})  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                              statement="再次申请", materials={"commitment": pdf()})  # fmt: skip
    assert "repair.pending" in {x.rule for x in e.value.errors}
    assert RepairApplication.objects.count() == 1
