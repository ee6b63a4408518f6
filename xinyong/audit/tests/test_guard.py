"""The database refuses to change or remove an audit event, even on the application's own
connection; emptying a test database (flush) still works."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify


def _refused(statement: str, params=()):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement, params)


def test_update_is_refused(chain):
    _refused("UPDATE audit_auditevent SET actor_label = 'x' WHERE seq = 3")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=4).update(object_id="999")
    ev = AuditEvent.objects.get(seq=5)
    ev.actor_label = "x"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ev.save()
    assert audit_chain_verify().ok


def test_delete_is_refused(chain):
    _refused("DELETE FROM audit_auditevent WHERE seq = %s", [chain])
    _refused("DELETE FROM audit_auditevent")  # how SQLite empties a table
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq__gt=chain - 3).delete()
    if connection.vendor == "postgresql":
        _refused("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == chain and audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_the_guard_stays(chain, monkeypatch):
    if connection.vendor == "postgresql":  # Django's TRUNCATE, not the DELETE of the test run's
        from django.db.backends.postgresql.operations import DatabaseOperations  # (conftest)

        monkeypatch.setattr(DatabaseOperations, "sql_flush", DatabaseOperations.sql_flush.truncate)
    call_command("flush", interactive=False, verbosity=0)
    left = AuditEvent.objects.count()  # what post-migrate handlers (catalog sync) wrote anew
    assert left < chain and audit_chain_verify().ok
    from xinyong.accounts.actors import SYSTEM
    from xinyong.audit.choices import AuditAction
    from xinyong.audit.services import audit_event_append

    with transaction.atomic():
        audit_event_append(actor=SYSTEM, action=AuditAction.SUBJECT_UPDATE, object_type="s")
    _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == left + 1
