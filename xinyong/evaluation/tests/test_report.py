"""The evaluation in the credit reports: the subject's own report and a department's review
report show the grade, the score and each indicator's contribution; the public report only
what the credit office publishes (by default grade A alone: a grade C is not mentioned)."""

import pytest

from xinyong.evaluation import services as evaluation
from xinyong.evaluation.tests.conftest import evaluate
from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.remedies.tests.test_repairs import bound  # noqa: F401 - shared fixture
from xinyong.reports import services
from xinyong.reports.tests.conftest import pdf_text
from xinyong.reports.tests.test_issue import ANON

pytestmark = pytest.mark.django_db


def _evaluation(report) -> dict:
    return next(s for s in report.twin["sections"] if s["key"] == "evaluation")


def test_own_and_review_reports_explain_the_grade_the_public_one_shows_what_is_published(
    bound,  # noqa: F811 - the shared fixture
    actors,
):
    actor, _entry, record = bound
    evaluate(actors["operator"])
    subject = record.subject
    own = services.report_issue(actor=actor, kind="own", subject=subject)
    (entry,) = [e for e in _evaluation(own.report)["entries"] if "综合评价" in e["title"]]
    assert entry["title"] == "公共信用综合评价 D级（信用较差）"  # listed as seriously dishonest
    fields = {f["name"]: f["value"] for f in entry["fields"]}
    assert fields["得分"].endswith("/ 1000") and fields["基础分"] == "700"
    assert fields["信用名单"].startswith("-400：") and fields["监管信息 · 行政处罚"].startswith(
        "-30"
    )
    text = pdf_text(own.pdf)
    assert "公共信用综合评价D级（信用较差）" in text and "监管信息·行政处罚" in text
    review = services.report_issue(actor=actors["tax_clerk"], kind="review", subject=subject,
                                   purpose="政府采购")  # fmt: skip
    assert any("D级" in e["title"] for e in _evaluation(review.report)["entries"])
    public = services.report_issue(actor=ANON, kind="public", subject=subject)
    assert not any("综合评价" in e["title"] for e in _evaluation(public.report)["entries"])
    assert "D级" not in pdf_text(public.pdf)
    evaluation.publication_set(actor=actors["operator"], public_grades=["A", "D"],
                               public_score=False, checks_see_grade=True)  # fmt: skip
    public = services.report_issue(actor=ANON, kind="public", subject=subject)
    (shown,) = [e for e in _evaluation(public.report)["entries"] if "综合评价" in e["title"]]
    assert [f["name"] for f in shown["fields"]] == ["评价模型"]  # no score, no indicator
