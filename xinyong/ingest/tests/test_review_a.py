"""Review of #12 (reviewer A): faults found after the merge, each proved here."""

import datetime

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_withdraw_form_for_an_unknown_record_answers_4xx_not_500(users):
    """A clerk posts the withdraw form of a record that does not exist (a stale page, a
    typed URL) without a reason: the reason is refused first, then the view looks up the
    record's subject to redirect to — None — and reverse() raises NoReverseMatch (500)."""
    c = Client(raise_request_exception=False)
    c.force_login(users["market_clerk"])
    resp = c.post("/backoffice/records/999999/withdraw/", {"reason": ""})
    assert resp.status_code < 500, resp.status_code


def test_the_registrar_not_the_penalising_department_changes_a_subject_first_known_from_a_penalty(
    client, departments, users, actors, tax_token, market_token, org_with_rep
):
    """#12 item 1: a department changes only subjects it registered. An organisation first
    known from the tax bureau's penalty is created with the tax bureau as its registrar
    (source_department); when market regulation's registration record arrives the subject
    is confirmed (存续) but keeps the tax bureau as registrar: the tax bureau may rename it
    and add its legal representative, the department that registered it may not."""
    from xinyong.core.errors import PermissionDenied
    from xinyong.ingest.tests.conftest import NEW_ORG, penalty, push
    from xinyong.subjects import services as subjects
    from xinyong.subjects.models import Subject

    tax = departments["tax"].uscc
    pushed = push(client, tax_token, "administrative_penalty", [penalty(
        1, XDR_SHXYM=NEW_ORG, XDR_MC="信安恒瑞科技有限公司", CF_CFJG="市税务局",
        CF_CFJGDM=tax, CF_SJLY="市税务局", CF_SJLYDM=tax)])  # fmt: skip
    assert pushed.json()["created"] == 1, pushed.content
    registration = {
        "XDR_MC": "信安恒瑞科技有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": NEW_ORG,
        "source_id": "DJ-1", "DJ_DJJG": "市市场监督管理局", "DJ_ZT": "存续",
        "DJ_HZRQ": "2026-01-05",
    }  # fmt: skip
    assert push(client, market_token, "registration_basic", [registration]).json()["created"] == 1
    org = Subject.objects.get(uscc=NEW_ORG)
    assert org.status == "active"
    refused_tax = False
    try:
        subjects.subject_rename(actor=actors["tax_clerk"], subject=org, new_name="税务改的名字",
                                effective_on=datetime.date(2026, 12, 1))  # fmt: skip
    except PermissionDenied:
        refused_tax = True
    org.refresh_from_db()
    subjects.subject_rename(actor=actors["market_clerk"], subject=org, new_name="信安恒瑞有限公司",
                            effective_on=datetime.date(2026, 12, 2))  # fmt: skip
    assert refused_tax, "the tax bureau renamed a subject market regulation registered"
