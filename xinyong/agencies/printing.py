"""The documents of a removal from the directory, as data for the platform's one document
layout (``reports.render.render_document``: a real PDF with an embedded CJK font): the
notice (拟移出信用服务机构名录告知书) and the decision — removed (移出决定书) or the case
dropped (终止决定书). Built from the case as the procedure left it, so the PDF says what
the case says; in Chinese whatever the reader's interface language (official documents).

What each says, as the designation procedure's documents do (``lists.printing``): the
notice — the facts, the basis, the reasons, the deadline for the statement and that
silence waives it, and what holds meanwhile; the decision — the same facts and basis,
the answer to the statement (adopted or not), the decision and its reasons, its effects
and, for a removal, the remedies (reconsideration within 60 days, a suit within 6 months)."""

from django.conf import settings

from xinyong.agencies.choices import RemovalStatus
from xinyong.agencies.models import Removal
from xinyong.agencies.services.removal import STATEMENT_WORKDAYS
from xinyong.lists.choices import StatementAdoption
from xinyong.lists.printing import cn_date, numbered, sentence
from xinyong.reports.render import render_document
from xinyong.reports.schemas import DocumentDoc, LabelValue


def _agency_facts(case: Removal) -> list[LabelValue]:
    agency = case.agency
    return [
        LabelValue(name="机构名称", value=agency.subject.name),
        LabelValue(name="统一社会信用代码", value=agency.subject.uscc or "——"),
        LabelValue(name="备案编号", value=agency.filing_number or "——"),
    ]


def notice_doc(case: Removal) -> DocumentDoc:
    """告知书: what the credit office intends, and the agency's right to be heard."""
    account = f"{settings.XINYONG_PUBLIC_URL}/account/"
    facts = [
        *_agency_facts(case),
        LabelValue(name="告知日期", value=cn_date(case.notified_at)),
        LabelValue(name="陈述申辩期限", value=f"{cn_date(case.statement_due)}前"),
    ]
    sections = numbered([
        ("事实", [sentence(case.facts)]),
        ("依据", [sentence(case.basis)]),
        ("理由", [sentence(case.reasons)]),
        ("陈述和申辩的权利", [
            f"贵单位有权进行陈述和申辩。请于{cn_date(case.statement_due)}前（自本告知书送达之日"
            f"起{STATEMENT_WORKDAYS}个工作日内）通过已绑定本机构的信用门户网站账号（{account}）"
            "或机构接口在线提交陈述申辩意见，并可附一份证明材料。",
            "本机关将对贵单位提出的事实、理由和证据进行复核；成立的，予以采纳。逾期未提出的，"
            "视为放弃陈述和申辩的权利，本机关将依法作出决定。",
        ]),
        ("决定作出前的效力", [
            "决定作出前，贵单位仍列于信用服务机构名录（标注“拟移出名录”），已签发的接口令牌"
            "和信用主体的授权继续有效。决定移出的，接口令牌即时停止使用，信用主体对贵单位的"
            "授权不再生效。",
        ]),
    ])  # fmt: skip
    return DocumentDoc(
        title="拟移出信用服务机构名录告知书",
        issuer=case.issuer,
        number=case.number,
        addressee=case.agency.subject.name,
        facts=facts,
        intro=[f"本机关拟将贵单位移出{settings.XINYONG_PLATFORM_NAME}信用服务机构名录。根据"
               "信用服务机构登记备案的有关规定，现将拟作出决定的事实、依据和理由告知如下："],
        sections=sections,
        closing=["特此告知。"],
        signed_on=cn_date(case.notified_at),
        platform=settings.XINYONG_PLATFORM_NAME,
        footnote=f"本告知书由{settings.XINYONG_PLATFORM_NAME}制作送达，机构可登录信用门户网站"
        "账号查看、下载本告知书并在线陈述申辩。",
    )  # fmt: skip


def statement_answer(case: Removal) -> list[str]:
    """The decision's answer to what the agency said (or that it said nothing)."""
    told = f"本机关于{cn_date(case.notified_at)}以{case.number}向贵单位送达告知书。"
    if case.statement_at is None:
        return [f"{told}贵单位在陈述申辩期内（{cn_date(case.statement_due)}前）未提出陈述和"
                "申辩，视为放弃该权利。"]  # fmt: skip
    adoption = str(StatementAdoption(case.statement_adoption).label)
    attached = f"，并附证明材料“{case.statement_file_name}”" if case.statement_file_name else ""
    return [
        f"{told}贵单位于{cn_date(case.statement_at)}提出陈述和申辩{attached}，主要意见为："
        f"{sentence(case.statement)}",
        f"经复核，本机关对贵单位的陈述和申辩意见{adoption}。",
    ]


def decision_doc(case: Removal) -> DocumentDoc:
    """决定书: removed, or the case dropped — with the answer to the statement and, for a
    removal, its effects and remedies."""
    removed = case.status == RemovalStatus.REMOVED
    facts = [
        *_agency_facts(case),
        LabelValue(name="告知书文号", value=case.number),
        LabelValue(name="决定日期", value=cn_date(case.decided_at)),
    ]
    if removed:
        decision = [
            f"本机关决定将贵单位移出信用服务机构名录。理由：{sentence(case.decision_reasons)}"
        ]
        effects = [
            "自本决定作出之日起，贵单位不再列于信用服务机构名录；已签发的接口令牌停止使用，"
            "信用主体对贵单位的授权不再生效；贵单位此前登记的报告，核验时显示“出具机构已移出"
            "名录”。",
        ]
        remedies = [
            f"贵单位如对本决定不服，可以自收到本决定书之日起六十日内向"
            f"{settings.XINYONG_RECONSIDERATION_BODY}申请行政复议，或者自收到本决定书之日起"
            f"六个月内依法向{settings.XINYONG_LITIGATION_COURT}提起行政诉讼。",
        ]
        parts = [("决定", decision), ("决定的效力", effects), ("救济途径", remedies)]
    else:
        decision = [
            "本机关决定终止对贵单位的移出名录程序，贵单位继续列于信用服务机构名录，"
            f"“拟移出名录”标注同时撤销。理由：{sentence(case.decision_reasons)}"
        ]
        parts = [("决定", decision)]
    sections = numbered([
        ("事实", [sentence(case.facts)]),
        ("依据", [sentence(case.basis)]),
        ("陈述申辩及采纳情况", statement_answer(case)),
        *parts,
    ])  # fmt: skip
    return DocumentDoc(
        title="移出信用服务机构名录决定书" if removed else "终止移出信用服务机构名录程序决定书",
        issuer=case.issuer,
        number=case.decision_number,
        addressee=case.agency.subject.name,
        facts=facts,
        sections=sections,
        signed_on=cn_date(case.decided_at),
        platform=settings.XINYONG_PLATFORM_NAME,
        footnote=f"本决定书由{settings.XINYONG_PLATFORM_NAME}制作送达，机构可登录信用门户网站"
        "账号查看和下载。",
    )  # fmt: skip


def notice_pdf(case: Removal) -> tuple[str, bytes]:
    return f"拟移出名录告知书-{case.number}.pdf", render_document(notice_doc(case))


def decision_pdf(case: Removal) -> tuple[str, bytes]:
    """Only for a decided case (the caller checks: an open case has no decision)."""
    return f"移出名录决定书-{case.decision_number}.pdf", render_document(decision_doc(case))
