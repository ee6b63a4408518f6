"""The portal's column of practitioners (从业人员信息公示): the public reads only the fields
a profession's rule publishes, with the rule, the profession's and the department's names;
a profession publishing nothing is nowhere (its page not found, its search refused); the
search takes a whole name or licence number, never a person identifier, and no page shows
one, not even masked; hostile query strings get a 4xx, never a 5xx."""

import os
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.accounts.actors import ANONYMOUS
from xinyong.conftest import HUAWEI, RID
from xinyong.core.tests import fuzzstats
from xinyong.core.tests.visible import assert_no_codes
from xinyong.practitioners import selectors, services
from xinyong.practitioners.tests.conftest import register
from xinyong.subjects.identifiers import resident_id_check_char

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))
BASIS = "《中华人民共和国医师法》第十五条：医师注册信息向社会公开"
OTHER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")


def _publish(actors, fields, basis=BASIS, **kw):
    return services.profession_save(
        actor=actors["operator"], code="doctor", name="医师", department_code="WJW",
        items=["practitioner_record"], public_fields=fields, publish_basis=basis, **kw,
    )  # fmt: skip


@pytest.fixture
def doctor(health, doctors, actors):
    """张医生, a doctor at 华为's clinic (the employer), registered by the health commission."""
    from xinyong.subjects.services import organization_register

    organization_register(actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司")
    return register(health["clerk"], employer_uscc=HUAWEI)


def _get(path, params=None, status=200) -> str:
    r = Client().get(path, params or {})
    assert r.status_code == status, (path, params, r.status_code, r.content[:300])
    return r.content.decode()


def _no_identifier(html, p):
    """Nowhere in the page: but the language switch's return address, which is the very
    address the visitor typed (an identifier searched for is in it, refused)."""
    html = re.sub(r'<input name="next" type="hidden" value="[^"]*">', "", html)
    assert RID not in html and p.person.id_masked not in html


def test_the_public_sees_only_the_published_fields_with_the_rule(doctor, actors):
    _publish(actors, ["name", "licence_no"])
    column = _get("/practitioners/")
    assert "医师" in column and "市卫生健康委员会" in column and BASIS in column
    assert "姓名、执业（资格）证书编号" in column  # what it publishes, by name
    found = _get("/practitioners/", {"profession": "doctor", "q": "张医生"})
    assert "110330000012345" in found and f"/practitioners/{doctor.pk}/" in found
    assert "华为技术有限公司" not in found  # the employer is not published
    page = _get(f"/practitioners/{doctor.pk}/")
    for shown in ("张医生", "110330000012345", "医师", "市卫生健康委员会", BASIS):
        assert shown in page
    for hidden in ("华为技术有限公司", "执业单位", "2020-07-01", "执业有效期"):
        assert hidden not in page
    _no_identifier(column + found + page, doctor)
    assert_no_codes(page, public=True, names=["市卫生健康委员会"], departments={"WJW"},
                    where="practitioner page")  # fmt: skip
    # The rule changes: the employer published, the name no longer.
    _publish(actors, ["licence_no", "employer"])
    page = _get(f"/practitioners/{doctor.pk}/")
    assert "华为技术有限公司" in page and "110330000012345" in page and "张医生" not in page
    # Searching by the name the rule no longer publishes finds nobody.
    assert f"/practitioners/{doctor.pk}/" not in _get(
        "/practitioners/", {"profession": "doctor", "q": "张医生"}
    )


def test_a_profession_publishing_nothing_is_nowhere(doctor, actors):
    assert "医师" not in _get("/practitioners/")
    _get(f"/practitioners/{doctor.pk}/", status=404)
    refused = _get("/practitioners/", {"profession": "doctor", "q": "张医生"}, status=400)
    assert "请选择依规公开从业人员信息的职业" in refused and "110330000012345" not in refused
    # An unknown profession gets the very same answer: nothing tells that one exists.
    unknown = _get("/practitioners/", {"profession": "astronaut", "q": "张医生"}, status=400)
    assert "请选择依规公开从业人员信息的职业" in unknown
    # Fields named without the rule's text, or a profession no longer in use: nothing.
    _publish(actors, ["name"], active=False)
    _get(f"/practitioners/{doctor.pk}/", status=404)
    assert selectors.public_professions(actor=ANONYMOUS) == []
    profession = doctor.profession
    profession.refresh_from_db()
    assert selectors.published(profession=profession, licence_no=doctor.licence_no) is None


def test_the_search_takes_whole_names_and_numbers_never_an_identifier(doctor, actors):
    _publish(actors, ["name", "licence_no", "validity"])
    hit = _get("/practitioners/", {"profession": "doctor", "q": "110330000012345"})
    assert f"/practitioners/{doctor.pk}/" in hit and "2020-07-01起" in hit
    for partial in ("张医", "11033000001234"):  # a fragment lists nobody
        page = _get("/practitioners/", {"profession": "doctor", "q": partial})
        assert f"/practitioners/{doctor.pk}/" not in page and "没有符合条件的从业人员" in page
    short = _get("/practitioners/", {"profession": "doctor", "q": "张"}, status=400)
    assert "<b>查询内容</b>" in short
    by_id = _get("/practitioners/", {"profession": "doctor", "q": RID}, status=400)
    assert "不提供按身份证件号码查询" in by_id
    _no_identifier(by_id, doctor)  # what was typed is not echoed back
    # A rule publishing neither name nor number: listed, but not searchable.
    _publish(actors, ["employer"])
    assert "医师" in _get("/practitioners/")
    assert "不提供查询" in _get("/practitioners/", {"profession": "doctor", "q": "张医生"},
                              status=400)  # fmt: skip


def test_a_certificate_numbered_by_the_holder_s_id_is_withheld(health, doctors, actors):
    """Some certificates carry the holder's ID number: published, it would publish the ID."""
    p = register(health["clerk"], id_number=OTHER_ID, name="李医生", licence_no=f"TZ{OTHER_ID}")
    _publish(actors, ["name", "licence_no"])
    page = _get(f"/practitioners/{p.pk}/")
    assert "李医生" in page and "含身份证件号码，不予公开" in page
    assert OTHER_ID not in page and p.person.id_masked not in page
    _get("/practitioners/", {"profession": "doctor", "q": f"TZ{OTHER_ID}"}, status=400)


def test_the_home_page_and_the_menu_link_the_column(db):
    home = _get("/")
    assert home.count('href="/practitioners/"') == 2  # the columns list and the menu
    assert "从业人员信息公示" in home


def test_hostile_query_strings_answer_4xx_and_never_show_an_identifier(doctor, actors):
    _publish(actors, ["name", "licence_no"])
    client = Client()
    values = st.one_of(
        st.text(max_size=70), st.sampled_from(["张医生", "110330000012345", RID, "doctor", ""]),
        st.integers().map(str),
    )  # fmt: skip

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(["doctor", "astronaut", "", "doctor\x01"]), values)
    def check(profession, q):
        with fuzzstats.timed("practitioner column (hostile)"):
            r = client.get("/practitioners/", {"profession": profession, "q": q})
        fuzzstats.record("practitioner column (hostile)", r.status_code)
        assert r.status_code in (200, 400), (profession, q, r.status_code)
        _no_identifier(r.content.decode(), doctor)

    check()
