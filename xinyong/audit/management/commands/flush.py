"""Django's ``flush`` with the audit trail's append-only guard lifted while it runs: it is how
a test database is emptied between transactional tests (SQLite empties tables with DELETE,
PostgreSQL with TRUNCATE, both refused by the guard otherwise). Emptying the whole database
is not the quiet cut the guard is for."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from xinyong.audit.guard import TABLE, guard_lifted


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if TABLE not in connection.introspection.table_names():
            return super().handle(**options)
        with guard_lifted(connection):
            return super().handle(**options)
