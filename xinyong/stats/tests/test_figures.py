"""The dashboards' figures against a known world, who sees which department's, and the
filter's refusals (tests/world.py: what is in it)."""

import datetime

import pytest
from django.core.cache import cache

from xinyong.core.errors import FieldError, PermissionDenied, ValidationFailed
from xinyong.sanctions.models import CheckFeedback, CreditCheck, Measure
from xinyong.stats import selectors
from xinyong.stats.rollups import (
    checks_rollup_refresh,
    publications_rollup_rebuild,
    records_rollup_refresh,
)
from xinyong.stats.schemas import StatsFilter, stats_filter
from xinyong.stats.tests import world

F = StatsFilter(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
TODAY = datetime.date(2026, 12, 1)


def charts(actor, f=F) -> dict:
    return {c.key: c for c in selectors.dashboard(actor=actor, f=f)}


def table(chart) -> list[list]:
    return [list(r) for r in chart.rows]


@pytest.mark.django_db
def test_every_figure_of_the_credit_office(actors, departments):
    world.build(departments)
    c = charts(actors["operator"])
    assert table(c["records"]) == [
        ["2026年1月", "市市场监督管理局", "行政处罚信息", 2],
        ["2026年2月", "市市场监督管理局", "行政处罚信息", 1],
        ["2026年2月", "市税务局", "行政许可信息", 1],
    ]
    assert c["records"].categories[:3] == ["2026年1月", "2026年2月", "2026年3月"]
    assert dict(c["records"].series)["市市场监督管理局"][:3] == [2, 1, 0]
    # decided, on time, late, pending, rate
    assert table(c["publicity"]) == [
        ["市市场监督管理局", 3, 1, 1, 1, 50.0],
        ["市税务局", 1, 1, 0, 0, 100.0],
    ]
    assert table(c["lists"]) == [
        ["严重失信主体名单", "已立案", 1],
        ["严重失信主体名单", "已公示（生效）", 2],
    ]
    # checks, hits, answered, rate
    assert table(c["checks"]) == [["市市场监督管理局", 3, 2, 1, 50.0], ["市税务局", 1, 1, 0, 0.0]]
    # applied, not applied, tasks pending, task answer rate, applied rate
    assert table(c["measures"]) == [["市市场监督管理局", 1, 0, 0, None, 100.0],
                                    ["市税务局", 1, 0, 1, 50.0, 100.0]]  # fmt: skip
    # on time, late, open past the deadline, open, rate
    assert table(c["objections"]) == [["市市场监督管理局", 1, 1, 1, 1, 50.0]]
    assert table(c["repairs"]) == table(c["commitments"]) == table(c["inspections"]) == []


@pytest.mark.django_db
def test_the_rollup_counts_what_the_live_count_does(actors, departments):
    built = world.build(departments)
    before = table(charts(actors["operator"])["records"])
    records_rollup_refresh(now=world.at("2026-02-01", 0))  # January and before: rolled up
    assert table(charts(actors["operator"])["records"]) == before
    records_rollup_refresh(now=world.at("2026-03-01", 0))  # the rest, added to it
    assert table(charts(actors["operator"])["records"]) == before
    records_rollup_refresh(rebuild=True)
    assert table(charts(actors["operator"])["records"]) == before
    live = charts(actors["operator"])["publicity"]
    publications_rollup_rebuild()
    rolled = charts(actors["operator"])["publicity"]
    assert table(rolled) == table(live) and "数据截至" in rolled.note
    assert table(charts(actors["market_clerk"])["publicity"]) == [table(live)[0]]
    assert built["records"][0].provider_id == departments["market"].pk


@pytest.mark.django_db
def test_the_checks_rollup_counts_what_the_live_count_does(actors, departments):
    """Checks and hits are counted from the rollup's days and live after its watermark;
    feedback given later to a rolled-up check shows after the next refresh."""
    world.build(departments)
    operator = actors["operator"]
    # department, checks, hits, answered, rate
    live = [["市市场监督管理局", 3, 2, 1, 50.0], ["市税务局", 1, 1, 0, 0.0]]
    assert table(charts(operator)["checks"]) == live
    checks_rollup_refresh(now=world.at("2026-03-02", 12))  # 1 March and half of 2 March
    rolled = charts(operator)["checks"]
    assert table(rolled) == live and "2026-03-02 12:00" in rolled.note
    # applied, not applied, tasks pending, task answer rate, applied rate (as live)
    measures = [["市市场监督管理局", 1, 0, 0, None, 100.0], ["市税务局", 1, 0, 1, 50.0, 100.0]]
    assert table(charts(operator)["measures"]) == measures
    assert table(charts(actors["market_clerk"])["checks"]) == [live[0]]
    # the clerk answers the hit of 2 March, made before the watermark: counted from the
    # next refresh on (the day is counted again, whole)
    hit = CreditCheck.objects.get(at=world.at("2026-03-02"))
    late = world.at("2026-03-05")
    CheckFeedback.objects.create(credit_check=hit, measure=Measure.objects.first(),
                                 applied=False, reason="r", by="x", at=late)  # fmt: skip
    assert table(charts(operator)["checks"]) == live
    assert checks_rollup_refresh(now=world.at("2026-03-06", 0)) == 3  # 2, 3 and 4 March
    assert table(charts(operator)["checks"]) == [["市市场监督管理局", 3, 2, 2, 100.0], live[1]]
    answered = [["市市场监督管理局", 1, 1, 0, None, 50.0], measures[1]]
    assert table(charts(operator)["measures"]) == answered
    checks_rollup_refresh(rebuild=True)
    assert table(charts(operator)["measures"]) == answered
    assert table(charts(operator)["checks"]) == [["市市场监督管理局", 3, 2, 2, 100.0], live[1]]
    assert checks_rollup_refresh() == 0  # nothing new since
    cache.clear()  # the public page's figures are cached
    assert selectors.public_figures()["checks"] == 5  # 4 in the period, 1 before it


@pytest.mark.django_db
def test_a_refresh_in_the_middle_of_a_day_counts_its_checks_once(actors, departments):
    """The day of the watermark is rolled up to the watermark only: a check made later
    that day is counted live, not twice."""
    world.build(departments)
    operator, market = actors["operator"], departments["market"]
    checks_rollup_refresh(now=world.at("2026-03-01", 12))
    measure = Measure.objects.get(code="restrict_honors")
    for hour in (7, 11):  # one before the next refresh, one after it, the same day
        c = CreditCheck.objects.create(
            at=world.at("2026-03-02", hour), department=market, actor="x", matter="m",
            query="q", status="hit", result={"entries": [], "measures": [measure.code]},
        )  # fmt: skip
        CheckFeedback.objects.create(credit_check=c, measure=measure, applied=True, by="x",
                                     at=world.at("2026-03-02", hour))  # fmt: skip
    before = [table(charts(operator)[k]) for k in ("checks", "measures")]
    assert before[1][0][:3] == ["市市场监督管理局", 3, 0]  # applied: the world's and these two
    checks_rollup_refresh(now=world.at("2026-03-02", 9))
    assert [table(charts(operator)[k]) for k in ("checks", "measures")] == before
    checks_rollup_refresh(now=world.at("2026-03-06", 0))
    assert [table(charts(operator)[k]) for k in ("checks", "measures")] == before


@pytest.mark.django_db
def test_a_department_sees_its_own_figures_only(actors, departments):
    world.build(departments)
    c = charts(actors["market_clerk"])
    for key in ("records", "publicity", "checks", "measures", "objections"):
        assert {row[0] if key != "records" else row[1] for row in c[key].rows} == {
            "市市场监督管理局"
        }, key
    assert table(c["lists"]) == [
        ["严重失信主体名单", "已立案", 1],
        ["严重失信主体名单", "已公示（生效）", 1],
    ]
    own = StatsFilter(F.date_from, F.date_to, departments["market"].pk)
    assert table(charts(actors["market_clerk"], own)["checks"]) == table(c["checks"])
    other = StatsFilter(F.date_from, F.date_to, departments["tax"].pk)
    with pytest.raises(ValidationFailed) as e:
        charts(actors["market_clerk"], other)
    assert e.value.errors[0].field == "department"
    # the credit office and the auditor narrow to one department at will
    assert [r[0] for r in charts(actors["auditor"], other)["checks"].rows] == ["市税务局"]


@pytest.mark.django_db
def test_the_public_has_no_dashboard(departments):
    from xinyong.accounts.actors import ANONYMOUS

    with pytest.raises(PermissionDenied):
        selectors.dashboard(actor=ANONYMOUS, f=F)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field, rule",
    [
        ({"date_from": "2026-13-01"}, "date_from", "date.invalid"),
        ({"date_to": "yesterday"}, "date_to", "date.invalid"),
        ({"date_from": "1900-01-01"}, "date_from", "out_of_range"),
        ({"date_from": "2026-06-01", "date_to": "2026-01-01"}, "date_to", "before_start"),
        ({"date_from": "2000-01-01", "date_to": "2026-01-01"}, "date_from", "too_long"),
        ({"department": "NOPE"}, "department", "unknown"),
        ({"department": "X" * 5000}, "department", "unknown"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(departments, params, field, rule):
    with pytest.raises(ValidationFailed) as e:
        stats_filter(params, today=TODAY)
    assert [(x.field, x.rule) for x in e.value.errors] == [(field, rule)]
    assert isinstance(e.value.errors[0], FieldError)


def test_the_default_period_is_the_last_twelve_months():
    f, code = stats_filter({}, today=TODAY)
    assert (f.date_from, f.date_to, f.department_id, code) == (
        datetime.date(2026, 1, 1), TODAY, None, "")  # fmt: skip


@pytest.mark.django_db
def test_the_rollup_command_builds_every_rollup(actors, departments):
    """``xinyong stats_rollup --rebuild`` (after a bulk load): the three rollups built, the
    charts' figures unchanged and each chart saying up to when its rollup counts."""
    import io

    from django.core.management import call_command

    world.build(departments)
    before = {k: table(c) for k, c in charts(actors["operator"]).items()}
    out = io.StringIO()
    call_command("stats_rollup", "--rebuild", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        "records", "checks", "publications"
    ]  # fmt: skip
    after = charts(actors["operator"])
    assert {k: table(c) for k, c in after.items()} == before
    assert "数据截至" in after["publicity"].note and "截至" in after["checks"].note
