"""The working-day calendar in the back office: a month view coloured by what each day is,
and the credit office's import of a year from the State Council notice — previewed first,
written only on confirmation, refused whole when the notice is wrong (issue #14 item 8)."""

import datetime

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.core.models import CalendarYear, WorkdayOverride
from xinyong.core.tests.formerrors import field_error
from xinyong.core.tests.notices import NOTICE_2026
from xinyong.core.tests.visible import assert_no_codes

pytestmark = [pytest.mark.django_db, pytest.mark.calendar_uncovered]
NOTICE_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。\n"
)


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _cells(html: str) -> dict[int, str]:
    import re

    return {int(day): kind for kind, day in re.findall(r'<td class="day-(\w+)"><b>(\d+)</b>', html)}


def test_a_month_shows_holidays_make_up_days_and_weekends(users):
    page = _login(users["market_clerk"]).get("/backoffice/calendar/?year=2026&month=2")
    html = page.content.decode()
    assert page.status_code == 200
    cells = _cells(html)
    assert cells[14] == "makeup" and cells[28] == "makeup"  # Saturdays worked
    assert cells[16] == "holiday" and cells[21] == "holiday"  # a Monday and a Saturday off
    assert cells[7] == "weekend" and cells[2] == "working"
    assert "春节" in html and "调休上班" in html
    assert "导入放假安排" not in html  # a clerk is not offered the import
    assert "?year=2026&amp;month=3" in html and "?year=2025&amp;month=2" in html
    assert_no_codes(html)
    # A month out of range falls back to this month instead of failing.
    odd = _login(users["market_clerk"]).get("/backoffice/calendar/?year=99999&month=13")
    assert odd.status_code == 200


def test_the_credit_office_imports_a_year_after_a_preview(users):
    office = _login(users["operator"])
    cells = _cells(office.get("/backoffice/calendar/?year=2027&month=1").content.decode())
    assert set(cells.values()) == {"uncovered"}
    WorkdayOverride.objects.create(day=datetime.date(2027, 3, 1), is_workday=False, name="旧",
                                   basis="旧依据", created_by="x")  # fmt: skip
    before = AuditEvent.objects.count()

    preview = office.post("/backoffice/calendar/import/", {"step": "preview", "text": NOTICE_2027})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "预览：2027 年" in html and "元旦" in html and "2月20日" in html
    assert "共 10 天放假、1 天调休上班" in html
    assert "2027-03-01 旧" in html  # what the import will remove is shown
    assert_no_codes(html)
    assert WorkdayOverride.objects.filter(day__year=2027).count() == 1  # nothing written yet
    assert AuditEvent.objects.count() == before

    done = office.post("/backoffice/calendar/import/", {"step": "confirm", "text": NOTICE_2027})
    assert done.status_code == 302 and done["Location"].endswith("?year=2027&month=1")
    rows = WorkdayOverride.objects.filter(day__year=2027)
    assert rows.filter(is_workday=False).count() == 10
    assert [str(d) for d in rows.filter(is_workday=True).values_list("day", flat=True)] == [
        "2027-02-20"
    ]
    assert not rows.filter(day="2027-03-01").exists()
    assert CalendarYear.objects.get(year=2027).basis.startswith("《国务院办公厅关于2027年")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "calendar.year_confirm" and event.detail["holidays"] == 10
    cells = _cells(office.get("/backoffice/calendar/?year=2027&month=1").content.decode())
    assert cells[1] == "holiday" and cells[3] == "holiday"
    assert cells[4] == "working" and cells[9] == "weekend"  # a confirmed year: weekdays work
    cells = _cells(office.get("/backoffice/calendar/?year=2027&month=2").content.decode())
    assert cells[5] == "holiday" and cells[20] == "makeup" and cells[21] == "weekend"


@pytest.mark.parametrize(
    "text",
    [
        NOTICE_2026.replace("共9天", "共10天"),
        NOTICE_2026.replace("（周四）", "（周五）"),
        "国务院办公厅关于2027年部分节假日安排的通知",
        "一、元旦：1月1日\x00放假",
        "x" * 30000,
    ],
)
def test_a_wrong_notice_writes_nothing(users, text):
    office = _login(users["operator"])
    before = _counts()
    for step in ("preview", "confirm"):
        r = office.post("/backoffice/calendar/import/", {"step": step, "text": text})
        assert r.status_code == 400, step
        if "\x00" not in text:  # (a NUL is refused before the view, by the input guard)
            assert field_error(r.content.decode(), "text")  # beside the text
    assert _counts() == before


def _counts() -> tuple[int, int, int]:
    return (WorkdayOverride.objects.count(), CalendarYear.objects.count(),
            AuditEvent.objects.count())  # fmt: skip


def test_only_the_credit_office_imports(users):
    clerk = _login(users["market_clerk"])
    assert clerk.get("/backoffice/calendar/import/").status_code == 403
    r = clerk.post("/backoffice/calendar/import/", {"step": "confirm", "text": NOTICE_2027})
    assert r.status_code == 403
    assert not WorkdayOverride.objects.filter(day__year=2027).exists()
