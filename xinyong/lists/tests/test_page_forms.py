"""The case and roll forms say what is wrong beside the field it is about and write
nothing: opening a case, leaving an entry out of the month's roll."""

import pytest
from django.test import Client

from xinyong.core.tests.formerrors import field_error
from xinyong.lists.models import ListEntry, Roll, RollExclusion
from xinyong.lists.tests.conftest import GROUNDS
from xinyong.lists.tests.test_roll_preview import two_honored  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_case_without_legal_basis_or_category_is_named_beside_them(users, penalty_record):
    clerk = _login(users["market_clerk"])
    r = clerk.post("/backoffice/lists/new/", {
        "subject": penalty_record.subject_id, "list": "serious_dishonesty",
        "basis_kind": "penalty", "grounds": GROUNDS, "legal_basis": "  ",
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "legal_basis") == "认定依据必填：没有法律、法规或政策依据不得认定"
    assert "严重失信情形" in field_error(html, "national_category")
    assert "认定依据" in field_error(html, "basis_records", control=False)
    assert field_error(html, "grounds") == "" and GROUNDS in html  # kept as written
    assert not ListEntry.objects.exists()


def test_leaving_an_entry_out_of_the_roll_needs_a_short_reason_beside_it(users, two_honored):  # noqa: F811
    (kept, left), period = two_honored
    r = _login(users["operator"]).post("/backoffice/roll/", {
        "period": period, "shown": [kept.pk, left.pk], f"exclude_{left.pk}": "on",
        f"reason_{left.pk}": "长" * 501,
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and field_error(html, f"reason_{left.pk}")
    assert field_error(html, f"reason_{kept.pk}") == ""
    assert f'name="exclude_{left.pk}" id="id_exclude_{left.pk}" checked' in html  # kept
    assert not Roll.objects.exists() and not RollExclusion.objects.exists()
