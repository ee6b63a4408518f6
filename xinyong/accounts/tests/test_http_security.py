"""HTTP hardening a browser and an operator can observe: the Content-Security-Policy on
every page (and nothing in the templates it would have to allow), and production settings
that `xinyong check --deploy` passes without a warning."""

import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

CSP = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/", "/account/login/", "/backoffice/login/", "/api/v1/docs"])
def test_pages_forbid_inline_script_and_foreign_origins(client, db, url):
    r = client.get(url)
    assert r.status_code == 200
    policy = directives(r[CSP])
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in r[CSP] and "'unsafe-eval'" not in r[CSP]


def test_the_api_docs_page_runs_only_script_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in s or 'type="application/json"' in s for s in scripts)


# What a CSP without 'unsafe-inline' refuses: inline handlers (onchange=…), inline script,
# javascript: URLs, style attributes and <style> blocks.
INLINE = re.compile(
    r"""\son[a-z]+\s*=|<script(?![^>]*\bsrc=)[^>]*>|javascript:|\sstyle\s*=|<style""", re.I
)


def test_no_template_holds_inline_script_or_style():
    roots = [settings.BASE_DIR / "xinyong"]
    templates = [p for r in roots for p in r.rglob("templates/**/*.html")]
    assert len(templates) > 40
    offending = {
        str(p.relative_to(settings.BASE_DIR)): INLINE.findall(p.read_text(encoding="utf-8"))
        for p in templates
    }
    assert {p: found for p, found in offending.items() if found} == {}


def production_env(tmp_path, **overrides) -> dict:
    key = lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()  # noqa: E731
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XINYONG_", "DATABASE_", "DJANGO_ALLOW_ASYNC"))  # test-only
    }
    env.update(
        XINYONG_ENV="production",
        XINYONG_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="credit.xinan.example.gov.cn",
        DEBUG="0",
        XINYONG_PERSON_HASH_KEY=key(),
        XINYONG_PERSON_ENC_KEYS=key(),
        XINYONG_AUDIT_KEY=key(),
        XINYONG_AUDIT_SIGNING_KEY=key(),
        XINYONG_REPORT_SIGNING_KEY=key(),
        XINYONG_CACHE_URL="redis://cache.internal:6379/0",  # not reached by the check
    )
    env.update(overrides)
    return env


def deploy_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xinyong.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    done = deploy_check(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_without_a_shared_cache_is_warned(tmp_path):
    """Several server processes each with their own cache would each count the report
    throttle and keep cached page parts another process has invalidated."""
    done = deploy_check(production_env(tmp_path, XINYONG_CACHE_URL=""))
    assert done.returncode != 0
    assert "xinyong.W020" in done.stdout + done.stderr


def test_the_deploy_check_is_not_vacuous(tmp_path):
    """Outside production the same check names what production turns on."""
    done = deploy_check(production_env(tmp_path, XINYONG_ENV="demo"))
    assert done.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in done.stdout + done.stderr


def test_behind_a_proxy_https_is_recognised(client, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/").status_code == 301  # plain HTTP is sent to HTTPS
    r = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 200
    assert r["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
