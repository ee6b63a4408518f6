"""The addressees' systems integrate over the API (scope ``notices``): the superior body's
system lists the notices addressed to its department, reads one with its text (audited)
and acknowledges it; the discipline inspection body does the same with a staff misconduct
notice. Each refusal is a 4xx naming its rule, and writes nothing: no scope, another
department's notice (not found), the issuer's system (not the addressee), a second
acknowledgement, a filter that is not one."""

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.bodies.misconduct import misconduct_record
from xinyong.bodies.models import NoticeReceipt
from xinyong.bodies.tests.conftest import misconduct_input
from xinyong.conftest import RID

pytestmark = pytest.mark.django_db


def _token(department, scopes=("notices",)) -> str:
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name=f"{department.name}业务系统", department=department,
        scopes=list(scopes),
    )  # fmt: skip
    return token


def _call(client, token, path, method="get", **kw):
    send = getattr(client, method)
    return send(f"/api/v1/bodies/notices{path}", headers={"Authorization": f"Bearer {token}"},
                **kw)  # fmt: skip


def _rules(response) -> set[str]:
    return {e["rule"] for e in response.json()["detail"]}


def test_the_superior_body_lists_reads_and_acknowledges(client, bodies_departments, decided):
    health = _token(bodies_departments["health"])
    superior = NoticeReceipt.objects.get(entry_notice__entry=decided, role="superior")
    listed = _call(client, health, "", data={"status": "outstanding"})
    assert listed.status_code == 200, listed.content
    [notice] = listed.json()
    assert notice["id"] == superior.pk and notice["role"] == "superior"
    assert notice["body_name"] == "市第一人民医院" and notice["issuer_name"] == "市市场监督管理局"
    assert notice["acknowledged_at"] is None and notice["late"] is False
    assert "text" not in notice  # the list carries no notice text
    read = _call(client, health, f"/{superior.pk}")
    assert read.status_code == 200 and "市第一人民医院" in read.json()["text"]
    assert AuditEvent.objects.filter(action="notice.read", object_id=str(superior.pk)).exists()
    done = _call(client, health, f"/{superior.pk}/acknowledge", method="post")
    assert done.status_code == 200, done.content
    assert done.json()["ack_method"] == "online" and done.json()["acknowledged_at"]
    assert _call(client, health, "", data={"status": "outstanding"}).json() == []
    assert [n["id"] for n in _call(client, health, "", data={"status": "acknowledged"}).json()] \
        == [superior.pk]  # fmt: skip
    again = _call(client, health, f"/{superior.pk}/acknowledge", method="post")
    assert again.status_code == 422 and _rules(again) == {"receipt.acknowledged"}
    assert AuditEvent.objects.filter(action="notice.acknowledge").count() == 1


def test_the_discipline_body_acknowledges_a_staff_misconduct_notice(
    client, bodies_departments, staff, hospital, doctor
):
    m = misconduct_record(actor=staff["market_clerk"], **misconduct_input())
    discipline = _token(bodies_departments["discipline"])
    [notice] = _call(client, discipline, "").json()
    assert notice["source"] == "misconduct" and notice["role"] == "discipline"
    read = _call(client, discipline, f"/{notice['id']}")
    assert "收受医药代表财物" in read.json()["text"] and RID not in read.content.decode()
    assert _call(client, discipline, f"/{notice['id']}/acknowledge", method="post").status_code \
        == 200  # fmt: skip
    assert m.receipts.get(role="discipline").ack_method == "online"


def test_each_refusal_names_its_rule_and_writes_nothing(client, bodies_departments, decided,
                                                        market_token):  # fmt: skip
    superior = NoticeReceipt.objects.get(entry_notice__entry=decided, role="superior")
    path = f"/{superior.pk}/acknowledge"
    # A token without the scope: 403 naming the scope.
    unscoped = _call(client, _token(bodies_departments["health"], ["checks"]), path, "post")
    assert unscoped.status_code == 403 and "notices" in unscoped.json()["detail"][0]["message"]
    # The issuer's system sees its notice but is not its addressee.
    issuer = _call(client, market_token, path, "post")
    assert issuer.status_code == 403 and _rules(issuer) == {"permission"}
    assert "只有送达部门" in issuer.json()["detail"][0]["message"]
    # The audit department's system: not its copy (its own is another receipt).
    assert _call(client, _token(bodies_departments["audit"]), path, "post").status_code == 404
    assert _call(client, _token(bodies_departments["tax"]), f"/{superior.pk}").status_code == 404
    bad = _call(client, _token(bodies_departments["health"]), "", data={"status": "late"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "status"
    assert _call(client, market_token, "/0").status_code == 422  # ids start at 1
    assert _call(client, "xy_nope", "").status_code == 401
    assert NoticeReceipt.objects.filter(acknowledged_at__isnull=False).count() == 0
    assert not AuditEvent.objects.filter(action="notice.acknowledge").exists()
