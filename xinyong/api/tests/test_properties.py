"""Property tests of the whole API from its own OpenAPI description (schemathesis): every
operation the description lists — a new endpoint is covered as soon as it is routed —
gets valid and invalid requests (the coverage phase's boundaries: negative and huge
numbers, wrong types, missing and extra fields; then random ones), as a business
system with a token of every scope; every write also as a signed-in staff member's
browser session (with its CSRF token).

Every answer must be below 500, have a status code and content type the description
documents, and a body matching the documented schema. The coverage phase sends each
operation's boundaries whatever the bound (about 20 requests an operation); the random
phase draws ``XINYONG_API_FUZZ_EXAMPLES`` more (default ``XINYONG_FUZZ_EXAMPLES``, itself 25
by default; scripts/test draws 4: ~100 operations, half this file's cost). The count of
generated requests is printed at the end of the run."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings

from xinyong.api.main import api
from xinyong.conftest import (
    HUAWEI,
    issue_market_token,
    make_actors,
    make_departments,
    make_users,
    register_org_with_rep,
)
from xinyong.core.tests import fuzzstats
from xinyong.core.tests.shared import apply_files, module_transaction
from xinyong.ingest.tests.conftest import NEW_ORG, penalty, push

EXAMPLES = int(
    os.environ.get("XINYONG_API_FUZZ_EXAMPLES") or os.environ.get("XINYONG_FUZZ_EXAMPLES", 25)
)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

# Valid requests to start from (the examples phase), so the writes' success paths are
# exercised too: random data rarely passes a USCC check or names a catalog item. Test
# data, not part of the description; an operation without one is still fuzzed.
VALID = {
    ("post", "/api/v1/subjects"): {"uscc": NEW_ORG, "name": "信安恒瑞科技有限公司"},
    ("post", "/api/v1/subjects/{code}/rename"): {"new_name": "华为技术股份有限公司",
                                                 "effective_on": "2026-11-01"},
    ("post", "/api/v1/subjects/{code}/related-persons"): {
        "role": "principal", "id_number": "11010519491231002X", "name": "李四",
        "valid_from": "2026-01-01",
    },
    ("post", "/api/v1/records/batches"): {"item": "administrative_penalty",
                                          "rows": [penalty(3), penalty(4, CF_NR_FK="7")]},
    ("post", "/api/v1/checks"): {"subject": HUAWEI, "matter": "government_procurement"},
    ("post", "/api/v1/evaluation/runs"): {"kind": "full", "as_of": "2026-12-01"},
}  # fmt: skip


def _with_examples(spec: dict) -> dict:
    for (method, path), body in VALID.items():
        op = spec["paths"][path][method]
        op["requestBody"]["content"]["application/json"]["example"] = body
        for param in op.get("parameters", []):
            if param["name"] == "code":
                param["example"] = HUAWEI
    return spec


schema = schemathesis.openapi.from_dict(
    _with_examples(api.get_openapi_schema(path_prefix="/api/v1"))
)
schema.app = WSGIHandler()  # the whole Django stack, middleware included, in-process
schema.config.generation.update(max_examples=EXAMPLES)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written under the checkout; each run explores afresh
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Some of everything the API reads (a subject with a related person, a batch with
    records), a business system's token and a platform operator's browser session, built
    once for the module's ~150 tests (xinyong/core/tests/shared.py): each test's requests
    are still undone before the next test."""
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("api")) as files:
        departments = make_departments()
        users = make_users(departments)
        register_org_with_rep(make_actors(users))
        token = issue_market_token(departments)
        push(Client(), token, "administrative_penalty", [penalty(1), penalty(2)])
        yield {"token": token, "session": _session(users["operator"]), "files": files}


@pytest.fixture
def world(_world, db, settings):
    """The module's world, with the request signals that would close the test's connection
    after each in-process request left out (as Django's test client does)."""
    apply_files(settings, _world["files"])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session(user) -> dict:
    """The cookies and header of the user's browser on the docs page."""
    c = Client()
    c.force_login(user)
    token = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": c.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token, "Referer": "http://localhost/api/v1/docs"},
    }


def _run(suite: str, case, **kwargs) -> None:
    with fuzzstats.timed(suite):
        response = case.call(**kwargs)
    fuzzstats.record(suite, response.status_code)
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_api_with_a_token(case, world):
    _run("api (token)", case, headers={"Authorization": f"Bearer {world['token']}"})


# On one database (scripts/test: the SQLite run): it tests the way in (a session, its CSRF
# token) on every write, not the database; the token's test sends every write's hostile
# values to both databases, and most of these requests end at the session's checks.
@schema.include(method=["POST", "PUT", "PATCH", "DELETE"]).parametrize()
@FUZZ
@pytest.mark.django_db
@pytest.mark.one_database
def test_api_writes_with_a_staff_session(case, world):
    # the generated case's own headers (a bad Authorization among them) stay; the session
    # takes over where no valid token is sent
    session = world["session"]
    _run("api (session)", case, headers=session["headers"], cookies=session["cookies"])
