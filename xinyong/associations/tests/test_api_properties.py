"""Property tests of the associations' API as the association's own system sees it: the
whole-API run (``api/tests/test_properties.py``) calls these operations with a
department's token, which the rules refuse at the gate; here every operation under
``/api/v1/associations/`` gets valid and invalid requests (schemathesis, from the
OpenAPI description) with the association's token, so its validation and its services
answer: never a 5xx, always a documented status, content type and body."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import settings

from xinyong.api.main import api
from xinyong.api.tests.test_properties import CHECKS, EXAMPLES, FUZZ
from xinyong.associations import services
from xinyong.associations.tests.conftest import OUTSIDER
from xinyong.conftest import HUAWEI
from xinyong.core.tests import fuzzstats

# Valid bodies to start from, so the success paths are exercised too.
VALID = {
    ("post", "/api/v1/associations/members"): {"uscc": OUTSIDER, "joined_on": "2026-01-05"},
    ("post", "/api/v1/associations/campaigns"): {"title": "诚信自律承诺", "text": "守法经营"},
    ("post", "/api/v1/associations/sanctions"): {
        "member_uscc": HUAWEI, "kind": "warning", "facts": "f", "basis": "b", "reasons": "r",
    },
    ("post", "/api/v1/associations/sanctions/{sanction_id}/revocation"): {
        "ground": "error", "reasons": "决定有误",
    },
}  # fmt: skip


def _spec() -> dict:
    spec = api.get_openapi_schema(path_prefix="/api/v1")
    for (method, path), body in VALID.items():
        op = spec["paths"][path][method]
        op["requestBody"]["content"]["application/json"]["example"] = body
    return spec


schema = schemathesis.openapi.from_dict(_spec()).include(path_regex="^/api/v1/associations/")
schema.app = WSGIHandler()
# Half the whole-API run's examples per operation: these operations are fuzzed there too.
HALF = max(EXAMPLES // 2, 5)
schema.config.generation.update(max_examples=HALF)


@pytest.fixture
def world(association, association_token):
    """The association's world: a member (华为), an open campaign and a decided warning
    (ids 1 in a fresh database: the generated paths often ask for them); the request
    signals that would close the test's connection left out, as Django's test client does."""
    from xinyong.associations.tests.conftest import decided

    services.campaign_open(actor=association["actor"], title="诚信自律承诺", text="守法经营")
    decided(association, kind="warning")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield association_token
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(FUZZ, max_examples=HALF)
@pytest.mark.django_db
def test_association_api_with_its_own_token(case, world):
    with fuzzstats.timed("api (association)"):
        response = case.call(headers={"Authorization": f"Bearer {world}"})
    fuzzstats.record("api (association)", response.status_code)
    case.validate_response(response, checks=CHECKS)
