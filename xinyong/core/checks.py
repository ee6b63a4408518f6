"""System checks run by every management command and at server start."""

from django.core.checks import Error, register
from django.db import connections


@register("database")
def postgres_is_utf8(app_configs, databases=None, **kwargs):
    """Name search cuts names into characters: a PostgreSQL database that is not UTF-8
    would cut Chinese names into bytes and find nothing. Refuse to run on one."""
    errors = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                "WHERE datname = current_database()"
            )
            encoding = cur.fetchone()[0]
        if encoding != "UTF8":
            errors.append(
                Error(
                    f"PostgreSQL database encoding is {encoding}, not UTF8",
                    hint="createdb -T template0 -E UTF8 --lc-ctype=C.UTF-8 <name>",
                    id="xinyong.E001",
                )
            )
    return errors
