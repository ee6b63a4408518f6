"""The credit check every business system calls: hits with their measures per matter, a
clear answer for an unknown subject, suspension under objection, removal and expiry
taking effect in the very next check, logging, feedback, and refusals of bad input and
bad tokens."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI, RID
from xinyong.lists import services as lists
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate
from xinyong.sanctions.models import CheckFeedback, CreditCheck
from xinyong.sanctions.schemas import CheckOut

pytestmark = pytest.mark.django_db
UNKNOWN = "91339900MA1X2Y3B1X"  # valid, not registered


def check(client, token, **body):
    body.setdefault("matter", "government_procurement")
    return client.post(
        "/api/v1/checks", body, content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


@pytest.fixture
def listed(actors, penalty_record):
    return designate(actors, penalty_record)


@pytest.fixture
def checks_token(departments):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="政府采购系统", department=departments["tax"], scopes=[ApiScope.CHECKS]
    )
    return token


def test_hit_lists_measures_of_the_matter(client, checks_token, listed):
    r = check(client, checks_token, subject=HUAWEI)
    assert r.status_code == 200, r.content
    body = r.json()
    CheckOut.model_validate(body)  # the documented shape, although written without it
    assert body["status"] == "hit" and body["subject"]["name"] == "华为技术有限公司"
    (hit,) = body["hits"]
    assert (hit["list"], hit["decision_no"], hit["department"]) == (
        "serious_dishonesty", "信市监认〔2026〕1号", "SCJG",
    )  # fmt: skip
    codes = [m["code"] for m in body["measures"]]
    assert codes == ["public_exposure", "restrict_procurement"]  # procurement + every-matter
    procurement = body["measures"][1]
    assert "政府采购法" in procurement["legal_basis"]
    assert procurement["implementing_departments"] == ["CZ"] and not procurement["applies_to_you"]
    assert procurement["suspended"] is False and procurement["entries"] == [listed.pk]
    assert body["incentives"] == [] and body["grade"] is None
    # Another matter brings its own measures.
    other = check(client, checks_token, subject=HUAWEI, matter="tax_incentives").json()
    assert [m["code"] for m in other["measures"]] == ["public_exposure", "restrict_tax_incentives"]
    logged = CreditCheck.objects.get(pk=body["check_id"])
    assert (logged.status, logged.hits, logged.query, logged.actor) == (
        "hit", 1, HUAWEI, "政府采购系统",
    )  # fmt: skip


def test_objection_suspends_and_repair_ends_at_the_next_check(client, checks_token, listed, actors):
    lists.entry_objection_set(actor=actors["market_clerk"], entry_id=listed.pk, under=True)
    body = check(client, checks_token, subject=HUAWEI).json()
    assert body["pending_objections"] == 1 and body["hits"][0]["under_objection"]
    assert all(m["suspended"] for m in body["measures"])
    lists.entry_objection_set(actor=actors["market_clerk"], entry_id=listed.pk, under=False)
    lists.entry_remove(actor=actors["market_reviewer"], entry_id=listed.pk, reason="repaired")
    body = check(client, checks_token, subject=HUAWEI).json()
    assert (body["status"], body["hits"], body["measures"]) == ("clear", [], [])


def test_an_expired_term_never_hits_even_before_the_sweep(client, checks_token, listed):
    ListEntry.objects.filter(pk=listed.pk).update(
        term_end=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert check(client, checks_token, subject=HUAWEI).json()["status"] == "clear"


def test_unknown_subject_is_a_clear_no_record(client, checks_token, departments):
    body = check(client, checks_token, subject=UNKNOWN).json()
    CheckOut.model_validate(body)
    assert (body["status"], body["subject"], body["hits"]) == ("no_record", None, [])
    assert "未查询到" in body["message"]
    assert CreditCheck.objects.get().status == "no_record"


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"subject": "91440300192203821X"}, "subject", "uscc.check_character"),
        ({"subject": "123"}, "subject", "uscc.length"),
        ({"subject": HUAWEI, "matter": "buy_a_car"}, "matter", "matter.unknown"),
        ({}, "subject", "check.subject"),
        ({"subject": HUAWEI, "colour": "red"}, "colour", "extra_forbidden"),
    ],
)
def test_malformed_checks_get_422_naming_the_rule(
    client, checks_token, org_with_rep, body, field, rule
):
    r = check(client, checks_token, **body)
    assert r.status_code == 422
    assert (field, rule) in {(e["field"], e["rule"]) for e in r.json()["detail"]}, r.json()
    assert not CreditCheck.objects.exists()


def test_tokens_scopes_and_departments(client, checks_token, departments, listed):
    assert check(client, checks_token[:-2] + "xx", subject=HUAWEI).status_code == 401
    _c, expired = accounts.api_client_issue(
        actor=SYSTEM, name="过期系统", department=departments["tax"], scopes=[ApiScope.CHECKS],
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )  # fmt: skip
    assert check(client, expired, subject=HUAWEI).status_code == 401
    _c, no_scope = accounts.api_client_issue(
        actor=SYSTEM, name="只读系统", department=departments["tax"],
        scopes=[ApiScope.SUBJECTS_READ],
    )  # fmt: skip
    assert check(client, no_scope, subject=HUAWEI).status_code == 403
    r = check(client, checks_token, subject=HUAWEI, department="SCJG")
    assert r.status_code == 403 and "不能以部门" in r.json()["detail"][0]["message"]
    # A person's check needs the persons scope.
    person = {"id_type": "resident_id", "id_number": RID}
    assert check(client, checks_token, person=person).status_code == 403
    assert not CreditCheck.objects.exists()


def test_responsible_person_is_told_of_the_organisations_entry(client, departments, listed):
    _c, token = accounts.api_client_issue(
        actor=SYSTEM, name="人事系统", department=departments["tax"],
        scopes=[ApiScope.CHECKS, ApiScope.PERSONS_READ],
    )  # fmt: skip
    body = check(client, token, person={"id_type": "resident_id", "id_number": RID}).json()
    CheckOut.model_validate(body)
    assert body["status"] == "hit" and body["subject"]["name"] == "张*"
    (hit,) = body["hits"]
    assert (hit["role"], hit["organization"]) == ("legal_representative", "华为技术有限公司")
    assert body["measures"] == []  # the organisation's measures are not the person's
    assert RID not in str(CreditCheck.objects.get().query)


def test_feedback_per_measure(client, checks_token, listed, departments):
    body = check(client, checks_token, subject=HUAWEI).json()
    url = f"/api/v1/checks/{body['check_id']}/feedback"
    auth = {"Authorization": f"Bearer {checks_token}"}

    def send(items, headers=auth):
        return client.post(url, {"items": items}, content_type="application/json",
                           headers=headers)  # fmt: skip

    r = send([{"measure": "restrict_bonds", "applied": True},
              {"measure": "public_exposure", "applied": False}])  # fmt: skip
    rules = {(e["field"], e["rule"]) for e in r.json()["detail"]}
    assert r.status_code == 422 and rules == {
        ("items[0].measure", "feedback.measure_not_in_check"), ("items[1].reason", "required"),
    }  # fmt: skip
    assert not CheckFeedback.objects.exists()
    not_ours = {"measure": "public_exposure", "applied": False, "reason": "非本部门职责"}
    r = send([{"measure": "restrict_procurement", "applied": True}, not_ours])
    assert r.status_code == 200 and r.json()["recorded"] == 2
    assert AuditEvent.objects.filter(action="check.feedback").count() == 1
    _c, other = accounts.api_client_issue(
        actor=SYSTEM, name="住建系统", department=departments["housing"], scopes=[ApiScope.CHECKS]
    )
    assert send([{"measure": "restrict_procurement", "applied": True}],
                {"Authorization": f"Bearer {other}"}).status_code == 404  # fmt: skip


def test_honor_list_brings_incentives(client, checks_token, actors, penalty_record):
    entry = lists.entry_open(
        actor=actors["market_clerk"], list_code="honor", subject_id=penalty_record.subject_id,
        grounds="市级诚信示范企业", legal_basis="国发〔2016〕33号",
    )  # fmt: skip
    lists.entry_decide(actor=actors["market_reviewer"], entry_id=entry.pk, decision_no="荣1")
    # Decided but not yet published: no effect.
    body = check(client, checks_token, subject=HUAWEI, matter="administrative_licensing").json()
    assert body["status"] == "clear"
    lists.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
    body = check(client, checks_token, subject=HUAWEI, matter="administrative_licensing").json()
    assert [m["code"] for m in body["incentives"]] == ["accept_with_gaps", "green_channel"]
    assert body["measures"] == []


@pytest.mark.django_db(transaction=True, databases=["default", "hot"])
def test_check_through_its_own_connection(actors, penalty_record):
    """Production answers checks on a second connection (server-side binding, asynchronous
    commit of the log on PostgreSQL): the same answers, and the log row is there."""
    import importlib

    from django.apps import apps
    from django.db import connections

    from xinyong.sanctions import services

    # A transactional test may follow another one, whose flush removed the seeded lists
    # and measures: seed them again (idempotent).
    for module in ("xinyong.lists.migrations.0002_default_list_types",
                   "xinyong.lists.migrations.0003_court_list",
                   "xinyong.sanctions.migrations.0002_default_measures"):  # fmt: skip
        importlib.import_module(module).seed(apps, None)
    designate(actors, penalty_record)
    shared = connections["hot"]
    own = connections.create_connection("hot")
    connections["hot"] = own
    try:
        for _ in range(7):  # past psycopg's threshold for preparing a statement
            body = services.credit_check(
                actor=actors["tax_clerk"], matter="government_procurement", uscc=HUAWEI
            )
        assert body["status"] == "hit" and body["measures"]
        assert own.connection is not None  # the work went through the second connection
    finally:
        own.close()
        connections["hot"] = shared
    assert CreditCheck.objects.filter(status="hit").count() == 7


def test_body_that_is_not_json_and_the_documented_schema(client, checks_token, departments):
    r = client.post("/api/v1/checks", "{not json", content_type="application/json",
                    headers={"Authorization": f"Bearer {checks_token}"})  # fmt: skip
    # the same answer as every JSON body of the API (api.parser): unreadable is a 400
    assert r.status_code == 400 and r.json()["detail"][0]["rule"] == "json.syntax"
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/checks"]["post"]["requestBody"]["content"]["application/json"]
    props = body["schema"]["properties"]
    assert {"subject", "person", "matter", "department"} <= set(props)
    assert "id_number" in str(props["person"])  # the nested schema written in place


def _queries(fn):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connections["default"]) as a,
        CaptureQueriesContext(connections["hot"]) as b,
    ):
        out = fn()
    return out, {q["sql"] for q in a.captured_queries + b.captured_queries}


def test_the_check_answers_with_the_grade_the_office_lets_it_show(
    client, checks_token, actors, org_with_rep
):
    from xinyong.evaluation import services as evaluation
    from xinyong.evaluation.tests.conftest import evaluate

    before = check(client, checks_token, subject=HUAWEI).json()
    assert before["grade"] is None and before["grade_name"] is None  # never evaluated
    evaluate(actors["operator"])
    check(client, checks_token, subject=HUAWEI)  # the settings memo is loaded once
    body, sql = _queries(lambda: check(client, checks_token, subject=HUAWEI).json())
    CheckOut.model_validate(body)
    assert (body["grade"], body["grade_name"]) == ("B", "B级（信用良好）")
    assert not any(
        q.lstrip().upper().startswith("SELECT") and "evaluation_" in q and "JOIN" not in q
        for q in sql
    )  # no query of its own: the check's join
    # The credit office keeps grades out of checks: the next check says nothing of it.
    evaluation.publication_set(actor=actors["operator"], public_grades=["A"],
                               public_score=False, checks_see_grade=False)  # fmt: skip
    body = check(client, checks_token, subject=HUAWEI).json()
    assert body["grade"] is None and body["grade_name"] is None
