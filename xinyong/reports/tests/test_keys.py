"""The keys that sign reports: published (page and API), rotated without losing the
verifiability of earlier reports, required in production (xinyong.E012), and enough —
with the JSON twin — to verify a report offline with scripts/verify_report.py, which
imports nothing of the platform."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from xinyong.audit.keys import new_signing_key
from xinyong.reports import selectors, services, signing
from xinyong.reports.models import SigningKey
from xinyong.reports.tests.test_issue import ANON

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "verify_report.py"


@pytest.fixture
def issued(published):
    return services.report_issue(actor=ANON, kind="public", subject=published.subject)


# -- publishing and rotating ------------------------------------------------------------


def test_rotation_keeps_old_reports_verifiable(published, settings):
    key_a, key_b = new_signing_key(), new_signing_key()
    settings.XINYONG_REPORT_SIGNING_KEY = key_a
    first = services.report_issue(actor=ANON, kind="public", subject=published.subject)
    settings.XINYONG_REPORT_SIGNING_KEY = key_b
    second = services.report_issue(actor=ANON, kind="public", subject=published.subject)
    a, b = first.report, second.report
    assert a.key_id != b.key_id
    published_keys = {k.key_id: k for k in selectors.signing_keys()}
    assert set(published_keys) == {a.key_id, b.key_id}
    assert published_keys[b.key_id].current and not published_keys[a.key_id].current
    for issued in (first, second):
        r = issued.report
        # each signature verifies with its own published key, not with the other one
        own = published_keys[r.key_id].public_key
        other = published_keys[({a.key_id, b.key_id} - {r.key_id}).pop()].public_key
        assert signing.verify(r.twin, r.signature, own)
        assert not signing.verify(r.twin, r.signature, other)
        result = services.report_verify(
            actor=ANON, number=r.number, code=issued.code, channel="api"
        )
        assert result.status == "genuine" and result.out().public_key == own
    page = Client().get("/verify/keys/").content.decode()
    assert a.key_id in page and b.key_id in page and "当前使用" in page
    assert page.index(b.key_id) < page.index(a.key_id)  # newest first


def test_keys_api_lists_every_key_to_anyone(issued):
    r = Client().get("/api/v1/reports/keys")
    assert r.status_code == 200, r.content
    keys = r.json()["keys"]
    current_id, current_public = signing.current_public()
    assert keys == [
        {
            "key_id": current_id,
            "alg": "Ed25519",
            "public_key": current_public,
            "first_used_at": keys[0]["first_used_at"],
            "last_used_at": keys[0]["last_used_at"],
            "current": True,
        }
    ]
    assert keys[0]["first_used_at"] is not None


def test_a_new_key_is_published_before_its_first_report(db):
    assert not SigningKey.objects.exists()
    keys = selectors.signing_keys()
    assert [(k.key_id, k.current, k.first_used_at) for k in keys] == [
        (signing.current_public()[0], True, None)
    ]
    page = Client().get("/verify/keys/")
    assert page.status_code == 200 and keys[0].key_id in page.content.decode()


# -- the deploy check -------------------------------------------------------------------


def _ids():
    return {m.id for m in run_checks(include_deployment_checks=True, databases=[])}


@pytest.mark.parametrize("value", ["", "c2hvcnQ=", "not base64 !!"])
def test_production_refuses_a_missing_or_invalid_report_key(settings, value):
    settings.XINYONG_ENV = "production"
    settings.XINYONG_REPORT_SIGNING_KEY = value
    assert "xinyong.E012" in _ids()
    with pytest.raises(ImproperlyConfigured, match="XINYONG_REPORT_SIGNING_KEY"):
        signing.current_public()  # never a silent fallback to SECRET_KEY


def test_production_accepts_a_key_of_its_own(settings):
    settings.XINYONG_ENV = "production"
    settings.XINYONG_REPORT_SIGNING_KEY = new_signing_key()
    assert "xinyong.E012" not in _ids()
    settings.XINYONG_ENV = "development"
    settings.XINYONG_REPORT_SIGNING_KEY = ""
    assert "xinyong.E012" not in _ids()


# -- offline verification ---------------------------------------------------------------


def _run(tmp_path: Path, envelope: dict, *args: str) -> subprocess.CompletedProcess:
    twin = tmp_path / "report.json"
    twin.write_text(json.dumps(envelope, ensure_ascii=False, indent=2), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"}
    # -I: isolated, nothing of the project on the path (the script needs none of it)
    return subprocess.run(  # noqa: S603 - our own script, arguments we wrote
        [sys.executable, "-I", str(SCRIPT), str(twin), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip


def test_offline_script_verifies_genuine_and_refuses_tampering(issued, tmp_path):
    envelope = selectors.report_twin_signed(issued.report)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(issued.pdf)
    keys = tmp_path / "keys.json"
    keys.write_text(Client().get("/api/v1/reports/keys").content.decode(), encoding="utf-8")
    public = signing.current_public()[1]

    ok = _run(tmp_path, envelope, "--keys", str(keys), "--pdf", str(pdf))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("GENUINE") and issued.report.number in ok.stdout
    assert "华为技术有限公司" in ok.stdout
    assert _run(tmp_path, envelope, "--key", public).returncode == 0

    changed = bytearray(issued.pdf)
    changed[len(changed) // 3] ^= 0x01
    bad_pdf = tmp_path / "changed.pdf"
    bad_pdf.write_bytes(bytes(changed))
    r = _run(tmp_path, envelope, "--key", public, "--pdf", str(bad_pdf))
    assert r.returncode == 1 and r.stdout.startswith("NOT GENUINE") and "SHA-256" in r.stdout

    forged = json.loads(json.dumps(envelope))
    forged["report"]["subject"]["name"] = "别的公司"
    r = _run(tmp_path, forged, "--key", public, "--pdf", str(pdf))
    assert r.returncode == 1 and "signature does not match" in r.stdout

    # a forger re-signs with a key of their own and puts it in the envelope: the key the
    # user trusts is not the one named, and the forged key is not among the published
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from xinyong.audit.keys import key_id, public_key_bytes

    mine = Ed25519PrivateKey.generate()
    forged["signature"].update(
        key_id=key_id(public_key_bytes(mine)),
        public_key=signing.b64(public_key_bytes(mine)),
        value=signing.b64(mine.sign(signing.canonical(forged["report"]))),
    )
    r = _run(tmp_path, forged, "--key", public)
    assert r.returncode == 1 and "not the key named" in r.stdout
    r = _run(tmp_path, forged, "--keys", str(keys))
    assert r.returncode == 1 and "does not list" in r.stdout

    # "--key=…": a base64url key may begin with "-" (1 in 64), which argparse would take
    # for an option if given as a separate argument
    wrong = _run(tmp_path, envelope, f"--key={signing.b64(public_key_bytes(mine))}")
    assert wrong.returncode == 1 and "NOT GENUINE" in wrong.stdout


def test_offline_script_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {
        alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names
    }
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    roots = {name.split(".")[0] for name in imported}
    assert roots - sys.stdlib_module_names == {"cryptography"}
