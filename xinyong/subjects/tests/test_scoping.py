"""Department scoping of non-public data, and the audit of every such read."""

import datetime

import pytest

from xinyong.accounts.actors import ANONYMOUS
from xinyong.accounts.services import sharing_rule_save
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.subjects import selectors

RID = "11010519491231002X"


def _names(actor, org):
    return [r.person.name for r in selectors.related_persons_visible(actor=actor, subject=org)]


def test_provider_sees_others_do_not_until_a_rule_in_force(actors, departments, org_with_rep):
    assert _names(actors["market_clerk"], org_with_rep) == ["张三"]
    assert _names(actors["tax_clerk"], org_with_rep) == []
    assert _names(actors["operator"], org_with_rep) == ["张三"]
    today = datetime.date.today()
    rule = sharing_rule_save(
        actor=actors["operator"],
        provider=departments["market"],
        consumer=departments["tax"],
        purpose="税收征管",
        valid_from=today - datetime.timedelta(days=30),
    )
    assert _names(actors["tax_clerk"], org_with_rep) == ["张三"]
    assert _names(actors["housing_clerk"], org_with_rep) == []  # the rule is for tax only
    sharing_rule_save(
        actor=actors["operator"],
        provider=departments["market"],
        consumer=departments["tax"],
        purpose=rule.purpose,
        valid_from=today - datetime.timedelta(days=30),
        valid_to=today - datetime.timedelta(days=1),
    )
    assert _names(actors["tax_clerk"], org_with_rep) == []  # expired


def test_every_non_public_read_is_audited(actors, org_with_rep):
    before = AuditEvent.objects.filter(action="related_persons.read").count()
    _names(actors["tax_clerk"], org_with_rep)
    ev = AuditEvent.objects.filter(action="related_persons.read").latest("seq")
    assert AuditEvent.objects.filter(action="related_persons.read").count() == before + 1
    assert (ev.actor_label, ev.object_id, ev.detail) == (
        "tax_clerk",
        str(org_with_rep.pk),
        {"count": 0},
    )


def test_auditor_and_public_cannot_read_related_persons(actors, org_with_rep):
    for actor in (actors["auditor"], ANONYMOUS):
        with pytest.raises(PermissionDenied):
            selectors.related_persons_visible(actor=actor, subject=org_with_rep)


def test_identifier_reveal_needs_purpose_scope_and_is_audited(actors, org_with_rep):
    person = org_with_rep.related_persons.get().person
    with pytest.raises(ValidationFailed) as exc:
        selectors.person_identifier_reveal(actor=actors["market_clerk"], person=person, purpose=" ")
    assert exc.value.errors[0].rule == "reveal.purpose_required"
    with pytest.raises(PermissionDenied):
        selectors.person_identifier_reveal(actor=actors["tax_clerk"], person=person, purpose="核对")
    with pytest.raises(PermissionDenied):
        selectors.person_identifier_reveal(actor=actors["auditor"], person=person, purpose="核对")
    assert not AuditEvent.objects.filter(action="person.identifier_read").exists()
    number = selectors.person_identifier_reveal(
        actor=actors["market_clerk"], person=person, purpose="核对法定代表人"
    )
    assert number == RID
    ev = AuditEvent.objects.get(action="person.identifier_read")
    assert (ev.actor_label, ev.detail["purpose"]) == ("market_clerk", "核对法定代表人")


def test_sharing_rules_are_operator_only_and_validated(actors, departments):
    with pytest.raises(PermissionDenied):
        sharing_rule_save(
            actor=actors["market_clerk"],
            provider=departments["market"],
            consumer=departments["tax"],
            purpose="x",
            valid_from=datetime.date(2024, 1, 1),
        )
    with pytest.raises(ValidationFailed) as exc:
        sharing_rule_save(
            actor=actors["operator"],
            provider=departments["market"],
            consumer=departments["market"],
            purpose="x",
            valid_from=datetime.date(2024, 1, 1),
        )
    assert exc.value.errors[0].rule == "sharing_rule.not_self"
