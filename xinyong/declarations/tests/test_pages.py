"""The pages and the API of self-declaration: the bound account declares on its portal page
(each error next to its field) and follows the status; the verifying department finds it
in its queue and on its dashboard, late ones first, and decides on its page; a business
system lists and decides through the API. Hostile form values never get a 5xx."""

import datetime
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.declarations.models import Declaration
from xinyong.declarations.tests.conftest import declare, pdf
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def _portal(bound) -> Client:
    actor, _binding = bound
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(pk=actor.user_id))
    return c


def _staff(users, who) -> Client:
    c = Client()
    c.force_login(users[who])
    return c


def _form(**kw) -> dict:
    return {
        "kind": "contract",
        "title": "信安地铁2号线土建工程施工合同",
        "content": "合同金额1.2亿元，2025年12月按期竣工验收。",
        "department": "ZJ",
        "pledge": "on",
        "evidence": [pdf("竣工验收证明.pdf")],
    } | kw


def _error_next_to(html: str, field: str) -> str:
    """The message shown next to a field (``_field_error.html``)."""
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</span>', html, re.S)
    return found.group(1) if found else ""


def test_the_account_declares_and_follows_it(bound, users):
    _actor, binding = bound
    c = _portal(bound)
    url = f"/account/subjects/{binding.subject_id}/declarations/"
    page = c.get(url).content.decode()
    assert "本主体郑重承诺" in page and "市住房和城乡建设局" in page and "尚无自主申报" in page
    sent = c.post(url, _form(), follow=True)
    d = Declaration.objects.get()
    assert d.kind == "contract" and d.department.code == "ZJ"
    html = sent.content.decode()
    assert d.number in html and "待核实" in html
    # the own file links here
    assert url in c.get(f"/account/subjects/{binding.subject_id}/").content.decode()


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"pledge": ""}, "pledge", "信用承诺"),
        ({"content": "  "}, "content", "申报内容"),
        ({"kind": "bribery"}, "kind", "申报类别应为"),
        ({"evidence": []}, "evidence", "证明材料"),
        ({"department": "NOPE"}, "department", "没有该部门"),
    ],
)
def test_an_error_is_shown_next_to_its_field(bound, change, field, says):
    _actor, binding = bound
    c = _portal(bound)
    resp = c.post(f"/account/subjects/{binding.subject_id}/declarations/", _form(**change))
    assert resp.status_code == 400
    assert says in _error_next_to(resp.content.decode(), field)
    assert not Declaration.objects.exists()


def test_another_subject_is_not_found_and_nothing_is_written(bound, org_with_rep, users):
    _actor, binding = bound
    c = _portal(bound)
    for pk in (binding.subject_id + 1, 2**40):
        assert c.get(f"/account/subjects/{pk}/declarations/").status_code == 404
        assert c.post(f"/account/subjects/{pk}/declarations/", _form()).status_code == 404
    staff = _staff(users, "market_clerk")  # no portal account: not its page
    resp = staff.post(f"/account/subjects/{binding.subject_id}/declarations/", _form())
    assert resp.status_code == 404
    assert not Declaration.objects.exists()


def test_the_department_verifies_on_the_declaration_page(bound, users):
    actor, binding = bound
    late = declare(actor, binding.subject_id, title="较早的申报")
    Declaration.objects.filter(pk=late.pk).update(verify_due=datetime.date(2020, 1, 2))
    d = declare(actor, binding.subject_id)
    clerk = _staff(users, "market_clerk")
    queue = clerk.get("/backoffice/declarations/").content.decode()
    assert queue.index("较早的申报") < queue.index(d.title) and "超期" in queue
    board = clerk.get("/backoffice/").content.decode()
    assert "自主申报待核实" in board and f"/backoffice/declarations/{late.pk}/" in board
    page = clerk.get(f"/backoffice/declarations/{d.pk}/").content.decode()
    assert "本主体郑重承诺" in page and "资质证书.pdf" in page
    evidence = d.evidence.get()
    got = clerk.get(f"/backoffice/declarations/evidence/{evidence.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    # Refused without reasons: the page again, the message next to the field.
    resp = clerk.post(f"/backoffice/declarations/{d.pk}/", {"decision": "refuse", "reason": ""})
    assert resp.status_code == 400
    assert "请写明理由" in _error_next_to(resp.content.decode(), "reason")
    resp = clerk.post(f"/backoffice/declarations/{d.pk}/", {"decision": "verify", "reason": ""})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == "verified" and Record.objects.get(pk=d.record_id).source_id == d.number
    recent = clerk.get("/backoffice/declarations/").content.decode()
    assert d.number in recent and "已入档" in recent
    mine = _portal(bound).get(f"/account/subjects/{binding.subject_id}/declarations/")
    assert "已记入信用档案" in mine.content.decode()


def test_another_department_neither_sees_nor_verifies(bound, users):
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    tax = _staff(users, "tax_clerk")
    assert d.title not in tax.get("/backoffice/declarations/").content.decode()
    assert tax.get(f"/backoffice/declarations/{d.pk}/").status_code == 404
    resp = tax.post(f"/backoffice/declarations/{d.pk}/", {"decision": "verify"})
    assert resp.status_code == 404
    evidence = d.evidence.get()
    assert tax.get(f"/backoffice/declarations/evidence/{evidence.pk}/").status_code == 404
    d.refresh_from_db()
    assert d.status == "submitted"


def test_a_business_system_lists_and_decides(bound, market_token, client):
    actor, binding = bound
    d = declare(actor, binding.subject_id)
    other = declare(actor, binding.subject_id, department_code="SW")
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    listed = api.get("/api/v1/declarations").json()
    assert [x["number"] for x in listed] == [d.number]
    assert listed[0]["kind_label"] == "资质资格" and listed[0]["evidence"][0]["name"]
    refused = api.post(f"/api/v1/declarations/{d.pk}/decision", {"decision": "refused"},
                       content_type="application/json")  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "reason"
    bad = api.post(f"/api/v1/declarations/{d.pk}/decision", {"decision": "maybe"},
                   content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "decision"
    hidden = api.post(f"/api/v1/declarations/{other.pk}/decision", {"decision": "verified"},
                      content_type="application/json")  # fmt: skip
    assert hidden.status_code == 404
    done = api.post(f"/api/v1/declarations/{d.pk}/decision", {"decision": "verified"},
                    content_type="application/json")  # fmt: skip
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "verified" and body["record_source_id"] == d.number
    assert api.get("/api/v1/declarations").json() == []


# (A multipart body cannot carry a lone surrogate: the API's hostile tests send those.)
hostile = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["\x00", "资质\x07", "x" * 5000, "", " ", "honor", "SCJG", "on"]),
)


SLOW_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=25, deadline=None, suppress_health_check=SLOW_FIXTURES)
@given(kind=hostile, title=hostile, content=hostile, department=hostile, pledge=hostile)
def test_hostile_form_values_are_refused_or_taken_never_a_5xx(
    bound, kind, title, content, department, pledge
):
    _actor, binding = bound
    c = _portal(bound)
    before = Declaration.objects.count()
    data = _form(kind=kind, title=title, content=content, department=department, pledge=pledge)
    resp = c.post(f"/account/subjects/{binding.subject_id}/declarations/", data)
    assert resp.status_code in (302, 400), resp.status_code
    assert Declaration.objects.count() == before + (resp.status_code == 302)
