"""Hostile input in every field of the supervision forms (Hypothesis): NUL bytes, lone
surrogates, numbers beyond 64 bits, impossible dates, ids of nothing. No answer is a 5xx;
a refused form writes nothing (no item, inspector, conflict, plan, step or result)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.commitments.tests.test_backoffice_hostile import EXAMPLES, SETTINGS, _post, values
from xinyong.core.tests import fuzzstats
from xinyong.supervision.models import (
    InspectionItem,
    InspectionPlan,
    InspectionTask,
    Inspector,
    InspectorConflict,
)
from xinyong.supervision.tests.conftest import drawn

ITEM = ["name", "legal_basis", "target_kinds", "target_note", "method"]
INSPECTOR = ["form", "name", "badge", "inspector", "uscc", "reason"]
PLAN = ["name", "items", "ratio_a", "ratio_b", "ratio_c", "ratio_d",
        "inspectors_per_department", "period_start", "period_end"]  # fmt: skip
STEP = ["step", "task", "outcome", "inspected_on", "findings", "publish"]


def test_hostile_forms_answer_without_5xx_and_write_nothing(city, actors, client):
    from django.test import Client

    from xinyong.accounts.models import User

    p = drawn(actors["market_clerk"], [city["item"]])
    clerk = Client()
    clerk.force_login(User.objects.get(username="market_clerk"))

    def counts():
        return (InspectionItem.objects.count(), Inspector.objects.count(),
                InspectorConflict.objects.count(), InspectionPlan.objects.count(),
                InspectionTask.objects.exclude(status="assigned").count(),
                InspectionPlan.objects.get(pk=p.pk).status)  # fmt: skip

    state = [counts()]
    base = "/backoffice/inspections/"

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(
        st.sampled_from([(base + "items/", ITEM), (base + "inspectors/", INSPECTOR),
                         (base + "plans/", PLAN), (f"{base}plans/{p.pk}/", STEP)]),
        st.data(),
    )  # fmt: skip
    def check(target, data):
        url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        if "form" in fields:
            fields["form"] = data.draw(st.sampled_from(["inspector", "conflict", fields["form"]]))
        if "step" in fields:
            fields["step"] = data.draw(st.sampled_from(["freeze", "draw", "seed", "x"]))
        with fuzzstats.timed("supervision forms (hostile)"):
            r = _post(clerk, url, fields)
        fuzzstats.record("supervision forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # a step some random text was enough for
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()
