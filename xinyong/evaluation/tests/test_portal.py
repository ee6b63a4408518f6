"""The evaluation on the portal: the subject page's tab shows only what the credit office
publishes (by default grade A alone; a grade not published is not hinted at, the score
only if scores are published), and the company's own account shows its full explanation
with what would improve it — to its bound account only."""

import pytest
from django.test import Client

from xinyong.commitments.tests.conftest import company  # noqa: F401 - the bound account
from xinyong.core.tests.visible import assert_no_codes, visible_text
from xinyong.evaluation import services
from xinyong.evaluation.tests.conftest import evaluate, penalties

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(actors, company):  # noqa: F811
    """华为 (bound to 李经办) with a serious penalty this year: 550, grade C."""
    _portal, subject = company
    penalties(actors["market_clerk"], {"CF_JDRQ": "2026-06-01", "CF_YXQ": "2027-06-01",
                                       "CF_YZCD": "严重"})  # fmt: skip
    evaluate(actors["operator"])
    return subject


def test_the_public_tab_shows_only_what_the_office_publishes(actors, graded):
    url = f"/subjects/{graded.pk}/?tab=evaluation"
    text = assert_no_codes(Client().get(url).content.decode(), public=True,
                           names=["未向社会公开"])  # fmt: skip
    assert "C级" not in text and "550" not in text and "信用一般" not in text
    services.publication_set(actor=actors["operator"], public_grades=["A", "C"],
                             public_score=False, checks_see_grade=True)  # fmt: skip
    text = visible_text(Client().get(url).content.decode())
    assert "C级（信用一般）" in text and "550" not in text
    services.publication_set(actor=actors["operator"], public_grades=["C"], public_score=True,
                             checks_see_grade=True)  # fmt: skip
    assert "550 / 1000" in visible_text(Client().get(url).content.decode())


def test_the_company_reads_its_own_explanation_and_nobody_else_does(client, users, graded):
    tab = client.get(f"/subjects/{graded.pk}/?tab=evaluation").content.decode()
    own = f"/account/subjects/{graded.pk}/evaluation/"
    assert f'href="{own}"' in tab  # the bound account is offered its full evaluation
    r = client.get(own)
    assert r.status_code == 200
    names = ["C级（信用一般）", "行政处罚", "如何提升", "可升至 B级（信用良好）"]
    text = assert_no_codes(r.content.decode(), public=True, names=names)
    assert "得分 550 / 1000" in text and "严重" in text
    assert f'href="/account/subjects/{graded.pk}/#record-' in r.content.decode()
    stranger = Client()
    stranger.post("/account/register/", {"username": "stranger", "display_name": "王某",
                                         "password": "Credit-Office-2026!"})  # fmt: skip
    assert stranger.get(own).status_code == 404
    assert (
        f'href="{own}"'
        not in stranger.get(f"/subjects/{graded.pk}/?tab=evaluation").content.decode()
    )
    staff = Client()
    staff.force_login(users["operator"])
    assert staff.get(own).status_code == 404  # the company's own page: staff use the back office
