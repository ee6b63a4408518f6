"""The agencies' workflows end to end, through the services and the API: filing and review,
the directory, authorisation and the agency's reads (ended by revocation, expiry and
removal), registered reports and their verification, misconduct, practitioners."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from xinyong.agencies import selectors, services
from xinyong.agencies.models import Agency, AgencyFiling, AgencyPerson, AgencyRead, FilingPerson
from xinyong.agencies.tests.conftest import (
    OTHER_USCC,
    PDF,
    PERSON_A,
    PERSON_B,
    approve,
    authorise,
    bearer,
    bind,
    file_agency,
    lapse,
    notify_removal,
    pdf,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _broken(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")  # a wrong check digit


def _rules(e: ValidationFailed) -> dict:
    return {x.field: x.rule for x in e.errors}


def test_a_filing_is_returned_then_approved_and_the_directory_shows_public_facts_only(
    client, actors, agency_actor, agency_org
):
    filing = file_agency(agency_actor, agency_org)
    agency = Agency.objects.get(subject=agency_org)
    assert agency.status == "pending" and not selectors.directory()
    stored = FilingPerson.objects.get(filing=filing)
    assert PERSON_A not in (stored.id_hash + stored.id_encrypted + stored.id_masked)
    with pytest.raises(ValidationFailed) as e:  # returning needs its reasons
        services.filing_review(actor=actors["operator"], filing_id=filing.pk, decision="return")
    assert _rules(e.value) == {"reason": "required"}
    with pytest.raises(PermissionDenied):  # the credit office reviews, not a department
        services.filing_review(actor=actors["market_clerk"], filing_id=filing.pk,
                               decision="return", reason="缺少材料")  # fmt: skip
    services.filing_review(actor=actors["operator"], filing_id=filing.pk, decision="return",
                           reason="资质证明不清晰，请重新上传")  # fmt: skip
    assert AgencyFiling.objects.get(pk=filing.pk).status == "returned"
    again = file_agency(agency_actor, agency_org)
    with pytest.raises(Conflict):  # one filing in review at a time
        file_agency(agency_actor, agency_org)
    approve(actors, again)
    agency.refresh_from_db()
    assert agency.status == "filed" and agency.filing_number.startswith("XYFW")
    assert agency.filed_on == timezone.localdate()
    # The responsible person is a subject now (a credit file), its identifier protected.
    person = AgencyPerson.objects.get(agency=agency, role="responsible").person
    assert person.kind == "person" and person.id_masked != PERSON_A
    events = set(
        AuditEvent.objects.filter(object_type="agency_filing").values_list("action", flat=True)
    )
    assert {"agency.file", "agency.return", "agency.approve"} <= events
    page = client.get("/agencies/").content.decode()
    assert "信安征信服务有限公司" in page and agency.filing_number in page
    assert "91339900MA1X2Y3B1X" in page and "王负责" not in page
    assert PERSON_A not in page and person.id_masked not in page
    entry = client.get(f"/agencies/{agency.pk}/").content.decode()
    assert "信用报告、信用管理咨询" in entry and PERSON_A not in entry and "王负责" not in entry


def test_a_change_of_details_is_reviewed_before_the_directory_shows_it(
    actors, filed, agency_actor, agency_org
):
    change = file_agency(agency_actor, agency_org, scope="信用评级",
                         persons=[{"name": "李新", "position": "总经理", "id_type": "resident_id",
                                   "id_number": PERSON_B}])  # fmt: skip
    assert change.kind == "change"
    assert selectors.directory()[0].scope.startswith("信用报告")  # still the approved details
    approve(actors, change)
    agency = selectors.directory()[0]
    assert agency.scope == "信用评级"
    current = AgencyPerson.objects.filter(agency=agency, role="responsible", ended_at__isnull=True)
    assert [p.person.name for p in current] == ["李新"]  # the old one ended, not deleted
    assert AgencyPerson.objects.filter(agency=agency, role="responsible").count() == 2


def test_bad_filing_input_is_refused_by_field_and_writes_nothing(agency_actor, agency_org):
    with pytest.raises(ValidationFailed) as e:
        file_agency(agency_actor, agency_org, scope="", conflicts_rules="", security_rules=" ",
                    contact_phone="abc", qualification_files=[pdf("x.pdf", b"not a pdf")],
                    persons=[{"name": "王负责", "position": "总经理", "id_type": "resident_id",
                              "id_number": _broken(PERSON_A)}])  # fmt: skip
    rules = _rules(e.value)
    assert rules["scope"] == "required" and rules["contact_phone"] == "phone.format"
    assert rules["conflicts_rules"] == "agency.rules_required"
    assert rules["security_rules"] == "agency.rules_required"
    assert rules["qualification_files"] == "file.content"
    assert "persons[0].id_number" in rules
    assert not Agency.objects.exists() and not AgencyFiling.objects.exists()


def test_rules_given_as_documents_are_enough(actors, agency_actor, agency_org):
    filing = file_agency(
        agency_actor,
        agency_org,
        conflicts_rules="",
        security_rules="",
        conflicts_files=[pdf("利益冲突.pdf")],
        security_files=[pdf("安全.pdf")],
    )
    assert sorted(filing.files.values_list("kind", flat=True)) == [
        "conflicts", "qualification", "security"]  # fmt: skip


def test_only_the_bound_account_files_for_the_organisation(actors, agency_org, subject_actor):
    with pytest.raises(NotFound):  # bound to another subject
        file_agency(subject_actor, agency_org)
    assert not Agency.objects.exists()


def _api(client, secret, path):
    return client.get(f"/api/v1/agency{path}", **bearer(secret))


def test_authorised_reads_are_audited_and_end_when_the_subject_revokes(
    client, filed, token, huawei, subject_actor
):
    a = authorise(subject_actor, huawei, filed)
    listed = _api(client, token, "/authorisations").json()
    assert [x["id"] for x in listed] == [a.pk] and listed[0]["in_effect"] is True
    r = _api(client, token, f"/authorisations/{a.pk}/report")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["number"].startswith("XY") and body["report"]
    r = _api(client, token, f"/authorisations/{a.pk}/records")
    assert r.status_code == 200 and "page" in r.json()
    reads = AgencyRead.objects.filter(authorisation=a)
    assert sorted(reads.values_list("kind", flat=True)) == ["consented_records", "public_report"]
    audited = AuditEvent.objects.filter(action="agency.read")
    assert audited.count() == 2
    log = selectors.subject_authorisations(actor=subject_actor, subject_id=huawei.pk)
    assert len(log["reads"]) == 2 and log["authorisations"][0].in_effect
    services.authorisation_revoke(actor=subject_actor, subject_id=huawei.pk, authorisation_id=a.pk)
    r = _api(client, token, f"/authorisations/{a.pk}/records")
    assert r.status_code == 403
    assert r.json()["detail"][0]["rule"] == "authorisation.revoked"
    assert "撤回" in r.json()["detail"][0]["message"]
    assert AgencyRead.objects.filter(authorisation=a).count() == 2  # the refused call read nothing
    assert AuditEvent.objects.filter(action="agency.authorisation_revoke").exists()


def test_an_expired_authorisation_is_refused(client, filed, token, huawei, subject_actor):
    from xinyong.agencies.models import Authorisation

    a = authorise(subject_actor, huawei, filed)
    Authorisation.objects.filter(pk=a.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    r = _api(client, token, f"/authorisations/{a.pk}/report")
    assert r.status_code == 403 and r.json()["detail"][0]["rule"] == "authorisation.expired"


def test_an_agency_reaches_only_what_it_was_authorised(client, actors, filed, token, huawei,
                                                      subject_actor, departments):  # fmt: skip
    from xinyong.subjects import services as subjects

    a = authorise(subject_actor, huawei, filed, covers=["public_report"])
    r = _api(client, token, f"/authorisations/{a.pk}/records")
    assert r.status_code == 403 and r.json()["detail"][0]["rule"] == "authorisation.not_covered"
    # Another agency's token never reaches this authorisation, nor its subject.
    other_org = subjects.organization_register(actor=actors["market_clerk"], uscc=OTHER_USCC,
                                               name="另一家信用服务公司")  # fmt: skip
    other_actor = bind("other_agency", other_org)
    approve(
        actors,
        file_agency(
            other_actor,
            other_org,
            persons=[
                {
                    "name": "钱负责",
                    "position": "经理",
                    "id_type": "resident_id",
                    "id_number": PERSON_B,
                }
            ],
        ),
    )
    _t, other = services.token_issue(actor=other_actor, subject_id=other_org.pk, name="系统",
                                     scopes=["subjects:authorised"])  # fmt: skip
    for path in ("report", "records"):
        r = _api(client, other, f"/authorisations/{a.pk}/{path}")
        assert r.status_code == 404 and huawei.name not in r.content.decode()
    assert _api(client, other, "/authorisations").json() == []
    r = _api(client, token, "/authorisations/999999/report")
    assert r.status_code == 404
    r = client.get(
        f"/api/v1/agency/authorisations/{a.pk}/report", HTTP_AUTHORIZATION="Bearer xya_bad_x"
    )
    assert r.status_code == 401
    assert not AgencyRead.objects.filter(kind="consented_records").exists()


def test_removal_ends_tokens_and_authorisations(client, actors, filed, token, huawei,
                                                subject_actor):  # fmt: skip
    a = authorise(subject_actor, huawei, filed)
    with pytest.raises(ValidationFailed):  # the notice comes first
        services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="出具虚假报告")
    with pytest.raises(PermissionDenied):
        notify_removal({"operator": actors["market_clerk"]}, filed)
    case = notify_removal(actors, filed)
    assert _api(client, token, f"/authorisations/{a.pk}/report").status_code == 200  # still in
    with pytest.raises(ValidationFailed) as e:  # its period runs and it has not answered
        services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="r")
    assert _rules(e.value) == {"status": "removal.period"}
    lapse(case)
    services.agency_remove(actor=actors["operator"], agency_id=filed.pk,
                           reasons="经告知后未陈述申辩，移出名录")  # fmt: skip
    assert _api(client, token, f"/authorisations/{a.pk}/report").status_code == 401
    assert not selectors.directory()
    log = selectors.subject_authorisations(actor=subject_actor, subject_id=huawei.pk)
    assert not log["authorisations"][0].in_effect
    with pytest.raises(services.AuthorisationEnded):
        services.authorisation_usable(a.__class__.objects.select_related("agency").get(pk=a.pk))


def test_registered_reports_are_verified_by_anyone(client, actors, filed, token, huawei):
    sha = hashlib.sha256(PDF).hexdigest()
    r = client.post("/api/v1/agency/reports", {"number": "XAZX-2026-001", "subject": huawei.uscc,
                    "kind": "credit_report", "issued_on": timezone.localdate().isoformat(),
                    "sha256": sha}, content_type="application/json", **bearer(token))  # fmt: skip
    assert r.status_code == 201, r.content
    ok = client.get("/api/v1/agency-reports/verify", {"number": "XAZX-2026-001", "sha256": sha})
    assert ok.status_code == 200 and ok.json()["result"] == "genuine"
    assert ok.json()["filing_number"] == filed.filing_number
    bad = client.get(
        "/api/v1/agency-reports/verify", {"number": "XAZX-2026-001", "sha256": "0" * 64}
    )
    assert bad.json()["result"] == "mismatch" and not bad.json()["agency"]
    unknown = client.get("/api/v1/agency-reports/verify", {"number": "NOPE-0001", "sha256": sha})
    assert unknown.json()["result"] == "unknown"
    dup = client.post("/api/v1/agency/reports", {"number": "XAZX-2026-001", "subject": huawei.uscc,
                      "kind": "credit_report", "issued_on": timezone.localdate().isoformat(),
                      "sha256": sha}, content_type="application/json", **bearer(token))  # fmt: skip
    assert dup.status_code == 409
    page = client.post("/agencies/verify/", {"number": "XAZX-2026-001", "file": pdf("r.pdf")})
    assert "已登记，出具机构备案有效" in page.content.decode()
    lapse(notify_removal(actors, filed))
    services.agency_remove(actor=actors["operator"], agency_id=filed.pk, reasons="违规")
    again = client.get("/api/v1/agency-reports/verify", {"number": "XAZX-2026-001", "sha256": sha})
    assert again.json()["result"] == "agency_removed"


def test_misconduct_becomes_a_record_in_the_agency_credit_file(actors, filed):
    with pytest.raises(ValidationFailed) as e:
        services.misconduct_record(actor=actors["market_clerk"], agency_id=filed.pk, facts="",
                                   basis="", decided_on=None)  # fmt: skip
    assert set(_rules(e.value)) == {"facts", "basis", "decided_on"}
    with pytest.raises(PermissionDenied):
        services.misconduct_record(
            actor=actors["auditor"],
            agency_id=filed.pk,
            facts="泄露信息",
            basis="《信息安全制度》",
            decided_on=timezone.localdate(),
        )
    m = services.misconduct_record(actor=actors["market_clerk"], agency_id=filed.pk,
                                   facts="违规泄露委托主体的信用信息",
                                   basis="信用服务机构备案管理规定",
                                   decided_on=timezone.localdate())  # fmt: skip
    record = Record.objects.get(item_code="credit_service_misconduct")
    assert m.record_id == record.pk and record.subject_id == filed.subject_id
    assert record.provider.code == "SCJG" and record.polarity == "negative"


def test_practitioners_are_subjects_and_the_directory_counts_them(actors, filed, agency_actor,
                                                                agency_org, client):  # fmt: skip
    services.practitioner_add(
        actor=agency_actor,
        subject_id=agency_org.pk,
        name="赵从业",
        id_type="resident_id",
        id_number=PERSON_B,
        position="分析师",
    )
    person = Subject.objects.get(name="赵从业")
    assert person.kind == "person" and person.id_masked and PERSON_B not in person.id_encrypted
    with pytest.raises(Conflict):
        services.practitioner_add(actor=agency_actor, subject_id=agency_org.pk, name="赵从业",
                                  id_type="resident_id", id_number=PERSON_B)  # fmt: skip
    assert selectors.directory()[0].practitioners == 1
    page = client.get("/agencies/").content.decode()
    assert "赵从业" not in page and PERSON_B not in page
    row = AgencyPerson.objects.get(person=person)
    services.practitioner_end(actor=agency_actor, subject_id=agency_org.pk, person_id=row.pk)
    assert selectors.directory()[0].practitioners == 0


def test_a_token_ends_when_its_account_is_no_longer_bound(client, filed, token, huawei,
                                                         subject_actor):  # fmt: skip
    from xinyong.remedies.models import SubjectBinding

    a = authorise(subject_actor, huawei, filed)
    SubjectBinding.objects.filter(subject=filed.subject).update(status="rejected")
    assert _api(client, token, f"/authorisations/{a.pk}/report").status_code == 401
