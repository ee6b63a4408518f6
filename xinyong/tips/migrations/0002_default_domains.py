"""The routing table's usual domains, with no department yet: the credit office assigns
each its competent department (举报分派设置); until then the office routes their tips."""

from django.db import migrations

DOMAINS = [
    ("market", "市场监管（含食品药品、产品质量、价格）"),
    ("tax", "税收"),
    ("construction", "工程建设和房地产"),
    ("environment", "生态环境"),
    ("labour", "劳动用工和社会保障"),
    ("transport", "交通运输"),
    ("health", "医疗卫生"),
    ("safety", "安全生产"),
]


def create(apps, schema_editor):
    TipDomain = apps.get_model("tips", "TipDomain")
    for order, (code, name) in enumerate(DOMAINS, start=1):
        TipDomain.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("tips", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
