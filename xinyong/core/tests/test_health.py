"""The health endpoint and the Server-Timing header the load benchmark reads."""

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_a_session(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.content == b"ok\n"
    assert "no-cache" in r["Cache-Control"] and "sessionid" not in r.cookies
    assert client.post("/healthz").status_code == 405


def test_healthz_says_when_the_database_is_down(client, monkeypatch):
    from xinyong.core import health

    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    r = client.get("/healthz")
    assert r.status_code == 503 and b"database" in r.content


def test_server_timing_is_sent_only_when_asked(client, settings):
    assert "Server-Timing" not in client.get("/healthz")
    middleware = ["xinyong.core.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        timing = Client().get("/healthz")["Server-Timing"]  # a client loads the middleware once
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0
