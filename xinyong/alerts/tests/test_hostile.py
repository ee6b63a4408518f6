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
