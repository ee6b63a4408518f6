"""Signed checkpoints kept outside the database catch what the chain alone cannot: the end
cut off together with the head row, and a trail re-chained by someone holding the HMAC key.
Forged checkpoints are named too, and never trusted."""

import base64
import json
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.audit import checkpoints as cps
from xinyong.audit.keys import new_signing_key, parse_signing_key, public_key_b64
from xinyong.audit.models import AuditChainHead, AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.audit.services import chain_hash, chained_fields
from xinyong.audit.tests.conftest import tamper
from xinyong.records.tasks import upkeep_run
from xinyong.subjects.demo import make_uscc


def _rules(**kw):
    return [(b.seq, b.rule) for b in audit_chain_verify(**kw).breaks]


def _truncate(keep: int):
    """Delete the events after ``keep`` and set the head row to match, in plain SQL."""
    last = AuditEvent.objects.get(seq=keep)
    tamper("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
    tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [keep, last.hash])


def _rechain(from_seq: int, **changes):
    """Edit one event and recompute every later hash with the HMAC key, as someone holding
    the key would: the chain alone then verifies."""
    events = list(AuditEvent.objects.filter(seq__gte=from_seq - 1).order_by("seq"))
    prev = events[0].hash
    for ev in events[1:]:
        if ev.seq == from_seq:
            for k, v in changes.items():
                setattr(ev, k, v)
        ev.prev_hash = prev
        ev.hash = chain_hash(prev, chained_fields(ev))
        tamper(
            "UPDATE audit_auditevent SET actor_label = %s, prev_hash = %s, hash = %s "
            "WHERE seq = %s",
            [ev.actor_label, ev.prev_hash, ev.hash, ev.seq],
        )
        prev = ev.hash
    tamper("UPDATE audit_auditchainhead SET hash = %s", [prev])


def test_checkpoint_signs_the_head(chain, settings, capsys):
    call_command("audit", "checkpoint")
    assert f"事件 #{chain}" in capsys.readouterr().out
    (cp,) = cps.checkpoints_load().valid
    last = AuditEvent.objects.get(seq=chain)
    assert (cp.seq, cp.hash, cp.count) == (chain, last.hash, chain)
    assert settings.XINYONG_AUDIT_CHECKPOINT_FILE.read_text().count("\n") == 1
    result = audit_chain_verify()
    assert result.ok and result.checkpoints == 1


def test_truncation_after_a_checkpoint_is_named(chain, capsys):
    call_command("audit", "checkpoint")
    _truncate(chain - 3)
    assert _rules() == [(chain - 2, "checkpoint_truncated")]
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    err = capsys.readouterr().err
    assert "[checkpoint_truncated]" in err and f"#{chain}" in err


def test_truncation_is_invisible_to_the_chain_alone(chain, tmp_path):
    """Why checkpoints: without them the cut trail verifies (the fault of issue #12)."""
    _truncate(chain - 3)
    assert audit_chain_verify(checkpoints_path=tmp_path / "none.jsonl").ok


def test_rechained_trail_is_named_by_the_checkpoint(chain):
    call_command("audit", "checkpoint")
    _rechain(5, actor_label="someone_else")
    # The chain itself is consistent again; only the signed hash of event N disagrees.
    assert _rules() == [(chain, "checkpoint_mismatch")]


def test_checkpoints_in_the_middle_locate_the_rewrite(chain, actors):
    call_command("audit", "checkpoint")
    first = chain
    from xinyong.subjects import services

    services.organization_register(
        actor=actors["market_clerk"], uscc=make_uscc("91", "440300", 900), name="乙科技有限公司"
    )
    call_command("audit", "checkpoint")
    _rechain(first + 1, actor_label="x")
    rules = _rules()
    assert (first, "checkpoint_mismatch") not in rules
    assert rules == [(AuditEvent.objects.latest("seq").seq, "checkpoint_mismatch")]


def test_the_shipped_copy_catches_what_the_local_file_no_longer_shows(chain, tmp_path, settings):
    """The operator shipped the file elsewhere; the intruder then emptied the local one and
    cut the trail. The local verify is blind, the copy is not."""
    call_command("audit", "checkpoint")
    copy = tmp_path / "upper-platform.jsonl"
    shutil.copy(settings.XINYONG_AUDIT_CHECKPOINT_FILE, copy)
    settings.XINYONG_AUDIT_CHECKPOINT_FILE.write_text("")
    _truncate(chain - 1)
    assert _rules() == []
    assert _rules(checkpoints_path=copy) == [(chain, "checkpoint_truncated")]
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--checkpoints", str(copy))


def test_an_altered_checkpoint_is_named_and_not_trusted(chain, settings):
    call_command("audit", "checkpoint")
    path = settings.XINYONG_AUDIT_CHECKPOINT_FILE
    line = json.loads(path.read_text())
    line["seq"] = chain + 50  # claims a longer trail than there is
    path.write_text(json.dumps(line) + "\n")
    assert _rules() == [(chain + 50, "checkpoint_signature")]


def test_a_checkpoint_signed_with_another_key_is_named(chain, settings):
    """An intruder's own key signs a checkpoint of a rewritten trail: not ours, refused."""
    settings.XINYONG_AUDIT_SIGNING_KEY = new_signing_key()
    call_command("audit", "checkpoint")
    settings.XINYONG_AUDIT_SIGNING_KEY = ""
    assert _rules() == [(chain, "checkpoint_signature")]


