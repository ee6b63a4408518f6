"""A company (华为, registered by the market regulator) with a portal account bound to it,
and the evidence files a declaration uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.services import portal_account_register
from xinyong.remedies.models import SubjectBinding

PASSWORD = "Credit-Office-2026!"
PDF = b"%PDF-1.4\n% evidence\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def pdf(name="资质证书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def bound(org_with_rep, users):
    """The bound account's actor and its binding to 华为."""
    agent = portal_account_register(username="huawei_agent", password=PASSWORD,
                                    display_name="李经办", email="agent@example.com")  # fmt: skip
    binding = SubjectBinding.objects.create(
        user=agent, subject=org_with_rep, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0",
        requested_at=timezone.now(), via="operator", reviewed_by="operator",
    )  # fmt: skip
    return Actor.for_user(agent), binding


def declare(actor, subject_id, **kw):
    """A declaration with sensible defaults (routed to the market regulator)."""
    from xinyong.declarations import services

    args = {
        "kind": "qualification",
        "title": "建筑业企业资质证书（施工总承包一级）",
        "content": "2025年6月取得，证书编号 D1330000001，有效期至2030年6月。",
        "pledge": True,
        "evidence": [pdf()],
        "department_code": "SCJG",
    } | kw
    return services.declaration_submit(actor=actor, subject_id=subject_id, **args)
