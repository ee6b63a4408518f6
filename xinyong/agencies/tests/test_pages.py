"""The agencies' pages: the bound account files and manages its agency, the credit office
reviews, a subject authorises and revokes on the portal; bad input is refused next to
its field and writes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.agencies.models import Agency, AgencyFiling, AgencyToken, Authorisation
from xinyong.agencies.tests.conftest import PERSON_A, approve, file_agency, pdf
from xinyong.remedies.models import SubjectBinding

pytestmark = pytest.mark.django_db


def _login(actor) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=actor.user_id))
    return c


def _filing_post(**over):
    data = {
        "step": "file", "scope": "信用报告", "qualifications": "征信备案证明",
        "contact_phone": "13800000000", "conflicts_rules": "利益冲突防范制度正文",
        "security_rules": "信息安全制度正文", "p0_name": "王负责", "p0_position": "总经理",
        "p0_id_type": "resident_id", "p0_id_number": PERSON_A,
        "qualification_files": pdf(),
    }  # fmt: skip
    data.update(over)
    return data


def test_the_bound_account_files_on_the_portal_and_the_office_approves(
    client, users, actors, agency_actor, agency_org
):
    portal = _login(agency_actor)
    url = f"/account/subjects/{agency_org.pk}/agency/"
    assert portal.get(url).status_code == 200
    bad = portal.post(url, _filing_post(p0_id_number="123", security_rules=""))
    assert bad.status_code == 400 and not AgencyFiling.objects.exists()
    body = bad.content.decode()
    assert "请填写或上传信息安全制度" in body and "filing_p0_id_number_error" in body
    r = portal.post(url, _filing_post())
    assert r.status_code == 302 and AgencyFiling.objects.count() == 1
    assert PERSON_A not in portal.get(url).content.decode()
    office = Client()
    office.force_login(users["operator"])
    agency = Agency.objects.get()
    page = office.get("/backoffice/agencies/").content.decode()
    assert "信安征信服务有限公司" in page
    detail = office.get(f"/backoffice/agencies/{agency.pk}/")
    assert detail.status_code == 200 and PERSON_A not in detail.content.decode()
    filing = AgencyFiling.objects.get()
    refused = office.post(
        f"/backoffice/agencies/{agency.pk}/",
        {"step": "review", "filing": filing.pk, "decision": "refuse"},
    )
    assert refused.status_code == 400 and AgencyFiling.objects.get().status == "submitted"
    # A clerk sees the agency, but the review is neither offered nor taken.
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    assert 'value="approve"' not in clerk.get(f"/backoffice/agencies/{agency.pk}/").content.decode()
    assert 'value="approve"' in office.get(f"/backoffice/agencies/{agency.pk}/").content.decode()
    taken = clerk.post(f"/backoffice/agencies/{agency.pk}/",
                       {"step": "review", "filing": filing.pk, "decision": "approve"})  # fmt: skip
    assert taken.status_code == 302 and Agency.objects.get().status == "pending"
    ok = office.post(f"/backoffice/agencies/{agency.pk}/",
                     {"step": "review", "filing": filing.pk, "decision": "approve"})  # fmt: skip
    assert ok.status_code == 302 and Agency.objects.get().status == "filed"
    # Tokens: issued once, shown once; then stopped.
    r = portal.post(url, {"step": "token", "name": "报告系统", "scopes": ["subjects:authorised"]})
    assert r.status_code == 200 and "xya_" in r.content.decode()
    token = AgencyToken.objects.get()
    assert portal.post(url, {"step": "token_revoke", "id": token.pk}).status_code == 302
    assert AgencyToken.objects.get().revoked_at is not None


def test_a_subject_authorises_and_revokes_on_the_portal(actors, agency_actor, agency_org,
                                                       huawei, subject_actor):  # fmt: skip
    approve(actors, file_agency(agency_actor, agency_org))
    agency = Agency.objects.get()
    portal = _login(subject_actor)
    url = f"/account/subjects/{huawei.pk}/authorisations/"
    assert "信安征信服务有限公司" in portal.get(url).content.decode()
    until = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    bad = portal.post(url, {"step": "grant", "agency": agency.pk, "purpose": "credit_consulting",
                            "valid_until": until})  # fmt: skip
    assert bad.status_code == 400 and not Authorisation.objects.exists()
    assert "请选择授权范围" in bad.content.decode()
    r = portal.post(url, {"step": "grant", "agency": agency.pk, "purpose": "credit_consulting",
                          "covers": ["public_report"], "valid_until": until})  # fmt: skip
    assert r.status_code == 302
    a = Authorisation.objects.get()
    assert portal.post(url, {"step": "revoke", "id": a.pk}).status_code == 302
    assert Authorisation.objects.get().revoked_at is not None
    assert "已撤回" in portal.get(url).content.decode()


def test_another_account_sees_neither_page(actors, agency_actor, agency_org, huawei,
                                           subject_actor):  # fmt: skip
    stranger = _login(subject_actor)
    assert stranger.get(f"/account/subjects/{agency_org.pk}/agency/").status_code == 404
    assert stranger.post(f"/account/subjects/{agency_org.pk}/agency/",
                         _filing_post()).status_code == 404  # fmt: skip
    assert (
        _login(agency_actor).get(f"/account/subjects/{huawei.pk}/authorisations/").status_code
        == 404
    )
    assert not AgencyFiling.objects.exists()
    assert SubjectBinding.objects.count() == 2
