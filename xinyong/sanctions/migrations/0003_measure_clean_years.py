"""Incentives for a clean record: a measure may also go to subjects with no negative record
for some years (issue #15 item 7) — set on the honor list's green channel, deficiency-
tolerant acceptance and fewer inspections, as 国发〔2016〕33号 provides."""

from django.db import migrations, models

CLEAN = ("green_channel", "accept_with_gaps", "lower_inspection")
CLEAN_BASIS = (
    "国发〔2016〕33号：对连续三年以上无不良信用记录的行政相对人，可根据实际情况实施“绿色通道”"
    "和“容缺受理”等便利服务措施；国发〔2019〕5号：对信用较好、风险较低的市场主体，合理降低抽查"
    "比例和频次。"
)


def clean_record_incentives(apps, schema_editor):
    measure = apps.get_model("sanctions", "Measure")
    for m in measure.objects.filter(code__in=CLEAN, clean_years__isnull=True):
        m.clean_years = 3
        if CLEAN_BASIS not in m.legal_basis:
            m.legal_basis = f"{m.legal_basis}{CLEAN_BASIS}"
        m.save(update_fields=["clean_years", "legal_basis"])


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0002_default_measures")]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="clean_years",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="连续无不良信用记录年限"
            ),
        ),
        migrations.RunPython(clean_record_incentives, migrations.RunPython.noop),
    ]
