"""A market-regulation domain routed to the market regulator, a tipster's portal account,
and a helper that files a tip about 华为 (the company the shared fixtures register, whose
bound portal account is the reported subject's)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.services import portal_account_register

PASSWORD = "Credit-Office-2026!"
PDF = b"%PDF-1.4\n% evidence\n" + b"0" * 200
TIPSTER_NAME, TIPSTER_CONTACT, TIPSTER_ACCOUNT = "王举报", "13912345678", "tipster_wang"


def pdf(name="现场照片.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def domains(departments):
    from xinyong.tips import services

    return services.tip_domain_save(actor=SYSTEM, code="market", name="市场监管",
                                    department_code="SCJG")  # fmt: skip


@pytest.fixture
def tipster(db):
    user = portal_account_register(username=TIPSTER_ACCOUNT, password=PASSWORD,
                                   display_name="王先生", email="wang@example.com")  # fmt: skip
    return Actor.for_user(user)


def file_tip(actor, subject_id, **kw):
    """A tip with sensible defaults (market domain, anonymous, one evidence file)."""
    from xinyong.tips import services

    args = {
        "content": "该公司在门店销售过期食品，并拒绝退换。",
        "occurred_on": "2025-11-20",
        "place": "杭州市西湖区文三路 100 号门店",
        "domain_code": "market",
        "evidence": [pdf()],
    } | kw
    return services.tip_file(actor=actor, subject_id=subject_id, **args)


def verified(tipster, subject_id, **kw):
    return file_tip(tipster, subject_id, anonymous=False, name=TIPSTER_NAME,
                    contact=TIPSTER_CONTACT, **kw)  # fmt: skip
