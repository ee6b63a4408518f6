"""The portal's commitment pages as a visitor and a bound company use them: the public
column (newest first, searchable, filtered; never a person's commitment nor a breach not
yet decided), the subject page's tab, signing online with the text read first and each
refusal next to its field, the own commitment's page and the statement on a proposed
breach."""

import re

import pytest
from django.test import Client

from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import pdf, sign
from xinyong.remedies.models import SubjectBinding
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
MATTER = "administrative_licensing"


def _logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _bound_client(company) -> Client:
    actor, _subject = company
    return _logged_in(SubjectBinding.objects.get(user_id=actor.user_id).user)


def _proposed(company, actors, **over):
    actor, subject = company
    c = sign(actor, subject, **over)
    return services.commitment_breach_propose(
        actor=actors["market_clerk"], commitment_id=c.pk, breach_kind="false",
        reasons="经核查，所承诺的卫生许可证明并不存在", evidence=pdf(),
    )  # fmt: skip


def _person_commitment(company) -> Commitment:
    """A person's commitment (the legal representative's): never public."""
    actor, subject = company
    c = sign(actor, subject, reason="个人承诺事由")
    person = Subject.objects.filter(kind="person").first()
    Commitment.objects.filter(pk=c.pk).update(subject=person, public=False)
    return Commitment.objects.get(pk=c.pk)


def _text(resp) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", resp.content.decode()))


def test_column_lists_public_commitments_newest_first_with_their_fields(company, actors, client):
    actor, subject = company
    first = sign(actor, subject, reason="第一份承诺")
    second = sign(actor, subject, reason="第二份承诺")
    person = _person_commitment(company)
    proposed = _proposed(company, actors, reason="拟违诺的承诺")
    r = client.get("/commitments/")
    assert r.status_code == 200
    text = _text(r)
    assert "华为技术有限公司" in text and subject.uscc in text
    assert "证明事项告知承诺" in text and "市市场监督管理局" in text
    assert text.index("拟违诺的承诺") < text.index("第二份承诺") < text.index("第一份承诺")
    assert person.reason not in text  # a person's commitment is never public
    assert "拟认定违诺" not in text.replace("拟认定违诺的承诺在受理部门", "")  # not yet proven
    assert proposed.status == "breach_proposed" and text.count("履行中") >= 3
    assert first.valid_to.isoformat() in text and second.number in text


def test_column_searches_and_filters(company, actors, client):
    actor, subject = company
    c = sign(actor, subject, reason="可查询的承诺")
    for q in ("华为", subject.uscc, c.number, c.number.lower()):
        r = client.get("/commitments/", {"q": q})
        assert r.status_code == 200 and "可查询的承诺" in _text(r), q
    for q in ("中兴", "91350100M000100Y43", "CN20000101000000"):
        r = client.get("/commitments/", {"q": q})
        assert r.status_code == 200 and "没有符合条件的信用承诺" in _text(r), q
    assert "可查询的承诺" in _text(client.get("/commitments/", {"kind": "notify"}))
    assert "可查询的承诺" not in _text(client.get("/commitments/", {"kind": "voluntary"}))
    assert "可查询的承诺" in _text(client.get("/commitments/", {"status": "in_force"}))
    assert "可查询的承诺" not in _text(client.get("/commitments/", {"status": "kept"}))
    # A proposed breach is found as 履行中, never by a status the public is not shown.
    _proposed(company, actors, reason="拟违诺的承诺")
    assert "拟违诺的承诺" in _text(client.get("/commitments/", {"status": "in_force"}))
    for bad in ({"status": "breach_proposed"}, {"kind": "x"}, {"page": "0"}, {"q": "x" * 51}):
        r = client.get("/commitments/", bad)
        assert r.status_code == 400, bad
        assert 'role="alert"' in r.content.decode()


def test_column_pages(company, client, monkeypatch):
    from xinyong.commitments import portal

    monkeypatch.setattr(portal, "COLUMN_PAGE", 2)
    actor, subject = company
    for i in range(3):
        sign(actor, subject, reason=f"承诺{i}")
    page1, page2 = _text(client.get("/commitments/")), _text(client.get("/commitments/?page=2"))
    assert "承诺2" in page1 and "承诺1" in page1 and "承诺0" not in page1 and "下一页" in page1
    assert "承诺0" in page2 and "上一页" in page2 and "下一页" not in page2


def test_subject_tab_shows_public_commitments_and_to_its_account_the_rest(company, actors, client):
    actor, subject = company
    sign(actor, subject, reason="公开的承诺")
    proposed = _proposed(company, actors, reason="拟违诺的承诺")
    url = f"/subjects/{subject.pk}/?tab=commitments"
    public = _text(Client().get(url))  # a visitor (the ``client`` is the bound account's)
    assert "公开的承诺" in public and "拟违诺的承诺" in public and "拟认定违诺 " not in public
    own = client.get(url)
    assert f"/account/commitments/{proposed.pk}/" in own.content.decode()
    assert "拟认定违诺" in _text(own)


