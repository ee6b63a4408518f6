"""Partition the tables that grow with records (PostgreSQL; nothing on SQLite).

Runs in the migration's transaction: right for a new or small database. A large live
database is converted first with ``xinyong partitions apply --online`` (a short lock per
table instead of one for the whole copy); this migration then finds the tables converted
and does nothing. See docs/architecture.md, "Partitioned tables"."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from xinyong.core.partitions import SPECS
    from xinyong.core.partitions.convert import partition_table

    for spec in SPECS:
        partition_table(spec)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from xinyong.core.partitions import SPECS
    from xinyong.core.partitions.convert import unpartition_table

    for spec in SPECS:
        unpartition_table(spec)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("audit", "0020_partition_actions"),  # the trail's guard triggers, carried over
        ("records", "0010_exchange_channel"),
        ("ingest", "0006_batch_chunks"),
        ("disclosure", "0006_publication_publication_published_idx"),
        ("sanctions", "0005_alter_checkfeedback_credit_check"),
        # the foreign keys to records were dropped first (db_constraint=False)
        ("agencies", "0003_alter_misconduct_record"),
        ("associations", "0003_alter_sanction_record"),
        ("lists", "0007_alter_listentry_basis_records"),
        ("remedies", "0003_alter_repairapplication_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
