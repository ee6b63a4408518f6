"""The designation procedure's documents as data for the platform's Typst layout
(``reports.render.render_document``): the prior notice (事先告知书) and the decision
(认定决定书). Built from the entry as the procedure left it, so the PDF says what the case
says. They are official documents in Chinese whatever the reader's interface language
(like the text the reports' template prints).

What each must say (国办发〔2020〕49号; 行政处罚法 art. 44–45; 行政复议法 art. 20, 24;
行政诉讼法 art. 46): the notice — the facts, the legal basis, the intended measures and
term, and the right to state and defend within the period (and that silence waives it);
the decision — the same facts and basis, the answer to the statement (adopted or not, and
why), the decision with its term and measures, how the entry ends, and the remedies that
apply to a decision: administrative reconsideration within 60 days or an administrative
suit within 6 months, naming the bodies."""

import datetime

from django.conf import settings
from django.utils import timezone

from xinyong.catalog.selectors import item_names
from xinyong.lists.choices import BasisKind, NationalCategory, StatementAdoption
from xinyong.lists.documents import term_text
from xinyong.lists.models import ListEntry
from xinyong.reports.schemas import DocumentDoc, DocumentSection, LabelValue
from xinyong.subjects.choices import SubjectKind

NUMERALS = "一二三四五六七八九十"
DEFAULT_MEASURES = "依名单类型适用的联合奖惩措施"


