import pytest
from django.db import connection

from xinyong.audit.guard import guard_lifted
from xinyong.audit.models import AuditEvent
from xinyong.subjects import services
from xinyong.subjects.demo import make_uscc


@pytest.fixture
def chain(actors):
    """Twelve events written by ordinary service calls."""
    for i in range(6):
        services.organization_register(
            actor=actors["market_clerk"],
            uscc=make_uscc("91", "440300", 100 + i),
            name=f"甲{i}科技有限公司",
        )
    n = AuditEvent.objects.count()
    assert n >= 12
    return n


def tamper(statement: str, params=()):
    """SQL as the table's owner would run it: the append-only guard lifted first."""
    with guard_lifted(connection), connection.cursor() as cur:
        cur.execute(statement, params)
