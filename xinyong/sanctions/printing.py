"""A rectification order (责令限期整改通知书) as data for the platform's Typst layout
(``reports.render.render_document``): what the listed subject must correct, on which
basis, by when, and how to report it; once done, the department's finding. An official
document in Chinese whatever the reader's interface language."""

from django.conf import settings

from xinyong.lists.printing import cn_date, numbered, sentence, subject_facts
from xinyong.reports.schemas import DocumentDoc, LabelValue
from xinyong.sanctions.choices import OrderStatus


def order_number(order) -> str:
    return f"整改〔{order.issued_at:%Y}〕第{order.pk}号"


def rectification_order_doc(order) -> DocumentDoc:
    e = order.entry
    facts = [
        LabelValue(name="所涉名单", value=e.list_type.name),
        LabelValue(name="认定决定书", value=e.decision_no or "——"),
        LabelValue(name="整改期限", value=f"{cn_date(order.deadline)}前"),
        LabelValue(name="办理状态", value=str(OrderStatus(order.status).label)),
    ]
    parts = [
        ("整改事由", [f"你方已被本机关列入{e.list_type.name}（{e.decision_no or '——'}），"
                      f"认定事由：{sentence(e.grounds)}"]),
        ("整改要求", [sentence(order.content)]),
        ("整改依据", [sentence(order.legal_basis)]),
        ("整改期限和报送", [
            f"请于{cn_date(order.deadline)}前完成整改，并将整改情况及相关证明材料书面报送"
            f"{order.department.name}。逾期未整改或整改不到位的，本机关将依法依规采取"
            "进一步措施；整改到位的，可依照有关规定申请信用修复。"
        ]),
    ]  # fmt: skip
    if order.status == OrderStatus.COMPLETED and order.result:
        parts.append(
            ("整改结果", [f"{cn_date(order.completed_at)}经本机关核实：{sentence(order.result)}"])
        )
    return DocumentDoc(
        title="责令限期整改通知书", issuer=order.department.name, number=order_number(order),
        addressee=order.subject.name, facts=subject_facts(order.subject) + facts,
        sections=numbered(parts), closing=["特此通知。"], signed_on=cn_date(order.issued_at),
        platform=settings.XINYONG_PLATFORM_NAME,
        footnote=f"本通知书由{settings.XINYONG_PLATFORM_NAME}制作送达，当事人可登录信用门户网站"
        "账号查看和下载。",
    )  # fmt: skip
