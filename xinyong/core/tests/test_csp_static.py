"""The policy built once per process is the one django-csp builds for each response."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from xinyong.core.middleware import StaticCSPMiddleware

HEADER = "Content-Security-Policy"


def _answer(middleware_class, path="/", decorate=None):
    def view(request):
        response = HttpResponse("ok")
        if decorate:
            decorate(response)
        return response

    return middleware_class(view)(RequestFactory().get(path))


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/backoffice/"])
def test_the_cached_policy_is_django_csps_own(path):
    expected = _answer(CSPMiddleware, path)[HEADER]
    assert "script-src 'self'" in expected
    first, second = _answer(StaticCSPMiddleware, path), _answer(StaticCSPMiddleware, path)
    assert first[HEADER] == second[HEADER] == expected


def test_a_view_that_changes_its_policy_keeps_its_change():
    def relax(response):
        response._csp_update = {"img-src": ["https://tiles.example"]}

    _answer(StaticCSPMiddleware)  # the cache is filled
    changed = _answer(StaticCSPMiddleware, decorate=relax)[HEADER]
    assert "https://tiles.example" in changed
    assert "https://tiles.example" not in _answer(StaticCSPMiddleware)[HEADER]


def test_an_exempt_view_gets_no_policy():
    def exempt(response):
        response._csp_exempt = True

    _answer(StaticCSPMiddleware)
    assert HEADER not in _answer(StaticCSPMiddleware, decorate=exempt)