def cn_date(day: datetime.date | datetime.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return f"{day.year}年{day.month}月{day.day}日"


def sentence(text: str) -> str:
    """``text`` ending as a sentence (a clerk's or a company's words may end without)."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？.!?）)" else text + "。"


def clauses(text: str) -> list[str]:
    """A text of clauses joined by "；" (the list's measures, each with its basis in
    brackets) split at the top level — not inside the brackets — one paragraph each."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "（(《"
        depth -= ch in "）)》"
        if ch == "；" and depth <= 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    parts = [p.strip() for p in out if p.strip()]
    if len(parts) < 2:
        return [sentence(text)]
    return [f"{n}. {sentence(p.rstrip('；;'))}" for n, p in enumerate(parts, 1)]


def numbered(parts: list[tuple[str, list[str]]]) -> list[DocumentSection]:
    """一、… 二、…: the sections in order, numbered as a Chinese document numbers them."""
    return [
        DocumentSection(title=f"{NUMERALS[i]}、{title}", paragraphs=[p for p in paras if p])
        for i, (title, paras) in enumerate(parts)
    ]


def subject_facts(subject) -> list[LabelValue]:
    """The addressee as identified on a document (a person's number masked)."""
    if subject.kind == SubjectKind.PERSON:
        return [LabelValue(name="当事人", value=subject.name),
                LabelValue(name="身份证件号码", value=subject.id_masked or "")]  # fmt: skip
    return [LabelValue(name="当事人", value=subject.name),
            LabelValue(name="统一社会信用代码", value=subject.uscc or "")]  # fmt: skip


def _basis(e: ListEntry) -> list[str]:
    """The facts found: the grounds, the act's date, the documents and records cited."""
    out = [f"经查，{e.grounds.strip().rstrip('。')}（行为日期：{cn_date(e.act_date)}）。"]
    if e.basis_kind:
        doc = f"：{e.basis_document}" if e.basis_document else ""
        out.append(f"认定依据的文书：{BasisKind(e.basis_kind).label}{doc}。")
    records = list(e.basis_records.all())
    if records:
        names = item_names()
        cited = "；".join(
            f"{names.get(r.item_code, '')} {r.source_id}"
            + (f"（{cn_date(r.decision_date)}）" if r.decision_date else "")
            for r in records
        )
        out.append(f"依据的信用记录：{cited}。")
    return out


def _legal(e: ListEntry) -> list[str]:
    out = [sentence(e.legal_basis)]
    if e.national_category:
        out.append(f"严重失信类别：{NationalCategory(e.national_category).label}。")
    return out


def _intended_term(e: ListEntry) -> str:
    lt = e.list_type
    if lt.default_term_months:
        return f"{lt.default_term_months}个月（自认定之日起计算）"
    return "终身" if lt.permanent_allowed else "至移出之日"


def _common(e: ListEntry, title: str, number: str, facts, intro, sections, closing, on,
            footnote) -> DocumentDoc:  # fmt: skip
    return DocumentDoc(
        title=title, issuer=e.department.name, number=number, addressee=e.subject.name,
        facts=subject_facts(e.subject) + facts, intro=intro, sections=sections,
        closing=closing, signed_on=cn_date(on), platform=settings.XINYONG_PLATFORM_NAME,
        footnote=footnote,
    )  # fmt: skip


def prior_notice_doc(e: ListEntry) -> DocumentDoc:
    """事先告知书: what the department intends, and the subject's right to be heard."""
    lt = e.list_type
    account = f"{settings.XINYONG_PUBLIC_URL}/account/"
    facts = [
        LabelValue(name="拟列入名单", value=lt.name),
        LabelValue(name="告知日期", value=cn_date(e.notified_at)),
        LabelValue(name="陈述申辩期限", value=f"{cn_date(e.statement_due)}前"),
    ]
    intro = [f"{e.department.name}拟将你方列入{lt.name}。根据有关规定，现将拟作出认定的"
             "事实、理由、依据和拟采取的措施告知如下："]  # fmt: skip
    sections = numbered([
        ("认定事实", _basis(e)),
        ("认定依据", _legal(e)),
        ("拟采取的措施", clauses(e.measures_text or DEFAULT_MEASURES)),
        ("拟定期限和移出条件", [f"拟定期限：{_intended_term(e)}。",
                          f"移出条件：{e.removal_conditions or lt.removal_conditions}"]),
        ("陈述和申辩的权利", [
            f"你方有权进行陈述和申辩。请于{cn_date(e.statement_due)}前（自收到本告知书之日起"
            f"{lt.statement_workdays}个工作日内）登录信用门户网站账号（{account}）在线提交，"
            f"或以书面形式向{e.department.name}提出，并可附证明材料。",
            "本机关将对你方提出的事实、理由和证据进行复核；成立的，予以采纳。逾期未提出的，"
            "视为放弃陈述和申辩的权利，本机关将依法作出认定决定。",
        ]),
    ])  # fmt: skip
    return _common(
        e, f"列入{lt.name}事先告知书", e.notice_no, facts, intro, sections, ["特此告知。"],
        e.notified_at, f"本告知书由{settings.XINYONG_PLATFORM_NAME}制作送达，当事人可登录信用"
        "门户网站账号查看、下载本告知书并在线陈述申辩。",
    )  # fmt: skip


def statement_answer(e: ListEntry) -> list[str]:
    """The decision's answer to what the subject said (or that it said nothing)."""
    lt = e.list_type
    if not lt.prior_notice:
        return ["依照该名单的认定规定，本认定无需事先告知。"]
    if not e.statement:
        return [
            f"本机关于{cn_date(e.notified_at)}以{e.notice_no}向你方送达事先告知书，你方在"
            f"陈述申辩期内（{cn_date(e.statement_due)}前）未提出陈述和申辩，视为放弃该权利。"
        ]
    adoption = str(StatementAdoption(e.statement_adoption).label) if e.statement_adoption else "——"
    return [
        f"本机关于{cn_date(e.notified_at)}以{e.notice_no}向你方送达事先告知书。你方于"
        f"{cn_date(e.statement_at)}提出陈述和申辩，主要意见为：{sentence(e.statement)}",
        f"经复核，本机关对你方的陈述和申辩意见{adoption}。"
        f"理由：{sentence(e.statement_reply) or '——'}",
    ]


def reconsideration_body(e: ListEntry) -> str:
    return settings.XINYONG_RECONSIDERATION_BODIES.get(
        e.department.code, settings.XINYONG_RECONSIDERATION_BODY
    )


def decision_remedies(e: ListEntry) -> list[str]:
    """The remedies that apply to a decision (not the notice's statement and defence)."""
    return [
        f"你方如对本决定不服，可以自收到本决定书之日起六十日内向{reconsideration_body(e)}申请"
        f"行政复议，或者自收到本决定书之日起六个月内依法向{settings.XINYONG_LITIGATION_COURT}"
        "提起行政诉讼。复议和诉讼期间，本决定不停止执行，法律另有规定的除外。",
        "认为名单信息记载有误的，可以通过信用门户网站向平台提出异议。",
    ]


def decision_doc(e: ListEntry) -> DocumentDoc:
    """认定决定书: the decision, its answer to the statement and its remedies."""
    lt = e.list_type
    term = term_text(e)
    facts = [
        LabelValue(name="列入名单", value=lt.name),
        LabelValue(name="认定日期", value=cn_date(e.decided_on)),
        LabelValue(name="期限", value=term),
    ]
    category = (f"（严重失信类别：{NationalCategory(e.national_category).label}）"
                if e.national_category else "")  # fmt: skip
    removal = [f"移出条件：{e.removal_conditions or lt.removal_conditions}"]
    if lt.repair_after_months:
        basis = (lt.repair_after_basis or "依照有关规定").strip().rstrip("。")
        removal.append(f"列入满{lt.repair_after_months}个月后，符合条件的可以向本机关申请信用修复"
                       f"（{basis}）。")  # fmt: skip
    remedies = decision_remedies(e)
    sections = numbered([
        ("认定事实", _basis(e)),
        ("认定依据", _legal(e)),
        ("陈述申辩及采纳情况", statement_answer(e)),
        ("认定决定", [f"本机关决定将你方列入{lt.name}{category}，期限：{term}。"]),
        ("采取的措施", clauses(e.measures_text or DEFAULT_MEASURES)),
        ("移出和信用修复", removal),
        ("救济途径", remedies),
    ])  # fmt: skip
    return _common(
        e, f"列入{lt.name}认定决定书", e.decision_no, facts, [], sections, [],
        e.decided_on, f"本决定书由{settings.XINYONG_PLATFORM_NAME}制作送达，当事人可登录信用"
        "门户网站账号查看和下载。",
    )  # fmt: skip
