"""Practitioner credit files (issue #18, item 7): the industry department registers a
practitioner and feeds records through ingestion; the person sees the own file; another
department without a sharing rule sees nothing, with one it does; the public and the
auditor see nothing; every staff read is audited; bad input is named and writes nothing."""

import datetime

import pytest
from django.test import Client

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import ANONYMOUS, SYSTEM, Actor
from xinyong.audit.models import AuditEvent
from xinyong.conftest import RID
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.ingest.tests.conftest import push
from xinyong.practitioners import selectors, services
from xinyong.practitioners.models import Practitioner, Profession
from xinyong.practitioners.tests.conftest import record_row, register
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_registration_records_and_the_person_sees_the_own_file(client, health, bound_doctor):
    p, user = bound_doctor
    assert p.person.kind == "person" and p.person.id_masked and RID not in p.person.id_masked
    r = push(client, health["token"], "practitioner_record", [record_row(1), record_row(2)])
    assert r.status_code == 200 and r.json()["created"] == 2, r.content
    own = selectors.own_files(actor=Actor.for_user(user), subject=p.person)
    assert [f["practitioner"].pk for f in own] == [p.pk]
    assert len(own[0]["records"]) == 2
    # The portal page shows it to him, names, never codes nor his identifier.
    c = Client()
    c.force_login(user)
    own = c.get(f"/account/subjects/{p.person_id}/").content.decode()
    assert f"/account/subjects/{p.person_id}/practitioner/" in own  # linked from the account
    page = c.get(f"/account/subjects/{p.person_id}/practitioner/").content.decode()
    assert "医师" in page and "未按规定书写病历" in page and RID not in page
    assert "practitioner_record" not in page


def test_the_department_reads_and_every_read_is_audited(health, bound_doctor):
    p, _user = bound_doctor
    before = AuditEvent.objects.filter(action="credit_file.read").count()
    for _ in range(2):
        f = selectors.practitioner_file(actor=health["clerk"], practitioner_id=p.pk)
        assert f["practitioner"] == p
    events = AuditEvent.objects.filter(action="credit_file.read", object_type="practitioner")
    assert events.count() == before + 2 and events.first().actor_label == "health_clerk"


def test_another_department_sees_nothing_without_a_sharing_rule(
    health, bound_doctor, actors, departments
):
    p, _user = bound_doctor
    tax = actors["tax_clerk"]
    assert selectors.practitioners(actor=tax) == []
    with pytest.raises(NotFound):
        selectors.practitioner_file(actor=tax, practitioner_id=p.pk)
    assert not AuditEvent.objects.filter(
        object_type="practitioner", actor_label="tax_clerk", action="credit_file.read"
    ).exists()
    accounts.sharing_rule_save(
        actor=SYSTEM,
        provider=health["department"],
        consumer=departments["tax"],
        purpose="个人所得税核查",
        valid_from=datetime.date(2026, 1, 1),
    )
    assert [x.pk for x in selectors.practitioners(actor=tax)] == [p.pk]
    assert selectors.practitioner_file(actor=tax, practitioner_id=p.pk)["practitioner"] == p
    assert (
        AuditEvent.objects.filter(
            object_type="practitioner", actor_label="tax_clerk", action="credit_file.read"
        ).count()
        == 1
    )


def test_the_public_and_the_auditor_see_nothing_unless_a_rule_publishes(
    health, bound_doctor, actors, users
):
    p, _user = bound_doctor
    for who in (ANONYMOUS, actors["auditor"]):
        assert selectors.practitioners(actor=who) == []
        with pytest.raises(NotFound):
            selectors.practitioner_file(actor=who, practitioner_id=p.pk)
    stranger = Actor.for_user(
        users["auditor"].__class__.objects.create_user(
            username="stranger", password="x", role="public"
        )
    )
    with pytest.raises(NotFound):
        selectors.practitioner_file(actor=stranger, practitioner_id=p.pk)
    profession = Profession.objects.get(code="doctor")
    assert selectors.published(profession=profession, licence_no=p.licence_no) is None
    services.profession_save(
        actor=actors["operator"],
        code="doctor",
        name="医师",
        department_code="WJW",
        items=["practitioner_record"],
        public_fields=["name", "licence_no"],
        publish_basis="《医师法》第十五条：医师注册信息向社会公开",
    )
    profession.refresh_from_db()
    shown = selectors.published(profession=profession, licence_no=p.licence_no)
    assert dict(shown["fields"]) == {"姓名": "张医生", "执业（资格）证书编号": p.licence_no}


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"id_type": "driver"}, "id_type"),
        ({"name": ""}, "name"),
        ({"licence_no": ""}, "licence_no"),
        ({"licence_no": "12\x003"}, "licence_no"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_from": "2026-02-30"}, "valid_from"),
        ({"valid_to": datetime.date(2019, 1, 1)}, "valid_to"),
        ({"employer_uscc": "914403001922038216"}, "employer_uscc"),  # registered by nobody
    ],
)
def test_bad_registration_is_refused_naming_the_field_and_writes_nothing(
    health, doctors, over, field
):
    before = (Subject.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as e:
        register(health["clerk"], **over)
    assert field in {err.field for err in e.value.errors}
    assert RID not in str(e.value.errors)
    assert not Practitioner.objects.exists()
    assert (Subject.objects.count(), AuditEvent.objects.count()) == before


def test_only_the_industry_department_registers(health, doctors, actors):
    for who in ("market_clerk", "auditor", "operator"):
        with pytest.raises(PermissionDenied):
            register(actors[who])
    assert not Practitioner.objects.exists()


def test_a_profession_publishes_nothing_without_its_rule(health, actors):
    with pytest.raises(ValidationFailed) as e:
        services.profession_save(
            actor=actors["operator"],
            code="teacher",
            name="教师",
            department_code="WJW",
            items=["practitioner_record", "nope"],
            public_fields=["name"],
        )
    assert {"items", "publish_basis"} <= {err.field for err in e.value.errors}
    with pytest.raises(PermissionDenied):
        services.profession_save(
            actor=actors["market_clerk"],
            code="teacher",
            name="教师",
            department_code="WJW",
            items=["practitioner_record"],
        )
    assert not Profession.objects.exists()
