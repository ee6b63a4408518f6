"""The scorecards' figures against the known city of ``conftest`` (exact numbers), the
change from the month before, the twelve-month trend, who sees which department, and the
months and departments refused with their field and rule."""

import datetime

import pytest

from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.stats import scorecards
from xinyong.stats.scorecards import Rate

OCTOBER = datetime.date(2026, 10, 1)


def _by_name(cards):
    return {c.name: c.figures for c in cards}


def test_every_figure_of_a_month_exactly(city, actors):
    got = _by_name(scorecards.month_cards(actor=actors["operator"], month=OCTOBER))
    assert list(got) == ["市市场监督管理局", "市税务局", "市住房和城乡建设局"]  # no credit office
    market = got["市市场监督管理局"]
    assert market == {
        "publicity": Rate(3, 4, 75.0, 50.0, 25.0),
        "accepted": Rate(8, 10, 80.0, 90.0, -10.0),
        "check_feedback": Rate(2, 3, 66.7, None, None),
        "task_feedback": Rate(1, 2, 50.0, None, None),
        "objections": Rate(1, 3, 33.3, 100.0, -66.7),
        "repairs": Rate(1, 2, 50.0, None, None),
        "commitments": Rate(2, 3, 66.7, None, None),
    }
    tax = got["市税务局"]
    assert tax["publicity"] == Rate(0, 1, 0.0, None, None)
    assert tax["task_feedback"] == Rate(1, 1, 100.0, None, None)
    assert tax["check_feedback"] == Rate(0, 0, None, None, None)
    assert all(r.rate is None for r in got["市住房和城乡建设局"].values())


def test_the_month_before_and_the_month_after(city, actors):
    """September is the base of October's change; November holds only the publication
    made 10 minutes into it (local time), September none of October's."""
    september = _by_name(
        scorecards.month_cards(actor=actors["operator"], month=datetime.date(2026, 9, 1))
    )["市市场监督管理局"]
    assert september["publicity"] == Rate(1, 2, 50.0, None, None)
    assert september["objections"] == Rate(1, 1, 100.0, None, None)
    november = _by_name(
        scorecards.month_cards(actor=actors["operator"], month=datetime.date(2026, 11, 1))
    )["市市场监督管理局"]
    assert november["publicity"] == Rate(1, 1, 100.0, 75.0, 25.0)
    assert november["objections"].denominator == 0


def test_a_departments_twelve_months(city, actors):
    dept, rows = scorecards.trend(actor=actors["market_clerk"], code="SCJG", month=OCTOBER)
    assert dept.name == "市市场监督管理局"
    assert [m for m, _ in rows[::11]] == ["2025-11", "2026-10"] and len(rows) == 12
    figures = dict(rows)
    assert figures["2026-10"]["publicity"] == Rate(3, 4, 75.0, 50.0, 25.0)
    assert figures["2026-09"]["accepted"] == Rate(9, 10, 90.0, 100.0, -10.0)
    assert figures["2026-08"]["accepted"] == Rate(1, 1, 100.0, None, None)  # 华为's batch
    assert figures["2026-08"]["publicity"].denominator == 0


def test_a_department_sees_its_own_only(city, actors):
    mine = scorecards.month_cards(actor=actors["tax_clerk"], month=OCTOBER)
    assert [c.name for c in mine] == ["市税务局"]
    with pytest.raises(PermissionDenied):
        scorecards.trend(actor=actors["tax_clerk"], code="SCJG", month=OCTOBER)
    auditor = scorecards.month_cards(actor=actors["auditor"], month=OCTOBER)
    assert len(auditor) == 3


@pytest.mark.parametrize(
    ("raw", "rule"),
    [("2026-13", "month.format"), ("2026-1", "month.format"), ("abc", "month.format"),
     ("1999-12", "month.format"), ("2026-10\x00", "month.format"), (None, "month.format"),
     ("2999-01", "month.future")],
)  # fmt: skip
def test_bad_months_are_refused_naming_the_field(raw, rule):
    with pytest.raises(ValidationFailed) as e:
        scorecards.parse_month(raw, today=datetime.date(2026, 12, 3))
    assert [(x.field, x.rule) for x in e.value.errors] == [("month", rule)]


def test_the_current_month_is_not_ended():
    today = datetime.date(2026, 12, 3)
    assert scorecards.parse_month("2026-12", today=today) == datetime.date(2026, 12, 1)
    with pytest.raises(ValidationFailed) as e:
        scorecards.parse_month("2026-12", today=today, ended=True)
    assert e.value.errors[0].rule == "month.not_ended"


def test_an_unknown_department_is_refused_naming_the_field(city, actors):
    with pytest.raises(ValidationFailed) as e:
        scorecards.trend(actor=actors["operator"], code="NOPE", month=OCTOBER)
    assert [(x.field, x.rule) for x in e.value.errors] == [("department", "department.unknown")]


def test_the_feedback_figure_is_the_same_from_the_checks_rollup(city, actors):
    """The measures returned by the checks come from the rollup before its watermark and
    live after it: the figures do not move when the rollup is refreshed between October's
    two checks, nor after a full rebuild; a check ten minutes into November (local time)
    counts in November on both paths."""
    from xinyong.accounts.models import Department
    from xinyong.stats.rollups import checks_rollup_refresh
    from xinyong.stats.tests.conftest import _check, at

    _check(Department.objects.get(code="SCJG"), at(11, 1, 0, 10), ["raise_inspection"],
           answered=["raise_inspection"])  # fmt: skip

    def figures():
        def month(m):
            cards = scorecards.month_cards(actor=actors["operator"], month=m)
            return _by_name(cards)["市市场监督管理局"]["check_feedback"]

        return month(OCTOBER), month(datetime.date(2026, 11, 1))

    live = figures()
    assert live == (Rate(2, 3, 66.7, None, None), Rate(1, 1, 100.0, 66.7, 33.3))
    checks_rollup_refresh(now=at(10, 5, 23))  # the check of 5 October rolled up
    assert figures() == live
    checks_rollup_refresh(rebuild=True)  # every check rolled up
    assert figures() == live


def test_the_publicity_figure_is_the_same_from_the_publications_rollup(city, actors):
    """Publications are counted by the month they went public from the rollup before its
    mark and live after it: rebuilt in the middle of October, then after everything, the
    figures of September, October and November (one published ten minutes into it, local
    time) do not move."""
    from xinyong.stats.rollups import publications_rollup_rebuild
    from xinyong.stats.tests.conftest import at

    def figures():
        return [
            _by_name(scorecards.month_cards(actor=actors["operator"], month=m))["市市场监督管理局"][
                "publicity"
            ]
            for m in (datetime.date(2026, 9, 1), OCTOBER, datetime.date(2026, 11, 1))
        ]

    live = figures()
    assert [r.denominator for r in live] == [2, 4, 1]
    publications_rollup_rebuild(now=at(10, 15))
    assert figures() == live
    publications_rollup_rebuild()
    assert figures() == live
    _dept, rows = scorecards.trend(actor=actors["market_clerk"], code="SCJG", month=OCTOBER)
    assert dict(rows)["2026-10"]["publicity"] == Rate(3, 4, 75.0, 50.0, 25.0)
