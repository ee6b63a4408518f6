"""What a commitment puts in the credit file, through the ingestion pipeline like any
department's record (provenance, versions, publicity, the report's commitment section):
each commitment as a ``commitment_performance`` record of the accepting department, its
fulfilment status a new version at each step; a decided breach as a ``commitment_breach``
record (negative). Filed in the caller's transaction — the step and its record are one act
— and a watch-list case opened through the list procedure once it committed (a case is
its own durable act); the daily sweep opens any case a crash left unopened."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.commitments.choices import BreachKind, CommitmentKind, CommitmentStatus
from xinyong.commitments.models import Commitment
from xinyong.core import crypto
from xinyong.core.errors import ValidationFailed
from xinyong.ingest.services.single import platform_filer, rows_file
from xinyong.records.models import Record
from xinyong.subjects.choices import IdType, SubjectKind

log = logging.getLogger(__name__)
PERFORMANCE = "commitment_performance"
BREACH = "commitment_breach"
# The fulfilment status as the catalog item states it; a proposed breach is not yet one.
_FILED_STATUS = {
    CommitmentStatus.IN_FORCE: "履行中",
    CommitmentStatus.BREACH_PROPOSED: "履行中",
    CommitmentStatus.KEPT: "已履约",
    CommitmentStatus.BREACHED: "违诺",
    CommitmentStatus.ENDED: "已终止",
    CommitmentStatus.LAPSED: "已届满",
}
_ID_TYPE_NAMES = {IdType.RESIDENT_ID: "身份证", IdType.PASSPORT: "护照号"}


def _subject_block(subject) -> dict:
    if subject.kind == SubjectKind.PERSON:
        return {
            "XDR_MC": subject.name,
            "XDR_LB": "自然人",
            "ZJLX": _ID_TYPE_NAMES.get(subject.id_type, subject.id_type),
            "ZJHM": crypto.decrypt(subject.id_encrypted),
        }
    lb = "个体工商户" if subject.kind == SubjectKind.INDIVIDUAL_BUSINESS else "法人及非法人组织"
    return {"XDR_MC": subject.name, "XDR_LB": lb, "XDR_SHXYM": subject.uscc}


def performance_row(c: Commitment) -> dict:
    text = f"《{c.template.name}》（第 {c.template_version.version} 版）：{c.reason}"
    return {
        **_subject_block(c.subject),
        "CN_BH": c.number,
        "CN_LX": str(CommitmentKind(c.kind).label),
        "CN_NR": text[:4000],
        "CN_RQ": c.signed_at.date().isoformat(),
        "CN_SLDW": c.department.name,
        "CN_LXZT": _FILED_STATUS[c.status],
        "CN_SX": c.matter.name,
        "CN_YXQZ": c.valid_to.isoformat(),
    }


def breach_row(c: Commitment) -> dict:
    return {
        **_subject_block(c.subject),
        "WN_CNBH": c.number,
        "WN_LX": str(CommitmentKind(c.kind).label),
        "WN_SX": c.matter.name,
        "WN_QX": str(BreachKind(c.breach_kind).label),
        "WN_SS": c.breach_reasons[:4000],
        "WN_RDRQ": c.decided_at.date().isoformat(),
        "WN_RDBM": c.department.name,
        "WN_XZQZ": c.bar_until.isoformat() if c.bar_until else "",
    }


def commitments_file(*, actor: Actor, ids: list[int], breach: bool = False) -> None:
    """File these commitments' current state (and, with ``breach``, their breach records)
    in the caller's transaction, one batch per department and item. Staff acting for the
    department file as that department; the platform (the sweep) as the platform."""
    assert transaction.get_connection().in_atomic_block
    qs = Commitment.objects.filter(pk__in=ids).select_related(
        "subject", "department", "matter", "template", "template_version"
    )
    by_department: dict[str, list[Commitment]] = {}
    for c in qs:
        by_department.setdefault(c.department.code, []).append(c)
    filer = platform_filer(actor)
    for code, items in sorted(by_department.items()):
        rows = [performance_row(c) for c in items]
        rows_file(actor=filer, item_code=PERFORMANCE, rows=rows, provider_code=code)
        if breach:
            rows = [breach_row(c) for c in items]
            rows_file(actor=filer, item_code=BREACH, rows=rows, provider_code=code)
    if breach:
        found = dict(
            Record.objects.filter(
                item_code=BREACH, source_id__in=[c.number for c in qs]
            ).values_list("source_id", "pk")
        )
        for c in qs:
            Commitment.objects.filter(pk=c.pk).update(breach_record_id=found.get(c.number))


def case_open(commitment_id: int, by: str) -> None:
    """Open the watch-list case a decided breach calls for, through the list procedure (as
    the accepting department's clerk would, in its own durable transaction), and link it.
    A subject already on the list or with a case open there: that case is linked. Never
    raises: a case left unopened is opened by the daily sweep."""
    from xinyong.lists.choices import BasisKind, EntryStatus
    from xinyong.lists.models import ListEntry
    from xinyong.lists.services import entry_open

    c = Commitment.objects.select_related("matter", "department").get(pk=commitment_id)
    if c.case_id is not None or c.breach_record_id is None or c.lifted_at is not None:
        return
    list_code = settings.XINYONG_COMMITMENT_CASE_LIST
    clerk = Actor(
        kind=ActorKind.SYSTEM,
        label=f"{by}（违诺认定）",
        role=Role.DEPARTMENT_OPERATOR,
        department_id=c.department_id,
    )
    grounds = gettext("%(kind)s：%(reasons)s（承诺编号 %(number)s，“%(matter)s”）") % {
        "kind": BreachKind(c.breach_kind).label,
        "reasons": c.breach_reasons,
        "number": c.number,
        "matter": c.matter.name,
    }
    try:
        entry = entry_open(
            actor=clerk,
            list_code=list_code,
            subject_id=c.subject_id,
            grounds=grounds[:2000],
            legal_basis=gettext(
                "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》"
                "（国办发〔2020〕42号）；违背信用承诺认定（%(number)s）"
            )
            % {"number": c.number},
            basis_kind=BasisKind.OTHER_DECISION,
            basis_document=c.number,
            basis_record_ids=[c.breach_record_id],
            act_date=c.decided_at.date(),
        )
    except ValidationFailed:  # already on the list or a case open: link that one
        entry = (
            ListEntry.objects.filter(subject_id=c.subject_id, list_type__code=list_code)
            .exclude(status__in=(EntryStatus.DROPPED, EntryStatus.REMOVED))
            .order_by("-pk")
            .first()
        )
    except Exception:
        log.exception("watch-list case for commitment %s not opened", c.number)
        return
    if entry is not None:
        Commitment.objects.filter(pk=c.pk).update(case=entry)
