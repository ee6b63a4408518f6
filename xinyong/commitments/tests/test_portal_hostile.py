"""Hostile input in the commitment pages' query strings and forms (Hypothesis, with the
portal's property tests' values): NUL, lone surrogates, bytes that are not UTF-8, numbers
beyond 64 bits, texts too long. No answer is a 5xx; a refusal names the field beside it
(NUL and the like: the request guard's 400) and writes nothing."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import pdf, sign
from xinyong.core.tests.formerrors import field_error
from xinyong.portal.tests.test_query_properties import EXAMPLES, _encode, values

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(max_examples=EXAMPLES * 4, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
real = st.sampled_from(["administrative_licensing", "notify", "scene", "SCJG", "in_force", "1"])
field_values = st.one_of(values, real)


def test_column_query_strings(company):
    actor, subject = company
    sign(actor, subject)
    client = Client()

    @HYPOTHESIS
    @given(field_values, field_values, field_values, field_values)
    def check(q, kind, status, page):
        query = f"q={_encode(q)}&kind={_encode(kind)}&status={_encode(status)}&page={_encode(page)}"
        r = client.get(f"/commitments/?{query}")
        assert r.status_code in (200, 400), query

    check()


def test_signing_page_and_form(company, client):
    """``client``: the bound account's (the ``company`` fixture signed it in)."""
    _actor, subject = company
    url = f"/account/subjects/{subject.pk}/commitments/new/"

    @HYPOTHESIS
    @given(st.fixed_dictionaries({
        k: field_values for k in ("matter", "kind", "department", "reason", "signatory",
                                  "version", "pledge")
    }))  # fmt: skip
    def check(form):
        query = "&".join(f"{k}={_encode(v)}" for k, v in form.items())
        assert client.get(f"{url}?{query}").status_code in (200, 400), query
        before = Commitment.objects.count()
        r = client.post(url, query, content_type="application/x-www-form-urlencoded")
        assert r.status_code in (302, 400), form
        assert Commitment.objects.count() == before + (r.status_code == 302)

    check()


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"reason": "x" * 301}, "reason", "300"),
    ({"signatory": "张" * 51}, "signatory", "50"),
    ({"department": "NOPE"}, "department", "受理部门"),
    ({"matter": "nope"}, "matter", "未知办理事项"),
    ({"kind": "repair"}, "kind", "承诺类型无效"),
])  # fmt: skip
def test_hostile_signing_fields_are_refused_beside_the_field(company, client, form, field, message):
    _actor, subject = company
    url = f"/account/subjects/{subject.pk}/commitments/new/"
    data = {"matter": "administrative_licensing", "kind": "notify", "department": "SCJG",
            "reason": "申请许可", "signatory": "李经办", "pledge": "on"}  # fmt: skip
    page = client.get(url, {"matter": data["matter"], "kind": data["kind"]}).content.decode()
    data["version"] = page.split('name="version" value="')[1].split('"')[0]
    r = client.post(url, {**data, **form})
    assert r.status_code == 400 and message in field_error(r.content.decode(), field)
    assert not Commitment.objects.exists()


def test_hostile_statements_and_ids(company, actors, client):
    actor, subject = company
    c = sign(actor, subject)
    from xinyong.commitments import services

    services.commitment_breach_propose(
        actor=actors["market_clerk"], commitment_id=c.pk, breach_kind="broken",
        reasons="未按期履行", evidence=pdf(),
    )  # fmt: skip
    url = f"/account/commitments/{c.pk}/"
    for statement, message in (("  ", "必填"), ("x" * 4001, "4000")):
        r = client.post(url, {"statement": statement})
        assert r.status_code == 400 and message in field_error(r.content.decode(), "statement")
    assert client.post(url, {"statement": "意见\x00"}).status_code == 400  # the guard's
    c.refresh_from_db()
    assert c.statement == "" and c.statement_at is None
    for pk in (0, 2**63, 2**80):
        assert client.get(f"/account/commitments/{pk}/").status_code == 404
        assert client.post(f"/account/commitments/{pk}/", {"statement": "x"}).status_code == 404
    assert client.get(f"/account/subjects/{2**80}/commitments/new/").status_code == 404
