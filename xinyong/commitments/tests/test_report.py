"""The credit report's commitment section: a kept commitment (its matter and validity)
and a decided breach (its facts, until when it bars) both shown, readable, with what the
subject can do about it; a proposed breach is not there (the commitment still 履行中)."""

import os
from pathlib import Path

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.commitments import services
from xinyong.commitments.tests.conftest import pdf, sign
from xinyong.disclosure.sweep import publication_sweep
from xinyong.reports import services as reports
from xinyong.reports.tests.conftest import pdf_text
from xinyong.reports.tests.test_issue import ANON

pytestmark = pytest.mark.django_db


def _kept_and_breached(company, actors):
    actor, subject = company
    kept = sign(actor, subject, reason="申请食品经营许可，以承诺代替卫生许可证明")
    services.commitment_keep(
        actor=actors["market_clerk"], commitment_id=kept.pk, note="经网络核查，证明真实"
    )
    proposed = _proposed_one(actor, subject, actors)  # signed before the bar
    broken = sign(actor, subject, reason="申请广告发布登记，承诺具备场所条件", kind="notify")
    services.commitment_breach_propose(
        actor=actors["market_clerk"], commitment_id=broken.pk, breach_kind="false",
        reasons="现场核查发现经营场所并不存在", evidence=pdf(),
    )  # fmt: skip
    services.commitment_statement(actor=actor, commitment_id=broken.pk, statement="正在办理")
    services.commitment_decide(
        actor=actors["market_reviewer"], commitment_id=broken.pk, breach=True,
        reason="陈述申辩未提供新的证据",
    )  # fmt: skip
    publication_sweep(actor=SYSTEM)
    return subject, kept, broken, proposed


def _proposed_one(actor, subject, actors):
    c = sign(actor, subject, reason="尚在陈述申辩期的承诺")
    return services.commitment_breach_propose(
        actor=actors["market_clerk"], commitment_id=c.pk, breach_kind="broken",
        reasons="未按期履行", evidence=pdf(),
    )  # fmt: skip


def test_the_public_report_shows_kept_commitments_and_decided_breaches(company, actors):
    subject, kept, broken, proposed = _kept_and_breached(company, actors)
    issued = reports.report_issue(actor=ANON, kind="public", subject=subject)
    (section,) = [s for s in issued.report.twin["sections"] if s["key"] == "commitments"]
    titles = [e["title"] for e in section["entries"]]
    assert f"信用承诺及履行情况信息 {kept.number}" in titles
    assert f"违背信用承诺信息 {broken.number}" in titles
    assert f"违背信用承诺信息 {proposed.number}" not in titles  # not decided: no breach
    fields = {e["title"]: {f["name"]: f["value"] for f in e["fields"]} for e in section["entries"]}
    assert fields[f"信用承诺及履行情况信息 {kept.number}"]["办理事项"] == "行政许可办理"
    assert fields[f"信用承诺及履行情况信息 {kept.number}"]["履行状态"] == "已履约"
    assert fields[f"信用承诺及履行情况信息 {proposed.number}"]["履行状态"] == "履行中"
    breach = fields[f"违背信用承诺信息 {broken.number}"]
    assert breach["违诺情形"] == "虚假承诺" and breach["违诺事实和理由"].startswith("现场核查")
    assert list(breach)[:3] == ["承诺类型", "办理事项", "违诺情形"]
    assert "认定部门" not in breach  # the entry's 部门 says it
    suggestions = issued.report.twin["suggestions"]
    assert any("违背信用承诺" in n for n in suggestions)
    assert not any("未发现失信信息" in n for n in suggestions)
    text = pdf_text(issued.pdf)
    assert "违背信用承诺信息" in text and "已履约" in text and "不适用告知承诺至" in text
    if os.environ.get("XINYONG_REPORT_PNG"):  # to look at it: pages as PNG in that folder
        import pypdfium2 as pdfium

        out = Path(os.environ["XINYONG_REPORT_PNG"])
        out.mkdir(parents=True, exist_ok=True)
        doc = pdfium.PdfDocument(issued.pdf)
        for i in range(len(doc)):
            doc[i].render(scale=1.5).to_pil().save(out / f"commitments-p{i + 1}.png")
        doc.close()