def test_signing_happy_path_shows_the_text_then_signs(company):
    browser = _bound_client(company)
    _actor, subject = company
    url = f"/account/subjects/{subject.pk}/commitments/new/"
    r = browser.get(url)
    assert r.status_code == 200 and "行政许可" in _text(r)
    assert "容缺受理承诺" not in _text(r).split("签署承诺")[0].split("办理事项")[-1]
    r = browser.get(url, {"matter": MATTER, "kind": "notify"})
    version = re.search(r'name="version" value="(\d+)"', r.content.decode()).group(1)
    assert "承诺书" in _text(r) and "第 1 版" in _text(r)
    r = browser.post(url, {
        "matter": MATTER, "kind": "notify", "department": "SCJG", "version": version,
        "reason": "申请食品经营许可", "signatory": "李经办", "pledge": "on",
    })  # fmt: skip
    c = Commitment.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/account/commitments/{c.pk}/"
    assert c.channel == "online" and c.signatory == "李经办"
    page = _text(browser.get(r["Location"]))
    assert c.number in page and "履行中" in page and c.template_version.text[:20] in page


def _post(browser, subject, **over):
    data = {"matter": MATTER, "kind": "notify", "department": "SCJG", "reason": "申请许可",
            "signatory": "李经办", "pledge": "on"}  # fmt: skip
    r = browser.get(f"/account/subjects/{subject.pk}/commitments/new/",
                    {"matter": data["matter"], "kind": data["kind"]})  # fmt: skip
    found = re.search(r'name="version" value="(\d+)"', r.content.decode())
    data["version"] = found.group(1) if found else ""
    data.update(over)
    data = {k: v for k, v in data.items() if v is not None}
    return browser.post(f"/account/subjects/{subject.pk}/commitments/new/", data)


def _error_of(resp, field: str) -> str:
    m = re.search(rf'id="id_{field}_error">([^<]+)<', resp.content.decode())
    return m.group(1) if m else ""


def test_signing_errors_are_shown_next_to_the_field_and_write_nothing(company, actors):
    browser = _bound_client(company)
    _actor, subject = company
    r = _post(browser, subject, pledge=None)
    assert r.status_code == 400 and "勾选" in _error_of(r, "pledge")
    r = _post(browser, subject, matter="honors")  # a matter that allows no commitment
    assert r.status_code == 400 and _error_of(r, "kind")
    r = _post(browser, subject, kind="deficiency")  # counter only
    assert r.status_code == 400 and "窗口" in _error_of(r, "kind")
    r = _post(browser, subject, reason="", signatory="")
    assert r.status_code == 400 and _error_of(r, "reason") and _error_of(r, "signatory")
    r = _post(browser, subject, version="")  # the text was never shown
    assert r.status_code == 400 and "全文" in _error_of(r, "pledge")
    assert not Commitment.objects.exists()
    # Another subject's id in the URL: not found, for the page and the signing.
    from xinyong.subjects import services as subjects

    other = subjects.organization_register(
        actor=actors["market_clerk"], uscc="91350100M000100Y43", name="别家公司"
    )
    assert browser.get(f"/account/subjects/{other.pk}/commitments/new/").status_code == 404
    assert _post(browser, other).status_code == 404
    assert not Commitment.objects.exists()


def test_a_barred_subject_is_told_why_before_the_form(company, actors):
    actor, subject = company
    c = _proposed(company, actors)
    services.commitment_statement(actor=actor, commitment_id=c.pk, statement="材料正在补办")
    services.commitment_decide(
        actor=actors["market_reviewer"], commitment_id=c.pk, breach=True, reason="证据确凿"
    )
    browser = _bound_client(company)
    r = browser.get(f"/account/subjects/{subject.pk}/commitments/new/")
    text = _text(r)
    assert "不适用告知承诺" in text and c.number in text
    assert text.index(c.number) < text.index("签署承诺")
    r = _post(browser, subject)
    assert r.status_code == 400 and "不适用告知承诺" in _text(r)


def test_statement_on_a_proposed_breach(company, actors):
    c = _proposed(company, actors)
    browser = _bound_client(company)
    url = f"/account/commitments/{c.pk}/"
    page = _text(browser.get(url))
    assert "拟认定违诺" in page and "经核查，所承诺的卫生许可证明并不存在" in page
    assert "提交陈述申辩" in page
    r = browser.post(url, {"statement": " "})
    assert r.status_code == 400 and _error_of(r, "statement")
    r = browser.post(url, {"statement": "证明已于上周补办，附受理回执"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.statement == "证明已于上周补办，附受理回执"
    page = _text(browser.get(url))
    assert "证明已于上周补办" in page and "陈述申辩" in page
    # Nobody else sees it: not the public, not another account, not another department.
    assert Client().get(url).status_code == 302  # to sign in
    from xinyong.accounts.models import User

    stranger = User.objects.create_user(username="stranger", password="x", role="public")
    assert _logged_in(stranger).get(url).status_code == 404
    assert _logged_in(stranger).post(url, {"statement": "x"}).status_code == 404
    assert _logged_in(stranger).get("/account/commitments/").status_code == 200


def test_my_commitments_lists_the_bound_subjects_ones(company):
    actor, subject = company
    c = sign(actor, subject, reason="我的承诺")
    browser = _bound_client(company)
    r = browser.get("/account/commitments/")
    assert r.status_code == 200 and "我的承诺" in _text(r)
    assert f"/account/commitments/{c.pk}/" in r.content.decode()
