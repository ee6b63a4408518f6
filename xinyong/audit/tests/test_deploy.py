"""In production the audit trail's keys are its own: `xinyong check --deploy` fails without
them, and the chain never silently falls back to SECRET_KEY."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from xinyong.audit.keys import new_signing_key
from xinyong.audit.services import chain_hash


def _ids():
    return {m.id for m in run_checks(include_deployment_checks=True, databases=[])}


@pytest.fixture
def production(settings):
    settings.XINYONG_ENV = "production"
    settings.XINYONG_AUDIT_KEY = ""
    settings.XINYONG_AUDIT_SIGNING_KEY = ""
    return settings


def test_check_deploy_fails_without_the_audit_keys(production):
    with pytest.raises(SystemCheckError) as e:
        call_command("check", "--deploy")
    assert "xinyong.E010" in str(e.value) and "xinyong.E011" in str(e.value)


def test_audit_key_equal_to_secret_key_or_bad_signing_key_is_refused(production):
    production.XINYONG_AUDIT_KEY = production.SECRET_KEY
    production.XINYONG_AUDIT_SIGNING_KEY = "c2hvcnQ="
    assert {"xinyong.E010", "xinyong.E011"} <= _ids()


def test_check_deploy_passes_the_audit_with_its_own_keys(production):
    production.XINYONG_AUDIT_KEY = "a-random-audit-key-of-its-own-0123456789"
    production.XINYONG_AUDIT_SIGNING_KEY = new_signing_key()
    assert not {"xinyong.E010", "xinyong.E011"} & _ids()


def test_no_fallback_to_secret_key_in_production(production):
    with pytest.raises(ImproperlyConfigured, match="XINYONG_AUDIT_KEY"):
        chain_hash("0" * 64, {"seq": 1})
    from xinyong.audit.checkpoints import checkpoint_sign

    with pytest.raises(ImproperlyConfigured, match="XINYONG_AUDIT_SIGNING_KEY"):
        checkpoint_sign(seq=0, hash="0" * 64, count=0)


def test_development_derives_the_keys(settings):
    settings.XINYONG_ENV = "development"
    settings.XINYONG_AUDIT_KEY = ""
    settings.XINYONG_AUDIT_SIGNING_KEY = ""
    assert chain_hash("0" * 64, {"seq": 1})
    assert not {"xinyong.E010", "xinyong.E011"} & _ids()
