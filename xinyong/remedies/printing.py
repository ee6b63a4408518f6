"""A correction notice (更正公告) as data for the platform's Typst layout
(``reports.render.render_document``): a list entry revoked because an objection proved it
wrong, announced by the designating department to restore the subject's reputation. Public
(the portal's corrections column); a person's name masked as on that page. An official
document in Chinese whatever the reader's interface language."""

from django.conf import settings

from xinyong.lists.printing import cn_date, numbered, sentence
from xinyong.remedies.schemas import CorrectionNoticeOut
from xinyong.reports.render import render_document
from xinyong.reports.schemas import DocumentDoc, LabelValue


def correction_number(o) -> str:
    return f"更正〔{o.decided_at:%Y}〕第{o.pk}号"


def correction_notice_doc(o) -> DocumentDoc:
    """``o``: the objection whose decision revoked the entry."""
    row = CorrectionNoticeOut.of(o)
    e = o.entry
    facts = [
        LabelValue(name="信用主体", value=row.subject),
        LabelValue(name="名单", value=row.list),
        LabelValue(name="原认定决定书", value=row.decision_no or "——"),
        LabelValue(name="撤销日期", value=cn_date(row.revoked_at)),
    ]
    listed = f"于{cn_date(e.decided_on)}" if e.decided_on else ""
    sections = numbered([
        ("更正事项", [f"{row.department}{listed}以{row.decision_no or '认定决定'}将{row.subject}"
                      f"列入{row.list}。经当事人提出异议，本机关核实认定有误，已于"
                      f"{cn_date(row.revoked_at)}撤销该认定，{row.subject}自撤销之日起不在该名单中。"]),
        ("撤销理由", [sentence(row.reason) or "——"]),
        ("恢复信誉", ["该认定所依据的联合惩戒措施同时解除。因错误认定受到影响的，相关部门和单位"
                      "应当积极采取措施恢复其信誉、消除不良影响。"]),
    ])  # fmt: skip
    return DocumentDoc(
        title="更正公告", issuer=row.department, number=correction_number(o), facts=facts,
        sections=sections, closing=["特此公告。"], signed_on=cn_date(row.revoked_at),
        platform=settings.XINYONG_PLATFORM_NAME,
        footnote=f"本公告在{settings.XINYONG_PLATFORM_NAME}门户网站的“更正公告”栏目公开。",
    )  # fmt: skip


def correction_notice_pdf(o) -> tuple[str, bytes]:
    """The notice's PDF and file name (public: not audited)."""
    return f"更正公告-{o.pk}.pdf", render_document(correction_notice_doc(o))
