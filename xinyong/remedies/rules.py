"""Who may apply for credit repair (信用修复), per kind of information, each rule a small
function whose docstring is its public explanation. Basis: 《失信行为纠正后的信用信息修复
管理办法（试行）》（国家发展改革委令2023年第58号）and the list types' own rules."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.disclosure.choices import PenaltyClass

BASIS = "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）"


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reason: str  # shown to the applicant, with its basis
    needs_performance: bool = False  # proof that the obligations are fulfilled


def record_eligibility(
    record, publication, today: datetime.date, *, censure_min_months: int | None = None
) -> Eligibility:
    """A penalty in public view: a general one ends by itself when its period ends (no
    application); a serious one may be repaired once its minimum period has passed and
    the obligations are fulfilled. A broken or false commitment may be repaired once the
    commitment is kept or the wrong corrected; repair lifts its bar on notify-and-commit.
    An industry association's public censure as :func:`censure_eligibility` says
    (``censure_min_months``: its minimum period). Other information that is wrong is for
    an objection."""
    if record.item_code == CENSURE_ITEM and record.status == "active":
        return censure_eligibility(record, publication, today, censure_min_months)
    if record.item_code == "commitment_breach" and record.status == "active":
        return Eligibility(True, gettext(
            "违背信用承诺的，纠正失信行为、履行承诺后可申请修复；修复后恢复适用告知承诺"
            "（国办发〔2020〕42号）"
        ), True)  # fmt: skip
    if record.item_code != "administrative_penalty" or record.status != "active":
        return Eligibility(False, gettext("该信息不适用信用修复；信息有误的，请提出异议"))
    if publication is None or publication.status != "public":
        return Eligibility(False, gettext("该处罚信息不在公示中，无需修复"))
    if publication.penalty_class != PenaltyClass.SERIOUS:
        return Eligibility(
            False,
            gettext("一般失信行为的处罚信息公示期满自动停止公示，无需申请（%(basis)s）")
            % {"basis": BASIS},
        )
    if publication.min_until and today <= publication.min_until:
        return Eligibility(
            False,
            gettext(
                "严重失信行为的处罚信息须满最短公示期后方可申请修复（最短公示期至%(until)s，%(basis)s）"
            )
            % {"until": f"{publication.min_until:%Y-%m-%d}", "basis": BASIS},
        )
    return Eligibility(True, gettext("已满最短公示期：履行法定义务、纠正失信行为后可申请"), True)


CENSURE_ITEM = "industry_censure"


def censure_eligibility(
    record, publication, today: datetime.date, min_months: int | None
) -> Eligibility:
    """A public censure an industry association decided is shown for the period it set
    (1–36 months). Like a penalty in public view, it may be repaired before that period
    ends once a minimum period has run from the decision — the minimum the publicity rules
    set for a general dishonest act (three months by default; the credit office edits it
    with its basis), since a censure is a measure of the industry's own rules and not a
    statutory finding of serious dishonesty — and the member has corrected the conduct
    (proof required). A censure whose period ends within the minimum ends by itself. The
    association that decided it decides the repair."""
    if publication is None or publication.status != "public":
        return Eligibility(False, gettext("该公开谴责信息不在公示中，无需修复"))
    decided = record.decision_date
    until = decided + relativedelta(months=min_months or 0) if decided else None
    if until is not None and record.valid_to is not None and record.valid_to <= until:
        return Eligibility(
            False,
            gettext("公开谴责的公示期不超过最短公示期，期满自动撤下，无需申请（%(basis)s）")
            % {"basis": BASIS},
        )
    if until is not None and today <= until:
        return Eligibility(
            False,
            gettext("公开谴责须满最短公示期后方可申请修复（最短公示期至%(until)s，%(basis)s）")
            % {"until": f"{until:%Y-%m-%d}", "basis": BASIS},
        )
    return Eligibility(
        True,
        gettext("已满最短公示期：纠正违规行为后可申请，由作出谴责的行业协会商会决定"),
        True,
    )


def entry_repairable_from(entry) -> datetime.date | None:
    """The first day the entry may be repaired by its list's minimum period (from the
    decision that listed it); None when the list sets none."""
    listed = entry.decided_on or (entry.published_at and timezone.localdate(entry.published_at))
    return entry.list_type.repairable_from(listed)


def entry_too_early(entry, early: datetime.date) -> str:
    lt = entry.list_type
    return gettext(
        "“%(list)s”列入满%(months)s个月后方可申请信用修复（提前移出），"
        "本条目自%(early)s起可以申请（依据：%(basis)s）"
    ) % {
        "list": lt.name,
        "months": lt.repair_after_months,
        "early": f"{early:%Y-%m-%d}",
        "basis": lt.repair_after_basis or BASIS,
    }


def entry_eligibility(entry, today: datetime.date) -> Eligibility:
    """A list entry in effect: the designating department decides its removal on repair;
    market bans run their term, and the courts delete their own list."""
    if not entry.is_in_force(today):
        return Eligibility(False, gettext("该名单条目未生效或已移出"))
    if entry.list_type.code == "market_ban":
        return Eligibility(False, gettext("市场和行业禁入按禁入期限执行，不适用信用修复"))
    if entry.external:
        return Eligibility(
            False, gettext("外部名单（如失信被执行人）由作出机关依法移出，不适用本平台修复")
        )
    if (early := entry_repairable_from(entry)) and today < early:
        return Eligibility(False, entry_too_early(entry, early))
    return Eligibility(
        True,
        gettext("纠正失信行为、履行相关义务后可申请，由%(department)s决定")
        % {"department": entry.department.name},
    )


def may_object_to_record(record) -> bool:
    """An objection disputes a record that counts: one in the credit file (a withdrawn or
    expired record counts no more)."""
    return record.status == "active"


def may_object_to_entry(entry, today: datetime.date | None = None) -> bool:
    """An objection disputes an entry in force (before, the statement and defence of the
    designation procedure is the subject's say; after, there is nothing left to dispute)."""
    return entry.is_in_force(today)
