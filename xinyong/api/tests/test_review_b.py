"""Review B (issue #12): a NUL byte in a bearer token."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_bearer_token_is_an_unknown_token(client):
    """The token's prefix went to the database as it came: on PostgreSQL (which stores no
    NUL) the answer was 422 ``data.invalid`` naming no field — not the 401 of a wrong
    token, and a database error reached from the first line of every API call."""
    r = client.get("/api/v1/records/batches", headers={"Authorization": "Bearer xy_ab\x00c_secret"})
    assert r.status_code == 401, r.content
    assert r.json()["detail"][0]["rule"] == "auth.token"