def test_unreadable_line_is_named(chain, settings):
    call_command("audit", "checkpoint")
    with settings.XINYONG_AUDIT_CHECKPOINT_FILE.open("a") as f:
        f.write("{not json\n")
    assert _rules() == [(0, "checkpoint_signature")]


def test_a_broken_chain_is_not_certified(chain, settings):
    call_command("audit", "checkpoint")
    tamper("UPDATE audit_auditevent SET object_id = '1' WHERE seq = %s", [chain])
    with pytest.raises(CommandError, match="未签名"):
        call_command("audit", "checkpoint")
    assert len(cps.checkpoints_load().valid) == 1


def test_the_daily_upkeep_writes_a_checkpoint(chain):
    upkeep_run()
    cp = cps.checkpoints_load().last
    assert cp is not None and cp.seq == AuditChainHead.objects.get(pk=1).seq


def test_signature_verifies_with_the_published_public_key(chain, capsys):
    call_command("audit", "checkpoint")
    call_command("audit", "public-key")
    public = base64.urlsafe_b64decode(capsys.readouterr().out.strip().splitlines()[-1])
    cp = cps.checkpoints_load().last
    sig = base64.urlsafe_b64decode(cp.signature)
    signed = {k: v for k, v in json.loads(cp.line()).items() if k != "signature"}
    Ed25519PublicKey.from_public_bytes(public).verify(
        sig, json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    )


def test_new_signing_key_is_usable(capsys):
    call_command("audit", "new-signing-key")
    parse_signing_key(capsys.readouterr().out.strip())


# -- the endpoint an upper platform polls -------------------------------------------------
def _token(departments, scopes):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="上级平台", department=departments["credit"], scopes=scopes
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_latest_checkpoint_for_a_token_with_audit_read(chain, departments, client):
    call_command("audit", "checkpoint")
    r = client.get("/api/v1/audit/checkpoints/latest", **_token(departments, ["audit:read"]))
    assert r.status_code == 200
    body = r.json()
    cp = cps.parse_line(json.dumps(body["checkpoint"]))
    assert cp.seq == chain
    assert cp.signature_ok(base64.urlsafe_b64decode(body["public_key"]))


def test_checkpoints_since_a_sequence(chain, actors, departments, client):
    call_command("audit", "checkpoint")
    from xinyong.subjects import services

    services.organization_register(
        actor=actors["market_clerk"], uscc=make_uscc("91", "440300", 900), name="乙科技有限公司"
    )
    call_command("audit", "checkpoint")
    second = AuditEvent.objects.latest("seq").seq
    auth = _token(departments, ["audit:read"])
    body = client.get("/api/v1/audit/checkpoints", {"since": chain}, **auth).json()
    assert [c["seq"] for c in body["checkpoints"]] == [second]
    page = client.get("/api/v1/audit/checkpoints", {"limit": 1}, **auth).json()
    assert [c["seq"] for c in page["checkpoints"]] == [chain] and page["next_since"] == chain


def test_who_may_read_checkpoints(chain, departments, users, client):
    call_command("audit", "checkpoint")
    url = "/api/v1/audit/checkpoints/latest"
    assert client.get(url).status_code == 401
    others = [s.value for s in ApiScope if s != ApiScope.AUDIT_READ]
    assert client.get(url, **_token(departments, others)).status_code == 403
    for name, status in [("auditor", 200), ("operator", 200), ("market_clerk", 403)]:
        c = Client()
        c.force_login(users[name])
        assert c.get(url).status_code == status, name


def test_no_checkpoint_yet_is_404(departments, client):
    r = client.get("/api/v1/audit/checkpoints/latest", **_token(departments, ["audit:read"]))
    assert r.status_code == 404


def test_back_office_verify_uses_the_checkpoints(chain, users):
    call_command("audit", "checkpoint")
    c = Client()
    c.force_login(users["auditor"])
    assert "已对照 1 个签名检查点" in c.get("/backoffice/audit/", {"verify": 1}).content.decode()
    _truncate(chain - 2)
    html = c.get("/backoffice/audit/", {"verify": 1}).content.decode()
    assert "[checkpoint_truncated]" in html


def test_checkpoints_of_a_rotated_key_still_verify(chain, settings):
    old = new_signing_key()
    settings.XINYONG_AUDIT_SIGNING_KEY = old
    call_command("audit", "checkpoint")
    settings.XINYONG_AUDIT_SIGNING_KEY = new_signing_key()
    assert _rules() == [(chain, "checkpoint_signature")]
    settings.XINYONG_AUDIT_PREVIOUS_PUBLIC_KEYS = [public_key_b64(parse_signing_key(old))]
    result = audit_chain_verify()
    assert result.ok and result.checkpoints == 1


def test_the_worker_queues_the_frequent_checkpoint_once(chain, settings):
    from django_tasks_db.models import DBTaskResult

    from xinyong.audit.tasks import audit_checkpoint, checkpoint_now
    from xinyong.records.tasks import upkeep_schedule

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upkeep_schedule()
    upkeep_schedule()
    queued = DBTaskResult.objects.filter(task_path=audit_checkpoint.module_path, status="READY")
    assert queued.count() == 1
    assert checkpoint_now().seq == chain
    assert checkpoint_now() is None  # the chain did not grow: no new line
    assert len(cps.checkpoints_load().valid) == 1
