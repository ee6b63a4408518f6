"""The audit chain: intact when written through services, and every kind of tampering
is found and located."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.choices import AuditAction
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.audit.services import audit_event_append
from xinyong.audit.tests.conftest import tamper
from xinyong.subjects import services

_sql = tamper


def _breaks():
    result = audit_chain_verify()
    return [(b.seq, b.rule) for b in result.breaks]


def test_intact_chain_verifies(chain, capsys):
    assert audit_chain_verify().ok and audit_chain_verify().checked == chain
    call_command("audit", "verify")
    assert f"已校验 {chain} 个事件" in capsys.readouterr().out


def test_edited_field_is_found_at_its_event(chain):
    _sql("UPDATE audit_auditevent SET actor_label = 'someone_else' WHERE seq = 5")
    assert _breaks() == [(5, "edited")]


def test_edited_detail_is_found(chain):
    _sql("UPDATE audit_auditevent SET detail = %s WHERE seq = 9", ['{"name": "伪造"}'])
    assert (9, "content_edited") in _breaks()


def test_deleted_event_in_the_middle(chain):
    _sql("DELETE FROM audit_auditevent WHERE seq = 7")
    assert _breaks()[0] == (8, "deleted")


def test_deleted_last_event(chain):
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [chain])
    assert _breaks() == [(chain, "truncated")]


def test_inserted_event_is_found(chain):
    # Make room by renumbering the tail, then forge an event with a plausible hash.
    _sql("UPDATE audit_auditevent SET seq = seq + 1000 WHERE seq >= 4")
    _sql("UPDATE audit_auditevent SET seq = seq - 999 WHERE seq >= 1004")
    forged = AuditEvent.objects.get(seq=3)
    forged.pk = None
    forged.seq = 4
    forged.actor_label = "intruder"
    forged.save(force_insert=True)
    breaks = _breaks()
    assert breaks and breaks[0][0] == 4


def test_command_fails_and_names_the_event(chain, capsys):
    _sql("UPDATE audit_auditevent SET object_id = '999' WHERE seq = 3")
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify")
    assert "#3 [edited]" in capsys.readouterr().err


def test_append_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="transaction"):
        audit_event_append(actor=SYSTEM, action=AuditAction.SUBJECT_UPDATE, object_type="subject")


def test_a_failed_change_leaves_no_event(actors):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        services.organization_register(
            actor=actors["market_clerk"], uscc="914403001922038217", name="甲"
        )
    assert AuditEvent.objects.count() == before
