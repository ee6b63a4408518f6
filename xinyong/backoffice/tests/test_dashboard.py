"""The dashboard guides each role (issue #14 item 6): its to-do lists show the steps it may
take — objections to mark, forward or decide, repairs and bindings to review, cases waiting
for a step, tasks to answer, failed batches — each with its deadline, late ones first,
linking to where the step is taken; and nothing a role may not act on."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.core.tests.visible import assert_no_codes
from xinyong.ingest.models import Batch
from xinyong.lists import services as lists
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - fixture
from xinyong.remedies import services as remedies
from xinyong.remedies.models import Objection, RepairApplication, SubjectBinding
from xinyong.remedies.tests.test_bindings import _portal, _request
from xinyong.remedies.tests.test_repairs import pdf
from xinyong.sanctions import services as sanctions
from xinyong.sanctions.models import ActionTask

pytestmark = pytest.mark.django_db

# The steps as the dashboard names them.
NOTIFY, DECIDE_CASE = "事先告知", "作出认定决定"
MARK, FORWARD, DECIDE_OBJECTION = "标注异议", "转交提供部门", "办结异议"
REPAIR, BINDING, TASK, RETRY = (
    "审核信用修复",
    "审核主体绑定",
    "反馈联合奖惩措施实施情况",
    "重新处理失败的批次",
)
ALL = {NOTIFY, DECIDE_CASE, MARK, FORWARD, DECIDE_OBJECTION, REPAIR, BINDING, TASK, RETRY}


@pytest.fixture
def scene(client, users, actors, penalty_record):  # noqa: F811
    """华为 listed by the market regulator (a joint action gave it a task), its agent bound,
    one objection filed and late to mark, one forwarded and late to decide, one marked and
    due in the future, a repair application, a second agent's binding pending, two cases
    waiting (a prior notice to send, a decision to take) and a failed batch."""
    today = timezone.localdate()
    entry = designate(actors, penalty_record)
    ListEntry.objects.filter(pk=entry.pk).update(decided_on=today - relativedelta(years=1, days=1))
    sanctions.joint_action_initiate(actor=actors["market_clerk"], entry_id=entry.pk)
    portal = _portal(client)
    _request(portal)
    remedies.binding_review(actor=actors["operator"],
                            binding_id=SubjectBinding.objects.get().pk, approve=True)  # fmt: skip
    agent = Actor.for_user(SubjectBinding.objects.get().user)
    remedies.repair_apply(actor=agent, subject_id=penalty_record.subject_id,
                          entry_ids=[entry.pk], statement="已整改",
                          materials={"commitment": pdf()})  # fmt: skip
    second = _portal(Client(), username="huawei_agent2")
    _request(second)
    url = (
        f"/account/subjects/{penalty_record.subject_id}/objections/new/?record={penalty_record.pk}"
    )
    assert portal.post(url, {"reasons": "处罚决定已被行政复议撤销"}).status_code == 302
    late = Objection.objects.get()
    Objection.objects.filter(pk=late.pk).update(mark_due=today - datetime.timedelta(days=1))
    forwarded = Objection.objects.get(pk=late.pk)
    forwarded.pk, forwarded.record, forwarded.entry = None, None, entry
    forwarded.status, forwarded.decide_due = "forwarded", today - datetime.timedelta(days=2)
    forwarded.save()
    marked = Objection.objects.get(pk=late.pk)
    marked.pk, marked.status = None, "marked"
    marked.forward_due = today + datetime.timedelta(days=3)
    marked.save()
    lists.entry_open(actor=actors["market_clerk"], list_code="watch",
                     subject_id=penalty_record.subject_id, grounds="一年内两次受到同类行政处罚",
                     legal_basis="本市社会信用体系建设有关规定", basis_kind="penalty",
                     basis_record_ids=[penalty_record.pk])  # fmt: skip
    lists.entry_open(actor=actors["market_clerk"], list_code="honor",
                     subject_id=penalty_record.subject_id, grounds="连续三年无不良信用记录",
                     legal_basis="国发〔2016〕33号")  # fmt: skip
    Batch.objects.filter(provider__code="SCJG").update(status="failed")
    return entry


def _todo(client, user) -> str:
    client.force_login(user)
    r = client.get(reverse("backoffice:dashboard"))
    assert r.status_code == 200
    html = r.content.decode()
    return html[html.index('id="todo-title"') : html.index('<div class="stats">')]


def _steps(todo: str) -> set[str]:
    return {s for s in ALL if f">{s}</a>" in todo}


@pytest.mark.parametrize(
    ("who", "steps"),
    [
        ("market_clerk", {NOTIFY, DECIDE_OBJECTION, BINDING, TASK, RETRY}),
        ("market_reviewer", {DECIDE_CASE, DECIDE_OBJECTION, REPAIR, BINDING, TASK}),
        # The credit office and the tax bureau implement measures of the joint action too.
        ("operator", {MARK, FORWARD, BINDING, RETRY, TASK}),
        ("tax_clerk", {TASK}),
        ("auditor", set()),
    ],
)
def test_each_role_sees_the_steps_it_may_take_and_no_other(client, users, scene, who, steps):
    html = _todo(Client(), users[who])
    assert _steps(html) == steps, who
    if not steps:
        assert "暂无待办事项" in html
    else:
        assert_no_codes(html, names=["华为技术有限公司"], where=who)
    # A task shown is the reader's department's own.
    mine = ActionTask.objects.filter(department=users[who].department_id)
    shown = {int(pk) for pk in re.findall(r"#task-(\d+)", html)}
    assert shown <= set(mine.values_list("pk", flat=True))


def test_late_ones_first_with_their_working_day_deadlines(users, scene):
    today = timezone.localdate()
    html = _todo(Client(), users["operator"])
    # The late objection (to mark by yesterday) before the one due in three days.
    assert html.index(MARK) < html.index(FORWARD)
    yesterday = f"{today - datetime.timedelta(days=1):%Y-%m-%d}"
    row = re.search(rf"<tr class=\"errors\">.*?{MARK}.*?</tr>", html, re.S).group(0)
    assert yesterday in row and "超期" in row
    html = _todo(Client(), users["market_reviewer"])
    # A list with late items comes first: the objection late to decide before the repair
    # (due in 10 working days, set from the calendar when filed).
    assert html.index(DECIDE_OBJECTION) < html.index(REPAIR)
    due = RepairApplication.objects.get().decide_due
    assert f"{due:%Y-%m-%d}" in html


def test_each_step_links_to_where_it_is_taken(client, users, scene):
    html = _todo(Client(), users["market_reviewer"])
    case = ListEntry.objects.get(list_type__code="honor")
    assert f'href="{reverse("backoffice:list_case", args=[case.pk])}">{DECIDE_CASE}<' in html
    repair = RepairApplication.objects.get()
    assert f'href="{reverse("backoffice:repairs")}#repair-{repair.pk}">{REPAIR}<' in html
    task = ActionTask.objects.filter(department__code="SCJG").first()
    assert f'href="{reverse("backoffice:tasks")}#task-{task.pk}">{TASK}<' in html
    c = Client()
    c.force_login(users["market_reviewer"])
    page = c.get(reverse("backoffice:repairs")).content.decode()
    assert f'id="repair-{repair.pk}"' in page  # the anchor is there


def test_the_set_rules_agree_with_the_access_rules(users, scene):
    """``acting_q`` (what the to-do lists count) and ``allowed`` (what a page offers and a
    service requires) answer alike for every actor and row of the scene."""
    rows = {
        Action.OBJECTION_ROUTE: Objection.objects.all(),
        Action.OBJECTION_DECIDE: Objection.objects.all(),
        Action.REPAIR_DECIDE: RepairApplication.objects.all(),
        Action.BINDING_REVIEW: SubjectBinding.objects.select_related("subject"),
        Action.DEPARTMENT_ACT: ActionTask.objects.all(),
        Action.BATCH_RETRY: Batch.objects.all(),
    }
    for user in users.values():
        actor = Actor.for_user(user)
        for action, qs in rows.items():
            acting = set(qs.filter(access.acting_q(actor, action)).values_list("pk", flat=True))
            allowed = {o.pk for o in qs if access.allowed(actor, action, o)}
            assert acting == allowed, (user.username, action)


def test_the_set_rule_of_subscriptions_agrees_with_the_access_rule(users, departments):
    """``acting_q`` and ``allowed`` answer alike for change subscriptions of two
    departments, for every actor (the operator manages all, a department its own)."""
    from django.utils import timezone

    from xinyong.exchange.models import WebhookSubscription

    now = timezone.now()
    for key in ("market", "tax"):
        WebhookSubscription.objects.create(
            department=departments[key], name=key, url="https://example.cn/hook", watch="codes",
            secret_encrypted="x", created_by="t", created_at=now, updated_at=now,
        )  # fmt: skip
    qs = WebhookSubscription.objects.all()
    for user in users.values():
        actor = Actor.for_user(user)
        acting = set(
            qs.filter(access.acting_q(actor, Action.WEBHOOK_MANAGE)).values_list("pk", flat=True)
        )
        allowed = {o.pk for o in qs if access.allowed(actor, Action.WEBHOOK_MANAGE, o)}
        assert acting == allowed, user.username


def test_a_case_waits_for_the_clerk_once_its_statement_period_ended(users, actors, scene):
    watch = ListEntry.objects.get(list_type__code="watch")
    lists.entry_notify(actor=actors["market_clerk"], entry_id=watch.pk,
                       notice_no="信市监告〔2026〕9号")  # fmt: skip
    hear = f'href="{reverse("backoffice:list_case", args=[watch.pk])}">陈述申辩<'
    assert hear not in _todo(Client(), users["market_clerk"])  # the subject's period runs
    ended = timezone.localdate() - datetime.timedelta(days=1)
    ListEntry.objects.filter(pk=watch.pk).update(statement_due=ended)
    html = _todo(Client(), users["market_clerk"])
    assert hear in html and f"自 {ended:%Y-%m-%d} 起" in html
    assert hear not in _todo(Client(), users["market_reviewer"])  # a clerk's step
