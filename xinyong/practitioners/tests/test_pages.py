"""The practitioner pages: registration and professions refuse bad input next to the field
and write nothing (hostile input: no 5xx); a file's page is read by its department only,
each read audited; the own-file page is the bound account's only."""

import os

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.audit.models import AuditEvent
from xinyong.commitments.tests.test_backoffice_hostile import SETTINGS, _post, values
from xinyong.conftest import RID
from xinyong.core.tests import fuzzstats
from xinyong.practitioners.models import Practitioner, Profession

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_registration_page_and_file(health, doctors, users):
    clerk = _client(health["user"])
    data = {"profession": "doctor", "id_type": "resident_id", "id_number": RID, "name": "张医生",
            "licence_no": "", "valid_from": "2020-07-01"}  # fmt: skip
    r = clerk.post("/backoffice/practitioners/", data)
    assert r.status_code == 400 and 'id="id_licence_no_error"' in r.content.decode()
    assert RID not in r.content.decode() and not Practitioner.objects.exists()
    r = clerk.post("/backoffice/practitioners/", {**data, "licence_no": "110330000012345"})
    assert r.status_code == 302
    p = Practitioner.objects.get()
    page = clerk.get(f"/backoffice/practitioners/{p.pk}/").content.decode()
    assert "张医生" in page and "110330000012345" in page and RID not in page
    assert (
        AuditEvent.objects.filter(action="credit_file.read", object_type="practitioner").count()
        == 1
    )
    for who in ("tax_clerk", "auditor"):
        assert _client(users[who]).get(f"/backoffice/practitioners/{p.pk}/").status_code == 404
    assert (
        "张医生"
        not in _client(users["tax_clerk"]).get("/backoffice/practitioners/").content.decode()
    )
    assert Client().get(f"/account/subjects/{p.person_id}/practitioner/").status_code == 302


def test_professions_page(health, users):
    office = _client(users["operator"])
    r = office.post("/backoffice/professions/", {"code": "Teacher!", "name": "教师",
                                                  "department": "WJW"})  # fmt: skip
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="id_code_error"' in html and 'id="id_items_error"' in html
    r = office.post("/backoffice/professions/", {"code": "teacher", "name": "教师",
                                                  "department": "WJW",
                                                  "items": ["practitioner_record"]})  # fmt: skip
    assert r.status_code == 302
    page = office.get("/backoffice/professions/").content.decode()
    assert "教师" in page and "从业人员执业信用信息" in page and "不公开" in page
    assert _client(users["market_clerk"]).post("/backoffice/professions/", {}).status_code == 403
    assert Profession.objects.count() == 1


PRACTITIONER = ["profession", "id_type", "id_number", "name", "licence_no", "employer_uscc",
                "valid_from", "valid_to"]  # fmt: skip
PROFESSION = ["code", "name", "department", "items", "public_fields", "publish_basis"]


def test_hostile_forms_answer_without_5xx_and_write_nothing(health, doctors, users):
    clerk, office = _client(health["user"]), _client(users["operator"])
    counts = lambda: (Practitioner.objects.count(), Profession.objects.count())  # noqa: E731
    state = [counts()]

    targets = [(clerk, "/backoffice/practitioners/", PRACTITIONER),
               (office, "/backoffice/professions/", PROFESSION)]  # fmt: skip

    @settings(max_examples=EXAMPLES * 2, **SETTINGS)
    @given(st.sampled_from(targets), st.data())
    def check(target, data):
        client, url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        with fuzzstats.timed("practitioner forms (hostile)"):
            r = _post(client, url, fields)
        fuzzstats.record("practitioner forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()
