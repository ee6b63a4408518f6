"""The notice of an intended industry sanction (行业惩戒事先告知书), as data for the
platform's one document layout (``reports.render.render_document``: a real PDF with an
embedded CJK font). Addressed to the member; in Chinese whatever the interface language."""

from django.conf import settings

from xinyong.associations.choices import SanctionKind
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


def notice_pdf(s) -> tuple[str, bytes]:
    return f"行业惩戒告知书-{s.number}.pdf", render_document(notice_doc(s))
