from django.db import migrations

REPAIR = "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）"
DEFAULTS = [
    ("summary", False, None, None, [],
     "《中华人民共和国行政处罚法》第四十八条：具有一定社会影响的行政处罚决定应当依法公开。"
     "适用简易程序当场作出的处罚按本地信用信息公示规定不上网公示（信用办可调整）。"),
    ("warning", False, None, None, ["警告", "通报批评"],
     "仅受到警告、通报批评的行政处罚按本地信用信息公示规定不上网公示（信用办可调整）；"
     f"{REPAIR}。"),
    ("general", True, 3, 12, [],
     f"{REPAIR}：涉及一般失信行为的行政处罚信息，自行政处罚决定之日起，"
     "最短公示期三个月，最长公示期一年。"),
    ("serious", True, 12, 36, ["吊销许可证件", "责令关闭", "限制从业"],
     f"{REPAIR}：涉及严重失信行为的行政处罚信息，自行政处罚决定之日起，"
     "最短公示期一年，最长公示期三年。处罚机关认定为严重失信的，以及吊销许可证件、"
     "责令关闭、限制从业的处罚，按严重失信公示（信用办可调整）。"),
]  # fmt: skip


def seed(apps, schema_editor):
    rule = apps.get_model("disclosure", "PublicityRule")
    for cls, publish, lo, hi, kinds, basis in DEFAULTS:
        rule.objects.get_or_create(
            penalty_class=cls,
            defaults={"publish": publish, "min_months": lo, "max_months": hi, "kinds": kinds,
                      "basis": basis, "updated_by": "system"},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
