"""After publication: the designating department initiates the joint action, each
implementing department answers its tasks in its queue, orders rectification and holds
interviews (谁认定、谁约谈); the effectiveness figures count what was applied."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.core import workdays
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.lists.tests.conftest import designate
from xinyong.sanctions import selectors, services
from xinyong.sanctions.models import ActionTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(departments):
    dept = accounts.department_save(actor=SYSTEM, code="CZ", name="市财政局", kind="administrative")
    user = accounts.user_create(actor=SYSTEM, username="cz_clerk", password="Xinyong-demo-2026",
                                role="department_operator", department=dept)  # fmt: skip
    return user


@pytest.fixture
def listed(actors, penalty_record):
    return designate(actors, penalty_record)


def test_joint_action_reaches_the_implementing_queue(actors, listed, finance):
    with pytest.raises(PermissionDenied):  # only the designating department initiates
        services.joint_action_initiate(actor=actors["tax_clerk"], entry_id=listed.pk)
    action = services.joint_action_initiate(actor=actors["market_clerk"], entry_id=listed.pk)
    tasks = {(t.department.code, t.measure.code) for t in action.tasks.all()}
    # restrict_procurement, restrict_fiscal_funds → CZ; raise_inspection → SCJG (others
    # name departments this city does not have).
    assert ("CZ", "restrict_procurement") in tasks and ("SCJG", "raise_inspection") in tasks
    cz = Actor.for_user(finance)
    queue = selectors.task_queue(actor=cz)
    assert {t.measure.code for t in queue} == {"restrict_procurement", "restrict_fiscal_funds"}
    with pytest.raises(ValidationFailed):  # not applied needs a reason
        services.action_task_respond(actor=cz, task_id=queue[0].pk, applied=False)
    with pytest.raises(NotFound):  # another department's task
        services.action_task_respond(actor=actors["tax_clerk"], task_id=queue[0].pk, applied=True)
    services.action_task_respond(actor=cz, task_id=queue[0].pk, applied=True)
    services.action_task_respond(actor=cz, task_id=queue[1].pk, applied=False, reason="未申报")
    assert selectors.task_queue(actor=cz) == []
    _by_measure, by_department = selectors.effectiveness(actor=Actor.for_user(finance))
    cz_row = next(e for e in by_department if e.key == "CZ")
    assert (cz_row.tasks_applied, cz_row.tasks_not_applied, cz_row.applied_pct) == (1, 1, 50.0)


def test_queue_page_and_case_page_forms(users, listed, finance):
    market = Client()
    market.force_login(users["market_clerk"])
    url = f"/backoffice/lists/{listed.pk}/"
    r = market.post(f"{url}follow-up/", {"kind": "joint_action"}, follow=True)
    assert "已发起联合奖惩" in r.content.decode()
    r = market.post(f"{url}follow-up/", {"kind": "rectification", "content": "补缴罚款",
                                         "legal_basis": "行政处罚决定", "workdays": "10"},
                    follow=True)  # fmt: skip
    page = r.content.decode()
    due = workdays.add_workdays(timezone.localdate(), 10)
    assert "已责令限期整改" in page and due.isoformat() in page
    r = market.post(f"{url}follow-up/", {"kind": "interview", "interview_kind": "warning",
                                         "scheduled_at": "2026-13-01 10:00",
                                         "participants": "法定代表人"}, follow=True)  # fmt: skip
    assert "约谈时间无效" in r.content.decode()
    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    talk = {"kind": "interview", "interview_kind": "warning", "scheduled_at": when,
            "participants": "法定代表人张三"}  # fmt: skip
    market.post(f"{url}follow-up/", talk)
    subject_page = market.get(f"/backoffice/subjects/{listed.subject_id}/").content.decode()
    assert "补缴罚款" in subject_page and "警示约谈" in subject_page  # in the credit file
    cz = Client()
    cz.force_login(finance)
    queue = cz.get("/backoffice/tasks/").content.decode()
    assert "依法限制参加政府采购活动" in queue
    task = ActionTask.objects.filter(department__code="CZ").first()
    cz.post("/backoffice/tasks/", {"task": task.pk, "applied": "1"})
    assert ActionTask.objects.get(pk=task.pk).status == "applied"
    assert "市财政局" in cz.get("/backoffice/effectiveness/").content.decode()


def test_interviews_belong_to_the_designating_department(actors, listed):
    with pytest.raises(PermissionDenied):
        services.interview_schedule(
            actor=actors["tax_clerk"], entry_id=listed.pk, kind="reminder",
            scheduled_at=timezone.now(), participants="法定代表人",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.rectification_order_issue(
            actor=actors["market_clerk"], entry_id=listed.pk, content="", legal_basis="",
            workdays_given=0,
        )  # fmt: skip
    assert {x.field for x in e.value.errors} == {"content", "legal_basis", "workdays"}


def test_no_joint_action_under_objection_and_tasks_answer_once(actors, listed, finance):
    from xinyong.lists import services as lists

    action = services.joint_action_initiate(actor=actors["market_clerk"], entry_id=listed.pk)
    cz = Actor.for_user(finance)
    task = action.tasks.filter(department__code="CZ").first()
    services.action_task_respond(actor=cz, task_id=task.pk, applied=True)
    with pytest.raises(ValidationFailed):
        services.action_task_respond(actor=cz, task_id=task.pk, applied=False, reason="改口")
    lists.entry_objection_set(actor=actors["market_clerk"], entry_id=listed.pk, under=True)
    with pytest.raises(ValidationFailed) as e:
        services.joint_action_initiate(actor=actors["market_clerk"], entry_id=listed.pk)
    assert e.value.errors[0].rule == "entry.under_objection"
