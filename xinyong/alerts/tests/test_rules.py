"""The credit office keeps the rules: parameters validated against the evaluator's schema,
each error naming the field (``params.days``), nothing written when refused; a change
bumps the version and is audited; nobody else may change a rule."""

import pytest

from xinyong.alerts.models import AlertRule
from xinyong.alerts.rules import rule_save
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

GOOD = {"code": "penalties_twice", "name": "半年内两次处罚", "evaluator": "repeated_penalties",
        "params": '{"count": 2, "days": 180}', "recipients": "named", "departments": ["SW"],
        "notify_subject": True}  # fmt: skip


def test_the_credit_office_creates_and_changes_a_rule(actors):
    rule = rule_save(actor=actors["operator"], data=GOOD)
    assert rule.params == {"count": 2, "days": 180, "item_code": "administrative_penalty"}
    assert (rule.version, rule.departments, rule.notify_subject) == (1, ["SW"], True)
    changed = rule_save(
        actor=actors["operator"],
        rule_id=rule.pk,
        data=GOOD | {"params": {"count": 4, "days": 180}, "active": False},
    )
    assert (changed.version, changed.params["count"], changed.active) == (2, 4, False)
    actions = AuditEvent.objects.filter(object_type="alert_rule").values_list("action", flat=True)
    assert list(actions.order_by("seq")) == ["alert_rule.create", "alert_rule.change"]


@pytest.mark.parametrize(
    ("over", "fields"),
    [
        ({"params": '{"count": 1}'}, ["params.count"]),
        ({"params": '{"days": "a year"}'}, ["params.days"]),
        ({"params": '{"dayz": 3}'}, ["params.dayz"]),
        ({"params": "{not json"}, ["params"]),
        ({"params": "[1, 2]"}, ["params"]),
        ({"evaluator": "crystal_ball"}, ["evaluator"]),
        ({"recipients": "everyone"}, ["recipients"]),
        ({"departments": ["NOPE"]}, ["departments"]),
        ({"departments": []}, ["departments"]),
        ({"code": "Bad Code!"}, ["code"]),
        ({"name": ""}, ["name"]),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(actors, over, fields):
    before = (AlertRule.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as e:
        rule_save(actor=actors["operator"], data=GOOD | over)
    assert [err.field for err in e.value.errors] == fields
    assert (AlertRule.objects.count(), AuditEvent.objects.count()) == before


def test_the_parameter_error_names_the_parameter_and_its_meaning(actors):
    with pytest.raises(ValidationFailed) as e:
        rule_save(actor=actors["operator"], data=GOOD | {"params": '{"count": 1}'})
    assert "count（处罚次数不少于）" in e.value.errors[0].message


@pytest.mark.parametrize("who", ["market_clerk", "market_reviewer", "auditor"])
def test_only_the_credit_office_keeps_rules(actors, who):
    with pytest.raises(PermissionDenied):
        rule_save(actor=actors[who], data=GOOD)
    assert not AlertRule.objects.filter(code=GOOD["code"]).exists()
