"""Hostile input in every field of the agencies' forms, portal and back office
(Hypothesis): NUL bytes, lone surrogates, numbers beyond 64 bits, impossible dates, files
that are not what they say. No answer may be a 5xx; a refused form writes nothing."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.agencies.models import (
    Agency,
    AgencyFiling,
    AgencyPerson,
    AgencyReport,
    AgencyToken,
    Authorisation,
    Misconduct,
)
from xinyong.commitments.tests.test_backoffice_hostile import SETTINGS, _post, values
from xinyong.core.tests import fuzzstats

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))

FILING = [
    "step",
    "scope",
    "qualifications",
    "contact_phone",
    "conflicts_rules",
    "security_rules",
    "p0_name",
    "p0_position",
    "p0_id_type",
    "p0_id_number",
    "p1_name",
]
AGENCY = ["step", "name", "id_type", "id_number", "position", "id", "scopes", "expires_on",
          "number", "subject", "kind", "issued_on", "sha256"]  # fmt: skip
GRANT = ["step", "agency", "purpose", "covers", "valid_until", "id"]
OFFICE = ["step", "filing", "decision", "reason", "facts", "basis", "decided_on", "reasons"]
VERIFY = ["number", "sha256"]


def _login(user_id) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=user_id))
    return c


def _counts():
    return tuple(m.objects.count() for m in (Agency, AgencyFiling, AgencyPerson, AgencyReport,
                                            AgencyToken, Authorisation, Misconduct))  # fmt: skip


def test_hostile_forms_answer_without_5xx_and_write_nothing(
    users, filed, agency_actor, agency_org, huawei, subject_actor
):
    agency_page = (_login(agency_actor.user_id), f"/account/subjects/{agency_org.pk}/agency/")
    grant_page = (_login(subject_actor.user_id), f"/account/subjects/{huawei.pk}/authorisations/")
    office = Client()
    office.force_login(users["operator"])
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    state = [_counts()]

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(
        st.sampled_from([
            (*agency_page, FILING, ["file", "x"]),
            (*agency_page, AGENCY, ["practitioner", "practitioner_end", "token", "token_revoke",
                                    "report"]),
            (*grant_page, GRANT, ["grant", "revoke"]),
            (office, f"/backoffice/agencies/{filed.pk}/", OFFICE,
             ["review", "misconduct", "notify", "remove"]),
            (clerk, f"/backoffice/agencies/{filed.pk}/", OFFICE, ["misconduct"]),
            (Client(), "/agencies/verify/", VERIFY, [""]),
        ]),
        st.data(),
    )  # fmt: skip
    def check(target, data):
        client, url, names, steps = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        fields["step"] = data.draw(st.sampled_from(steps))
        with fuzzstats.timed("agency forms (hostile)"):
            r = _post(client, url, fields)
        fuzzstats.record("agency forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields, r.content[:300])
        if r.status_code in (200, 302) and fields["step"] != "":
            state[0] = _counts()  # a step some random text was enough for (a revoke, say)
        assert _counts() == state[0], (url, fields)

    check()


@pytest.mark.parametrize(
    ("name", "content"),
    [("资质.pdf", b"MZ\x90\x00 not a pdf"), ("资质.exe", b"%PDF-1.4"), ("\x00.pdf", b"%PDF-")],
)
def test_a_material_that_is_not_what_it_says_is_refused_next_to_it(agency_actor, agency_org,
                                                                  name, content):  # fmt: skip
    from xinyong.agencies.tests.conftest import PERSON_A

    r = _login(agency_actor.user_id).post(f"/account/subjects/{agency_org.pk}/agency/", {
        "step": "file", "scope": "信用报告", "qualifications": "证明",
        "contact_phone": "13800000000", "conflicts_rules": "制度", "security_rules": "制度",
        "p0_name": "王负责",
        "p0_position": "经理", "p0_id_type": "resident_id", "p0_id_number": PERSON_A,
        "qualification_files": SimpleUploadedFile(name, content, content_type="application/pdf"),
    })  # fmt: skip
    assert r.status_code == 400 and 'id="filing_qualification_files_error"' in r.content.decode()
    assert not AgencyFiling.objects.exists() and not Agency.objects.exists()


def test_hostile_api_input_is_refused_naming_the_field(client, filed, token, huawei):
    from xinyong.agencies.tests.conftest import bearer

    for body, field in [
        ({"number": "\x00bad", "subject": huawei.uscc, "kind": "credit_report",
          "issued_on": "2026-01-01", "sha256": "0" * 64}, "number"),
        ({"number": "XAZX-1", "subject": "123", "kind": "credit_report",
          "issued_on": "2026-01-01", "sha256": "0" * 64}, "subject"),
        ({"number": "XAZX-0009", "subject": huawei.uscc, "kind": "x",
          "issued_on": "2026-01-01", "sha256": "zz"}, "kind"),
        ({"number": "XAZX-0009", "subject": huawei.uscc, "kind": "rating",
          "issued_on": "2026-02-30", "sha256": "0" * 64}, "issued_on"),
    ]:  # fmt: skip
        r = client.post("/api/v1/agency/reports", body, content_type="application/json",
                        **bearer(token))  # fmt: skip
        assert r.status_code == 422, r.content
        assert field in {e["field"] for e in r.json()["detail"]}, (body, r.json())
    for n in ("0", str(2**70), "-1", "abc"):
        r = client.get(f"/api/v1/agency/authorisations/{n}/report", **bearer(token))
        assert r.status_code in (404, 422), (n, r.status_code)
    assert not AgencyReport.objects.exists()
