"""Documents a person can hold: the prior notice, the decision, the rectification order
and the correction notice as PDFs in the platform's layout (real PDFs: their text is read
back, their fonts embedded, each page rendered to PNG under the artifacts directory for a
person to look at); the company's statement and defence filed online within the period,
with attachments, landing on the case; and who may read what."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.tests.formerrors import field_error
from xinyong.core.tests.visible import assert_no_codes
from xinyong.lists import services
from xinyong.lists.models import EntryStatement, ListEntry, StatementFile
from xinyong.lists.services.papers import entry_document_read
from xinyong.lists.tests.conftest import BASIS, GROUNDS, designate, open_case
from xinyong.remedies.models import SubjectBinding
from xinyong.reports.tests.conftest import look, pdf_text

PDF = b"%PDF-1.4\n% statement attachment\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def agent(org_with_rep):
    """The portal account bound to 华为技术有限公司, signed in."""
    user = User.objects.create_user(username="huawei_agent", password="x", role="public")
    SubjectBinding.objects.create(
        user=user, subject=org_with_rep, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="授权书.pdf",
        evidence_sha256="0" * 64, requested_at=timezone.now(), via="operator",
        reviewed_by="operator", reviewed_at=timezone.now(),
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client, Actor.for_user(user)


@pytest.fixture
def notified(actors, penalty_record):
    """A serious-dishonesty case against 华为, its prior notice served today."""
    entry = open_case(actors, penalty_record)
    return services.entry_notify(
        actor=actors["market_clerk"], entry_id=entry.pk, notice_no="信市监告〔2026〕7号"
    )


def _staff(users, name) -> Client:
    c = Client()
    c.force_login(users[name])
    return c


def test_prior_notice_and_decision_say_what_the_law_asks(actors, penalty_record):
    entry = designate(actors, penalty_record, statement="违法行为系员工个人所为，请求不予列入")
    reviewer = actors["market_reviewer"]
    name, data = entry_document_read(actor=reviewer, entry_id=entry.pk, kind="prior_notice")
    assert name.endswith(".pdf")
    notice = look(data, "prior_notice")
    for text in ("列入严重失信主体名单事先告知书", "信市监告〔2026〕1号", "华为技术有限公司",
                 "914403001922038216", GROUNDS, BASIS.replace(" ", ""), "信市监罚〔2026〕1号",
                 "拟采取的措施", "陈述和申辩的权利", "个工作日内", "视为放弃陈述和申辩的权利",
                 "市场监督管理局"):  # fmt: skip
        assert text in notice, text
    # The notice offers the statement, not the remedies against a decision not yet made.
    assert "行政复议" not in notice and "行政诉讼" not in notice
    _, data = entry_document_read(actor=reviewer, entry_id=entry.pk, kind="decision")
    decision = look(data, "decision")
    for text in ("列入严重失信主体名单认定决定书", "信市监认〔2026〕1号", GROUNDS,
                 "违法行为系员工个人所为，请求不予列入", "不予采纳",
                 "所述整改发生在违法行为之后，不影响认定", "本机关决定将你方列入严重失信主体名单",
                 "六十日内向信安市人民政府申请行政复议", "六个月内依法向有管辖权的人民法院",
                 "提起行政诉讼", "移出条件"):  # fmt: skip
        assert text in decision, text
    reads = AuditEvent.objects.filter(action="document.read", object_id=str(entry.pk))
    assert [e.detail["document"] for e in reads] == ["prior_notice", "decision"]


def test_a_decision_without_statement_says_so(actors, penalty_record):
    entry = designate(actors, penalty_record)
    _, data = entry_document_read(actor=actors["market_clerk"], entry_id=entry.pk,
                                  kind="decision")  # fmt: skip
    text = pdf_text(data).replace("\n", "")
    assert "未提出陈述和申辩，视为放弃该权利" in text and "不予采纳" not in text


def test_a_document_not_issued_is_not_found(actors, notified):
    with pytest.raises(NotFound):
        entry_document_read(actor=actors["market_reviewer"], entry_id=notified.pk,
                            kind="decision")  # fmt: skip
    with pytest.raises(NotFound):  # another department does not see a pending case
        entry_document_read(actor=actors["tax_clerk"], entry_id=notified.pk,
                            kind="prior_notice")  # fmt: skip


def test_statement_online_within_the_period_lands_on_the_case(agent, notified, users, actors):
    client, _actor = agent
    own = client.get(f"/account/subjects/{notified.subject_id}/").content.decode()
    assert f"/account/entries/{notified.pk}/statement/" in own
    assert f"/account/entries/{notified.pk}/prior-notice.pdf" in own
    assert_no_codes(own)
    r = client.get(f"/account/entries/{notified.pk}/prior-notice.pdf")
    assert r.status_code == 200 and "陈述和申辩的权利" in pdf_text(r.content)
    page = client.get(f"/account/entries/{notified.pk}/statement/")
    assert page.status_code == 200 and "提交陈述申辩" in page.content.decode()
    assert_no_codes(page.content.decode())
    r = client.post(f"/account/entries/{notified.pk}/statement/", {
        "statement_text": "涉案宣传系第三方代理商擅自发布，我司已下架并赔偿",
        "files": [SimpleUploadedFile("代理合同.pdf", PDF), SimpleUploadedFile("下架截图.png", PNG)],
    })  # fmt: skip
    assert r.status_code == 302 and r["Location"].endswith(
        f"/account/subjects/{notified.subject_id}/"
    )
    s = EntryStatement.objects.get()
    assert (s.entry_id, s.files.count()) == (notified.pk, 2)
    event = AuditEvent.objects.get(action="list_entry.statement")
    assert event.detail["files"] == sorted(
        event.detail["files"], key=lambda d: [hashlib.sha256(PDF).hexdigest(),
                                              hashlib.sha256(PNG).hexdigest()].index(d)
    )  # fmt: skip
    # The case page shows it with its attachments to the clerk and the reviewer.
    clerk = _staff(users, "market_clerk")
    case = clerk.get(f"/backoffice/lists/{notified.pk}/").content.decode()
    assert "涉案宣传系第三方代理商擅自发布" in case and "代理合同.pdf" in case
    f = StatementFile.objects.get(name="代理合同.pdf")
    r = _staff(users, "market_reviewer").get(f"/backoffice/lists/statement-files/{f.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="document.read", object_type="statement_file").exists()
    assert (
        _staff(users, "tax_clerk").get(f"/backoffice/lists/statement-files/{f.pk}/").status_code
        == 404
    )
    # Heard before the period ends: what the company filed stands as its statement.
    entry = services.entry_hear(actor=actors["market_clerk"], entry_id=notified.pk)
    assert entry.status == "heard" and "第三方代理商" in entry.statement
    # Heard, the form is gone and a late filing is refused.
    r = client.post(f"/account/entries/{notified.pk}/statement/", {"statement_text": "补充"})
    assert r.status_code == 400 and "不在陈述申辩阶段" in r.content.decode()
    page = client.get(f"/account/entries/{notified.pk}/statement/").content.decode()
    assert "当前为“已陈述申辩”，不在陈述申辩阶段" in page and 'name="statement_text"' not in page
    assert EntryStatement.objects.count() == 1


def test_statement_after_the_period_is_refused_clearly(agent, notified):
    client, actor = agent
    due = timezone.localdate() - datetime.timedelta(days=1)
    ListEntry.objects.filter(pk=notified.pk).update(statement_due=due)
    page = client.get(f"/account/entries/{notified.pk}/statement/").content.decode()
    assert "届满" in page and 'name="statement_text"' not in page
    r = client.post(f"/account/entries/{notified.pk}/statement/", {"statement_text": "迟到的意见"})
    body = r.content.decode()
    assert r.status_code == 400 and f"陈述申辩期已于{due:%Y-%m-%d}届满" in body
    assert notified.department.name in body and "statement.period_ended" not in body
    with pytest.raises(ValidationFailed) as e:
        services.entry_statement_file(actor=actor, entry_id=notified.pk, text="迟到的意见")
    assert e.value.errors[0].rule == "statement.period_ended"
    assert not EntryStatement.objects.exists() and not AuditEvent.objects.filter(
        action="list_entry.statement").exists()  # fmt: skip


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"statement_text": "  "}, "statement_text", "请填写陈述申辩意见"),
    ({"statement_text": "x" * 5001}, "statement_text", "不得超过 5000 字"),
    ({"statement_text": "意见", "files": [SimpleUploadedFile("伪装.pdf", PNG)]}, "files",
     "文件内容不是 PDF"),
    ({"statement_text": "意见", "files": [SimpleUploadedFile("脚本.html", b"<script>")]},
     "files", "材料应为 PDF、PNG 或 JPEG 文件"),
    ({"statement_text": "意见", "files": [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)]},
     "files", "附件最多 5 个"),
])  # fmt: skip
def test_hostile_statements_are_refused_naming_the_field(agent, notified, form, field, message):
    client, _actor = agent
    r = client.post(f"/account/entries/{notified.pk}/statement/", form)
    body = r.content.decode()
    assert r.status_code == 400 and message in field_error(body, field)
    assert not EntryStatement.objects.exists() and not StatementFile.objects.exists()
    stored = settings.XINYONG_REMEDY_DIR
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_who_reads_the_documents(agent, notified, users, client):
    portal, _actor = agent
    stranger = User.objects.create_user(username="stranger", password="x", role="public")
    other = Client()
    other.force_login(stranger)
    url = f"/account/entries/{notified.pk}/prior-notice.pdf"
    assert portal.get(url).status_code == 200
    assert other.get(url).status_code == 404  # not bound to the subject
    assert Client().get(url).status_code == 302  # sign in first
    assert _staff(users, "market_clerk").get(url).status_code == 404  # the account pages
    assert other.get(f"/account/entries/{notified.pk}/statement/").status_code == 404
    r = other.post(f"/account/entries/{notified.pk}/statement/", {"statement_text": "冒名"})
    assert r.status_code == 404 and not EntryStatement.objects.exists()
    back = f"/backoffice/lists/{notified.pk}/prior-notice.pdf"
    assert _staff(users, "market_clerk").get(back).status_code == 200
    assert _staff(users, "tax_clerk").get(back).status_code == 404  # a pending case: unseen
    assert portal.get(back).status_code == 403  # the back office is for staff
    assert portal.get(f"/account/entries/{notified.pk}/decision.pdf").status_code == 404
    case = _staff(users, "market_clerk").get(f"/backoffice/lists/{notified.pk}/").content.decode()
    assert f"/backoffice/lists/{notified.pk}/prior-notice.pdf" in case
    assert "decision.pdf" not in case


def test_rectification_order_and_correction_notice(agent, actors, users, penalty_record):
    from xinyong.remedies.models import Objection
    from xinyong.sanctions.services import rectification_order_issue

    entry = designate(actors, penalty_record)
    order = rectification_order_issue(
        actor=actors["market_clerk"], entry_id=entry.pk, content="下架全部虚假宣传材料并公开致歉",
        legal_basis="《反不正当竞争法》第二十条", workdays_given=10,
    )  # fmt: skip
    portal, _actor = agent
    own = portal.get(f"/account/subjects/{entry.subject_id}/").content.decode()
    assert f"/account/rectifications/{order.pk}/order.pdf" in own
    r = portal.get(f"/account/rectifications/{order.pk}/order.pdf")
    text = look(r.content, "rectification_order")
    for s in ("责令限期整改通知书", "下架全部虚假宣传材料并公开致歉", "《反不正当竞争法》第二十条",
              f"{order.deadline.year}年{order.deadline.month}月{order.deadline.day}日前完成整改",
              "信市监认〔2026〕1号"):  # fmt: skip
        assert s in text, s
    case = _staff(users, "market_clerk").get(f"/backoffice/lists/{entry.pk}/").content.decode()
    assert f"/backoffice/rectifications/{order.pk}/order.pdf" in case
    pdf_url = f"/backoffice/rectifications/{order.pk}/order.pdf"
    assert _staff(users, "market_reviewer").get(pdf_url).status_code == 200
    assert _staff(users, "tax_clerk").get(pdf_url).status_code == 404  # the department's own
    reads = AuditEvent.objects.filter(action="document.read", object_type="rectification")
    assert reads.count() == 2
    # A correction notice: public, linked from the corrections column.
    now = timezone.now()
    o = Objection.objects.create(
        subject=entry.subject, entry=entry, provider=entry.department, filed_by="huawei_agent",
        reasons="认定有误", status="decided", filed_at=now, mark_due=now.date(),
        forward_due=now.date(), decision="revoked", decision_reason="处罚决定已被复议撤销",
        decided_at=now,
    )  # fmt: skip
    column = Client().get("/corrections/").content.decode()
    assert f"/corrections/{o.pk}/notice.pdf" in column
    r = Client().get(f"/corrections/{o.pk}/notice.pdf")
    text = look(r.content, "correction_notice")
    for s in ("更正公告", "华为技术有限公司", "严重失信主体名单", "信市监认〔2026〕1号",
              "处罚决定已被复议撤销", "特此公告"):  # fmt: skip
        assert s in text, s
    assert Client().get(f"/corrections/{o.pk + 1}/notice.pdf").status_code == 404
