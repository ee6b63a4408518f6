"""Reads of credit commitments: the matters' rules and templates (kept in memory like the
measures, reloaded every few seconds and at once after a change here), the verdict the
credit check gives — may this subject use notify-and-commit in this matter, and if not why
— and the lists the pages show.

The verdict is on the check's hot path: the rules from memory, the subject's entries as
the check already read them, and one indexed query for its bars in force (a partial index
holds only breached commitments whose bar was not lifted: most subjects have none)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language, gettext

from xinyong.commitments.choices import (
    RESTRICTED_KINDS,
    BreachKind,
    CommitmentKind,
)
from xinyong.commitments.models import CommitmentTemplate, MatterRule, bars_q
from xinyong.core.labels import choice_label
from xinyong.core.memo import Reloaded
from xinyong.core.prepared import Prepared
from xinyong.lists.choices import EntryStatus
from xinyong.sanctions import selectors as sanctions
from xinyong.sanctions.models import Matter

RULES_SECONDS = 5.0
HOT = sanctions.HOT


@dataclass(frozen=True)
class TemplateView:
    id: int
    kind: str
    name: str
    version_id: int
    version: int
    check_method: str
    check_workdays: int | None
    validity_months: int
    legal_basis: str
    exempt_reason: str


@dataclass(frozen=True)
class MatterView:
    id: int
    code: str
    name: str
    time_limit_workdays: int
    high_risk: bool
    high_risk_basis: str
    block_months: int
    templates: dict[str, TemplateView]  # active ones, by kind


@dataclass
class Rules:
    matters: dict[str, MatterView] = field(default_factory=dict)
    by_id: dict[int, MatterView] = field(default_factory=dict)
    # (matter, language) → what the verdict says of the matter itself, whoever asks: kept
    # with the rules it was read from (a reload starts afresh), not formatted per check.
    said: dict[tuple, tuple] = field(default_factory=dict)


def _load() -> Rules:
    out = Rules()
    by_matter: dict[int, dict[str, TemplateView]] = {}
    qs = CommitmentTemplate.objects.filter(active=True).prefetch_related("versions")
    for t in qs:
        latest = max(t.versions.all(), key=lambda v: v.version, default=None)
        if latest is None:
            continue
        by_matter.setdefault(t.matter_id, {})[t.kind] = TemplateView(
            t.pk,
            t.kind,
            t.name,
            latest.pk,
            latest.version,
            t.check_method,
            t.check_workdays,
            t.validity_months,
            t.legal_basis,
            t.exempt_reason,
        )
    rule_of = {r.matter_id: r for r in MatterRule.objects.all()}
    default = MatterRule()
    for m in Matter.objects.all():
        r = rule_of.get(m.pk, default)
        view = MatterView(
            m.pk,
            m.code,
            m.name,
            r.time_limit_workdays,
            r.high_risk,
            r.high_risk_basis,
            r.block_months,
            by_matter.get(m.pk, {}),
        )
        out.matters[m.code] = out.by_id[m.pk] = view
    return out


_rules = Reloaded(_load, RULES_SECONDS)


def rules() -> Rules:
    """The matters' commitment rules and active templates, as signing and the check use them."""
    return _rules.get()


def rules_forget() -> None:
    """After a change of rules or templates: the next read reloads."""
    _rules.forget()


# -- the verdict -------------------------------------------------------------------------
@dataclass
class Verdict:
    allowed: bool  # notify-and-commit / deficiency-tolerant acceptance may be used here
    kinds: list[str]  # the kinds of commitment the subject may sign in this matter now
    barred_kinds: list[str]
    reasons: list[dict]


_SOME_DAY = datetime.date(1, 1, 2)
_BAR_FIELDS = (
    "number",
    "matter_id",
    "bars_every_matter",
    "breach_kind",
    "decided_at",
    "bar_until",
    "case_id",
    "case__status",
    "case__list_type_id",
)
_bars = Prepared(
    bars_q(-7, _SOME_DAY).values_list(*_BAR_FIELDS),
    using=HOT,
    subject_id=-7,
    bar_until__gte=_SOME_DAY,
)


def bars_in_force(subject_id: int, today: datetime.date) -> list[dict]:
    """The subject's breaches whose bar on notify-and-commit still holds."""
    return [
        dict(zip(_BAR_FIELDS, r, strict=True))
        for r in _bars(subject_id=subject_id, bar_until__gte=today)
    ]


