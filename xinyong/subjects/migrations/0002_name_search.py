from django.db import migrations

from xinyong.subjects import search


def forwards(apps, schema_editor):
    statements = {
        "sqlite": search.SQLITE_SETUP,
        "postgresql": search.POSTGRES_SETUP,
    }.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"unsupported database: {schema_editor.connection.vendor}")
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {
        "sqlite": search.SQLITE_TEARDOWN,
        "postgresql": search.POSTGRES_TEARDOWN,
    }[schema_editor.connection.vendor]
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
