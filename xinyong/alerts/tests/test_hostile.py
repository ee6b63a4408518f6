"""Hostile input in every field of early warning's back-office forms (Hypothesis): NUL
bytes, lone surrogates, numbers beyond 64 bits, JSON that is not JSON. No answer may be a
5xx; a refused form writes nothing (no step on the alert, no rule version)."""

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.alerts.models import Alert, AlertEvent, AlertRule
from xinyong.commitments.tests.test_backoffice_hostile import EXAMPLES, SETTINGS, _post, values
from xinyong.core.tests import fuzzstats

pytestmark = pytest.mark.django_db

STEP = ["step", "outcome", "note"]
RULE = [
    "code",
    "name",
    "evaluator",
    "params",
    "recipients",
    "departments",
    "notify_subject",
    "active",
]
params = st.one_of(
    values,
    st.sampled_from(
        [
            '{"days": 1e999}',
            '{"days": -1}',
            "[]",
            "null",
            '{"count": 99999999999999999999}',
            '{"a":' * 50,
        ]
    ),
)


def test_hostile_forms_answer_without_5xx_and_write_nothing(users, alert):
    clerk, office = Client(), Client()
    clerk.force_login(users["market_clerk"])
    office.force_login(users["operator"])
    counts = lambda: (  # noqa: E731
        AlertEvent.objects.count(),
        sum(AlertRule.objects.values_list("version", flat=True)),
        Alert.objects.filter(status="closed").count(),
    )
    state = [counts()]
    rule_id = AlertRule.objects.get(code="grade_fall").pk
    targets = [
        (clerk, f"/backoffice/alerts/{alert.pk}/", STEP),
        (office, "/backoffice/alerts/rules/", RULE),
        (office, f"/backoffice/alerts/rules/{rule_id}/", RULE),
    ]

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(st.sampled_from(targets), st.data())
    def check(target, data):
        client, url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(params if name == "params" else values) for name in chosen}
        if "step" in fields:
            fields["step"] = data.draw(st.sampled_from(["close", "x", fields["step"]]))
        with fuzzstats.timed("alert forms (hostile)"):
            r = _post(client, url, fields)
        fuzzstats.record("alert forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # a step some random text was enough for
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()


@pytest.mark.parametrize(
    "code",
    ["", "坏\x00", "\ud800", "A" * 400, "grade fall", "1abc", "nope'; DROP TABLE x; --"],
)
def test_the_command_refuses_a_hostile_rule_code_naming_it_and_writes_nothing(alert, code):
    from django.core.management import CommandError, call_command

    from xinyong.audit.models import AuditEvent

    before = (AuditEvent.objects.count(), Alert.objects.count())
    with pytest.raises(CommandError, match=r"^--rule："):
        call_command("alerts_run", "--rule", code)
    assert (AuditEvent.objects.count(), Alert.objects.count()) == before


STEPS = st.lists(
    st.sampled_from(["on", "off", "run", "run", "acknowledge", "close", "bad_close"]),
    min_size=1,
    max_size=8,
)


def test_any_sequence_of_facts_runs_and_steps_keeps_auto_close_and_dedup_true(
    org_with_rep, departments, actors
):
    """Random sequences of the listing coming and going, runs of the rules, the clerk
    acknowledging, closing (as a false alarm) and closing with a hostile note: after each
    step, the open alerts are what a simple model says — a run raises one when the rule
    holds and nothing holds it back, closes it (with its note) when the rule lapsed, and a
    department's closing holds back the same facts only until the rule lapses."""
    from xinyong.alerts import services
    from xinyong.alerts.choices import OPEN
    from xinyong.alerts.evaluators import EVALUATORS
    from xinyong.alerts.run import alerts_run
    from xinyong.alerts.tests.conftest import entry, rule
    from xinyong.audit.models import AuditEvent
    from xinyong.core.errors import ValidationFailed
    from xinyong.lists.models import ListEntry

    rule("abnormal_listed", params={"days": 30})
    listing = entry(org_with_rep, "abnormal_operations", departments["market"])
    clerk = actors["market_clerk"]
    note = f"规则不再成立，系统自动关闭：{EVALUATORS['abnormal_listed'].lapsed}"

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(STEPS)
    def check(steps):
        Alert.objects.all().delete()
        ListEntry.objects.filter(pk=listing.pk).update(status="published")
        audited = AuditEvent.objects.filter(action="alerts.auto_close").count()
        holds, is_open, memory = True, False, False
        for step in steps:
            alert = Alert.objects.filter(status__in=OPEN).first()
            if step in ("on", "off"):
                holds = step == "on"
                status = "published" if holds else "removed"
                ListEntry.objects.filter(pk=listing.pk).update(status=status)
            elif step == "run":
                (run,) = alerts_run()
                if holds and not is_open and not memory:
                    is_open = True
                    assert len(run.raised) == 1
                elif not holds:
                    audited += bool(is_open or memory)
                    assert len(run.closed) == int(is_open) and run.forgotten == int(memory)
                    is_open = memory = False
            elif step == "acknowledge" and alert and alert.status == "open":
                services.alert_acknowledge(actor=clerk, alert_id=alert.pk)
            elif step == "close" and alert:
                services.alert_close(actor=clerk, alert_id=alert.pk, outcome="false_alarm",
                                     note="已核实")  # fmt: skip
                is_open, memory = False, True
            elif step == "bad_close" and alert:
                with pytest.raises(ValidationFailed):
                    services.alert_close(actor=clerk, alert_id=alert.pk, outcome="lapsed",
                                         note="坏\x00")  # fmt: skip
            assert Alert.objects.filter(status__in=OPEN).count() == int(is_open), steps
            lapsed = Alert.objects.filter(outcome="lapsed")
            assert all(a.note == note and a.lapsed_at and a.closed_by == "system"
                       for a in lapsed), steps  # fmt: skip
            assert AuditEvent.objects.filter(action="alerts.auto_close").count() == audited

    check()
