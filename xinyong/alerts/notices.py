"""The warning notice (失信预警提示书) as data for the platform's document layout
(``reports.render.render_document``), like the designation procedure's documents
(``lists.printing``): an official text in Chinese, whatever the reader's language. It
tells the subject the facts behind the warning and what it may do; it is not a sanction
and says so. The department's alert — its handling and outcome — is never in it."""

from django.conf import settings

from xinyong.alerts.evaluators import EVALUATORS
from xinyong.lists.printing import cn_date, numbered, subject_facts
from xinyong.reports.schemas import DocumentDoc, LabelValue


def notice_document(rule, alert, subject, department, now) -> dict:
    """The notice as issued (its number is added when it is read: it is the row's)."""
    ev = EVALUATORS[rule.evaluator]
    account = f"{settings.XINYONG_PUBLIC_URL}/account/"
    facts = [
        LabelValue(name="提示事项", value=rule.name),
        LabelValue(name="提示日期", value=cn_date(now)),
    ]
    intro = [
        f"经{settings.XINYONG_PLATFORM_NAME}依据失信预警规则比对，你方存在以下需要关注的"
        "信用风险情形，现予以提示："
    ]
    sections = numbered(
        [
            ("预警情形", [ev.explanation]),
            ("相关信息", [f"{n}. {e['label']}。" for n, e in enumerate(alert.evidence, 1)]),
            (
                "提示事项",
                [
                    "本提示书是信用风险提示，不是行政处罚，也不是失信认定，不影响你方依法享有的权利。",
                    "请你方依法诚信经营，按期履行信用承诺和行政处理决定；已纠正失信行为的，"
                    "可依规定申请信用修复。",
                    f"你方认为上述信息有误的，可登录信用门户网站账号（{account}）提出异议，"
                    f"或向{department.name}反映。",
                ],
            ),
        ]
    )
    doc = DocumentDoc(
        title="失信预警提示书",
        issuer=department.name,
        addressee=subject.name,
        facts=subject_facts(subject) + facts,
        intro=intro,
        sections=sections,
        closing=["特此提示。"],
        signed_on=cn_date(now),
        platform=settings.XINYONG_PLATFORM_NAME,
        footnote=f"本提示书由{settings.XINYONG_PLATFORM_NAME}制作送达，当事人可登录信用门户"
        "网站账号查看、下载。",
    )
    return doc.model_dump(mode="json")


def notice_pdf(notice) -> bytes:
    from xinyong.reports.render import render_document

    doc = DocumentDoc.model_validate({**notice.document, "number": notice.number})
    return render_document(doc)
