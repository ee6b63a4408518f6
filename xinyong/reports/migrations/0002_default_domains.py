from django.db import migrations


def seed(apps, schema_editor):
    from xinyong.reports.domains import DEFAULT_DOMAINS, PENALTY_ITEMS

    ReportDomain = apps.get_model("reports", "ReportDomain")
    for order, (code, name, replaces, departments, items) in enumerate(DEFAULT_DOMAINS):
        ReportDomain.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "replaces": replaces, "departments": departments,
                "items": PENALTY_ITEMS + items, "order": order * 10,
            },
        )  # fmt: skip
    apps.get_model("reports", "ReportPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
