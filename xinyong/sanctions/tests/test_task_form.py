"""The answer to a joint-action task goes through a form: not saying applied or not, or not
applied without a reason, is named on the task's row (400) and nothing is written."""

import pytest
from django.test import Client

from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.sanctions import services
from xinyong.sanctions.models import ActionTask
from xinyong.sanctions.tests.test_actions import finance, listed  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_task_answered_wrong_is_named_on_its_row(actors, listed, finance):  # noqa: F811
    services.joint_action_initiate(actor=actors["market_clerk"], entry_id=listed.pk)
    task = ActionTask.objects.filter(department__code="CZ").first()
    cz = Client()
    cz.force_login(finance)
    r = cz.post("/backoffice/tasks/", {"task": task.pk, "reason": "已办"})
    html = r.content.decode()
    assert r.status_code == 400
    row = html.split(f'id="task-{task.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "实施结果：请选择已实施或未实施" in row and 'value="已办"' in row
    r = cz.post("/backoffice/tasks/", {"task": task.pk, "applied": "0", "reason": ""})
    assert r.status_code == 400 and f'id="task-{task.pk}-errors"' in r.content.decode()
    assert ActionTask.objects.get(pk=task.pk).status == "pending"
    r = cz.post("/backoffice/tasks/", {"task": task.pk, "applied": "1"})
    assert r.status_code == 302 and ActionTask.objects.get(pk=task.pk).status == "applied"
