"""A trigram index on licence and penalty decision numbers (PostgreSQL), so that the
publicity column finds a record by a fragment of its number (〔2026〕12) without reading
every record. SQLite matches the fragment by a scan of those items' rows (a laptop's data)."""

from django.db import migrations

ITEMS = "('administrative_licence', 'administrative_penalty')"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS record_source_trgm ON records_record "
    f"USING gin (source_id gin_trgm_ops) WHERE item_code IN {ITEMS}",
]
DROP = ["DROP INDEX IF EXISTS record_source_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_withdrawal_without_batch")]

    operations = [migrations.RunPython(forwards, backwards)]
