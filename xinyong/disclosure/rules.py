"""Publicity periods of penalty decisions, from the rules table (:class:`PublicityRule`).

Periods are counted as the Civil Code counts them (arts. 201–202): from the decision date,
the day itself not counted; a period of N months ends on the corresponding day N months
later, or on that month's last day when it has no such day (2024-02-29 + 12 months ends
2025-02-28). ``public_until`` and ``min_until`` are the last days of the maximum and the
minimum period."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from xinyong.catalog import selectors as catalog
from xinyong.catalog.choices import PublicityMode
from xinyong.disclosure.choices import PenaltyClass

KINDS = "CF_CFLB"  # penalty kinds, several joined by ';' (the row check's canonical form)
PROCEDURE = "CF_CXLX"  # 程序类型: 简易程序 / 普通程序
SEVERITY = "CF_YZCD"  # 失信严重程度 the deciding department states: 一般 / 严重
END = "CF_GSJZQ"  # 公示截止期: when supplied, the department's own end of publicity
DEADLINE_WORKDAYS = 7  # public within 7 working days of the decision
WITHDRAW_WORKDAYS = 3  # a withdrawn decision leaves public view within 3 working days


def dual_publicity_items() -> dict[str, str]:
    """Item code → publicity mode of the items whose records the sweep publishes (licences
    while valid, penalties by the publicity rules)."""
    modes = (PublicityMode.WHILE_VALID, PublicityMode.PERIOD_RULES)
    return {
        d.code: d.publicity.mode for _, d in catalog.catalog_items() if d.publicity.mode in modes
    }


@dataclass(frozen=True)
class Rule:
    penalty_class: str
    publish: bool
    min_months: int | None
    max_months: int | None
    kinds: frozenset[str]
    basis: str


@dataclass(frozen=True)
class Period:
    """How one penalty decision is published."""

    penalty_class: str
    publish: bool
    public_until: datetime.date | None  # last day shown; None when not published
    min_until: datetime.date | None  # last day of the minimum period (repair after it)
    basis: str


def _kinds(data: dict) -> set[str]:
    return {k for k in str(data.get(KINDS) or "").split(";") if k}


def classify(data: dict, rules: dict[str, Rule]) -> str:
    """The class of a decision: summary procedure; only warnings / circulated criticism;
    otherwise the class with the longest period among the department's statement of
    severity and the classes its penalty kinds fall in."""
    if data.get(PROCEDURE) == "简易程序":
        return PenaltyClass.SUMMARY
    kinds = _kinds(data)
    warning = rules[PenaltyClass.WARNING].kinds
    if kinds and kinds <= warning and data.get(SEVERITY) != "严重":
        return PenaltyClass.WARNING
    found = {PenaltyClass.GENERAL}
    if data.get(SEVERITY) == "严重" or kinds & rules[PenaltyClass.SERIOUS].kinds:
        found.add(PenaltyClass.SERIOUS)
    return max(found, key=lambda c: (rules[c].max_months or 0, rules[c].min_months or 0, c))


def penalty_period(data: dict, decision: datetime.date, rules: dict[str, Rule]) -> Period:
    rule = rules[classify(data, rules)]
    if not rule.publish:
        return Period(rule.penalty_class, False, None, None, rule.basis)
    supplied = data.get(END)
    until = (
        datetime.date.fromisoformat(supplied)
        if supplied
        else decision + relativedelta(months=rule.max_months or 0)
    )
    return Period(
        rule.penalty_class,
        True,
        until,
        decision + relativedelta(months=rule.min_months or 0),
        rule.basis,
    )


def shown_q(today: datetime.date, via: str = ""):
    """The one rule of what is public now: published by the sweep, and its period (or the
    licence's validity) not ended — checked at read time too, so an end takes effect before
    the next sweep records it. ``via`` is the path to the publication (``"publication__"``
    from a record)."""
    from django.db.models import Q

    return Q(**{f"{via}status": "public"}) & (
        Q(**{f"{via}public_until__isnull": True}) | Q(**{f"{via}public_until__gte": today})
    )
