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
    Removal,
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
          "number", "subject", "kind", "issued_on", "sha256", "subject_kind", "person_id_type",
          "person_id_number", "removal", "statement"]  # fmt: skip
GRANT = ["step", "agency", "purpose", "covers", "valid_until", "id"]
OFFICE = ["step", "filing", "decision", "reason", "facts", "basis", "decided_on", "reasons",
          "statement_adoption"]  # fmt: skip
VERIFY = ["number", "sha256"]


def _login(user_id) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=user_id))
    return c


def _counts():
    models = (Agency, AgencyFiling, AgencyPerson, AgencyReport, AgencyToken, Authorisation,
              Misconduct, Removal)  # fmt: skip
    steps = Removal.objects.filter(statement_at__isnull=False).count()  # a statement is a write
    return (*(m.objects.count() for m in models), steps, *Agency.objects.values_list("status"))


def test_hostile_forms_answer_without_5xx_and_write_nothing(
    users, actors, filed, agency_actor, agency_org, huawei, subject_actor
):
    from xinyong.agencies.tests.conftest import notify_removal

    notify_removal(actors, filed)  # an open case: the statement and the decisions are reachable
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
                                    "report", "statement"]),
            (*grant_page, GRANT, ["grant", "revoke"]),
            (office, f"/backoffice/agencies/{filed.pk}/", OFFICE,
             ["review", "misconduct", "notify", "remove", "drop"]),
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


B = "xyhostileboundary"


def _multipart(fields: dict) -> bytes:
    """A multipart body written by hand, so that a value may hold what no client encodes
    (a NUL in a file name). Invalid UTF-8 in a field is Django's to replace (U+FFFD)."""
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content = value
            head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: application/pdf\r\n\r\n")  # fmt: skip
            parts.append(head.encode("utf-8", "surrogatepass") + content)
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(head.encode() + value.encode("utf-8", "surrogatepass"))
    body = b"".join(f"--{B}\r\n".encode() + p + b"\r\n" for p in parts)
    return body + f"--{B}--\r\n".encode()


def test_hostile_statements_through_the_api_are_refused_naming_the_field(
    client, actors, filed, token
):
    from xinyong.agencies.tests.conftest import bearer, notify_removal

    case = notify_removal(actors, filed)
    url = f"/api/v1/agency/removals/{case.pk}/statement"
    for fields, field in [
        ({"statement": "a\x00b"}, "statement"),
        ({"statement": "说明", "extra": "x"}, "extra"),
        ({"statement": "说明" * 2001}, "statement"),
        ({"statement": "说明", "attachment": ("\x00.pdf", b"%PDF-")}, "attachment"),
        ({"statement": "说明", "attachment": ("证明.pdf", b"MZ\x90 not a pdf")}, "attachment"),
    ]:  # fmt: skip
        r = client.post(url, _multipart(fields), content_type=f"multipart/form-data; boundary={B}",
                        **bearer(token))  # fmt: skip
        assert r.status_code in (400, 422), (fields, r.status_code, r.content[:200])
        detail = r.json()["detail"]
        assert any(field in str(e.get("field", e.get("loc", ""))) for e in detail), detail
    for n in ("0", str(2**70), "-1", "abc"):
        r = client.post(f"/api/v1/agency/removals/{n}/statement", {"statement": "x"},
                        **bearer(token))  # fmt: skip
        assert r.status_code in (404, 422), (n, r.status_code)
    r = client.post(url, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x",
                    **bearer(token))  # fmt: skip
    assert r.status_code < 500
    assert not Removal.objects.filter(statement_at__isnull=False).exists()


def test_hostile_person_identifiers_are_refused_and_never_echoed(client, filed, token):
    from xinyong.agencies.tests.conftest import bearer

    for number in (
        "\x00110101",
        "1" * 33,
        "１１０１０１１９８００１０１００１Ｘ",
        "<script>",
        "' OR 1=1 --",
    ):
        r = client.post("/api/v1/agency/reports", {
            "number": "XAZX-H-0001", "subject_kind": "person", "person_id_type": "resident_id",
            "person_id_number": number, "kind": "credit_report", "issued_on": "2026-01-01",
            "sha256": "0" * 64}, content_type="application/json", **bearer(token))  # fmt: skip
        assert r.status_code == 422, (number, r.content)
        assert "<script>" not in r.content.decode()
    assert not AgencyReport.objects.exists()
