"""Review of #12 (reviewer A): faults found after the merge, each proved here."""

import pytest
from django.test import Client

from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - fixture
from xinyong.sanctions.models import ActionTask, JointAction
from xinyong.sanctions.services import joint_action_initiate

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_joint_actions_only_to_whom_visible_to_lets_see_them(
    users,
    actors,
    penalty_record,  # noqa: F811
):
    """JointAction is scoped to its initiating department and ActionTask to the implementing
    and initiating ones (their ``visible_to``). The case page of a published entry — open to
    every department — lists them through sanctions.selectors.entry_actions, which reads
    ``JointAction.objects`` unscoped: the housing bureau, neither initiating nor asked to
    act, reads the market regulator's joint action and every department's answers."""
    entry = designate(actors, penalty_record)
    joint_action_initiate(actor=actors["market_clerk"], entry_id=entry.pk, note="联合惩戒")
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor

    edu = accounts.department_save(actor=SYSTEM, code="JY", name="市教育局", kind="administrative",
                                   uscc="11339900MA34EBKX9Y")  # fmt: skip
    user = accounts.user_create(actor=SYSTEM, username="edu_clerk", password="Xinyong-demo-2026",
                                role="department_operator", department=edu)  # fmt: skip
    other = Actor.for_user(user)
    assert not JointAction.objects.visible_to(other).exists()
    assert not ActionTask.objects.visible_to(other).exists()
    c = Client()
    c.force_login(user)
    page = c.get(f"/backoffice/lists/{entry.pk}/")
    assert page.status_code == 200
    assert "发起联合奖惩：" not in page.content.decode()
