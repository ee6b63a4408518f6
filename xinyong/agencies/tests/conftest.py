"""Fixtures of the agencies' tests: an agency (信安征信服务有限公司) with its bound portal
account, a subject (华为) with its own bound account, and helpers to file, approve,
authorise and call the agency API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import Role
from xinyong.conftest import HUAWEI
from xinyong.remedies.models import SubjectBinding
from xinyong.subjects import services as subjects

AGENCY_USCC = "91339900MA1X2Y3B1X"
OTHER_USCC = "91350100M000100Y43"  # another agency
PDF = b"%PDF-1.4\n% agency material\n" + b"0" * 200
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(body: str) -> str:
    """A valid 18-digit resident id from its first 17 digits (the check digit computed)."""
    total = sum(int(c) * w for c, w in zip(body, _W, strict=True))
    return body + "10X98765432"[total % 11]


PERSON_A = resident_id("11010119800101001")
PERSON_B = resident_id("11010119900202002")


def pdf(name="资质证书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def bind(username: str, subject) -> Actor:
    user = accounts.user_create(actor=SYSTEM, username=username,
                                password="Xinyong-demo-2026", role=Role.PUBLIC)  # fmt: skip
    SubjectBinding.objects.create(
        user=user, subject=subject, status="approved", applicant="经办人", phone="13800000000",
        evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0" * 64,
        requested_at=timezone.now(), via="review",
    )  # fmt: skip
    return Actor.for_user(user)


@pytest.fixture
def agency_org(actors):
    return subjects.organization_register(
        actor=actors["market_clerk"], uscc=AGENCY_USCC, name="信安征信服务有限公司"
    )


@pytest.fixture
def agency_actor(agency_org) -> Actor:
    return bind("agency_staff", agency_org)


@pytest.fixture
def huawei(org_with_rep):
    return org_with_rep


@pytest.fixture
def subject_actor(huawei) -> Actor:
    return bind("huawei_staff", huawei)


def filing_input(**over) -> dict:
    kw = {
        "scope": "信用报告、信用管理咨询、信用修复培训",
        "qualifications": "企业征信机构备案证明 编号 XA-0001，中国人民银行信安市分行",
        "contact_phone": "0571-88886666",
        "persons": [{"name": "王负责", "position": "总经理", "id_type": "resident_id",
                     "id_number": PERSON_A}],
        "conflicts_rules": "一、不为存在利害关系的主体出具信用报告……",
        "security_rules": "一、信用信息分级授权访问，全程留痕……",
        "qualification_files": [pdf()],
    }  # fmt: skip
    kw.update(over)
    return kw


def file_agency(actor, subject, **over):
    from xinyong.agencies import services

    return services.agency_file(actor=actor, subject_id=subject.pk, **filing_input(**over))


def approve(actors, filing):
    from xinyong.agencies import services

    return services.filing_review(actor=actors["operator"], filing_id=filing.pk,
                                  decision="approve")  # fmt: skip


@pytest.fixture
def filed(actors, agency_actor, agency_org):
    """The agency, filed and approved."""
    from xinyong.agencies.models import Agency

    approve(actors, file_agency(agency_actor, agency_org))
    return Agency.objects.get(subject=agency_org)


@pytest.fixture
def token(filed, agency_actor, agency_org) -> str:
    from xinyong.agencies import services

    _t, secret = services.token_issue(
        actor=agency_actor,
        subject_id=agency_org.pk,
        name="报告系统",
        scopes=["subjects:authorised", "reports:register", "removal:answer"],
    )
    return secret


def authorise(subject_actor, subject, agency, covers=("public_report", "consented_records"),
              days=30, purpose="credit_consulting"):  # fmt: skip
    from xinyong.agencies import services

    return services.authorisation_grant(
        actor=subject_actor, subject_id=subject.pk, agency_id=agency.pk, purpose=purpose,
        covers=list(covers), valid_until=timezone.localdate() + datetime.timedelta(days=days),
    )  # fmt: skip


def notify_removal(actors, agency, **over):
    """The credit office notifies the agency it intends to remove it (the period runs)."""
    from xinyong.agencies import services

    kw = {"facts": "2026年10月出具的XAZX-2026-009号信用报告引用了已撤销的行政处罚记录",
          "basis": "《信安市信用服务机构备案管理办法》第二十条",
          "reasons": "出具虚假信用报告，情节严重"}  # fmt: skip
    kw.update(over)
    return services.agency_removal_notify(actor=actors["operator"], agency_id=agency.pk, **kw)


def lapse(case) -> None:
    """The case's statement period ran out yesterday."""
    from xinyong.agencies.models import Removal

    Removal.objects.filter(pk=case.pk).update(
        statement_due=timezone.localdate() - datetime.timedelta(days=1)
    )


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


__all__ = ["HUAWEI"]
