from django.db import migrations


def forwards(apps, schema_editor):
    # Staged rows are re-derived from the stored payload after a crash: no WAL needed.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ingest_stagedrow SET UNLOGGED")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ingest_stagedrow SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
