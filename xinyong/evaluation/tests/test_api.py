"""The evaluation API as a department's business system and the credit office use it: a
subject's full explanation (audited), the model versions, the runs with their progress.
A token without the scope is refused; an unknown code, a subject never evaluated, an
unknown run are not found; bad input is a 422 naming the field and writes nothing."""

import pytest
from django.test import Client

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.evaluation.models import EvaluationRun
from xinyong.evaluation.schemas import EvaluationOut
from xinyong.evaluation.tests.conftest import evaluate, penalties

pytestmark = pytest.mark.django_db


def api(token) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def rules(r) -> set[tuple[str, str]]:
    return {(e["field"], e["rule"]) for e in r.json()["detail"]}


@pytest.fixture
def graded(actors, org_with_rep):
    penalties(actors["market_clerk"], {"CF_JDRQ": "2026-06-01", "CF_YXQ": "2027-06-01",
                                       "CF_YZCD": "严重"})  # fmt: skip
    return evaluate(actors["operator"])


def test_a_department_reads_the_full_explanation_and_the_reading_is_audited(market_token, graded):
    r = api(market_token).get(f"/api/v1/subjects/{HUAWEI}/evaluation")
    assert r.status_code == 200, r.content
    body = EvaluationOut.model_validate(r.json())
    assert (body.grade, body.grade_label, body.score) == ("C", "C级（信用一般）", 550)
    penalties_row = next(i for d in body.dimensions for i in d.indicators if i.code == "penalties")
    assert penalties_row.points == -150 and len(penalties_row.records) == 1
    assert "严重" in penalties_row.reason and penalties_row.explanation
    assert body.hints and body.hints[0].changes_grade  # removing the penalty lifts it
    assert AuditEvent.objects.filter(action="evaluation.read").count() == 1


def test_refused_and_not_found(client, departments, market_token, actors, org_with_rep):
    _c, narrow = accounts.api_client_issue(
        actor=SYSTEM, name="核查系统", department=departments["tax"], scopes=["checks"]
    )
    r = api(narrow).get(f"/api/v1/subjects/{HUAWEI}/evaluation")
    assert r.status_code == 403 and "evaluation:read" in r.json()["detail"][0]["message"]
    r = api(market_token).get(f"/api/v1/subjects/{HUAWEI}/evaluation")
    assert r.status_code == 404 and "尚未" in r.json()["detail"][0]["message"]
    assert (
        api(market_token).get("/api/v1/subjects/91339900MA1X2Y3B1X/evaluation").status_code == 404
    )
    assert client.get(f"/api/v1/subjects/{HUAWEI}/evaluation").status_code == 401
    assert api(market_token).get("/api/v1/evaluation/runs/999999").status_code == 404
    assert api(market_token).get("/api/v1/evaluation/runs/0").status_code == 422
    assert not AuditEvent.objects.filter(action="evaluation.read").exists()


def test_models_and_runs_with_progress(client, market_token, actors, graded):
    models = api(market_token).get("/api/v1/evaluation/models").json()
    (mv,) = [m for m in models if m["active"]]
    assert mv["scale"] == 1000 and [g["grade"] for g in mv["grades"]] == ["A", "B", "C", "D"]
    assert "scale: 1000" in mv["source"]
    runs = api(market_token).get("/api/v1/evaluation/runs?limit=5").json()
    assert runs[0]["id"] == graded.pk and runs[0]["progress"] == 100
    assert (runs[0]["kind_label"], runs[0]["status_label"]) == ("全量评价", "已完成")
    one = api(market_token).get(f"/api/v1/evaluation/runs/{graded.pk}").json()
    assert one["subjects_done"] == one["subjects_total"] == 1


def test_only_the_operator_requests_a_run_and_bad_input_writes_nothing(
    client, market_token, users, graded
):
    before = EvaluationRun.objects.count()
    r = api(market_token).post("/api/v1/evaluation/runs", {"kind": "full"},
                               content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    client.force_login(users["operator"])
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    post = lambda body: client.post("/api/v1/evaluation/runs", body,  # noqa: E731
                                    content_type="application/json",
                                    headers={"X-CSRFToken": token})  # fmt: skip
    assert rules(post({"kind": "weekly"})) == {("kind", "enum")}
    bad_day = post({"as_of": "2026-13-01"})
    assert bad_day.status_code == 422 and {f for f, _ in rules(bad_day)} == {"as_of"}
    assert rules(post({"kind": "full", "extra": 1})) == {("extra", "extra_forbidden")}
    assert EvaluationRun.objects.count() == before
    r = post({"kind": "incremental", "as_of": "2026-12-02"})
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "incremental" and r.json()["requested_by"] == "operator"
    assert EvaluationRun.objects.count() == before + 1
