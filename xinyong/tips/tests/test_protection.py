"""The tipster's identity is protected by design: only the handling officer reads it, for a
stated purpose, each read audited; the reported subject's bound account, another
department, the credit office, the auditor, every page, export, feed, report and API
output carry nothing of it — the output schemas have no field for it."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.tips import selectors, services
from xinyong.tips.models import Tip
from xinyong.tips.schemas import (
    TipOut,
    TipReceiptOut,
    TipTransferOut,
    TipTransferredOut,
    TipTransferShown,
)
from xinyong.tips.tests.conftest import (
    TIPSTER_ACCOUNT,
    TIPSTER_CONTACT,
    TIPSTER_NAME,
    file_tip,
    verified,
)

pytestmark = pytest.mark.django_db
SECRETS = (TIPSTER_NAME, TIPSTER_CONTACT, TIPSTER_ACCOUNT, "王先生", "wang@example.com")


def _clean(text: str, where: str, secrets=SECRETS) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret!r} in {where}"


@pytest.fixture
def decided(org_with_rep, domains, tipster, actors):
    """A verified tip, accepted by the market clerk (its handling officer), substantiated,
    its reward decided and paid."""
    tip, code = verified(tipster, org_with_rep.pk)
    clerk = actors["market_clerk"]
    services.tip_acknowledge(actor=clerk, tip_id=tip.pk, accept=True)
    services.tip_decide(actor=clerk, tip_id=tip.pk, substantiated=True, reason="经查属实")
    services.tip_reward(actor=clerk, tip_id=tip.pk, amount="300", basis="奖励办法第九条")
    services.tip_reward_paid(actor=clerk, tip_id=tip.pk, paid_on=timezone.localdate())
    return Tip.objects.get(pk=tip.pk), code


def test_no_output_schema_has_a_field_for_the_tipster():
    for schema in (TipOut, TipReceiptOut, TipTransferOut, TipTransferredOut, TipTransferShown):
        fields = set(schema.model_fields)
        assert not fields & {"name", "contact", "account", "user", "handler", "identity",
                             "tipster", "user_id", "handler_id", "by"}, schema  # fmt: skip


def test_only_the_handling_officer_reads_the_identity_each_read_audited(decided, actors):
    tip, _ = decided
    for who, error in (("market_reviewer", PermissionDenied), ("operator", PermissionDenied),
                       ("auditor", PermissionDenied), ("tax_clerk", NotFound)):  # fmt: skip
        with pytest.raises(error):
            selectors.tip_identity(actor=actors[who], tip_id=tip.pk, purpose="核实举报情况")
    assert not AuditEvent.objects.filter(action="tip.identity_read").exists()
    clerk = actors["market_clerk"]
    with pytest.raises(ValidationFailed) as e:  # the purpose is stated
        selectors.tip_identity(actor=clerk, tip_id=tip.pk, purpose=" ")
    assert e.value.errors[0].field == "purpose"
    who = selectors.tip_identity(actor=clerk, tip_id=tip.pk, purpose="发放举报奖励")
    assert (who.name, who.contact, who.account) == (TIPSTER_NAME, TIPSTER_CONTACT, TIPSTER_ACCOUNT)
    event = AuditEvent.objects.get(action="tip.identity_read")
    assert event.actor_label == "market_clerk" and event.detail["purpose"] == "发放举报奖励"
    _clean(json.dumps(event.detail, ensure_ascii=False), "the read's audit event")


def test_the_audit_trail_never_names_the_tipster(decided):
    for event in AuditEvent.objects.filter(object_type="tip"):
        _clean(f"{event.actor_label} {event.actor_user_id} "
               f"{json.dumps(event.detail, ensure_ascii=False)}", event.action)  # fmt: skip
    filed = AuditEvent.objects.get(action="tip.file")
    assert filed.actor_kind == "anonymous" and filed.actor_user_id is None


def test_the_reported_subjects_account_sees_nothing_of_tips(decided, actors):
    from xinyong.accounts.actors import Actor
    from xinyong.declarations.tests.conftest import bound as _  # noqa: F401
    from xinyong.remedies.models import SubjectBinding

    tip, _code = decided
    binding = SubjectBinding.objects.filter(subject_id=tip.subject_id, status="approved").first()
    if binding is None:
        from xinyong.accounts.services import portal_account_register

        user = portal_account_register(
            username="huawei_agent",
            password="Credit-Office-2026!",
            display_name="李经办",
            email="agent@example.com",
        )
        binding = SubjectBinding.objects.create(
            user=user, subject_id=tip.subject_id, status="approved", applicant="李经办",
            phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf",
            evidence_sha256="0", requested_at=timezone.now(), via="operator",
            reviewed_by="operator",
        )  # fmt: skip
    subject_account = Actor.for_user(binding.user)
    assert not Tip.objects.visible_to(subject_account).exists()
    with pytest.raises(NotFound):
        selectors.tip_get(actor=subject_account, tip_id=tip.pk)
    client = Client()
    client.force_login(binding.user)
    assert client.get(f"/backoffice/tips/{tip.pk}/").status_code == 403
    for url in (f"/account/subjects/{tip.subject_id}/", "/account/",
                f"/subjects/{tip.subject_id}/"):  # fmt: skip
        page = client.get(url).content.decode()
        _clean(page, url)  # its file shows the department's finding, not who reported it


def test_pages_of_every_other_reader_carry_no_identity(decided, users, client):
    tip, _ = decided
    for who in ("market_clerk", "market_reviewer", "tax_clerk", "auditor", "operator"):
        client.force_login(users[who])
        for url in ("/backoffice/tips/", f"/backoffice/tips/{tip.pk}/", "/backoffice/audit/",
                    f"/backoffice/subjects/{tip.subject_id}/", "/backoffice/"):  # fmt: skip
            resp = client.get(url)
            assert resp.status_code in (200, 403, 404), (who, url)
            # The trail also holds the account's own registration (not linked to any tip).
            secrets = SECRETS[:2] if url == "/backoffice/audit/" else SECRETS
            _clean(resp.content.decode(), f"{who} {url}", secrets)
    client.force_login(users["tax_clerk"])  # another department: not even the tip
    assert client.get(f"/backoffice/tips/{tip.pk}/").status_code == 404


def test_the_handling_officers_page_shows_it_only_when_asked_with_a_purpose(decided, users):
    tip, _ = decided
    client = Client()
    client.force_login(users["market_clerk"])
    url = f"/backoffice/tips/{tip.pk}/"
    _clean(client.get(url).content.decode(), "the handling officer's page, unasked")
    refused = client.post(url, {"step": "identity", "purpose": ""})
    assert refused.status_code == 400 and not AuditEvent.objects.filter(action="tip.identity_read")
    shown = client.post(url, {"step": "identity", "purpose": "联系举报人发放奖励"})
    assert shown.status_code == 200 and TIPSTER_NAME in shown.content.decode()
    assert shown["Cache-Control"].startswith("max-age=0") or "no-cache" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(action="tip.identity_read").count() == 1
    client.force_login(users["market_reviewer"])  # same department, not the officer
    resp = client.post(url, {"step": "identity", "purpose": "联系举报人发放奖励"})
    assert resp.status_code == 403 and TIPSTER_NAME not in resp.content.decode()


def test_no_api_feed_or_report_output_carries_the_identity(decided, market_token):
    tip, _ = decided
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    urls = ["/api/v1/tips", f"/api/v1/tips/{tip.pk}", "/api/v1/records/batches",
            f"/api/v1/subjects/{HUAWEI}", "/api/v1/subjects?q=华为"]  # fmt: skip
    urls += [f"/api/v1/feeds/{feed}" for feed in
             ("publicity", "lists", "repairs", "commitments", "evaluations")]  # fmt: skip
    for url in urls:
        resp = api.get(url)
        assert resp.status_code < 500, url
        _clean(resp.content.decode(), url)
    listed = api.get(f"/api/v1/tips/{tip.pk}").json()
    assert listed["number"] == tip.number and listed["anonymous"] is False
    issued = api.post("/api/v1/reports", {"kind": "review", "subject": HUAWEI,
                                          "purpose": "招标投标信用审查"},
                      content_type="application/json")  # fmt: skip
    assert issued.status_code == 201, issued.content
    number = issued.json()["number"]
    report = api.get(f"/api/v1/reports/{number}/json")
    assert report.status_code == 200
    text = report.content.decode()
    _clean(text, "the review report")


def test_the_tipster_sees_only_its_own_tip(org_with_rep, domains, tipster):
    mine, code = verified(tipster, org_with_rep.pk, content="我举报的第一件事")
    other, _ = file_tip(ANONYMOUS, org_with_rep.pk, content="另一人举报的事")
    seen = selectors.tip_follow(receipt=code)
    assert seen.number == mine.number and other.number not in repr(seen)
    assert "content" not in TipReceiptOut.model_fields  # not even its own text is echoed
