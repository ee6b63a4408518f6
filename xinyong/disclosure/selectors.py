"""Reads of dual publicity."""

from xinyong.disclosure.models import PublicityRule
from xinyong.disclosure.rules import Rule


def publicity_rules() -> dict[str, Rule]:
    """The rules table as the period computation takes it, by penalty class."""
    return {
        r.penalty_class: Rule(
            r.penalty_class, r.publish, r.min_months, r.max_months, frozenset(r.kinds), r.basis
        )
        for r in PublicityRule.objects.all()
    }
