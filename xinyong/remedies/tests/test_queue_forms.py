"""The remedy queues read their steps through forms: a step sent wrong is shown again on
its row with what is wrong beside the field (400), nothing written; a refusal is still the
access rules' message after a redirect."""

import pytest
from django.test import Client

from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.remedies import services
from xinyong.remedies.models import RepairApplication, SubjectBinding
from xinyong.remedies.tests.test_repairs import bound, pdf  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(bound):  # noqa: F811
    actor, entry, record = bound
    return services.repair_apply(actor=actor, subject_id=record.subject_id,
                                 entry_ids=[entry.pk], statement="已整改",
                                 materials={"commitment": pdf()})  # fmt: skip


def _as(users, who) -> Client:
    c = Client()
    c.force_login(users[who])
    return c


def test_a_repair_decision_without_reason_is_named_on_its_row(users, application):
    c = _as(users, "market_reviewer")
    r = c.post("/backoffice/repairs/", {"application": application.pk, "decision": "approve",
                                        "reason": "", "reapply": "补充材料"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    row = html.split(f'id="repair-{application.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'id="repair-{application.pk}-errors"' in row and "理由：请写明理由" in row
    assert 'value="补充材料"' in row  # what was typed is kept
    assert RepairApplication.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"decision": "approve", "reason": "x"}, "缺少办理对象"),
        ({"application": "abc", "decision": "approve", "reason": "x"}, "办理对象无效"),
        ({"application": "1", "decision": "maybe", "reason": "x"}, "决定："),
    ],
)
def test_bad_repair_steps_are_refused_by_the_form(users, application, post, message):
    r = _as(users, "market_reviewer").post("/backoffice/repairs/", post)
    assert r.status_code == 400
    assert RepairApplication.objects.get().status == "submitted"
    if post.get("application") == str(application.pk):
        assert message in r.content.decode()


def test_a_refused_step_is_still_the_access_rules_message(users, application):
    c = _as(users, "market_clerk")
    r = c.post("/backoffice/repairs/", {"application": application.pk, "decision": "approve",
                                        "reason": "符合条件"}, follow=True)  # fmt: skip
    assert r.redirect_chain and "denied" in r.content.decode()
    assert RepairApplication.objects.get().status == "submitted"
    r = _as(users, "market_reviewer").post(
        "/backoffice/repairs/", {"application": application.pk, "decision": "approve",
                                 "reason": "符合条件"})  # fmt: skip
    assert r.status_code == 302 and RepairApplication.objects.get().status == "approved"


def test_an_objection_decision_needs_its_result(users, bound):  # noqa: F811
    c = _as(users, "operator")
    r = c.post("/backoffice/objections/", {"objection": 1, "step": "decide", "reason": "x"})
    assert r.status_code == 400 and "请选择处理结果" in r.content.decode()
    r = c.post("/backoffice/objections/", {"objection": 1, "step": "jump"})
    assert r.status_code == 400 and "未知的操作" in r.content.decode()
    r = c.post("/backoffice/bindings/", {"binding": SubjectBinding.objects.get().pk})
    assert r.status_code == 400
