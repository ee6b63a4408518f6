"""Working days by the official calendar: real holiday seasons with their make-up working
days, the operator's corrections, and the alarm for a year nobody has entered."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core import services, workdays
from xinyong.core.checks import calendar_covered
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = [pytest.mark.django_db, pytest.mark.calendar_uncovered]
D = datetime.date.fromisoformat


@pytest.mark.parametrize(
    ("decision", "deadline", "why"),
    [
        ("2024-09-27", "2024-10-12", "National Day 2024: Sun 9-29 and Sat 10-12 are working days"),
        ("2025-01-24", "2025-02-10", "Spring Festival 2025: Sun 1-26 and Sat 2-8 are working days"),
        ("2025-09-26", "2025-10-13", "National Day 2025 (8 days): Sun 9-28 and Sat 10-11 worked"),
        ("2026-02-12", "2026-02-28", "Spring Festival 2026 (9 days): Sat 2-14 and Sat 2-28 worked"),
        ("2026-09-30", "2026-10-15", "National Day 2026: Sat 10-10 is a working day"),
        ("2026-11-20", "2026-12-01", "an ordinary fortnight: weekends only"),
    ],
)
def test_seven_working_days_after_real_decisions(decision, deadline, why):
    assert workdays.add_workdays(D(decision), 7) == D(deadline), why
    assert workdays.workdays_between(D(decision), D(deadline)) == 7


def test_make_up_days_and_holidays():
    assert workdays.is_workday(D("2026-02-14"))  # a Saturday worked for the Spring Festival
    assert not workdays.is_workday(D("2026-02-16"))  # a Monday off
    assert not workdays.is_workday(D("2026-11-21"))  # an ordinary Saturday
    assert workdays.workdays_between(D("2026-02-12"), D("2026-02-12")) == 0


def test_year_not_covered_is_an_alarm_not_a_guess():
    with pytest.raises(workdays.CalendarNotCovered) as e:
        workdays.add_workdays(D("2026-12-28"), 7)  # runs into 2027
    assert e.value.year == 2027 and "2027" in str(e.value) and "xinyong workdays" in str(e.value)
    assert workdays.alarm_years(D("2026-11-25")) == [2027]  # 36 days before it begins
    assert workdays.alarm_years(D("2026-06-01")) == []
    assert workdays.alarm_years(D("2027-03-01")) == [2027]  # in it: deadlines stop now
    warnings = calendar_covered(None, databases=["default"])
    assert [w.id for w in warnings] == (
        ["xinyong.W002"] * len(workdays.alarm_years(datetime.date.today()))
    )


def test_operator_enters_and_confirms_a_year():
    def holiday(day, name):
        services.workday_override_save(
            actor=SYSTEM, day=D(day), is_workday=False, name=name, basis="国办发明电〔2026〕7号"
        )

    with pytest.raises(ValidationFailed) as e:
        services.calendar_year_confirm(actor=SYSTEM, year=2027, basis="国办发明电〔2026〕7号")
    assert e.value.errors[0].rule == "calendar.no_holidays"
    holiday("2027-01-01", "元旦")
    services.calendar_year_confirm(actor=SYSTEM, year=2027, basis="国办发明电〔2026〕7号")
    # 2026-12-28 (Mon): 29, 30, 31 Dec; 1 Jan off, a weekend; 4, 5, 6, 7 Jan → the 7th is 7 Jan.
    assert workdays.add_workdays(D("2026-12-28"), 7) == D("2027-01-07")
    assert (
        AuditEvent.objects.filter(action__in=["workday.set", "calendar.year_confirm"]).count() == 2
    )


def test_override_wins_over_the_shipped_calendar():
    services.workday_override_save(
        actor=SYSTEM, day=D("2026-12-01"), is_workday=False, name="台风停工",
        basis="市政府通告（测试）",
    )  # fmt: skip
    assert workdays.add_workdays(D("2026-11-20"), 7) == D("2026-12-02")
    services.workday_override_delete(actor=SYSTEM, day=D("2026-12-01"))
    assert workdays.add_workdays(D("2026-11-20"), 7) == D("2026-12-01")


def test_only_the_operator_edits_and_basis_is_required(actors):
    with pytest.raises(PermissionDenied):
        services.workday_override_save(
            actor=actors["market_clerk"], day=D("2026-12-01"), is_workday=False, name="x",
            basis="y",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.workday_override_save(
            actor=actors["operator"], day=D("2026-12-01"), is_workday=False, name="x", basis=" "
        )
    assert e.value.errors[0].field == "basis"


def test_workdays_command():
    out = io.StringIO()
    call_command("workdays", "deadline", "2026-02-12", "7", stdout=out)
    assert out.getvalue().strip() == "2026-02-28"
    out = io.StringIO()
    call_command("workdays", "show", "2027", stdout=out)
    assert "未覆盖" in out.getvalue()
    with pytest.raises(CommandError, match="工作日历未覆盖 2027 年"):
        call_command("workdays", "deadline", "2026-12-28", "7", stdout=io.StringIO())
    with pytest.raises(CommandError, match="basis"):
        call_command("workdays", "set", "2027-01-01", "holiday", "--name", "元旦")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("workdays", "deadline", "2026-2-30", "7")


def test_dashboard_raises_the_calendar_alarm(users, monkeypatch):
    from django.test import Client

    monkeypatch.setattr(workdays, "alarm_years", lambda today: [2027])
    c = Client()
    c.force_login(users["operator"])
    html = c.get("/backoffice/").content.decode()
    assert "工作日历未覆盖 2027 年" in html and 'role="alert"' in html
    assert "/backoffice/calendar/import/" in html
    # Only the credit office, who enters the calendar, is told (issue #14).
    c.force_login(users["market_clerk"])
    assert "工作日历未覆盖" not in c.get("/backoffice/").content.decode()
