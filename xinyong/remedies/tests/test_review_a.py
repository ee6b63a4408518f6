"""Review of #12 (reviewer A): faults found after the merge, each proved here."""

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.remedies.models import Objection

pytestmark = pytest.mark.django_db


def _token(department, scopes):
    return accounts.api_client_issue(actor=SYSTEM, name=f"{department.code} 系统",
                                     department=department, scopes=scopes)[1]  # fmt: skip


def test_a_credit_check_on_demand_does_not_let_another_department_object(
    client, departments, penalty_record
):
    """The rule of #12 item 1: a department files an objection only for a subject it
    serves. 'Serves' includes 'ran a credit check on it in the last 30 days', and any
    department's system may run a check on any subject at any time, for any matter: so the
    tax system, refused at first, runs one check and then files an objection on the market
    regulator's penalty (which the credit office then marks, suspending its measures)."""
    tax = _token(departments["tax"], [ApiScope.RECORDS_WRITE, ApiScope.CHECKS])
    auth = {"Authorization": f"Bearer {tax}"}
    body = {"record_id": penalty_record.pk, "reasons": "处罚对象有误"}
    first = client.post("/api/v1/objections", body, content_type="application/json", headers=auth)
    assert first.status_code == 403, first.content  # the rule holds at first
    check = client.post("/api/v1/checks", {"matter": "government_procurement",
                                           "subject": "914403001922038216"},
                        content_type="application/json", headers=auth)  # fmt: skip
    assert check.status_code == 200, check.content
    again = client.post("/api/v1/objections", body, content_type="application/json", headers=auth)
    assert again.status_code == 403, (again.status_code, again.content)
    assert not Objection.objects.exists()


def test_the_designating_department_cannot_lift_a_suspension_while_the_objection_is_open(
    client, users, actors, market_token, penalty_record
):
    """The subject objects to its entry; the credit office marks the objection: measures
    are suspended until the providing department decides it. The case page's step
    "异议标记" (lists.services.entry_objection_set, under=False) lets the same department
    clear the mark without deciding: the next credit check applies the measures again while
    the objection is still open (marked), and the objection procedure never knows."""
    from xinyong.accounts.actors import Actor
    from xinyong.conftest import HUAWEI
    from xinyong.core.errors import PermissionDenied, ValidationFailed
    from xinyong.lists import services as lists
    from xinyong.lists.tests.conftest import designate
    from xinyong.remedies import services
    from xinyong.remedies.models import SubjectBinding
    from xinyong.remedies.tests.test_bindings import _portal, _request
    from xinyong.sanctions.tests.test_check import check

    entry = designate(actors, penalty_record)
    portal = _portal(client)
    _request(portal)
    operator = Actor.for_user(users["operator"])
    services.binding_review(actor=operator, binding_id=SubjectBinding.objects.get().pk,
                            approve=True)  # fmt: skip
    portal.post(f"/account/subjects/{entry.subject_id}/objections/new/?entry={entry.pk}",
                {"reasons": "认定事实有误"})  # fmt: skip
    obj = Objection.objects.get()
    services.objection_mark(actor=operator, objection_id=obj.pk)
    assert all(
        m["suspended"] for m in check(client, market_token, subject=HUAWEI).json()["measures"]
    )
    try:
        lists.entry_objection_set(actor=actors["market_clerk"], entry_id=entry.pk, under=False)
    except (PermissionDenied, ValidationFailed):
        pass
    obj.refresh_from_db()
    assert obj.status == "marked"
    measures = check(client, market_token, subject=HUAWEI).json()["measures"]
    assert all(m["suspended"] for m in measures), "measures resumed while the objection is open"


@pytest.mark.parametrize(
    "path", ["account/subjects/{}/", "account/subjects/{}/objections/new/",
             "account/subjects/{}/repairs/new/"],
)  # fmt: skip
def test_a_portal_path_id_beyond_any_row_is_not_found_not_500(path):
    """#12 item 3 (no 5xx on any input; the same causes reach the portal): a signed-in
    portal account opening its subject pages with an id ≥ 2^63 — the database refuses
    the number (SQLite: OverflowError; PostgreSQL: out of range) and the page answers 500."""
    from django.test import Client

    from xinyong.accounts.models import User

    user = User.objects.create_user(username="someone", password="x", role="public")
    c = Client(raise_request_exception=False)
    c.force_login(user)
    resp = c.get("/" + path.format(2**63))
    assert resp.status_code == 404, resp.status_code
