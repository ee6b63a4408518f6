from django.db import migrations

from xinyong.audit import guard


def install(apps, schema_editor):
    guard.install(schema_editor)


def remove(apps, schema_editor):
    guard.remove(schema_editor)


class Migration(migrations.Migration):
    """Audit events refuse UPDATE and DELETE in the database itself (xinyong/audit/guard.py)."""

    dependencies = [("audit", "0005_lists_checks_remedies")]
    operations = [migrations.RunPython(install, remove)]
