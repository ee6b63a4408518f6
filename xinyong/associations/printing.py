"""The documents a member holds about an industry sanction — the notice of the intended
sanction (行业惩戒事先告知书), the decision (行业惩戒决定书, or the decision to drop the
case) and the revocation of a decision (撤销行业惩戒决定书) — as data for the platform's
one document layout (``reports.render.render_document``: a real PDF with an embedded CJK
font). Addressed to the member; in Chinese whatever the interface language."""

from django.conf import settings

from xinyong.associations.choices import RevocationGround, SanctionKind, SanctionStatus
from xinyong.lists.printing import cn_date, numbered, sentence
from xinyong.reports.render import render_document
from xinyong.reports.schemas import DocumentDoc, LabelValue


def notice_doc(s) -> DocumentDoc:
    """``s``: a sanction that was notified (its statement period is set)."""
    measure = str(SanctionKind(s.kind).label)
    facts = [
        LabelValue(name="会员单位", value=s.subject.name),
        LabelValue(name="统一社会信用代码", value=s.subject.uscc or "——"),
        LabelValue(name="拟采取的惩戒措施", value=measure),
        LabelValue(name="陈述申辩截止日期", value=cn_date(s.statement_due)),
    ]
    published = (
        "公开谴责将在信用门户网站公示，并记入贵单位的信用档案。"
        if s.kind == SanctionKind.CENSURE
        else "该惩戒措施将记入贵单位的信用档案，不在门户网站公示。"
    )
    sections = numbered(
        [
            ("违规事实", [sentence(s.facts)]),
            ("依据", [sentence(s.basis)]),
            ("理由", [sentence(s.reasons)]),
            (
                "陈述申辩",
                [
                    f"贵单位可在{cn_date(s.statement_due)}前登录信用门户，通过已绑定的账号"
                    "提出陈述和申辩；逾期未提出的，视为放弃陈述申辩的权利。",
                    published,
                ],
            ),
        ]
    )
    return DocumentDoc(
        title="行业惩戒事先告知书",
        issuer=s.association.name,
        number=s.number,
        addressee=s.subject.name,
        facts=facts,
        intro=[f"本会拟依据行业自律规则对贵单位采取“{measure}”的惩戒措施，现将有关事项告知如下。"],
        sections=sections,
        closing=["特此告知。"],
        signed_on=cn_date(s.notified_at),
        platform=settings.XINYONG_PLATFORM_NAME,
    )


def _member(s, measure: str) -> list[LabelValue]:
    return [
        LabelValue(name="会员单位", value=s.subject.name),
        LabelValue(name="统一社会信用代码", value=s.subject.uscc or "——"),
        LabelValue(name="惩戒措施", value=measure),
    ]


def _hearing(s) -> str:
    if s.statement:
        return f"贵单位于{cn_date(s.statement_at)}提出陈述申辩：{sentence(s.statement)}"
    return "贵单位在陈述申辩期内未提出陈述申辩。"


def decision_doc(s) -> DocumentDoc:
    """``s``: a decided case (decided, dropped, or decided and later revoked)."""
    measure = str(SanctionKind(s.kind).label)
    dropped = s.status == SanctionStatus.DROPPED
    if dropped:
        head = f"经审查，本会决定对贵单位不予采取“{measure}”的惩戒措施，本案终结。"
        outcome = [head, sentence(s.decision_reasons)]
        effect = ["本决定不记入贵单位的信用档案。"]
    else:
        head = f"经审查，本会决定对贵单位采取“{measure}”的惩戒措施。"
        outcome = [head, sentence(s.decision_reasons)]
        effect = ["本决定记入贵单位的信用档案。"]
        if s.kind == SanctionKind.CENSURE and s.publish_until:
            until = cn_date(s.publish_until)
            effect.append(
                f"公开谴责在信用门户网站公示至{until}；公示期满前，"
                "贵单位可依照信用修复规定申请信用修复。"
            )
        else:
            effect.append("该惩戒措施不在门户网站公示。")
    return DocumentDoc(
        title="不予行业惩戒决定书" if dropped else "行业惩戒决定书",
        issuer=s.association.name,
        number=s.number,
        addressee=s.subject.name,
        facts=_member(s, measure),
        intro=[f"本会于{cn_date(s.notified_at)}向贵单位送达行业惩戒事先告知书，现作出决定如下。"],
        sections=numbered(
            [
                ("违规事实", [sentence(s.facts)]),
                ("依据", [sentence(s.basis)]),
                ("陈述申辩", [_hearing(s)]),
                ("决定及理由", outcome),
                ("效力", effect),
            ]
        ),
        closing=["特此决定。"],
        signed_on=cn_date(s.decided_at),
        platform=settings.XINYONG_PLATFORM_NAME,
    )


def revocation_doc(s) -> DocumentDoc:
    """``s``: a revoked case."""
    measure = str(SanctionKind(s.kind).label)
    return DocumentDoc(
        title="撤销行业惩戒决定书",
        issuer=s.association.name,
        number=s.number,
        addressee=s.subject.name,
        facts=[*_member(s, measure),
               LabelValue(name="原决定日期", value=cn_date(s.decided_at)),
               LabelValue(name="撤销事由", value=str(RevocationGround(s.revoke_ground).label))],
        intro=[f"本会于{cn_date(s.decided_at)}对贵单位作出的“{measure}”行业惩戒决定（编号"
               f"{s.number}），现决定予以撤销。"],
        sections=numbered([
            ("撤销理由", [sentence(s.revoke_reasons)]),
            ("效力", ["原决定自撤销之日起不再产生效力，其在贵单位信用档案中的记录已撤回"
                      + ("；公开谴责已从信用门户网站撤下。" if s.kind == SanctionKind.CENSURE
                         else "。")]),
        ]),
        closing=["特此决定。"],
        signed_on=cn_date(s.revoked_at),
        platform=settings.XINYONG_PLATFORM_NAME,
    )  # fmt: skip


# Which document a case has: the notice once notified, the decision once decided or
# dropped (a revoked case was decided first), the revocation once revoked.
DOCUMENTS = {
    "notice": ("行业惩戒告知书", notice_doc, lambda s: s.notified_at is not None),
    "decision": ("行业惩戒决定书", decision_doc, lambda s: s.decided_at is not None),
    "revocation": ("撤销行业惩戒决定书", revocation_doc, lambda s: s.revoked_at is not None),
}


def document_pdf(s, which: str) -> tuple[str, bytes] | None:
    """The file name and PDF of the case's ``which`` document, or None when the case has
    none (not yet notified, decided or revoked)."""
    title, build, has = DOCUMENTS.get(which, ("", None, lambda _s: False))
    if not has(s):
        return None
    return f"{title}-{s.number}.pdf", render_document(build(s))


def notice_pdf(s) -> tuple[str, bytes] | None:
    return document_pdf(s, "notice")
