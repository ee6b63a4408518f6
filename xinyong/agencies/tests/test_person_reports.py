"""Reports agencies register about persons: the identifier checked, then kept only as
keyed hash, ciphertext and mask; verification by anyone answers genuine, mismatch,
unknown or agency removed without ever showing the person (not even masked); the agency
and the person's own bound account see the report; bad input is named by field and rule
and writes nothing."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.agencies import services
from xinyong.agencies.models import AgencyReport
from xinyong.agencies.tests.conftest import (
    PDF,
    PERSON_B,
    bearer,
    bind,
    lapse,
    notify_removal,
    pdf,
    resident_id,
)
from xinyong.audit.models import AuditEvent
from xinyong.core import crypto
from xinyong.core.errors import ValidationFailed
from xinyong.subjects import services as subjects

pytestmark = pytest.mark.django_db
SHA = hashlib.sha256(PDF).hexdigest()
VERIFY = "/api/v1/agency-reports/verify"


def _register(client, token, **over):
    body = {"number": "XAZX-P-0001", "subject_kind": "person", "person_id_type": "resident_id",
            "person_id_number": PERSON_B, "kind": "credit_report",
            "issued_on": timezone.localdate().isoformat(), "sha256": SHA}  # fmt: skip
    body.update(over)
    return client.post("/api/v1/agency/reports", body, content_type="application/json",
                       **bearer(token))  # fmt: skip


def _login(actor) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=actor.user_id))
    return c


def test_a_person_report_is_kept_protected_and_verified_without_the_person(
    client, actors, filed, token
):
    r = _register(client, token)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["subject_kind"] == "person" and body["subject_name"] == ""
    masked = crypto.mask(PERSON_B)
    assert body["person_id_masked"] == masked and PERSON_B not in r.content.decode()
    stored = AgencyReport.objects.get()
    assert stored.subject_id is None and stored.person_id_type == "resident_id"
    assert stored.person_id_hash == crypto.identifier_hash("resident_id", PERSON_B)
    assert PERSON_B not in (stored.person_id_hash + stored.person_id_encrypted)
    assert crypto.decrypt(stored.person_id_encrypted) == PERSON_B
    event = AuditEvent.objects.get(action="agency.report_register")
    assert event.detail["person"] == masked and PERSON_B not in str(event.detail)
    # Anyone verifies: the agency is named, the person never — not even masked.
    for number, sha, result in (("XAZX-P-0001", SHA, "genuine"),
                                ("XAZX-P-0001", "0" * 64, "mismatch"),
                                ("XAZX-P-0404", SHA, "unknown")):  # fmt: skip
        out = client.get(VERIFY, {"number": number, "sha256": sha})
        assert out.status_code == 200 and out.json()["result"] == result
        text = out.content.decode()
        assert PERSON_B not in text and masked not in text and masked[-4:] not in text
    genuine = client.get(VERIFY, {"number": "XAZX-P-0001", "sha256": SHA}).json()
    assert genuine["subject_kind"] == "person" and genuine["subject"] == ""
    assert genuine["agency"] == "信安征信服务有限公司"
    page = client.post("/agencies/verify/", {"number": "XAZX-P-0001", "file": pdf("r.pdf")})
    html = page.content.decode()
    assert "已登记，出具机构备案有效" in html and "自然人（个人信息不予显示）" in html
    assert PERSON_B not in html and masked not in html
    lapse(notify_removal(actors, filed))
    services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="违规")
    removed = client.get(VERIFY, {"number": "XAZX-P-0001", "sha256": SHA}).json()
    assert removed["result"] == "agency_removed" and masked not in str(removed)


def test_the_agency_and_the_person_see_it_another_person_does_not(
    client, actors, filed, token, agency_actor, agency_org
):
    assert _register(client, token).status_code == 201
    agency_page = _login(agency_actor).get(f"/account/subjects/{agency_org.pk}/agency/")
    html = agency_page.content.decode()
    assert "XAZX-P-0001" in html and crypto.mask(PERSON_B) in html and PERSON_B not in html
    # The person registers (later) and binds an account: the report is found by the hash.
    person = subjects.person_register(actor=actors["market_clerk"], id_type="resident_id",
                                      id_number=PERSON_B, name="赵报告")  # fmt: skip
    own = _login(bind("zhao", person)).get(f"/account/subjects/{person.pk}/authorisations/")
    assert own.status_code == 200
    assert "XAZX-P-0001" in own.content.decode() and "信安征信服务有限公司" in own.content.decode()
    read = AuditEvent.objects.filter(action="credit_file.read", object_id=str(person.pk)).last()
    assert read.detail["agency_reports"] == [AgencyReport.objects.get().pk]
    other = subjects.person_register(actor=actors["market_clerk"], id_type="resident_id",
                                     id_number=resident_id("11010119700303003"),
                                     name="钱旁人")  # fmt: skip
    theirs = _login(bind("qian", other)).get(f"/account/subjects/{other.pk}/authorisations/")
    assert "XAZX-P-0001" not in theirs.content.decode()
    assert (
        _login(bind("qian2", other))
        .get(f"/account/subjects/{person.pk}/authorisations/")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("over", "field", "rule"),
    [
        ({"person_id_number": ""}, "person_id_number", "required"),
        ({"person_id_number": PERSON_B[:-1] + ("1" if PERSON_B[-1] != "1" else "2")},
         "person_id_number", "resident_id.check_digit"),
        ({"person_id_type": "driving_licence"}, "person_id_type", "id_type.choice"),
        ({"subject": "91440300708461136T"}, "subject", "report.one_subject"),
        ({"subject_kind": "company"}, "subject_kind", "enum"),
        ({"subject_kind": "organization", "subject": ""}, "subject", None),
    ],
)  # fmt: skip
def test_bad_person_input_is_named_and_writes_nothing(client, filed, token, over, field, rule):
    r = _register(client, token, **over)
    assert r.status_code == 422, r.content
    found = {e["field"]: e["rule"] for e in r.json()["detail"]}
    assert field in found and (rule is None or found[field] == rule), found
    assert not AgencyReport.objects.exists()
    assert not AuditEvent.objects.filter(action="agency.report_register").exists()


def test_an_organisation_report_with_a_person_number_is_refused(filed, agency_actor, agency_org,
                                                               huawei):  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.report_register(
            actor=agency_actor, subject_id=agency_org.pk, number="XAZX-0002",
            subject_uscc=huawei.uscc, person_id_type="resident_id", person_id_number=PERSON_B,
            kind="rating", issued_on=timezone.localdate(), sha256=SHA,
        )  # fmt: skip
    assert {x.field: x.rule for x in e.value.errors} == {"person_id_number": "report.one_subject"}
    assert not AgencyReport.objects.exists()


def test_the_portal_form_registers_a_person_report(filed, agency_actor, agency_org):
    portal = _login(agency_actor)
    url = f"/account/subjects/{agency_org.pk}/agency/"
    form = {"step": "report", "number": "XAZX-P-0100", "subject_kind": "person",
            "person_id_type": "resident_id", "person_id_number": "123", "kind": "repair",
            "issued_on": timezone.localdate().isoformat(), "sha256": SHA}  # fmt: skip
    bad = portal.post(url, form)
    assert bad.status_code == 400 and 'id="report_person_id_number_error"' in bad.content.decode()
    assert not AgencyReport.objects.exists()
    ok = portal.post(url, {**form, "person_id_number": PERSON_B.lower()})
    assert ok.status_code == 302
    report = AgencyReport.objects.get()
    assert report.subject_kind == "person" and report.kind == "repair"
    assert PERSON_B not in portal.get(url).content.decode()