def _case(row: dict) -> dict | None:
    if row["case_id"] is None:
        return None
    lt = sanctions.config().lists.get(row["case__list_type_id"])
    status = row["case__status"] or ""
    return {
        "entry_id": row["case_id"],
        "list": lt.code if lt else "",
        "list_name": lt.name if lt else "",
        "status": status,
        "status_label": str(EntryStatus(status).label) if status in EntryStatus.values else "",
    }


def _matter_said(view: MatterView | None, matter: str) -> tuple:
    """The verdict's part that depends on the matter alone: its kinds, the restricted ones
    among them, and why none may be used when that is so."""
    kinds = sorted(view.templates) if view else []
    restricted = [k for k in kinds if k in RESTRICTED_KINDS]
    reasons: list[dict] = []
    if view is not None and view.high_risk:
        reasons.append(
            {
                "code": "matter.high_risk",
                "message": gettext("“%(matter)s”属高风险事项，不适用告知承诺（%(basis)s）")
                % {"matter": view.name, "basis": view.high_risk_basis},
            }
        )
    elif not restricted:
        name = view.name if view else matter
        reasons.append(
            {
                "code": "matter.no_commitment",
                "message": gettext("“%(matter)s”未实行告知承诺或容缺受理") % {"matter": name},
            }
        )
    return view, kinds, restricted, tuple(reasons)


def commitment_verdict(
    subject_id: int | None,
    matter: str,
    *,
    today: datetime.date,
    entries: list[dict] | None = None,
    barred: bool | None = None,
) -> Verdict:
    """Whether the subject may use notify-and-commit (and deficiency-tolerant acceptance)
    in this matter today, and why not: the matter is high-risk or allows neither; the
    subject has an entry in force on a barring list (not under objection: an objection
    suspends its effects); or a breach still bars it — a false commitment in every matter
    for the look-back period, a broken one in its matter for the matter's period — until
    the breach record is repaired or withdrawn. ``entries``: the subject's entries in force
    as the check read them (else read here); ``barred``: whether any bar holds, as the
    check's probe found (False: no bar to read; None: read them)."""
    r = rules()
    head = r.said.get((matter, get_language()))
    if head is None:
        head = r.said[(matter, get_language())] = _matter_said(r.matters.get(matter), matter)
    view, kinds, restricted, said = head
    reasons = list(said)
    if subject_id is None or not restricted:
        return Verdict(False, list(kinds), [], reasons)
    matter_reasons, reasons = reasons, []
    if entries is None:
        entries = sanctions.entries_in_force(subject_id, today)
    lists = sanctions.config().lists
    barring = set(settings.XINYONG_COMMITMENT_BARRING_LISTS)
    for e in entries:
        lt = lists.get(e["list_type_id"])
        if lt is None or lt.code not in barring or e["under_objection"]:
            continue
        reasons.append(
            {
                "code": f"list.{lt.code}",
                "entry_id": e["id"],
                "message": gettext(
                    "该主体在“%(list)s”中（%(decision)s），信用修复前不适用告知承诺和容缺受理"
                )
                % {"list": lt.name, "decision": e["decision_no"] or ""},
            }
        )
    for b in bars_in_force(subject_id, today) if barred is not False else ():
        if not (b["bars_every_matter"] or b["matter_id"] == view.id):
            continue
        decided = b["decided_at"].date().isoformat() if b["decided_at"] else ""
        if b["breach_kind"] == BreachKind.FALSE:
            message = gettext(
                "该主体曾作出虚假承诺（%(number)s，%(decided)s 认定），%(until)s 前在所有事项"
                "中不适用告知承诺和容缺受理，信用修复后解除"
            )
        else:
            message = gettext(
                "该主体在本事项中违背承诺（%(number)s，%(decided)s 认定），%(until)s 前在本"
                "事项中不适用告知承诺和容缺受理，信用修复后解除"
            )
        reasons.append(
            {
                "code": f"commitment.{b['breach_kind']}",
                "commitment": b["number"],
                "until": b["bar_until"],
                "case": _case(b),
                "message": message
                % {"number": b["number"], "decided": decided, "until": b["bar_until"].isoformat()},
            }
        )
    barred = bool(reasons)  # the subject's own: the matter's notes bar nothing more
    allowed_kinds = [k for k in kinds if not (barred and k in RESTRICTED_KINDS)]
    return Verdict(
        not barred, allowed_kinds, restricted if barred else [], matter_reasons + reasons
    )


def kind_label(kind: str) -> str:
    return choice_label(CommitmentKind, kind)
