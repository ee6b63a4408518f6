"""The working-day calendar's forms on the rules page (a day declared, a year confirmed)
say what is wrong beside the field it is about, show the page again (400) and write
nothing."""

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.core.models import CalendarYear, WorkdayOverride
from xinyong.core.tests.formerrors import field_error

pytestmark = [pytest.mark.django_db, pytest.mark.calendar_uncovered]
URL = "/backoffice/publicity/rules/?year=2027"


def _refused(users, data) -> str:
    office = Client()
    office.force_login(users["operator"])
    before = (WorkdayOverride.objects.count(), CalendarYear.objects.count(),
              AuditEvent.objects.count())  # fmt: skip
    r = office.post(URL, data)
    assert r.status_code == 400
    assert before == (WorkdayOverride.objects.count(), CalendarYear.objects.count(),
                      AuditEvent.objects.count())  # fmt: skip
    return r.content.decode()


def test_a_day_with_a_bad_date_or_without_name_and_basis_names_each(users):
    html = _refused(users, {"form": "day", "day": "2027-02-30", "name": "春节", "basis": "x"})
    assert field_error(html, "day_day") == "日期应为 YYYY-MM-DD"
    assert 'value="春节"' in html  # kept as written
    html = _refused(users, {"form": "day", "day": "2027-02-10", "name": "", "basis": "x"})
    assert field_error(html, "day_name") == "名称必填，不超过64个字符"
    html = _refused(users, {"form": "day", "day": "2027-02-10", "name": "春节", "basis": " "})
    assert field_error(html, "day_basis").startswith("依据必填")
    assert field_error(html, "year_basis") == ""  # the other form says nothing


def test_confirming_a_year_without_basis_is_named_beside_it(users):
    html = _refused(users, {"form": "year", "year": "2027", "basis": ""})
    assert field_error(html, "year_basis").startswith("依据必填")


def test_an_unknown_form_is_refused(users):
    html = _refused(users, {"form": "week"})
    assert "未知的表单" in html
